"""realtime.layers.FanoutRedisChannelLayer: one receiving task per event loop, stopped cleanly.

The pump's own logic is tested without Redis (channels-redis' `receive_single`, the only thing it
reads Redis with, is replaced by a queue); the layer against a real Redis, and a real server with it
stopping promptly, run where REDIS_URL is set (CI's Redis pass, where a missing Redis fails).
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import subprocess
import threading
import uuid
from typing import Any

import pytest

from realtime.layers import FanoutRedisChannelLayer


class _FakeRedis:
    """Stands in for channels-redis' `receive_single`: returns what the test puts, counts the reads,
    and (like redis-py can) reports a cancelled read as a connection error."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[tuple[Any, dict[str, Any]]] = asyncio.Queue()
        self.reads = 0

    async def receive_single(self, channel: str) -> tuple[Any, dict[str, Any]]:
        self.reads += 1
        try:
            return await self.inbox.get()
        except asyncio.CancelledError:
            raise ConnectionError("Connection closed by server.") from None


def _layer() -> tuple[FanoutRedisChannelLayer, _FakeRedis]:
    layer = FanoutRedisChannelLayer(hosts=["redis://127.0.0.1:1/0"])  # never connected to
    fake = _FakeRedis()
    layer.receive_single = fake.receive_single  # type: ignore[method-assign]
    return layer, fake


def _pump_task(layer: FanoutRedisChannelLayer) -> asyncio.Task[None] | None:
    pumps = layer._pumps.get(asyncio.get_running_loop(), {})
    return next((pump.task for pump in pumps.values()), None)


async def test_one_read_reaches_every_local_receiver_once():
    # given 200 local channels waiting on the layer
    layer, fake = _layer()
    channels = [await layer.new_channel() for _ in range(200)]
    receivers = [asyncio.create_task(layer.receive(channel)) for channel in channels]
    await asyncio.sleep(0)
    # when Redis hands over one group message addressed to all of them (channels-redis' local batching)
    message = {"type": "rt.event", "seq": 1, "text": "x"}
    await fake.inbox.put((channels, message))
    got = await asyncio.wait_for(asyncio.gather(*receivers), 10)
    # then every receiver has it once, from a single read (plus the read now waiting for the next)
    assert got == [message] * 200
    assert fake.reads == 2
    # and a message for one channel reaches only that one
    receivers = [asyncio.create_task(layer.receive(channel)) for channel in channels[:2]]
    await fake.inbox.put((channels[1], {"type": "rt.event", "seq": 2}))
    assert await asyncio.wait_for(receivers[1], 10) == {"type": "rt.event", "seq": 2}
    assert not receivers[0].done()
    receivers[0].cancel()
    for channel in channels:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(layer.receive(channel), 0)


async def test_messages_between_two_receives_are_kept_for_the_next():
    layer, fake = _layer()
    channel = await layer.new_channel()
    first = asyncio.create_task(layer.receive(channel))
    await fake.inbox.put(([channel], {"seq": 1}))
    await fake.inbox.put(([channel], {"seq": 2}))
    assert await asyncio.wait_for(first, 10) == {"seq": 1}
    await asyncio.sleep(0.01)  # the pump has read seq 2 while nobody was receiving
    assert await asyncio.wait_for(layer.receive(channel), 10) == {"seq": 2}


async def test_the_pump_stops_when_the_last_receiver_is_cancelled_and_not_before():
    # given two consumers receiving
    layer, fake = _layer()
    a, b = await layer.new_channel(), await layer.new_channel()
    ra, rb = asyncio.create_task(layer.receive(a)), asyncio.create_task(layer.receive(b))
    await asyncio.sleep(0)
    pump = _pump_task(layer)
    assert pump is not None and not pump.done()
    # when the first goes, the pump keeps serving the other
    ra.cancel()
    await asyncio.gather(ra, return_exceptions=True)
    await fake.inbox.put(([a, b], {"seq": 1}))
    assert await asyncio.wait_for(rb, 10) == {"seq": 1}
    assert not pump.done()
    # when the last one goes (its socket closed), the pump stops, even though its read ended in an error
    rb = asyncio.create_task(layer.receive(b))
    await asyncio.sleep(0)
    rb.cancel()
    await asyncio.gather(rb, return_exceptions=True)
    await asyncio.wait({pump}, timeout=10)  # (waits without cancelling it again)
    assert pump.cancelled()
    assert [pump.buffers for pump in layer._pumps[asyncio.get_running_loop()].values()] == [{}]
    # and a later consumer starts a new one
    c = await layer.new_channel()
    rc = asyncio.create_task(layer.receive(c))
    await asyncio.sleep(0)
    assert _pump_task(layer) not in (None, pump)
    await fake.inbox.put(([c], {"seq": 2}))
    assert await asyncio.wait_for(rc, 10) == {"seq": 2}


