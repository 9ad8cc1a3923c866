"""Websocket URLs (the contract in DESIGN.md) and the websocket side of the ASGI application."""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from django.urls import path

from realtime import consumers
from realtime.middleware import OriginCheck

websocket_urlpatterns = [
    path("ws/ops/", consumers.OpsConsumer.as_asgi()),
    path("ws/agency/", consumers.AgencyConsumer.as_asgi()),
    path("ws/reports/<int:report_id>/", consumers.ReportConsumer.as_asgi()),
    path("ws/alerts/", consumers.AlertsConsumer.as_asgi()),
]


def websocket_application() -> Any:
    return OriginCheck(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
