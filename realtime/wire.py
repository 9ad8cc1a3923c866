"""What one event looks like on the wire for each kind of stream.

Every message a client gets is `{"seq": int, "type": str, "data": {...}}` (plus `change` for
events). The same function renders a live event and a replayed one, so both are byte-identical.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

OPS = "ops"
AGENCY = "agency"
REPORT = "report"
ALERTS = "alerts"
STREAM_KINDS = (OPS, AGENCY, REPORT, ALERTS)


class EventRow(Protocol):
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
    """One subscriber's view: which kind, and for agency/report streams which id."""

    kind: str
    key: int | None = None


def render(row: EventRow, stream: Stream) -> dict[str, Any] | None:
    """The message `stream` gets for `row`, or None if it is not theirs to see."""
    base: dict[str, Any] = {"seq": row.id, "type": row.type, "change": row.change}
    if stream.kind == OPS:
        if row.ops_payload is None:
            return None
        # Operators' screens raise the audible alert from this flag (no second socket needed).
        return {**base, "alert": True, "data": row.ops_payload} if row.alert else {**base, "data": row.ops_payload}
    if stream.kind == ALERTS:
        if not row.alert or row.ops_payload is None:
            return None
        return {**base, "type": "alert", "event": row.type, "data": row.ops_payload}
    if stream.kind == AGENCY:
        if row.agency_id == stream.key and row.agency_payload is not None:
            return {**base, "data": row.agency_payload}
        if row.previous_agency_id == stream.key and row.previous_agency_id != row.agency_id:
            # The ticket went elsewhere: the old agency learns only that it is gone.
            return {**base, "type": "report.removed", "data": {"id": row.report_id}}
        return None
    if stream.kind == REPORT:
        if row.report_id != stream.key or row.citizen_payload is None:
            return None
        return {**base, "data": row.citizen_payload}
    raise ValueError(f"unknown stream kind {stream.kind!r}")


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
