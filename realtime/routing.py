"""Websocket URLs (the contract in DESIGN.md): one per stream kind in realtime/streams.py."""

from __future__ import annotations

from typing import Any

from channels.routing import URLRouter
from django.urls import path

from realtime.consumers import StreamConsumer
from realtime.middleware import OriginCheck
from realtime.streams import KINDS


def websocket_urlpatterns(consumer: type[StreamConsumer] = StreamConsumer) -> list[Any]:
    return [path(kind.route, consumer.as_asgi(kind=kind), name=f"ws-{kind.name}") for kind in KINDS.values()]


def websocket_application(consumer: type[StreamConsumer] = StreamConsumer) -> Any:
    """The websocket side of the ASGI application (`consumer` lets the benchmark add its baseline).

    No channels session/auth middleware: it would load the user of every socket on a worker thread
    and wrap every frame sent; the consumer reads the session cookie itself, only when it has no token.
    """
    return OriginCheck(URLRouter(websocket_urlpatterns(consumer)))
