"""Admission control: past its capacity a server says so at once instead of queueing without end.

An ASGI wrapper counting the HTTP requests in progress in this process. Beyond ADMISSION_MAX_INFLIGHT
it answers 503 with Retry-After before reading the request body, so nothing was done and nothing is
lost: the app retries with the same Idempotency-Key and gets the one report. Health and metrics are
never refused (an orchestrator must see a busy server as alive). Websockets are not counted here.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import Counter

from backend.core.messages import MESSAGES

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]], Awaitable[None]]

REFUSED = Counter("hue_http_requests_refused_total", "HTTP requests refused at capacity (503)")
EXEMPT_PREFIXES = ("/api/v1/health/", "/metrics")


def _english(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            return value.decode("latin-1").strip().lower().startswith("en")
    return False


class AdmissionControl:
    def __init__(self, app: ASGIApp, *, max_inflight: int, retry_after_seconds: int) -> None:
        self.app = app
        self.max_inflight = max_inflight
        self.retry_after = str(retry_after_seconds)
        self.inflight = 0  # one event loop per process: no lock needed

    async def __call__(self, scope: Scope, receive: Callable[..., Awaitable[Any]], send: Callable[..., Awaitable[Any]]) -> None:
        if (scope["type"] != "http" or self.max_inflight <= 0
                or scope.get("path", "").startswith(EXEMPT_PREFIXES)):
            await self.app(scope, receive, send)
            return
        if self.inflight >= self.max_inflight:
            REFUSED.inc()
            await self._refuse(scope, send)
            return
        self.inflight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.inflight -= 1

    async def _refuse(self, scope: Scope, send: Callable[..., Awaitable[Any]]) -> None:
        entry = MESSAGES["overloaded"]
        body = json.dumps(
            {"error": {"code": "overloaded", "message": entry.en if _english(scope) else entry.vi, "fields": {}}},
            ensure_ascii=False,
        ).encode()
        await send({
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"application/json"), (b"retry-after", self.retry_after.encode()),
                        (b"content-length", str(len(body)).encode()), (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": body})
