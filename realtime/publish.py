"""Publishing events to dashboards, only once the change they describe is committed.

Mirrors zulip's send_event_on_commit: a rolled-back transaction never shows up on a screen. Each
group gets the event already rendered and serialised for its audience, so a consumer forwards the
text as is: fanning one event out to 1,000 sockets costs 1,000 socket writes, not 1,000 json.dumps.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from realtime import groups, wire

if TYPE_CHECKING:
    from realtime.wire import EventRow

logger = logging.getLogger("realtime")

EVENT_MESSAGE = "rt.event"


def deliveries(row: EventRow, prevs: dict[wire.Stream, int | None] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(group, channel-layer message) for every audience that hears of `row`.

    `prev` (the stream's previous seq) rides in the envelope, not in the client's text: consumers use
    it to notice a message the channel layer dropped.
    """
    prevs = prevs or {}
    targets: list[tuple[str, wire.Stream]] = [(groups.OPS, wire.Stream(wire.OPS))]
    if row.alert:
        targets.append((groups.ALERTS, wire.Stream(wire.ALERTS)))
    for agency_id in {row.agency_id, row.previous_agency_id} - {None}:
        assert agency_id is not None
        targets.append((groups.agency(agency_id), wire.Stream(wire.AGENCY, agency_id)))
    targets.append((groups.report(row.report_id), wire.Stream(wire.REPORT, row.report_id)))
    out = []
    for group, stream in targets:
        message = wire.render(row, stream)
        if message is not None:
            out.append(
                (group, {"type": EVENT_MESSAGE, "seq": row.id, "prev": prevs.get(stream), "text": wire.dumps(message)})
            )
    return out


async def _send_all(items: tuple[tuple[str, dict[str, Any]], ...]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in items:
        try:
            await layer.group_send(group, message)
        except Exception:  # a dashboard push must never fail the citizen's request; resume heals it
            logger.exception("could not publish seq %s to %s", message.get("seq"), group)


# The server's event loop, remembered by `remember_server_loop` (backend/asgi.py) on each request.
_server_loop: asyncio.AbstractEventLoop | None = None


def remember_server_loop() -> None:
    global _server_loop
    loop = asyncio.get_running_loop()
    if _server_loop is not loop:
        _server_loop = loop


def _send(items: tuple[tuple[str, dict[str, Any]], ...]) -> None:
    """Hand the messages to the channel layer without making the request wait for the fan-out.

    Inside the ASGI server the sync view runs in a worker thread; `async_to_sync` would block that
    thread (which serves every sync view, one at a time) until the loop has sent to every group.
    Scheduling on the server's loop keeps submission order (the loop runs callbacks FIFO) and lets
    the next request start. Elsewhere (management commands, tests) there is no server loop: wait.
    """
    loop = _server_loop
    try:
        if loop is not None and loop.is_running():
            asyncio.run_coroutine_threadsafe(_send_all(items), loop)
        else:
            async_to_sync(_send_all)(items)
    except Exception:
        logger.exception("could not publish")


def publish_event_on_commit(row: EventRow, prevs: dict[wire.Stream, int | None] | None = None) -> None:
    items = tuple(deliveries(row, prevs))
    transaction.on_commit(lambda: _send(items))