async def test_a_failed_read_is_retried_and_nothing_after_it_is_lost(monkeypatch):
    layer, fake = _layer()
    channel = await layer.new_channel()
    failures = [ConnectionError("Redis restarting")]
    real = fake.receive_single

    async def flaky(name: str):
        if failures:
            raise failures.pop()
        return await real(name)

    layer.receive_single = flaky  # type: ignore[method-assign]
    sleeps: list[float] = []
    real_sleep = asyncio.sleep

    async def quick_sleep(seconds: float, *args: Any) -> Any:
        sleeps.append(seconds)
        return await real_sleep(0)

    monkeypatch.setattr("realtime.layers.asyncio.sleep", quick_sleep)
    receiver = asyncio.create_task(layer.receive(channel))
    await fake.inbox.put(([channel], {"seq": 1}))
    assert await asyncio.wait_for(receiver, 10) == {"seq": 1}
    assert sleeps == [1]


def test_a_loop_with_receivers_still_waiting_shuts_down_without_hanging():
    """asyncio.run cancels what is left once: the pump must stop even though the cancelled read
    surfaces as a ConnectionError (the reverted first version retried it forever: the loop hung)."""
    finished = threading.Event()
    seen: dict[str, Any] = {}

    async def main() -> None:
        layer, _ = _layer()
        channels = [await layer.new_channel() for _ in range(20)]
        for channel in channels:
            asyncio.create_task(layer.receive(channel))  # never cancelled by us: the loop's shutdown does it
        await asyncio.sleep(0.01)
        seen["pump"] = _pump_task(layer)

    def run() -> None:
        asyncio.run(main())
        finished.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    assert finished.is_set(), "the event loop did not shut down: the pump ignored its cancellation"
    assert seen["pump"] is not None and seen["pump"].cancelled()


class _SwallowingRedis(_FakeRedis):
    """As redis-py on Python 3.11 can: the first cancellation is lost (asyncio.wait_for returns a write
    that completed in the same turn), and the read goes on as if nothing had happened."""

    def __init__(self) -> None:
        super().__init__()
        self.swallowed = 0

    async def receive_single(self, channel: str) -> tuple[Any, dict[str, Any]]:
        if not self.swallowed:
            try:
                await asyncio.Event().wait()  # the write
            except asyncio.CancelledError:
                self.swallowed += 1
        return await super().receive_single(channel)


def _run_in_thread(main: Any, timeout: float) -> bool:
    """True if `asyncio.run(main())` returned within `timeout` (its shutdown cancels what is left)."""
    finished = threading.Event()
    thread = threading.Thread(target=lambda: (asyncio.run(main()), finished.set()), daemon=True)
    thread.start()
    thread.join(timeout)
    return finished.is_set()


def test_a_cancellation_lost_inside_redis_py_is_repeated_until_the_pump_stops():
    seen: dict[str, Any] = {}

    async def stopped_by_its_last_receiver() -> None:
        # given a pump whose first cancellation is lost in a write
        layer, fake = _layer()
        fake = _SwallowingRedis()
        layer.receive_single = fake.receive_single  # type: ignore[method-assign]
        receiver = asyncio.create_task(layer.receive(await layer.new_channel()))
        await asyncio.sleep(0)
        pump = _pump_task(layer)
        # when its last receiver goes
        receiver.cancel()
        await asyncio.gather(receiver, return_exceptions=True)
        # then it stops all the same (waiting without cancelling it ourselves)
        await asyncio.wait({pump}, timeout=5)
        seen.update(swallowed=fake.swallowed, cancelled=pump.cancelled())

    async def left_to_the_loops_shutdown() -> None:
        layer, _ = _layer()
        fake = _SwallowingRedis()
        layer.receive_single = fake.receive_single  # type: ignore[method-assign]
        asyncio.create_task(layer.receive(await layer.new_channel()))
        await asyncio.sleep(0.01)
        seen["shutdown"] = fake

    assert _run_in_thread(stopped_by_its_last_receiver, 30)
    assert seen["swallowed"] == 1 and seen["cancelled"] is True
    assert _run_in_thread(left_to_the_loops_shutdown, 30), "asyncio.run's shutdown hung on the pump"
    assert seen["shutdown"].swallowed == 1


