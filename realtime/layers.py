"""The in-memory channel layer of the embedded default, without its per-message sweeps.

channels' InMemoryChannelLayer sweeps every channel and every group membership for expired
messages on every `receive` and every `group_send`. One event to N sockets is N receives, so a
fan-out cost O(N^2): profiled at 1,000 sockets, the sweep was the largest cost of delivering one
event (and the reason the last socket heard of it about a second late). It also starts a task per
member in `group_send` and deep-copies the message for each.

Here the sweep runs at most once per `clean_interval` (expired messages are still dropped and their
channels still leave their groups, a little later), `group_send` puts the message straight into each
member's queue, and members share one shallow copy of it: consumers must not mutate a message in
place (realtime's do not). Everything else, capacity included, is channels' own.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from channels.layers import InMemoryChannelLayer


class FanoutInMemoryChannelLayer(InMemoryChannelLayer):
    def __init__(self, *args: Any, clean_interval: float = 1.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clean_interval = clean_interval
        self._cleaned_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at < self.clean_interval:
            return
        self._cleaned_at = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        expires = time.time() + self.expiry
        item = (expires, dict(message))
        for channel in list(members):
            queue = self.channels.get(channel)
            if queue is None:
                queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
            # As channels: a full member misses it (realtime repairs the gap from its log).
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(item)
