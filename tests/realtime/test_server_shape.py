"""What makes a fan-out cheap (docs/realtime.md, "Live delivery"): no thread round trip per message,
one kept database connection, an in-memory layer without per-message sweeps, no per-socket
compression, a garbage collector that leaves the loaded application alone."""

from __future__ import annotations

import asyncio
import gc

import pytest

from realtime.layers import FanoutInMemoryChannelLayer
from tests.realtime.conftest import adb, connect, events_only, make_report, receive

# --- the in-memory layer --------------------------------------------------------------------------


async def test_group_send_gives_each_member_the_message_once():
    layer = FanoutInMemoryChannelLayer()
    a, b, outsider = [await layer.new_channel() for _ in range(3)]
    await layer.group_add("ops", a)
    await layer.group_add("ops", b)
    await layer.group_send("ops", {"type": "rt.event", "seq": 7, "text": "x"})
    assert await layer.receive(a) == {"type": "rt.event", "seq": 7, "text": "x"}
    assert await layer.receive(b) == {"type": "rt.event", "seq": 7, "text": "x"}
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(outsider), 0.05)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(a), 0.05)


async def test_a_full_member_misses_the_message_and_the_others_get_it():
    layer = FanoutInMemoryChannelLayer(capacity=1)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    for channel in (slow, fast):
        await layer.group_add("ops", channel)
    await layer.group_send("ops", {"type": "rt.event", "seq": 1})
    assert await layer.receive(fast) == {"type": "rt.event", "seq": 1}
    await layer.group_send("ops", {"type": "rt.event", "seq": 2})
    assert await layer.receive(fast) == {"type": "rt.event", "seq": 2}
    assert await layer.receive(slow) == {"type": "rt.event", "seq": 1}  # seq 2 was dropped for it
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(slow), 0.05)


async def test_expired_messages_are_still_swept_and_their_channel_leaves_its_groups():
    layer = FanoutInMemoryChannelLayer(expiry=0, clean_interval=0)
    gone, alive = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("ops", gone)
    await layer.group_send("ops", {"type": "rt.event", "seq": 1})
    await asyncio.sleep(0.01)
    await layer.group_add("ops", alive)
    await layer.group_send("ops", {"type": "rt.event", "seq": 2})  # sweeps first: `gone` expired
    assert set(layer.groups["ops"]) == {alive}


def test_both_configurations_use_realtimes_fanout_layers(settings):
    import os

    expected = "realtime.layers.FanoutRedisChannelLayer" if os.environ.get("REDIS_URL") else (
        "realtime.layers.FanoutInMemoryChannelLayer")
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == expected


# --- no thread round trip per message; one kept connection ----------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_a_live_event_reaches_the_socket_without_a_database_round_trip(app, people, monkeypatch):
    import channels.consumer

    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    hops = []
    original = channels.consumer.aclose_old_connections

    async def counted():
        hops.append(1)
        await original()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted)
    await adb(make_report)(users["citizen"])
    assert len(await events_only(comm, 1)) == 1
    assert hops == []
    await comm.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_sockets_share_one_kept_connection_closed_when_the_last_one_leaves(app, people):
    from django.db import connection

    from realtime import db

    _, tokens = people
    first, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    second, _ = await connect(app, "/ws/alerts/", token=tokens["operator"])
    await receive(first), await receive(second)

    def current():
        return None if connection.connection is None else id(connection.connection)

    opened = await db.call(current)
    assert opened is not None
    await first.disconnect()
    assert await db.call(current) == opened  # one socket left: kept
    await second.disconnect()
    assert await db.call(current) is None  # none left: closed (a test database can be dropped)


# --- the server process ---------------------------------------------------------------------------


def test_tune_gc_freezes_the_loaded_application_and_raises_the_young_threshold(settings):
    from realtime.process import tune_gc

    before = gc.get_threshold()
    settings.REALTIME_GC_THRESHOLD = 10_000
    try:
        tune_gc()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (10_000, before[1], before[2])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_tune_gc_can_be_turned_off(settings):
    from realtime.process import tune_gc

    before = gc.get_threshold()
    settings.REALTIME_GC_THRESHOLD = 0
    tune_gc()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_serve_runs_uvicorn_without_per_message_compression(monkeypatch, settings):
    from io import StringIO

    import uvicorn
    from django.core.management import call_command

    settings.PERIODIC_IN_PROCESS = False
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    call_command("serve", stdout=StringIO())
    assert calls[0]["ws_per_message_deflate"] is False


async def test_sockets_asking_at_once_share_one_read_of_the_log_head_and_later_ones_get_a_new_read(monkeypatch):
    import threading

    from realtime import consumers, log

    reads: list[int] = []
    release = threading.Event()

    def head() -> int:
        reads.append(1)
        if len(reads) == 1:
            release.wait(5)  # the first read is in flight while more sockets ask
        return 100 + len(reads)

    monkeypatch.setattr(log, "head", head)
    # when 20 sockets ask at once, then 5 more while that read runs
    first = [asyncio.create_task(consumers._read_head()) for _ in range(20)]
    while not reads:
        await asyncio.sleep(0.01)
    later = [asyncio.create_task(consumers._read_head()) for _ in range(5)]
    await asyncio.sleep(0.05)
    release.set()
    # then the 20 share the first read, the 5 (who asked after it started) share a second one
    assert await asyncio.gather(*first) == [101] * 20
    assert await asyncio.gather(*later) == [102] * 5
    assert len(reads) == 2
