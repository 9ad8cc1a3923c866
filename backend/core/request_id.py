"""One id per request: on every log line of that request (``request_id``) and in the X-Request-ID header.

The proxy sets X-Request-ID (nginx's ``$request_id``), so its access log and ours share the id; a
request that reaches a server directly gets a fresh one. The id lives in a context variable, which
asgiref copies into the thread a sync view runs in, so logs written anywhere below the view carry it.

The same middleware writes one access line per request: method, route pattern, path, status and
duration. Never the query string, the body or the user: they may hold phone numbers or positions.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # anything else from outside is replaced, not logged

access_log = logging.getLogger("backend.access")


def current_request_id() -> str:
    return REQUEST_ID.get()


# The id is set and deliberately not reset: Django logs a 4xx/5xx response ("Not Found: /x") after the
# middleware chain has returned, and that line must carry it too. Under ASGI each request is a task
# with its own context, so nothing leaks; a WSGI thread's next request sets its own id first.


def _request_id_for(request: HttpRequest) -> str:
    incoming = request.headers.get(HEADER, "")
    return incoming if _ACCEPTED.match(incoming) else uuid.uuid4().hex


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered (bounded: ids are not in it), or <unmatched>."""
    match = getattr(request, "resolver_match", None)
    return str(match.route) if match is not None and match.route else "<unmatched>"


def _log_access(request: HttpRequest, response: HttpResponse, started: float) -> None:
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "route": route_of(request),
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )


@sync_and_async_middleware
def request_id_middleware(get_response: Callable[[HttpRequest], Any]) -> Callable[[HttpRequest], Any]:
    # Sync and async: under ASGI a sync-only middleware costs a thread hop per request.
    if iscoroutinefunction(get_response):
        async_get_response: Callable[[HttpRequest], Awaitable[HttpResponse]] = get_response

        async def async_middleware(request: HttpRequest) -> HttpResponse:
            started = time.perf_counter()
            REQUEST_ID.set(_request_id_for(request))
            response = await async_get_response(request)
            response[HEADER] = REQUEST_ID.get()
            _log_access(request, response, started)
            return response

        return async_middleware

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        REQUEST_ID.set(_request_id_for(request))
        response: HttpResponse = get_response(request)
        response[HEADER] = REQUEST_ID.get()
        _log_access(request, response, started)
        return response

    return middleware


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True
