"""The channel layers realtime runs on: channels' own, minus what made a fan-out cost O(sockets^2).

In memory (the embedded default), `FanoutInMemoryChannelLayer`: channels' InMemoryChannelLayer sweeps every channel and every group membership for expired
messages on every `receive` and every `group_send`. One event to N sockets is N receives, so a
fan-out cost O(N^2): profiled at 1,000 sockets, the sweep was the largest cost of delivering one
event (and the reason the last socket heard of it about a second late). It also starts a task per
member in `group_send` and deep-copies the message for each.

Here the sweep runs at most once per `clean_interval` (expired messages are still dropped and their
channels still leave their groups, a little later), `group_send` puts the message straight into each
member's queue, and members share one shallow copy of it: consumers must not mutate a message in
place (realtime's do not). Everything else, capacity included, is channels' own.

On Redis (production), `FanoutRedisChannelLayer`: see its docstring.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, cast

from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer

logger = logging.getLogger("realtime")


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


class FanoutRedisChannelLayer(RedisChannelLayer):
    """channels-redis' layer with one receiving task per process instead of a lock race per socket.

    In channels-redis every local `receive()` races for one asyncio.Lock: with N sockets waiting,
    each message makes N tasks that are created, awaited with `asyncio.wait` and cancelled, and
    asyncio.Lock looks through all its waiters on every acquire, so one fan-out costs O(N^2)
    (profiled at 1,000 sockets: the pumps' receive and Lock.acquire were the largest costs). Here one
    task per event loop pulls the process's messages from Redis (channels-redis' own
    `receive_single`, backups and all) and puts each into the buffers of the sockets it is for; a
    socket's `receive()` waits on its own buffer. The task stops when the last local socket leaves.
    Messages for other (non-local) channels are received as channels-redis does.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pumps: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}

    async def receive(self, channel: str) -> dict[str, Any]:
        if "!" not in channel:
            return cast(dict[str, Any], await super().receive(channel))
        assert self.require_valid_channel_name(channel)
        real_channel = self.non_local_name(channel)
        assert real_channel.endswith(self.client_prefix + "!"), "Wrong client prefix"
        loop = asyncio.get_running_loop()
        pump = self._pumps.get(loop)
        if pump is None or pump.done():
            for closed in [other for other in self._pumps if other.is_closed()]:
                del self._pumps[closed]  # (tests run one event loop after another)
            self._pumps[loop] = loop.create_task(self._pump(real_channel))
        # The buffer lives as long as its socket receives: created here, dropped when it stops.
        buffer = self.receive_buffer[channel]
        try:
            return cast(dict[str, Any], await buffer.get())
        except BaseException:
            self.receive_buffer.pop(channel, None)
            if not self.receive_buffer and (task := self._pumps.pop(loop, None)) is not None:
                task.cancel()
            raise

    async def _pump(self, real_channel: str) -> None:
        while True:
            try:
                message_channel, message = await self.receive_single(real_channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep trying, realtime repairs the gap from its log
                logger.exception("receiving from Redis failed; retrying")
                await asyncio.sleep(1)
                continue
            for name in message_channel if isinstance(message_channel, list) else [message_channel]:
                buffer = self.receive_buffer.get(name)
                if buffer is not None:  # None: that socket has gone
                    buffer.put_nowait(message)