async def test_a_second_event_loop_may_not_receive_while_the_first_does():
    # (both would pop the process's messages off the same Redis key: each would lose the other's)
    layer, fake = _layer()
    channel = await layer.new_channel()
    receiver = asyncio.create_task(layer.receive(channel))
    await asyncio.sleep(0)
    errors: list[BaseException] = []

    async def other_loop() -> None:
        try:
            await asyncio.wait_for(layer.receive(await layer.new_channel()), 1)
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=lambda: asyncio.run(other_loop()))
    thread.start()
    thread.join(30)
    assert [type(error) for error in errors] == [RuntimeError]
    await fake.inbox.put(([channel], {"seq": 1}))
    assert await asyncio.wait_for(receiver, 10) == {"seq": 1}


# --- against a real Redis ----------------------------------------------------------------------------


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    required = os.environ.get("CI") == "true" and "redis" in os.environ.get("CI_SERVICES", "")
    if not url:
        if required:
            pytest.fail("CI_SERVICES names redis but REDIS_URL is not set")
        pytest.skip("needs REDIS_URL (CI's Redis pass)")
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=5).ping()
    except Exception as failure:  # configured but down: fail, never skip
        pytest.fail(f"Redis unreachable at {url}: {failure}")
    return url


async def test_on_redis_a_group_message_reaches_each_of_many_local_receivers_once():
    url = _redis_url()
    hosts = [{"address": url, "socket_timeout": 30}]  # as settings.py: above channels-redis' 5 s BZPOPMIN
    layer = FanoutRedisChannelLayer(hosts=hosts, prefix=f"test{uuid.uuid4().hex[:8]}")
    sender = FanoutRedisChannelLayer(hosts=hosts, prefix=layer.prefix)  # another process's layer
    group = "ops"
    channels = [await layer.new_channel() for _ in range(100)]
    for channel in channels:
        await layer.group_add(group, channel)
    reads: list[Any] = []
    read = layer.receive_single

    async def counted(channel: str) -> Any:
        got = await read(channel)
        reads.append(got[0])
        return got

    layer.receive_single = counted  # type: ignore[method-assign]
    try:
        for seq in (1, 2, 3):
            receivers = [asyncio.create_task(layer.receive(channel)) for channel in channels]
            await sender.group_send(group, {"type": "rt.event", "seq": seq, "text": "x"})
            got = await asyncio.wait_for(asyncio.gather(*receivers), 20)
            assert got == [{"type": "rt.event", "seq": seq, "text": "x"}] * 100
        # and each of those reached all 100 in one Redis read naming them all
        assert [sorted(names) for names in reads] == [sorted(channels)] * 3
        # a direct send to one channel reaches that one only
        receivers = [asyncio.create_task(layer.receive(channel)) for channel in channels[:2]]
        await sender.send(channels[0], {"type": "rt.event", "seq": 4})
        assert await asyncio.wait_for(receivers[0], 20) == {"type": "rt.event", "seq": 4}
        await asyncio.sleep(0.05)
        assert not receivers[1].done()
        # when every socket goes (their receives are cancelled while the pump waits in BZPOPMIN)
        receivers = [receivers[1], *(asyncio.create_task(layer.receive(channel)) for channel in channels[:1] + channels[2:])]
        await asyncio.sleep(0.05)
        pump = _pump_task(layer)
        assert pump is not None and not pump.done()
        for receiver in receivers:
            receiver.cancel()
        await asyncio.gather(*receivers, return_exceptions=True)
        # then the pump stops (its read cancelled), and a later message is still delivered by a new one
        await asyncio.wait({pump}, timeout=10)
        assert pump.cancelled()
        receiver = asyncio.create_task(layer.receive(channels[0]))
        await sender.send(channels[0], {"type": "rt.event", "seq": 5})
        assert await asyncio.wait_for(receiver, 20) == {"type": "rt.event", "seq": 5}
    finally:
        for channel in channels:
            await layer.group_discard(group, channel)
        await layer.flush()
        await sender.close_pools()


