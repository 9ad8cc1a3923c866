"""Publishing events to dashboards, only once the change they describe is committed.

Mirrors zulip's send_event_on_commit: a rolled-back transaction never shows up on a screen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger("realtime")


def _send(groups: tuple[str, ...], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group in groups:
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:  # a dashboard push must never fail the citizen's request
            logger.exception("could not publish %s to %s", message.get("type"), group)


def publish_on_commit(groups: Iterable[str], message: dict[str, Any]) -> None:
    frozen = tuple(groups)
    transaction.on_commit(lambda: _send(frozen, message))
