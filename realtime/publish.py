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

from realtime import streams, wire

if TYPE_CHECKING:
    from realtime.streams import EventRow, Message, Stream

logger = logging.getLogger("realtime")

EVENT_MESSAGE = "rt.event"


def deliveries(
    seq: int, heard: list[tuple[Stream, Message]], prevs: dict[Stream, int | None] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """(group, channel-layer message) for every stream that hears of event `seq`.

    `heard` is `streams.audiences(row)`. `prev` (the stream's previous seq) rides in the envelope,
    not in the client's text: consumers use it to notice a message the channel layer dropped.
    """
    prevs = prevs or {}
    return [
        (streams.group_of(stream), {"type": EVENT_MESSAGE, "seq": seq, "prev": prevs.get(stream), "text": wire.dumps(message)})
        for stream, message in heard
    ]


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


def publish_event_on_commit(
    row: EventRow, heard: list[tuple[Stream, Message]], prevs: dict[Stream, int | None] | None = None
) -> None:
    seq = row.id
    # Serialised once committed, not inside the transaction (where SQLite's write lock, or on
    # PostgreSQL the event lock, is held): a rolled-back change never needed the text.
    transaction.on_commit(lambda: _publish(seq, heard, prevs))


def _publish(seq: int, heard: list[tuple[Stream, Message]], prevs: dict[Stream, int | None] | None) -> None:
    try:
        items = tuple(deliveries(seq, heard, prevs))
    except Exception:  # the change is committed: a push that cannot be built must not fail its request
        logger.exception("could not publish seq %s", seq)
        return
    _send(items)
