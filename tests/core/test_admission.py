"""Admission control: beyond capacity a 503 with Retry-After at once, health never refused."""

from __future__ import annotations

import asyncio
import json

from backend.core.admission import AdmissionControl


class SlowApp:
    """An app that holds each request until released, and records what it served."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.served: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        await self.release.wait()
        self.served.append(scope["path"])
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


async def call(app, path: str, language: str = "vi") -> list[dict]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "headers": [(b"accept-language", language.encode())]}
    await app(scope, receive, send)
    return sent


async def test_requests_beyond_capacity_are_refused_at_once_and_never_reach_the_app():
    inner = SlowApp()
    app = AdmissionControl(inner, max_inflight=2, retry_after_seconds=3)
    # given two requests in progress (the capacity)
    busy = [asyncio.create_task(call(app, "/api/v1/reports/")) for _ in range(2)]
    await asyncio.sleep(0.01)
    # when a third arrives, then it is refused without waiting, in the error shape, with Retry-After
    refused = await asyncio.wait_for(call(app, "/api/v1/reports/", "en"), timeout=1)
    start, body = refused
    assert start["status"] == 503
    assert dict(start["headers"])[b"retry-after"] == b"3"
    assert json.loads(body["body"]) == {"error": {"code": "overloaded", "fields": {},
                                                  "message": "The service is at capacity, please try again in a few seconds."}}
    # and health still answers while the server is full
    health = asyncio.create_task(call(app, "/api/v1/health/live/"))
    inner.release.set()
    await asyncio.gather(*busy, health)
    # and only the admitted requests were served
    assert sorted(inner.served) == ["/api/v1/health/live/", "/api/v1/reports/", "/api/v1/reports/"]
    assert app.inflight == 0


async def test_capacity_frees_up_when_requests_finish():
    inner = SlowApp()
    inner.release.set()
    app = AdmissionControl(inner, max_inflight=1, retry_after_seconds=2)
    statuses = [(await call(app, "/api/v1/reports/"))[0]["status"] for _ in range(3)]
    assert statuses == [201, 201, 201]


async def test_vietnamese_first():
    inner = SlowApp()
    app = AdmissionControl(inner, max_inflight=1, retry_after_seconds=2)
    busy = asyncio.create_task(call(app, "/api/v1/reports/"))
    await asyncio.sleep(0.01)
    _, body = await call(app, "/api/v1/reports/")
    assert json.loads(body["body"])["error"]["message"] == "Hệ thống đang quá tải, vui lòng thử lại sau vài giây."
    inner.release.set()
    await busy
