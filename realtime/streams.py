"""The kinds of live stream, in one table: adding a stream is adding one `StreamKind` to `KINDS`.

Each kind says, in one place, everything the rest of realtime asks of it:
- `route`: its websocket URL (django path syntax; `realtime.routing` mounts every kind);
- `group`: the channel-layer group its sockets join (`group.<key>` for keyed kinds);
- `replay`: which rows of the event log belong to it, as index probes (`realtime.log` turns them
  into the ORM filter for replay and into raw SQL for the per-stream `prev` pointers);
- `hears`: which streams of this kind an event may reach (the keys to try; `render` decides);
- `render`: the message one stream of this kind gets for an event, or None;
- `authorise`: who may subscribe, asked of the backend through `realtime.access.SocketAccess`;
- `anonymous`: whether a socket may listen without any credential (public information only);
- `narrowing`: whether (and how) a client narrows the stream to what it asked for with
  `{"type": "subscribe", ...}` (realtime/subscriptions.py); None for kinds that do not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from realtime.subscriptions import WARNINGS_BY_PLACE, Narrowing

if TYPE_CHECKING:
    from realtime.access import SocketAccess

Message = dict[str, Any]


class EventRow(Protocol):
    """What a stream kind may read of an event-log row (realtime.models.EventLog)."""

    id: int
    type: str
    change: str
    report_id: int
    agency_id: int | None
    previous_agency_id: int | None
    alert: bool
    ops_payload: Any
    agency_payload: Any
    citizen_payload: Any


@dataclass(frozen=True)
class Stream:
    """One subscriber's view: which kind, and for keyed kinds (agency, report) which id."""

    kind: str
    key: int | None = None


@dataclass(frozen=True)
class Probe:
    """One part of a stream's replay filter, answerable by one (column, id) index probe.

    A row matches when `key_column` equals the stream's key (if set), `present` is not null (if
    set) and `flag` is true (if set). A stream's rows are the union of its probes.
    """

    key_column: str | None = None
    present: str | None = None
    flag: str | None = None


@dataclass(frozen=True)
class StreamKind:
    name: str
    route: str
    group: str
    keyed: bool
    replay: tuple[Probe, ...]
    hears: Callable[[EventRow], Iterable[int | None]]
    render: Callable[[EventRow, int | None], Message | None]
    authorise: Callable[[SocketAccess, Any, Mapping[str, Any]], Stream | None]
    anonymous: bool = False
    narrowing: Narrowing | None = None

    def group_name(self, key: int | None) -> str:
        if self.keyed:
            if key is None:
                raise ValueError(f"stream kind {self.name!r} needs a key")
            return f"{self.group}.{key}"
        return self.group


def _base(row: EventRow) -> Message:
    return {"seq": row.id, "type": row.type, "change": row.change}


# --- ops: every event, as the operators may see it --------------------------------------------------
OPS = "ops"


def _render_ops(row: EventRow, key: int | None) -> Message | None:
    if row.ops_payload is None:
        return None
    # Operators' screens raise the audible alert from this flag (no second socket needed).
    if row.alert:
        return {**_base(row), "alert": True, "data": row.ops_payload}
    return {**_base(row), "data": row.ops_payload}


def _authorise_ops(access: SocketAccess, user: Any, route: Mapping[str, Any]) -> Stream | None:
    return Stream(OPS) if access.can_watch_ops(user) else None


# --- alerts: the city's warnings to citizens -----------------------------------------------------
ALERTS = "alerts"
# Warnings are about the city, not about one report: the event log files them under report id 0, which
# no report has (ids start at 1). So the report streams never hear of them, and the alerts stream's
# replay is one index probe (report_id, id) like any report's.
CITY = 0


def _render_alerts(row: EventRow, key: int | None) -> Message | None:
    if row.report_id != CITY or row.citizen_payload is None:
        return None
    return {**_base(row), "data": row.citizen_payload}


