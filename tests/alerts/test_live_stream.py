"""/ws/alerts/: the citizens' live warning stream, open to anyone, narrowed to the wards or position a
client subscribes to, told at once when a warning is published, updated, cancelled, starts or expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.reports.services import periodic
from realtime.models import EventLog
from tests.alerts.conftest import PHU_XUAN, THUAN_HOA
from tests.realtime import conftest as realtime_fixtures
from tests.realtime.conftest import adb, connect, events_only, receive

pytestmark = [pytest.mark.django_db(transaction=True)]

# The websocket application and the socket clean-up of the realtime tests.
app = realtime_fixtures.app
_close_sockets = realtime_fixtures._close_sockets
_fast_realtime = realtime_fixtures._fast_realtime

PATH = "/ws/alerts/"
EVENT_KEYS = {"seq", "type", "change", "data"}


async def listener(app, **subscription):
    """An anonymous client (no token at all) on the warning stream, subscribed if asked."""
    comm, connected = await connect(app, PATH)
    assert connected
    hello = await receive(comm)
    assert (hello["type"], hello["data"]["stream"]) == ("hello", "alerts")
    if subscription:
        await comm.send_json_to({"type": "subscribe", **subscription})
        answer = await receive(comm)
        assert answer["type"] == "subscribed", answer
    return comm


def titles(messages):
    return [(m["type"], m["data"]["title"]["vi"]) for m in messages]


async def test_an_anonymous_client_hears_only_warnings_for_its_wards_and_city_wide_ones(app, publish, ward_polygons):
    # given a client subscribed to Phú Xuân, and one that never subscribed
    phu_xuan = await listener(app, wards=["phu-xuan"])
    everything = await listener(app)
    # when warnings are published for Thuận Hóa, for Phú Xuân and for the whole city
    await adb(publish)(title="Thuận Hóa", city_wide=None, wards=["thuan-hoa"])
    await adb(publish)(title="Phú Xuân", city_wide=None, wards=["phu-xuan"])
    await adb(publish)(title="Toàn thành phố")
    # then the Phú Xuân client hears of its ward's and the city's, in order, nothing else
    heard = await events_only(phu_xuan, 2)
    assert titles(heard) == [("alert.published", "Phú Xuân"), ("alert.published", "Toàn thành phố")]
    assert await phu_xuan.receive_nothing(timeout=0.3)
    # and a client that did not narrow the stream hears of all three
    assert [t for _, t in titles(await events_only(everything, 3))] == ["Thuận Hóa", "Phú Xuân", "Toàn thành phố"]
    # and each message is the public warning with its state and the wards it reaches
    message = heard[0]
    assert set(message) == EVENT_KEYS
    assert message["change"] == "published"
    assert message["data"]["state"] == "active"
    assert message["data"]["area"]["ward_codes"] == ["phu-xuan"]
    assert [w["code"] for w in message["data"]["area"]["wards"]] == ["phu-xuan"]
    assert "created_by" not in message["data"] and "history" not in message["data"]


async def test_a_position_hears_a_drawn_area_only_if_inside_it_while_its_ward_hears_any_overlap(app, publish, ward_polygons):
    # given a client at a point in Thuận Hóa and a client listening to the whole ward
    here = await listener(app, position={"lat": THUAN_HOA[0], "lng": THUAN_HOA[1]})
    ward = await listener(app, wards=["thuan-hoa"])
    # when a 300 m circle around the point and one 1.5 km east of it (still in Thuận Hóa) are drawn
    await adb(publish)(title="Quanh đây", city_wide=None, geometry={"center": [THUAN_HOA[1], THUAN_HOA[0]], "radius_m": 300})
    await adb(publish)(title="Xa hơn", city_wide=None, geometry={"center": [THUAN_HOA[1] + 0.014, THUAN_HOA[0]], "radius_m": 300})
    # then the point hears of the circle it lies in only; the ward client hears of both
    assert titles(await events_only(here, 1)) == [("alert.published", "Quanh đây")]
    assert await here.receive_nothing(timeout=0.3)
    assert [t for _, t in titles(await events_only(ward, 2))] == ["Quanh đây", "Xa hơn"]


async def test_the_subscription_answer_names_what_the_client_listens_to(app, ward_polygons):
    comm, _ = await connect(app, PATH)
    await receive(comm)
    await comm.send_json_to({"type": "subscribe", "position": {"lat": PHU_XUAN[0], "lng": PHU_XUAN[1]}})
    answer = await receive(comm)
    assert answer == {
        "seq": 0, "type": "subscribed",
        "data": {"wards": ["phu-xuan"], "position": {"lat": PHU_XUAN[0], "lng": PHU_XUAN[1]}},
    }
    await comm.send_json_to({"type": "subscribe", "wards": ["thuan-hoa", "phu-xuan"]})
    assert (await receive(comm))["data"] == {"wards": ["phu-xuan", "thuan-hoa"], "position": None}


@pytest.mark.parametrize(
    ("subscription", "code"),
    [
        ({"wards": ["phu-xuan", "atlantis"]}, "unknown_wards"),
        ({"wards": "phu-xuan"}, "bad_subscribe"),
        ({"position": {"lat": 91, "lng": 107}}, "bad_subscribe"),
        ({"position": {"lat": "16.4", "lng": 107}}, "bad_subscribe"),
        ({"wards": ["phu-xuan"], "position": {"lat": 16.4, "lng": 107.5}}, "bad_subscribe"),
        ({}, "bad_subscribe"),
    ],
)
async def test_a_bad_subscription_is_refused_and_the_previous_one_stays(app, publish, ward_polygons, subscription, code):
    comm = await listener(app, wards=["phu-xuan"])
    await comm.send_json_to({"type": "subscribe", **subscription})
    refusal = await receive(comm)
    assert (refusal["type"], refusal["data"]["code"]) == ("error", code)
    # and the client still hears exactly what it subscribed to before
    await adb(publish)(title="Thuận Hóa", city_wide=None, wards=["thuan-hoa"])
    await adb(publish)(title="Phú Xuân", city_wide=None, wards=["phu-xuan"])
    assert titles(await events_only(comm, 1)) == [("alert.published", "Phú Xuân")]


async def test_an_update_a_cancellation_and_an_expiry_are_told_live(app, publish, operator_client, ward_polygons):
    comm = await listener(app, wards=["phu-xuan"])
    warning = await adb(publish)(title="Ngập", city_wide=None, wards=["phu-xuan"])
    short = await adb(publish)(title="Ngắn", city_wide=None, wards=["phu-xuan"])
    await events_only(comm, 2)
    # when an operator raises the severity of one and cancels it, and the other's expiry passes
    await adb(operator_client.patch)(f"/api/v1/ops/alerts/{warning['id']}/", {"severity": "Extreme"}, format="json")
    await adb(operator_client.post)(f"/api/v1/ops/alerts/{warning['id']}/cancel/", {"reason": "Nước rút"}, format="json")
    expiry = timezone.now() + timedelta(hours=6, minutes=1)
    counts = await adb(periodic.run_pass)(now=expiry)
    # then the client is told each, in order, with the warning as it now stands
    updated, cancelled, expired = await events_only(comm, 3)
    assert (updated["type"], updated["data"]["severity"], updated["data"]["msg_type"]) == ("alert.updated", "Extreme", "Update")
    assert (cancelled["type"], cancelled["data"]["state"], cancelled["data"]["msg_type"]) == ("alert.cancelled", "cancelled", "Cancel")
    assert (expired["type"], expired["data"]["id"], expired["data"]["state"]) == ("alert.expired", short["id"], "expired")
    # and the expiry is announced once: the cancelled one is not "expired" again, a second pass says nothing
    assert counts.alerts_announced == 1
    assert (await adb(periodic.run_pass)(now=expiry)).alerts_announced == 0
    assert await comm.receive_nothing(timeout=0.3)


async def test_a_scheduled_warning_is_announced_when_it_starts(app, publish, ward_polygons):
    comm = await listener(app, wards=["phu-xuan"])
    starts = timezone.now() + timedelta(hours=1)
    await adb(publish)(title="Sắp cắt điện", kind="utility_outage", starts_at=starts.isoformat())
    [published] = await events_only(comm, 1)
    assert (published["type"], published["data"]["state"]) == ("alert.published", "scheduled")
    # a pass before the start says nothing; the first pass after it announces the start, once
    assert (await adb(periodic.run_pass)(now=starts - timedelta(minutes=1))).alerts_announced == 0
    assert (await adb(periodic.run_pass)(now=starts + timedelta(seconds=1))).alerts_announced == 1
    assert (await adb(periodic.run_pass)(now=starts + timedelta(minutes=1))).alerts_announced == 0
    [started] = await events_only(comm, 1)
    assert (started["type"], started["data"]["title"]["vi"]) == ("alert.started", "Sắp cắt điện")


async def test_a_warning_moved_to_another_ward_is_told_once_to_the_ward_it_left(app, publish, operator_client, ward_polygons):
    phu_xuan = await listener(app, wards=["phu-xuan"])
    thuan_hoa = await listener(app, wards=["thuan-hoa"])
    warning = await adb(publish)(title="Ngập", city_wide=None, wards=["phu-xuan"])
    await events_only(phu_xuan, 1)
    # when the operator moves it to Thuận Hóa
    await adb(operator_client.patch)(f"/api/v1/ops/alerts/{warning['id']}/", {"wards": ["thuan-hoa"]}, format="json")
    # then both hear of the update: the ward it left (with where it was, to drop it) and the one it reached
    [left] = await events_only(phu_xuan, 1)
    [reached] = await events_only(thuan_hoa, 1)
    assert left["data"]["area"]["ward_codes"] == ["thuan-hoa"]
    assert left["data"]["area_before"]["ward_codes"] == ["phu-xuan"]
    assert left == reached
    # and later news of it reaches only its new ward
    await adb(operator_client.post)(f"/api/v1/ops/alerts/{warning['id']}/cancel/", {}, format="json")
    assert [m["type"] for m in await events_only(thuan_hoa, 1)] == ["alert.cancelled"]
    assert await phu_xuan.receive_nothing(timeout=0.3)


async def test_a_refused_change_tells_nobody(app, publish, operator_client, ward_polygons):
    comm = await listener(app)
    warning = await adb(publish)(title="Ngập")
    await adb(operator_client.post)(f"/api/v1/ops/alerts/{warning['id']}/cancel/", {}, format="json")
    await events_only(comm, 2)
    before = await adb(EventLog.objects.count)()
    # when an operator tries to change the cancelled warning
    response = await adb(operator_client.patch)(f"/api/v1/ops/alerts/{warning['id']}/", {"severity": "Minor"}, format="json")
    # then it is refused, nothing is logged and nothing is sent
    assert response.status_code == 409
    assert await adb(EventLog.objects.count)() == before
    assert await comm.receive_nothing(timeout=0.3)


async def test_a_reconnecting_client_resumes_only_what_its_subscription_wants(app, publish, ward_polygons):
    # given warnings published while a Phú Xuân client was away
    await adb(publish)(title="Thuận Hóa", city_wide=None, wards=["thuan-hoa"])
    await adb(publish)(title="Phú Xuân", city_wide=None, wards=["phu-xuan"])
    await adb(publish)(title="Toàn thành phố")
    # when it reconnects, subscribes, then resumes from the start
    comm = await listener(app, wards=["phu-xuan"])
    await comm.send_json_to({"type": "resume", "after": 0})
    replayed = await events_only(comm, 2)
    # then it gets the missed warnings for its ward and the city, then the end of the replay
    assert [t for _, t in titles(replayed)] == ["Phú Xuân", "Toàn thành phố"]
    resumed = await receive(comm)
    assert resumed["type"] == "resumed" and resumed["data"]["replayed"] == 2


async def test_a_token_is_not_needed_but_a_bad_one_is_refused(app, ward_polygons):
    comm, _ = await connect(app, PATH, token="not-a-token")
    assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": 4401}


async def test_other_streams_do_not_take_subscriptions(app, people):
    _, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await comm.send_json_to({"type": "subscribe", "wards": ["phu-xuan"]})
    assert (await receive(comm))["data"] == {"code": "unknown_type"}


@pytest.fixture
def people(reference_data):
    from backend.accounts.services import user_ensure
    from backend.accounts.tokens import token_issue

    operator = user_ensure(username="op-warnings", role="operator")
    return {"operator": operator}, {"operator": token_issue(user=operator)}


def test_warning_rows_reach_the_warning_stream_only():
    from realtime import streams

    row = EventLog(id=1, type="alert.published", report_id=streams.CITY, citizen_payload={"id": 1})
    assert [stream for stream, _ in streams.audiences(row)] == [streams.Stream(streams.ALERTS, streams.CITY)]


async def test_an_anonymous_socket_keeps_listening_across_heartbeats(app, publish, ward_polygons, settings):
    # credentials are re-checked on every heartbeat; a socket that never had any has nothing to lapse
    settings.REALTIME_HEARTBEAT_SECONDS = 0.1
    comm = await listener(app, wards=["phu-xuan"])
    assert [(await receive(comm))["type"] for _ in range(3)] == ["heartbeat"] * 3
    await adb(publish)(title="Phú Xuân", city_wide=None, wards=["phu-xuan"])
    assert titles(await events_only(comm, 1)) == [("alert.published", "Phú Xuân")]
