"""Origin check for websockets, with the rule Django's CSRF check applies to a browser's POST.

Browsers always send Origin; a page elsewhere must not ride an operator's session cookie into
/ws/ops/. Cookies are shared across ports and (without the Secure flag) across http and https of
one host, so the host alone is not enough: a present Origin must equal, in scheme, host and port,
- the socket's own origin (its Host header, which must be in ALLOWED_HOSTS, and http or https as the
  socket is ws or wss; behind a proxy, SECURE_PROXY_SSL_HEADER says so as it does for Django), or
- one of CSRF_TRUSTED_ORIGINS (`https://*.example.com` trusts the subdomains),
or the handshake is refused (HTTP 403). Native clients (the mobile app) send no Origin; they are let
through but may authenticate only with a token: the session is used only when `scope["origin_ok"]`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]


def parse_origin(value: str) -> Origin | None:
    """(scheme, host, port) of an Origin (or trusted origin) value; None if it is not one."""
    try:
        parts = urlsplit(value.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port if port is not None else DEFAULT_PORTS[parts.scheme]


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _is_secure(scope: dict[str, Any]) -> bool:
    if scope.get("scheme") in {"wss", "https"}:
        return True
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy:
        name, expected = proxy
        header = name.removeprefix("HTTP_").lower().replace("_", "-").encode("latin1")
        value = _header(scope, header)
        return value is not None and value.split(",")[0].strip() == expected
    return False


def own_origin(scope: dict[str, Any]) -> Origin | None:
    """The origin of the page that served this socket, from its Host header (if that host is allowed)."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, port = split_domain_port(host.lower())
    allowed = settings.ALLOWED_HOSTS or ([".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    if not domain or not validate_host(domain, allowed):
        return None
    scheme = "https" if _is_secure(scope) else "http"
    return scheme, domain.strip("[]"), int(port) if port else DEFAULT_PORTS[scheme]


def origin_allowed(origin: Origin, scope: dict[str, Any]) -> bool:
    if origin == own_origin(scope):
        return True
    scheme, host, port = origin
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        subdomains = "://*." in trusted
        pattern = parse_origin(trusted.replace("://*.", "://", 1))
        if pattern is None or (pattern[0], pattern[2]) != (scheme, port):
            continue
        if (is_same_domain(host, "." + pattern[1]) if subdomains else host == pattern[1]):
            return True
    return False


class OriginCheck:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        raw = _header(scope, b"origin")
        if raw is None:
            return await self.app({**scope, "origin_ok": False}, receive, send)
        origin = parse_origin(raw)
        if origin is not None and origin_allowed(origin, scope):
            return await self.app({**scope, "origin_ok": True}, receive, send)
        return await WebsocketDenier()(scope, receive, send)
