"""Content-Security-Policy on every response: the staff pages (dashboard, agency board, admin, API
docs) run only the scripts this server ships.

The pages load no CDN and no tile server and keep their scripts in static files, so the policy can
be strict: no inline script, no eval, no plugins, no framing, forms post only here. Photos may come
from the object storage's origin (signed S3 URLs) besides this server. A response that already
carries a policy keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} and parts.netloc else None


def build_policy() -> str:
    images = ["'self'", "data:", "blob:"]
    for url in (settings.MEDIA_URL, getattr(settings, "CSP_MEDIA_ORIGIN", "")):
        origin = _origin(url or "")
        if origin and origin not in images:
            images.append(origin)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        # 'self' covers the dashboards' same-origin websocket (ws:/wss:) in current browsers.
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


@sync_and_async_middleware
def content_security_policy_middleware(get_response: Callable[[HttpRequest], Any]) -> Callable[[HttpRequest], Any]:
    # Both flavours, so that under ASGI this layer adds no thread hop (see settings.MIDDLEWARE).
    policy = build_policy()

    def stamp(response: HttpResponse) -> HttpResponse:
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response

    if iscoroutinefunction(get_response):

        async def async_middleware(request: HttpRequest) -> HttpResponse:
            return stamp(await get_response(request))

        return async_middleware

    def middleware(request: HttpRequest) -> HttpResponse:
        return stamp(get_response(request))

    return middleware
