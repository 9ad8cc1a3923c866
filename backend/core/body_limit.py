"""Request bodies larger than settings.UPLOAD_MAX_BODY_BYTES are refused before Django reads them.

Under ASGI, Django reads the whole body into a temporary file (on disk past 2.5 MB) before any
middleware or view runs, so a check in a view comes after the disk has filled: 600 MB from one
anonymous POST landed in /tmp that way. These wrappers sit outside Django: a declared Content-Length
over the limit is answered 413 at once, and a body streamed without one (chunked) is cut off as soon
as it passes the limit. Under WSGI Django never reads past Content-Length, so the header check is
the whole job there. The proxy in front refuses the same size first (docker-compose's proxy).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from django.conf import settings
from django.utils import translation

from backend.core.errors import error_body
from backend.core.messages import message

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[..., Awaitable[None]]


def _too_large_body(accept_language: str) -> bytes:
    language = "en" if accept_language.strip().lower().startswith("en") else "vi"
    with translation.override(language):
        return json.dumps(error_body("request_too_large", message("request_too_large"))).encode()


def _declared_length(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


class AsgiBodyLimit:
    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = settings.UPLOAD_MAX_BODY_BYTES
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        language = headers.get("accept-language", "")
        declared = _declared_length(headers.get("content-length"))
        if declared is not None and declared > limit:
            await self._refuse(send, language)
            return
        received = 0
        cut_off = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, cut_off
            if cut_off:
                return {"type": "http.disconnect"}
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > limit:
                    # To Django the client has gone: it drops what it read and answers nothing.
                    cut_off = True
                    return {"type": "http.disconnect"}
            return incoming

        async def watched_send(outgoing: Message) -> None:
            nonlocal started
            if outgoing["type"] == "http.response.start":
                started = True
            await send(outgoing)

        await self.app(scope, limited_receive, watched_send)
        if cut_off and not started:
            await self._refuse(send, language)

    @staticmethod
    async def _refuse(send: Send, language: str) -> None:
        body = _too_large_body(language)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class WsgiBodyLimit:
    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        declared = _declared_length(environ.get("CONTENT_LENGTH"))
        if declared is not None and declared > settings.UPLOAD_MAX_BODY_BYTES:
            body = _too_large_body(environ.get("HTTP_ACCEPT_LANGUAGE", ""))
            start_response(
                "413 Request Entity Too Large",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Connection", "close")],
            )
            return [body]
        return self.app(environ, start_response)
