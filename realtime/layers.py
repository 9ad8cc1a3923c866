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
import weakref
from typing import Any, cast

from channels.layers import InMemoryChannelLayer
from channels_redis.core import BoundedQueue, RedisChannelLayer

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
    """channels-redis' layer with one receiving task per event loop instead of a lock race per socket.

    In channels-redis every local `receive()` races for one asyncio.Lock: with N sockets waiting,
    each message makes N pairs of tasks that are created, awaited with `asyncio.wait` and cancelled,
    and `asyncio.Lock` looks through all its waiters on every acquire, so one fan-out costs O(N^2)
    (profiled at 1,000 sockets: those receives were the largest cost, and a Redis fan-out cost twice
    the in-memory one). Here one `_Pump` per event loop pulls the process's messages from Redis
    (channels-redis' own `receive_single`: same keys, same backup queue, same group_send) and puts
    each into the buffers of the local channels it is for; a `receive()` waits on its own buffer.

    Lifetime: a local channel is open from `new_channel()` (or its first `receive()`) until a
    `receive()` on it ends in an exception (its consumer was cancelled: the socket closed or the
    server stops), which drops its buffer. The pump runs while some channel is open and a receive has
    asked for it, and is cancelled when the last channel closes or the loop shuts down; it treats any
    error raised while it is being cancelled as the cancellation (redis-py may turn a cancelled read
    into a connection error), so it can never be left retrying on a stopping loop. A cancellation
    can also be lost on the way (see `_PumpTask`): the pump's task repeats it until it ends.
    Non-local channels (`name` without `!`) are received as channels-redis does.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per event loop, per real channel ("specific.<client prefix>!": one Redis key per prefix)
        self._pumps: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Pump]] = (
            weakref.WeakKeyDictionary())

    def _pump(self, channel: str) -> _Pump:
        real_channel = self.non_local_name(channel)
        assert real_channel.endswith(self.client_prefix + "!"), "Wrong client prefix"
        loop = asyncio.get_running_loop()
        pumps = self._pumps.get(loop)
        if pumps is None:
            pumps = self._pumps[loop] = {}
        pump = pumps.get(real_channel)
        if pump is None:
            pump = pumps[real_channel] = _Pump(self, real_channel)
        return pump

    async def new_channel(self, prefix: str = "specific") -> str:
        channel = str(await super().new_channel(prefix))
        self._pump(channel).open(channel)
        return channel

    async def receive(self, channel: str) -> dict[str, Any]:
        if "!" not in channel:
            return cast(dict[str, Any], await super().receive(channel))
        assert self.require_valid_channel_name(channel)
        pump = self._pump(channel)
        buffer = pump.open(channel)
        if not buffer.empty():
            return cast(dict[str, Any], buffer.get_nowait())
        self._start(pump)
        try:
            return cast(dict[str, Any], await buffer.get())
        except BaseException:
            pump.close(channel)  # its consumer is gone: nothing more is kept for it
            raise

    def _start(self, pump: _Pump) -> None:
        # Two running loops would pop each other's messages off the one Redis key of this process:
        # refuse, as channels-redis does. The pumps of a loop that has stopped (a short-lived loop of
        # async_to_sync that received once) are dropped instead: they must not block this one.
        if not pump.running:
            loop = asyncio.get_running_loop()
            for other_loop, pumps in list(self._pumps.items()):
                if other_loop is loop or not any(other.running for other in pumps.values()):
                    continue
                if other_loop.is_running():
                    raise RuntimeError("Two event loops are trying to receive() on one channel layer at once!")
                for other in pumps.values():
                    other.stop()
                del self._pumps[other_loop]
        pump.start()

    async def flush(self) -> None:
        loop = asyncio.get_running_loop()
        stopping = []
        for pumps_loop, pumps in list(self._pumps.items()):
            for pump in pumps.values():
                task = pump.stop()
                if task is not None and pumps_loop is loop:
                    stopping.append(task)
        self._pumps.clear()
        if stopping:  # (before the pools they read from are closed)
            await asyncio.wait(stopping)
        await super().flush()


class _Pump:
    """The one task of an event loop that receives from Redis for all of that loop's local channels."""

    def __init__(self, layer: FanoutRedisChannelLayer, real_channel: str) -> None:
        self.layer = layer
        self.real_channel = real_channel
        self.buffers: dict[str, BoundedQueue] = {}
        self.task: asyncio.Task[None] | None = None

    def open(self, channel: str) -> BoundedQueue:
        buffer = self.buffers.get(channel)
        if buffer is None:
            buffer = self.buffers[channel] = BoundedQueue(self.layer.capacity)
        return buffer

    def close(self, channel: str) -> None:
        self.buffers.pop(channel, None)
        if not self.buffers:
            self.stop()

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self) -> None:
        if not self.running:
            self.task = _PumpTask(self._run(), loop=asyncio.get_running_loop(), name="realtime-redis-receive")
            self.task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        if self.task is task:  # (drop the reference: a finished task keeps its loop alive)
            self.task = None
        if not task.cancelled() and task.exception() is not None:
            logger.error("the Redis receiver stopped", exc_info=task.exception())

    def stop(self) -> asyncio.Task[None] | None:
        """Cancel the task; returns it if it was still running (it ends soon after, not at once)."""
        task, self.task = self.task, None
        if task is None or task.done():
            return None
        task.cancel()
        return task

    async def _run(self) -> None:
        me = asyncio.current_task()
        assert me is not None
        while True:
            try:
                message_channel, message = await self.layer.receive_single(self.real_channel)
            except Exception:
                if me.cancelling():  # a cancelled read that redis-py reported as an error
                    raise asyncio.CancelledError() from None
                # Redis went away: retry (channels-redis' backup queue keeps what was in flight;
                # realtime repairs anything lost from its log).
                logger.exception("receiving from Redis failed; retrying in 1 s")
                await asyncio.sleep(1)
                continue
            names = message_channel if isinstance(message_channel, list) else [message_channel]
            for name in names:
                buffer = self.buffers.get(name)
                if buffer is not None:  # None: that channel's consumer has gone
                    buffer.put_nowait(message)  # BoundedQueue: a full one drops its oldest, as channels-redis


class _PumpTask(asyncio.Task[None]):
    """The pump's task: once cancelled, it is cancelled again every `RETRY` seconds until it ends.

    A cancellation can be lost inside redis-py: with a socket timeout set, redis-py writes every
    command under `asyncio.wait_for`, and Python 3.11's `wait_for` returns the write's result,
    dropping the cancellation, when the two happen in the same turn of the loop. The task then stays
    "cancelling" but carries on: channels-redis' `receive_single` issues its 5 s BZPOPMIN again and
    again until a message comes, so an event loop's shutdown (which cancels each task once and waits
    for all of them) never ended. Seen in the realtime suite on Redis, where a socket refused at once
    cancels the pump while it is still opening its connection; `tests/realtime/test_redis_layer.py`
    reproduces it. Cancelling again reaches the task in its next await (the read), where it is not
    lost; this covers every canceller (the layer itself, `asyncio.run`, uvicorn's shutdown).
    """

    RETRY = 0.05  # (a delivered cancellation unwinds well within it: the retry rarely interrupts that)

    def cancel(self, msg: Any = None) -> bool:
        cancelled = super().cancel(msg)
        # (not on a closed loop: a stopped loop's pump is dropped from another loop's thread)
        if not self.done() and not self.get_loop().is_closed():
            self.get_loop().call_later(self.RETRY, self._cancel_again)
        return cancelled

    def _cancel_again(self) -> None:
        if not self.done():
            self.cancel()
