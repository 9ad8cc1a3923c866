"""Websocket consumers: who may connect, what each receiver sees, resume, slow clients."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from realtime.consumers import CLOSE_BAD_MESSAGE, CLOSE_FORBIDDEN, CLOSE_TOO_SLOW, CLOSE_UNAUTHENTICATED
from tests.realtime.conftest import (
    adb,
    connect,
    events_only,
    make_report,
    receive,
    receive_until,
    update_report,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


async def assert_closed_with(comm, code: int) -> None:
    """The first thing the client gets is the close frame: no data before it."""
    output = await comm.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": code}


# --- refusals ---------------------------------------------------------------------------------------


async def test_no_credentials_is_closed_4401_after_the_auth_timeout_with_nothing_sent(app, people):
    comm, connected = await connect(app, "/ws/ops/")
    assert connected
    await assert_closed_with(comm, CLOSE_UNAUTHENTICATED)


async def test_unknown_token_in_query_is_closed_4401(app, people):
    comm, _ = await connect(app, "/ws/ops/", token="not-a-token")
    await assert_closed_with(comm, CLOSE_UNAUTHENTICATED)


async def test_unknown_token_in_first_message_is_closed_4401(app, people):
    comm, _ = await connect(app, "/ws/ops/")
    await comm.send_json_to({"type": "auth", "token": "nope"})
    await assert_closed_with(comm, CLOSE_UNAUTHENTICATED)


async def test_first_message_that_is_not_auth_is_closed_4401(app, people):
    comm, _ = await connect(app, "/ws/ops/")
    await comm.send_json_to({"type": "resume", "after": 0})
    await assert_closed_with(comm, CLOSE_UNAUTHENTICATED)


async def test_garbage_before_auth_is_closed_4400(app, people):
    comm, _ = await connect(app, "/ws/ops/")
    await comm.send_to(text_data="{not json")
    await assert_closed_with(comm, CLOSE_BAD_MESSAGE)


async def test_revoked_token_is_closed_4401(app, people):
    from backend.accounts.tokens import token_revoke

    _, tokens = people
    await adb(token_revoke)(key=tokens["operator"])
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await assert_closed_with(comm, CLOSE_UNAUTHENTICATED)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("citizen", "/ws/ops/"),
        ("agency_a", "/ws/ops/"),
        ("operator", "/ws/agency/"),
        ("citizen", "/ws/agency/"),
    ],
)
async def test_wrong_role_is_closed_4403_with_nothing_sent(app, people, who, path):
    _, tokens = people
    comm, _ = await connect(app, path, token=tokens[who])
    await assert_closed_with(comm, CLOSE_FORBIDDEN)


async def test_another_citizens_report_is_closed_4403(app, people):
    users, tokens = people
    report = await adb(make_report)(users["citizen"])
    comm, _ = await connect(app, f"/ws/reports/{report.pk}/", token=tokens["other_citizen"])
    await assert_closed_with(comm, CLOSE_FORBIDDEN)


async def test_agency_staff_cannot_follow_a_citizen_report_stream(app, people, agencies):
    users, tokens = people
    report = await adb(make_report)(users["citizen"], agency=agencies[0])
    comm, _ = await connect(app, f"/ws/reports/{report.pk}/", token=tokens["agency_a"])
    await assert_closed_with(comm, CLOSE_FORBIDDEN)


async def test_unknown_report_is_closed_4403_like_a_foreign_one(app, people):
    _, tokens = people
    comm, _ = await connect(app, "/ws/reports/999999/", token=tokens["citizen"])
    await assert_closed_with(comm, CLOSE_FORBIDDEN)


async def test_foreign_origin_is_refused_at_the_handshake(app, people):
    _, tokens = people
    from tests.realtime.wscomm import WebsocketCommunicator

    comm = WebsocketCommunicator(app, f"/ws/ops/?token={tokens['operator']}", headers=[(b"origin", b"https://evil.example")])
    connected, _ = await comm.connect(timeout=3)
    assert connected is False


async def test_native_client_without_origin_may_use_a_token(app, people):
    _, tokens = people
    comm, connected = await connect(app, "/ws/ops/", token=tokens["operator"], origin=False)
    assert connected
    hello = await receive(comm)
    assert hello["type"] == "hello" and hello["data"]["stream"] == "ops"
    await comm.disconnect()


async def _session_cookie(user) -> bytes:
    from django.test import Client

    client = Client()
    await adb(client.force_login)(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_staff_session_with_allowed_origin_is_accepted(app, people):
    users, _ = people
    cookie = await _session_cookie(users["operator"])
    comm, _ = await connect(app, "/ws/ops/", extra_headers=[(b"cookie", cookie)])
    assert (await receive(comm))["type"] == "hello"
    await comm.disconnect()


async def test_session_without_origin_is_not_used(app, people):
    # A cookie alone is what a cross-site page would ride on; without an Origin it counts for nothing.
    users, _ = people
    cookie = await _session_cookie(users["operator"])
    comm, _ = await connect(app, "/ws/ops/", origin=False, extra_headers=[(b"cookie", cookie)])
    await assert_closed_with(comm, CLOSE_UNAUTHENTICATED)


async def test_citizen_session_is_not_enough(app, people):
    users, _ = people
    cookie = await _session_cookie(users["citizen"])
    comm, _ = await connect(app, "/ws/ops/", extra_headers=[(b"cookie", cookie)])
    await assert_closed_with(comm, CLOSE_UNAUTHENTICATED)


# --- what each receiver sees ------------------------------------------------------------------------


async def test_each_audience_sees_only_what_it_may(app, people, agencies):
    users, tokens = people
    a, _ = agencies
    ops, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    staff_a, _ = await connect(app, "/ws/agency/", token=tokens["agency_a"])
    staff_b, _ = await connect(app, "/ws/agency/", token=tokens["agency_b"])
    for comm in (ops, staff_a, staff_b):
        assert (await receive(comm))["type"] == "hello"
    # given a citizen's report routed to agency A
    report = await adb(make_report)(users["citizen"], agency=a)
    citizen, _ = await connect(app, f"/ws/reports/{report.pk}/", token=tokens["citizen"])
    assert (await receive(citizen))["type"] == "hello"

    # then the operators see it with the reporter's phone
    seen_by_ops = await receive(ops)
    assert seen_by_ops["type"] == "report.created"
    assert seen_by_ops["data"]["id"] == report.pk
    assert seen_by_ops["data"]["reporter"]["phone"] == "+84905111222"
    # agency A sees its ticket without any reporter identity
    seen_by_a = await receive(staff_a)
    assert seen_by_a["type"] == "report.created" and seen_by_a["data"]["id"] == report.pk
    assert seen_by_a["seq"] == seen_by_ops["seq"]
    assert "reporter" not in seen_by_a["data"] and "anonymous" not in seen_by_a["data"]
    assert "+84905111222" not in str(seen_by_a)
    # agency B sees nothing at all
    assert await staff_b.receive_nothing(timeout=0.3)

    # when the report changes publicly, the citizen hears of it with the public view only
    await adb(update_report)(report, change="accepted")
    from_citizen_stream = await receive(citizen)
    assert from_citizen_stream["type"] == "report.updated" and from_citizen_stream["change"] == "accepted"
    assert "reporter" not in from_citizen_stream["data"]
    assert from_citizen_stream["data"]["tracking_code"] == report.tracking_code

    # an internal note reaches the operators but not the citizen
    await adb(update_report)(report, change="internal_note", public=False)
    assert (await receive(ops))["change"] == "accepted"
    assert (await receive(ops))["change"] == "internal_note"
    assert await citizen.receive_nothing(timeout=0.3)
    for comm in (ops, staff_a, staff_b, citizen):
        await comm.disconnect()


async def test_citizen_never_hears_of_another_citizens_report(app, people):
    users, tokens = people
    mine = await adb(make_report)(users["citizen"])
    comm, _ = await connect(app, f"/ws/reports/{mine.pk}/", token=tokens["citizen"])
    assert (await receive(comm))["type"] == "hello"
    await adb(make_report)(users["other_citizen"])
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


async def test_reassignment_tells_the_old_agency_only_that_the_ticket_left(app, people, agencies):
    users, tokens = people
    a, b = agencies
    report = await adb(make_report)(users["citizen"], agency=a)
    staff_a, _ = await connect(app, "/ws/agency/", token=tokens["agency_a"])
    staff_b, _ = await connect(app, "/ws/agency/", token=tokens["agency_b"])
    await receive(staff_a), await receive(staff_b)
    # when the operator reassigns it to B
    await adb(update_report)(report, change="assigned", agency=b)
    # then A is told it is gone (id only) and B gets the ticket
    gone = await receive(staff_a)
    assert gone["type"] == "report.removed" and gone["data"] == {"id": report.pk}
    arrived = await receive(staff_b)
    assert arrived["type"] == "report.updated" and arrived["data"]["id"] == report.pk
    assert arrived["data"]["agency"] == b.code
    for comm in (staff_a, staff_b):
        await comm.disconnect()


async def test_critical_report_alerts_travel_on_the_ops_stream_flagged_and_never_on_the_warning_stream(app, people):
    users, tokens = people
    ops, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    warnings, _ = await connect(app, "/ws/alerts/", token=tokens["operator"])
    await receive(ops)
    await receive(warnings)
    normal = await adb(make_report)(users["citizen"], urgency="normal")
    critical = await adb(make_report)(users["citizen"], urgency="critical", alert=True)
    # then operators get both reports, only the critical one flagged
    first, second = await events_only(ops, 2)
    assert (first["data"]["id"], "alert" in first) == (normal.pk, False)
    assert (second["type"], second["alert"], second["data"]["id"]) == ("report.created", True, critical.pk)
    # and the citizens' warning stream hears of neither
    assert await warnings.receive_nothing(timeout=0.3)
    for comm in (ops, warnings):
        await comm.disconnect()


async def test_ping_pong_and_unknown_messages(app, people):
    _, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await comm.send_json_to({"type": "ping"})
    assert (await receive(comm))["type"] == "pong"
    await comm.send_json_to({"type": "dance"})
    assert (await receive(comm)) == {"seq": 0, "type": "error", "data": {"code": "unknown_type"}}
    await comm.disconnect()


async def test_heartbeats(app, people, settings):
    settings.REALTIME_HEARTBEAT_SECONDS = 0.1
    _, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    assert (await receive(comm))["type"] == "heartbeat"
    await comm.disconnect()


# --- resume -----------------------------------------------------------------------------------------


async def test_resume_replays_missed_events_in_order_then_continues_live(app, people):
    users, tokens = people
    made = [await adb(make_report)(users["citizen"]) for _ in range(5)]
    seqs = await adb(lambda: list(__import__("realtime.models").models.EventLog.objects.values_list("id", flat=True)))()
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    hello = await receive(comm)
    assert hello["seq"] == seqs[-1]
    # when the client says it saw up to the second event
    await comm.send_json_to({"type": "resume", "after": seqs[1]})
    got = await receive_until(comm, "resumed")
    assert [m["seq"] for m in got[:-1]] == seqs[2:]
    assert [m["data"]["id"] for m in got[:-1]] == [r.pk for r in made[2:]]
    assert got[-1]["data"] == {"after": seqs[1], "replayed": 3}
    # then live events follow
    live = await adb(make_report)(users["citizen"])
    message = await receive(comm)
    assert message["type"] == "report.created" and message["data"]["id"] == live.pk
    await comm.disconnect()


async def test_resume_in_the_query_string_replays_before_anything_live(app, people):
    users, tokens = people
    await adb(make_report)(users["citizen"])
    first_seq = await adb(lambda: __import__("realtime.log").log.head())()
    await adb(make_report)(users["citizen"])
    comm, _ = await connect(app, f"/ws/ops/?after={first_seq}", token=tokens["operator"])
    got = await receive_until(comm, "resumed")
    assert [m["type"] for m in got] == ["hello", "report.created", "resumed"]
    assert got[1]["seq"] == first_seq + 1
    await comm.disconnect()


async def test_seam_between_replay_and_live_has_no_gap_and_no_duplicate(app, people, settings, monkeypatch):
    """Events committed while the log is being read arrive exactly once, in seq order."""
    from realtime import log

    settings.REALTIME_REPLAY_BATCH = 2
    users, tokens = people
    for _ in range(6):
        await adb(make_report)(users["citizen"])
    start = 0
    original = log.read_after
    calls = {"n": 0}

    def read_after_while_others_write(stream, after, limit):
        # between two batches, new reports commit (and are published live) mid-replay
        calls["n"] += 1
        if calls["n"] in (2, 3):
            make_report(users["citizen"])
        return original(stream, after, limit)

    monkeypatch.setattr(log, "read_after", read_after_while_others_write)
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await comm.send_json_to({"type": "resume", "after": start})
    got = await receive_until(comm, "resumed")
    events = [m for m in got if m["type"].startswith("report.")]
    # and whatever was buffered live comes after
    while not await comm.receive_nothing(timeout=0.5):
        events.append(await receive(comm))
    seqs = [m["seq"] for m in events]
    all_seqs = await adb(lambda: list(__import__("realtime.models").models.EventLog.objects.values_list("id", flat=True)))()
    assert len(all_seqs) == 8
    assert seqs == sorted(all_seqs)  # all 8, once each, in order
    await comm.disconnect()


async def test_resume_from_before_the_kept_window_says_reload(app, people):
    from datetime import timedelta

    from django.utils import timezone

    from realtime import log
    from realtime.models import EventLog

    users, tokens = people
    for _ in range(3):
        await adb(make_report)(users["citizen"])
    await adb(lambda: EventLog.objects.filter(id__lte=EventLog.objects.order_by("id")[1].id).update(
        created_at=timezone.now() - timedelta(days=30)))()
    purged = await adb(log.purge_expired)()
    assert purged == 2
    floor = await adb(log.purged_through)()
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await comm.send_json_to({"type": "resume", "after": floor - 1})
    message = await receive(comm)
    assert message["type"] == "reload"
    assert message["data"] == {"reason": "too_old", "after": floor - 1, "oldest": floor}
    # resuming from exactly the watermark is still fine
    await comm.send_json_to({"type": "resume", "after": floor})
    got = await receive_until(comm, "resumed")
    assert len(got) == 2 and got[0]["seq"] == floor + 1
    await comm.disconnect()


async def test_resume_from_the_future_says_reload(app, people):
    _, tokens = people
    comm, _ = await connect(app, "/ws/ops/?after=999999", token=tokens["operator"])
    await receive(comm)
    message = await receive(comm)
    assert message["type"] == "reload" and message["data"]["reason"] == "unknown_seq"
    await comm.disconnect()


async def test_agency_resume_replays_only_its_tickets(app, people, agencies):
    users, tokens = people
    a, b = agencies
    mine = await adb(make_report)(users["citizen"], agency=a)
    await adb(make_report)(users["citizen"], agency=b)
    comm, _ = await connect(app, "/ws/agency/?after=0", token=tokens["agency_a"])
    got = await receive_until(comm, "resumed")
    assert [m["data"].get("id") for m in got if m["type"] == "report.created"] == [mine.pk]
    await comm.disconnect()


# --- slow clients -----------------------------------------------------------------------------------


async def test_a_client_that_does_not_read_is_disconnected_4429_without_stalling_others(app, people, settings):
    settings.REALTIME_SEND_BUFFER = 3
    users, tokens = people
    stuck = asyncio.Event()

    async def socket_with_full_tcp_buffer(scope, receive_, send):
        async def send_blocking(message):
            if message["type"] == "websocket.send":
                await stuck.wait()  # the peer never reads: every write blocks
            await send(message)

        return await app(scope, receive_, send_blocking)

    slow, _ = await connect(socket_with_full_tcp_buffer, "/ws/ops/", token=tokens["operator"])
    fast, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(fast)
    for _ in range(6):
        await adb(make_report)(users["citizen"])
    # the healthy client gets all six
    assert len(await events_only(fast, 6)) == 6
    # the stuck one is closed with "too slow" (reconnect and resume)
    assert await slow.receive_output(timeout=3) == {"type": "websocket.close", "code": CLOSE_TOO_SLOW}
    await fast.disconnect()


# --- the log is written with the change -------------------------------------------------------------


async def test_rolled_back_change_leaves_no_event_and_publishes_nothing(app, people):
    from django.db import transaction

    from realtime.models import EventLog

    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)

    def change_that_fails():
        with pytest.raises(RuntimeError), transaction.atomic():
            make_report(users["citizen"])
            raise RuntimeError("e.g. a later write failed")

    await database_sync_to_async(change_that_fails)()
    assert await adb(EventLog.objects.count)() == 0
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


# --- messages the channel layer drops ---------------------------------------------------------------


@pytest.fixture
def layer_drops_next(monkeypatch):
    """The channel layer loses the next published event (a full channel, a Redis reconnect...)."""
    from realtime import publish

    original = publish._send
    state = {"drop": 0}

    def lossy(items):
        if state["drop"]:
            state["drop"] -= 1
            return
        original(items)

    monkeypatch.setattr(publish, "_send", lossy)
    return state


async def test_a_dropped_event_is_repaired_from_the_log_when_the_next_one_arrives(app, people, layer_drops_next):
    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    first = await adb(make_report)(users["citizen"])
    layer_drops_next["drop"] = 1
    lost = await adb(make_report)(users["citizen"])
    third = await adb(make_report)(users["citizen"])
    got = await events_only(comm, 3)
    # every event arrives once, in order, the lost one fetched from the log
    assert [m["data"]["id"] for m in got] == [first.pk, lost.pk, third.pk]
    assert [m["seq"] for m in got] == sorted(m["seq"] for m in got)
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


async def test_a_dropped_last_event_is_caught_by_the_heartbeat(app, people, settings, layer_drops_next):
    settings.REALTIME_HEARTBEAT_SECONDS = 0.2
    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    layer_drops_next["drop"] = 1
    lost = await adb(make_report)(users["citizen"])
    got = await events_only(comm, 1)
    assert got[0]["data"]["id"] == lost.pk
    await comm.disconnect()


async def test_agency_stream_gap_detection_uses_only_its_own_events(app, people, agencies, layer_drops_next):
    # Events of other agencies in between are not a gap for agency A.
    users, tokens = people
    a, b = agencies
    comm, _ = await connect(app, "/ws/agency/", token=tokens["agency_a"])
    await receive(comm)
    mine1 = await adb(make_report)(users["citizen"], agency=a)
    await adb(make_report)(users["citizen"], agency=b)
    mine2 = await adb(make_report)(users["citizen"], agency=a)
    got = await events_only(comm, 2)
    assert [m["data"]["id"] for m in got] == [mine1.pk, mine2.pk]
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()
