"""Origin check for websockets.

Browsers always send Origin; a page on another site must not ride an operator's session cookie
into /ws/ops/, so a present Origin must match ALLOWED_HOSTS (as channels'
AllowedHostsOriginValidator does) or the handshake is refused (HTTP 403). Native clients (the mobile
app) send no Origin; they are let through but may authenticate only with a token: the session is
used only when `scope["origin_ok"]` is true.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier


class OriginCheck:
    def __init__(self, app: Any) -> None:
        self.app = app
        # Reuse channels' matching rules (ports, wildcards, DEBUG localhost) without its "no Origin
        # means refuse" policy.
        self.validator = AllowedHostsOriginValidator(app)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        origin = None
        for name, value in scope.get("headers", []):
            if name == b"origin":
                try:
                    origin = urlparse(value.decode("latin1"))
                except UnicodeDecodeError:
                    origin = urlparse("null://invalid")
                break
        if origin is None:
            return await self.app({**scope, "origin_ok": False}, receive, send)
        if self.validator.valid_origin(origin):
            return await self.app({**scope, "origin_ok": True}, receive, send)
        denier = WebsocketDenier()
        return await denier(scope, receive, send)