def test_on_redis_a_cancellation_arriving_as_a_write_completes_still_stops_the_pump(monkeypatch):
    """The realtime suite on Redis hung at an event loop's shutdown: a socket refused at once cancels
    the pump while it is still opening its connection, and Python 3.11's wait_for, under which redis-py
    writes, drops a cancellation that arrives in the turn its write completes. Here the cancellation
    is made to arrive in exactly that turn (it otherwise falls there about once in 40 tries)."""
    url = _redis_url()
    from redis.asyncio.connection import AbstractConnection

    hosts = [{"address": url, "socket_timeout": 30}]  # as settings.py (redis-py writes under wait_for)
    cancel_on_write: dict[str, asyncio.Task[None]] = {}
    write = AbstractConnection._send_packed_command

    async def write_then_cancel(self: Any, command: Any) -> None:
        await write(self, command)
        task = cancel_on_write.pop("pump", None)
        if task is not None:
            task.cancel()  # as `_Pump.stop` does, in the same turn as the write completes

    monkeypatch.setattr(AbstractConnection, "_send_packed_command", write_then_cancel)
    seen: dict[str, Any] = {}

    async def main() -> None:
        # given a consumer receiving, whose pump is cancelled as its first Redis write completes
        layer = FanoutRedisChannelLayer(hosts=hosts, prefix=f"test{uuid.uuid4().hex[:8]}")
        receiver = asyncio.create_task(layer.receive(await layer.new_channel()))
        await asyncio.sleep(0)
        pump = _pump_task(layer)
        assert pump is not None
        cancel_on_write["pump"] = pump
        # then the pump ends (waiting without cancelling it again ourselves)
        await asyncio.wait({pump}, timeout=5)
        seen["cancelled"] = pump.cancelled()
        receiver.cancel()
        await asyncio.gather(receiver, return_exceptions=True)

    # and its event loop shuts down
    assert _run_in_thread(main, 20), "the event loop's shutdown hung on the pump"
    assert "pump" not in cancel_on_write  # (the cancellation did arrive with a write)
    assert seen == {"cancelled": True}


def test_a_server_on_the_redis_layer_delivers_then_stops_promptly(tmp_path):
    """A real uvicorn with 50 sockets receiving through the layer: they hear an event sent from
    another process, then SIGTERM stops the server (no pump left hanging on the loop's shutdown)."""
    url = _redis_url()
    from channels_redis.core import RedisChannelLayer
    from websockets.asyncio.client import connect

    from tests.bench._server import ROOT, base_env, free_port, prepare, server_command, wait_healthy

    # (tests/bench/settings.py: this layer, whichever settings.py names for production)
    env = base_env(str(tmp_path), {"REDIS_URL": url, "BENCH_REDIS_LAYER": "realtime.layers.FanoutRedisChannelLayer"})
    prepare(env)
    port = free_port()
    proc = subprocess.Popen(server_command("uvicorn", port, 1), env=env, cwd=ROOT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        text = json.dumps({"seq": 10**9, "type": "alert.published", "data": {"id": 1}})

        async def clients() -> tuple[list[Any], int]:
            # given 50 sockets on the server, receiving through its Redis layer
            sockets = [await connect(f"ws://127.0.0.1:{port}/ws/alerts/") for _ in range(50)]
            hellos = [json.loads(await asyncio.wait_for(socket.recv(), 20)) for socket in sockets]
            assert {hello["type"] for hello in hellos} == {"hello"}
            # when another process publishes to their group
            sender = RedisChannelLayer(hosts=[url])
            await sender.group_send("alerts.0", {"type": "rt.event", "seq": 10**9, "prev": None, "text": text})
            got = [json.loads(await asyncio.wait_for(socket.recv(), 20)) for socket in sockets]
            await sender.close_pools()
            # and then the server is told to stop with the sockets still open (its pump waiting on Redis)
            proc.terminate()
            # it exits by itself (wait raises TimeoutExpired if the loop's shutdown hangs)
            code = await asyncio.get_running_loop().run_in_executor(None, functools.partial(proc.wait, timeout=30))
            for socket in sockets:
                await socket.close()
            return got, code

        got, code = asyncio.run(clients())
        # then every socket heard the event once, and the server stopped gracefully (uvicorn re-raises
        # the SIGTERM it handled once it has shut down)
        assert got == [json.loads(text)] * 50
        assert code in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


async def test_a_stopped_loop_that_received_once_does_not_block_the_server_loop():
    # given a short-lived loop (as async_to_sync's) that received once and stopped without closing
    layer, fake = _layer()
    other = asyncio.new_event_loop()

    async def once() -> dict[str, Any]:
        channel = await layer.new_channel()
        receiver = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0)
        await fake.inbox.put(([channel], {"seq": 0}))  # (the queue binds to no loop until it waits)
        return await receiver

    def run() -> None:
        got.append(other.run_until_complete(once()))

    got: list[dict[str, Any]] = []
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert got == [{"seq": 0}]
    try:
        # when this loop's sockets receive, then they are served (the stopped loop's pump is dropped)
        fake.inbox = asyncio.Queue()
        channel = await layer.new_channel()
        receiver = asyncio.create_task(layer.receive(channel))
        await asyncio.sleep(0)
        await fake.inbox.put(([channel], {"seq": 1}))
        assert await asyncio.wait_for(receiver, 10) == {"seq": 1}
        assert list(layer._pumps) == [asyncio.get_running_loop()]
    finally:
        # (let the stopped loop finish its cancelled pump before closing it)
        closer = threading.Thread(target=lambda: other.run_until_complete(asyncio.sleep(0.01)))
        closer.start()
        closer.join(30)
        other.close()