def _authorise_alerts(access: SocketAccess, user: Any, route: Mapping[str, Any]) -> Stream | None:
    # Public warnings: everyone may listen, with a token, a session or nothing at all.
    return Stream(ALERTS, CITY)


# --- agency: the tickets one agency holds -----------------------------------------------------------
AGENCY = "agency"


def _agencies_of(row: EventRow) -> Iterable[int | None]:
    return {a for a in (row.agency_id, row.previous_agency_id) if a is not None}


def _render_agency(row: EventRow, key: int | None) -> Message | None:
    if row.agency_id == key and row.agency_payload is not None:
        return {**_base(row), "data": row.agency_payload}
    if row.previous_agency_id == key and row.previous_agency_id != row.agency_id:
        # The ticket went elsewhere: the old agency learns only that it is gone.
        return {**_base(row), "type": "report.removed", "data": {"id": row.report_id}}
    return None


def _authorise_agency(access: SocketAccess, user: Any, route: Mapping[str, Any]) -> Stream | None:
    agency_id = access.agency_of(user)
    return Stream(AGENCY, int(agency_id)) if agency_id is not None else None


# --- report: one report, as its citizen sees it ----------------------------------------------------
REPORT = "report"


def _render_report(row: EventRow, key: int | None) -> Message | None:
    if row.report_id != key or row.citizen_payload is None:
        return None
    return {**_base(row), "data": row.citizen_payload}


def _authorise_report(access: SocketAccess, user: Any, route: Mapping[str, Any]) -> Stream | None:
    report_id = int(route["report_id"])
    return Stream(REPORT, report_id) if access.can_follow_report(user, report_id) else None


# --- the table --------------------------------------------------------------------------------------
_ALL = (
    StreamKind(
        name=OPS, route="ws/ops/", group="ops", keyed=False,
        replay=(Probe(present="ops_payload"),),
        hears=lambda row: (None,), render=_render_ops, authorise=_authorise_ops,
    ),
    StreamKind(
        name=ALERTS, route="ws/alerts/", group="alerts", keyed=True,
        replay=(Probe(key_column="report_id", present="citizen_payload"),),
        hears=lambda row: (CITY,) if row.report_id == CITY else (), render=_render_alerts, authorise=_authorise_alerts,
        anonymous=True, narrowing=WARNINGS_BY_PLACE,
    ),
    StreamKind(
        name=AGENCY, route="ws/agency/", group="agency", keyed=True,
        replay=(Probe(key_column="agency_id", present="agency_payload"), Probe(key_column="previous_agency_id")),
        hears=_agencies_of, render=_render_agency, authorise=_authorise_agency,
    ),
    StreamKind(
        name=REPORT, route="ws/reports/<int:report_id>/", group="report", keyed=True,
        replay=(Probe(key_column="report_id", present="citizen_payload"),),
        hears=lambda row: (row.report_id,) if row.report_id != CITY else (), render=_render_report,
        authorise=_authorise_report,
    ),
)
KINDS: dict[str, StreamKind] = {kind.name: kind for kind in _ALL}


def kind_of(stream: Stream) -> StreamKind:
    try:
        return KINDS[stream.kind]
    except KeyError:
        raise ValueError(f"unknown stream kind {stream.kind!r}") from None


def render(row: EventRow, stream: Stream) -> Message | None:
    """The message `stream` gets for `row`, or None if it is not theirs to see."""
    return kind_of(stream).render(row, stream.key)


def group_of(stream: Stream) -> str:
    return kind_of(stream).group_name(stream.key)


def audiences(row: EventRow) -> list[tuple[Stream, Message]]:
    """Every stream that hears of `row`, with the message it gets, in table order."""
    out = []
    for kind in _ALL:
        for key in kind.hears(row):
            message = kind.render(row, key)
            if message is not None:
                out.append((Stream(kind.name, key), message))
    return out
