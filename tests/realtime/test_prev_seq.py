"""Each event carries, per stream, the seq of that stream's previous event (consumers find gaps with it)."""

from __future__ import annotations

import pytest

from realtime import log
from realtime.streams import AGENCY, ALERTS, CITY, OPS, REPORT, Stream

pytestmark = pytest.mark.django_db


def _record(report_id: int, agency_id: int | None, *, alert: bool = False, citizen: bool = True) -> int:
    payload = {"id": report_id}
    return log.record(
        "report.updated", report_id=report_id, agency_id=agency_id, alert=alert,
        payloads={"ops": payload, "agency": payload, "citizen": payload if citizen else None},
    ).id


def test_one_round_trip_gives_the_same_answer_as_one_query_per_stream():
    # given a log mixing reports, agencies (one ticket moving between them), warnings and internal events
    _record(1, 7)
    warning = log.record("alert.published", report_id=CITY, payloads={"citizen": {"id": 1}}).id
    _record(1, 8)  # report 1 moves from agency 7 to agency 8
    _record(3, None, citizen=False)
    last = _record(2, 7)
    streams = [
        Stream(OPS), Stream(ALERTS, CITY), Stream(AGENCY, 7), Stream(AGENCY, 8),
        Stream(AGENCY, 9), Stream(REPORT, 1), Stream(REPORT, 3),
    ]
    # when the previous seq of every stream is asked at once
    many = log.last_in_many(streams, before=last)
    # then it equals the per-stream answers, including "none yet"
    assert many == {stream: log.last_in(stream, before=last) for stream in streams}
    assert many[Stream(AGENCY, 9)] is None
    assert many[Stream(REPORT, 3)] is None
    assert many[Stream(ALERTS, CITY)] == warning
