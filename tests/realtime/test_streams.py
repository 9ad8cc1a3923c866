"""The table of stream kinds (realtime/streams.py): every kind has a route, a group, a replay filter
and an authorisation rule, and the table's parts agree with each other."""

from __future__ import annotations

from typing import Any

import pytest

from realtime import access, log, publish, streams
from realtime.streams import AGENCY, ALERTS, CITY, KINDS, OPS, REPORT, Stream
from tests.realtime.conftest import adb, connect, make_report, receive

# The websocket URLs are the contract of DESIGN.md.
DESIGN_PATHS = {OPS: "/ws/ops/", AGENCY: "/ws/agency/", REPORT: "/ws/reports/{id}/", ALERTS: "/ws/alerts/"}


def test_the_table_holds_exactly_the_four_kinds_of_the_design():
    assert set(KINDS) == set(DESIGN_PATHS)
    assert [kind.name for kind in KINDS.values()] == list(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_a_route_a_group_a_replay_filter_and_an_authorisation_rule(name):
    kind = KINDS[name]
    assert "/" + kind.route.replace("<int:report_id>", "{id}") == DESIGN_PATHS[name]
    assert kind.group and "." not in kind.group
    assert kind.replay and all(probe.key_column or probe.present or probe.flag for probe in kind.replay)
    # a keyed kind's probes are keyed (else one agency would replay another's tickets)
    assert all(probe.key_column for probe in kind.replay) is kind.keyed
    assert callable(kind.authorise) and callable(kind.render) and callable(kind.hears)


def test_routes_and_groups_are_distinct_per_kind():
    assert len({kind.route for kind in KINDS.values()}) == len(KINDS)
    assert len({kind.group for kind in KINDS.values()}) == len(KINDS)


def test_group_names():
    assert streams.group_of(Stream(OPS)) == "ops"
    assert streams.group_of(Stream(ALERTS, CITY)) == "alerts.0"
    assert streams.group_of(Stream(AGENCY, 7)) == "agency.7"
    assert streams.group_of(Stream(REPORT, 3)) == "report.3"
    with pytest.raises(ValueError):
        streams.group_of(Stream(AGENCY))
    with pytest.raises(ValueError):
        streams.group_of(Stream("press"))


def test_every_kind_is_mounted_on_its_route():
    from realtime.routing import websocket_urlpatterns

    mounted = {pattern.callback.consumer_initkwargs["kind"].name: str(pattern.pattern) for pattern in websocket_urlpatterns()}
    assert mounted == {name: kind.route for name, kind in KINDS.items()}


# --- the replay filter agrees with what a live stream is sent ---------------------------------------


def _record(report_id: int, agency_id: int | None, *, alert: bool = False, citizen: bool = True,
            agency: bool = True) -> int:
    payload = {"id": report_id}
    return log.record(
        "report.updated", report_id=report_id, agency_id=agency_id, alert=alert,
        payloads={"ops": payload, "agency": payload if agency else None, "citizen": payload if citizen else None},
    ).id


def _warning(warning_id: int) -> int:
    """A city warning as backend/alerts/events.py records it: everyone's payload only, under CITY."""
    return log.record("alert.published", report_id=CITY, change="published", payloads={"citizen": {"id": warning_id}}).id


@pytest.mark.django_db
def test_each_streams_replay_reads_exactly_the_events_it_is_sent_live(monkeypatch, django_capture_on_commit_callbacks):
    from realtime.models import EventLog

    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(publish, "_send", lambda items: sent.extend(items))
    # given a log of reports moving between agencies, critical alerts, internal events, agency-less
    # reports, and city warnings
    with django_capture_on_commit_callbacks(execute=True):
        _record(1, 7)
        _record(2, 8, alert=True)
        _warning(1)
        _record(1, 8)
        _record(3, None, citizen=False)
        _record(2, 7, alert=True)
        _warning(2)
        _record(4, 7, agency=False)
        _record(1, None)
    assert len(sent) == 22
    everyone = [Stream(OPS), Stream(ALERTS, CITY)] + [Stream(AGENCY, a) for a in (7, 8, 9)]
    everyone += [Stream(REPORT, r) for r in (1, 2, 3, 4, 5)]
    for stream in everyone:
        # when the stream replays from the start
        replayed = [seq for seq, text in log.read_after(stream, 0, 100) if text is not None]
        # then it reads exactly the events published live to its group, in order
        live = [message["seq"] for group, message in sent if group == streams.group_of(stream)]
        assert replayed == live, stream
        rendered = [row.id for row in EventLog.objects.order_by("id") if streams.render(row, stream) is not None]
        assert replayed == rendered, stream
        assert log.last_in(stream) == (live[-1] if live else None)
    # and the two streams that hear nothing stay empty; warnings reach the warning stream only
    assert [m["seq"] for g, m in sent if g in {"agency.9", "report.5"}] == []
    assert [g for g, m in sent if "alert.published" in m["text"]] == ["alerts.0", "alerts.0"]
    # and the operators' critical alerts stay on their own stream, flagged
    assert [g for g, m in sent if '"alert":true' in m["text"]] == ["ops", "ops"]


# --- authorisation --------------------------------------------------------------------------------


class Everyone:
    """A SocketAccess admitting everyone to everything (agency 7)."""

    def token_user(self, key: str) -> Any | None:
        return object()

    def may_use_session(self, user: Any) -> bool:
        return True

    def can_watch_ops(self, user: Any) -> bool:
        return True

    def agency_of(self, user: Any) -> int | None:
        return 7

    def can_follow_report(self, user: Any, report_id: int) -> bool:
        return True

    def describe_user(self, user: Any) -> dict[str, Any]:
        return {}


class Nobody(Everyone):
    def can_watch_ops(self, user: Any) -> bool:
        return False

    def agency_of(self, user: Any) -> int | None:
        return None

    def can_follow_report(self, user: Any, report_id: int) -> bool:
        return False


ROUTE = {"report_id": "12"}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_asks_the_access_policy_and_refuses_when_it_says_no(name):
    kind = KINDS[name]
    assert isinstance(Everyone(), access.SocketAccess) and isinstance(Nobody(), access.SocketAccess)
    # a kind open to everyone (public warnings) admits even whom the policy refuses everything
    assert (kind.authorise(Nobody(), object(), ROUTE) is None) is (not kind.anonymous)
    granted = kind.authorise(Everyone(), object(), ROUTE)
    assert granted == {OPS: Stream(OPS), ALERTS: Stream(ALERTS, CITY), AGENCY: Stream(AGENCY, 7), REPORT: Stream(REPORT, 12)}[name]


def test_only_the_warning_stream_is_open_to_anonymous_listeners_and_narrowed_by_subscriptions():
    assert {name for name, kind in KINDS.items() if kind.anonymous} == {ALERTS}
    assert {name for name, kind in KINDS.items() if kind.narrowing is not None} == {ALERTS}


def test_the_backends_policy_is_a_socket_access():
    access.policy.cache_clear()
    try:
        assert isinstance(access.policy(), access.SocketAccess)
    finally:
        access.policy.cache_clear()


def test_a_policy_lacking_a_method_is_refused_at_load(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.REALTIME_ACCESS = "tests.realtime.test_streams.INCOMPLETE"
    access.policy.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="can_follow_report"):
            access.policy()
    finally:
        access.policy.cache_clear()


class _Incomplete(Everyone):
    can_follow_report = None  # type: ignore[assignment]


INCOMPLETE = _Incomplete()


# --- every kind is served end to end ----------------------------------------------------------------

# Who each kind admits, and the path they connect to: a kind added to the table without a line here
# fails the test below.
ADMITTED = {OPS: "operator", ALERTS: None, AGENCY: "agency_a", REPORT: "citizen"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", sorted(KINDS))
async def test_every_kind_serves_its_admitted_user_and_refuses_the_others(app, people, agencies, name):
    assert set(ADMITTED) == set(KINDS)
    users, tokens = people
    report = await adb(make_report)(users["citizen"], agency=agencies[0])
    path = "/" + KINDS[name].route.replace("<int:report_id>", str(report.pk))
    who = ADMITTED[name]
    comm, _ = await connect(app, path, token=tokens[who] if who else None)
    hello = await receive(comm)
    assert hello["type"] == "hello" and hello["data"]["stream"] == name
    expected_key = {AGENCY: agencies[0].pk, REPORT: report.pk, ALERTS: CITY}.get(name)
    assert hello["data"]["id"] == expected_key
    await comm.disconnect()
    if who is None:  # open to everyone: nobody to refuse
        return
    # and a user it does not admit is closed 4403
    outsider = "other_citizen" if ADMITTED[name] != "other_citizen" else "agency_b"
    refused, _ = await connect(app, path, token=tokens[outsider])
    assert await refused.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}
