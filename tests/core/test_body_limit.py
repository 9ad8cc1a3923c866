"""Oversized request bodies are refused before Django reads them, under ASGI and WSGI."""

from __future__ import annotations

import asyncio
import io
import json

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

CHUNK = 64 * 1024


def _scope(path: str, headers: dict[str, str]) -> dict:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.7", 5000), "server": ("testserver", 80),
    }


async def _call_asgi(path: str, headers: dict[str, str], body_chunks: int, chunk: int = CHUNK):
    """Run the real ASGI application; count how many body bytes it pulled from the client."""
    from backend.asgi import application

    pulled = 0
    sent: list[dict] = []
    remaining = body_chunks

    async def receive():
        nonlocal pulled, remaining
        if remaining == 0:
            await asyncio.sleep(3600)  # a client that sent everything waits for the answer
            return {"type": "http.disconnect"}
        remaining -= 1
        pulled += chunk
        return {"type": "http.request", "body": b"x" * chunk, "more_body": remaining > 0}

    async def send(message):
        sent.append(message)

    await application(_scope(path, headers), receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body, pulled


async def test_a_declared_oversized_body_is_refused_without_reading_a_byte(settings):
    # given a 1 MB cap and a client announcing 600 MB
    settings.UPLOAD_MAX_BODY_BYTES = 1024 * 1024
    status, headers, body, pulled = await _call_asgi(
        "/api/v1/reports/", {"content-length": str(600 * 1024 * 1024), "content-type": "multipart/form-data"}, 9600
    )
    # then it gets 413 in the API's error shape and nothing of the body was read
    assert (status, pulled) == (413, 0)
    assert headers[b"content-type"] == b"application/json"
    assert json.loads(body)["error"]["code"] == "request_too_large"


async def test_a_streamed_body_without_length_is_cut_off_at_the_limit(settings):
    # given a 1 MB cap and a chunked upload that would go on for 600 MB
    settings.UPLOAD_MAX_BODY_BYTES = 1024 * 1024
    status, _, body, pulled = await _call_asgi(
        "/api/v1/reports/", {"content-type": "multipart/form-data", "accept-language": "en"}, 9600
    )
    # then reading stops one chunk past the cap, and the answer is 413 in English as asked
    assert status == 413
    assert pulled == 1024 * 1024 + CHUNK
    assert json.loads(body)["error"] == {
        "code": "request_too_large", "message": "The request is too large.", "fields": {},
    }


async def test_a_body_that_lies_about_its_length_is_cut_off_too(settings):
    settings.UPLOAD_MAX_BODY_BYTES = 1024 * 1024
    status, _, _, pulled = await _call_asgi("/api/v1/reports/", {"content-length": "100"}, 9600)
    assert (status, pulled) == (413, 1024 * 1024 + CHUNK)


async def test_a_body_within_the_limit_reaches_django(settings):
    settings.UPLOAD_MAX_BODY_BYTES = 1024 * 1024
    status, _, body, pulled = await _call_asgi(
        "/api/v1/auth/otp/request/", {"content-type": "application/json", "content-length": str(CHUNK)}, 1
    )
    # Django read it and answered (the body is not JSON: a parse error from the view, not a 413)
    assert (status, pulled) == (400, CHUNK)
    assert json.loads(body)["error"]["code"] == "parse_error"


def test_the_default_cap_follows_the_photo_limits(settings):
    assert settings.UPLOAD_MAX_BODY_BYTES == settings.PHOTO_MAX_COUNT * settings.PHOTO_MAX_BYTES + 1024 * 1024


def _call_wsgi(environ_extra: dict) -> tuple[str, bytes, int]:
    from backend.wsgi import application

    class CountingInput(io.BytesIO):
        consumed = 0

        def read(self, size=-1):
            data = super().read(size)
            CountingInput.consumed += len(data)
            return data

    body = b"x" * 4096
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/auth/otp/request/", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": CountingInput(body), "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "application/json", "REMOTE_ADDR": "203.0.113.7", **environ_extra,
    }
    status: list[str] = []
    chunks = application(environ, lambda s, h, *a: status.append(s))
    return status[0], b"".join(chunks), CountingInput.consumed


def test_wsgi_refuses_a_declared_oversized_body_unread(settings):
    settings.UPLOAD_MAX_BODY_BYTES = 1024
    status, body, consumed = _call_wsgi({"CONTENT_LENGTH": str(600 * 1024 * 1024)})
    assert (status, consumed) == ("413 Request Entity Too Large", 0)
    assert json.loads(body)["error"]["code"] == "request_too_large"


def test_wsgi_passes_a_body_within_the_limit(settings):
    settings.UPLOAD_MAX_BODY_BYTES = 1024 * 1024
    status, body, consumed = _call_wsgi({"CONTENT_LENGTH": "4096"})
    assert status.startswith("400")
    assert consumed == 4096
