"""What `log.record` runs inside the change's transaction: no savepoint, no read it can do without."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from realtime import log
from realtime.models import EventLog
from realtime.streams import Stream

pytestmark = pytest.mark.django_db


def test_a_new_reports_event_skips_the_previous_agency_read_and_the_savepoint():
    # when the first event of a report being created is recorded inside its transaction
    with CaptureQueriesContext(connection) as queries, transaction.atomic(savepoint=False):
        row = log.record("report.created", report_id=41, agency_id=3, payloads={"ops": {"id": 41}}, new_report=True)
    # then it is one round trip: the insert, which returns the streams' previous seqs (on PostgreSQL
    # sent with the statement that takes the event lock), nothing else
    statements = [q["sql"] for q in queries.captured_queries if "realtime_eventlog" in q["sql"]]
    assert len(statements) == 1
    expected_start = "SELECT pg_advisory_xact_lock" if connection.vendor == "postgresql" else "INSERT INTO"
    assert statements[0].startswith(expected_start)
    assert "RETURNING" in statements[0]
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
    assert EventLog.objects.get(pk=row.pk).previous_agency_id is None


def test_the_previous_seqs_returned_by_the_insert_are_each_streams_newest_before_it(monkeypatch):
    # given events for the ops stream, agency 3 and report 44
    first = log.record("report.created", report_id=44, agency_id=3, payloads={"ops": {"id": 44}, "agency": {"id": 44}, "citizen": {"id": 44}}, new_report=True)
    other = log.record("report.created", report_id=45, agency_id=6, payloads={"ops": {"id": 45}}, new_report=True)
    published = []
    monkeypatch.setattr(log, "publish_event_on_commit", lambda row, heard, prevs: published.append(prevs))
    # when the ticket moves from agency 3 to agency 5
    moved = log.record("report.updated", report_id=44, change="assigned", agency_id=5, payloads={"ops": {"id": 44}, "agency": {"id": 44}, "citizen": {"id": 44}})
    # then every stream that hears of it is told the seq of its own previous event
    assert published == [{
        Stream("ops"): other.id,
        Stream("agency", 5): None,
        Stream("agency", 3): first.id,
        Stream("report", 44): first.id,
    }]
    assert published[0] == {stream: log.last_in(stream, before=moved.id) for stream in published[0]}


def test_a_later_event_still_tells_the_agency_that_held_the_ticket():
    # given a ticket created at agency 3
    log.record("report.created", report_id=42, agency_id=3, payloads={"ops": {"id": 42}}, new_report=True)
    # when it moves to agency 5
    moved = log.record("report.updated", report_id=42, change="assigned", agency_id=5, payloads={"ops": {"id": 42}})
    # then the event names the agency it left
    assert EventLog.objects.get(pk=moved.pk).previous_agency_id == 3


def test_a_failure_inside_record_rolls_back_the_whole_change():
    # given a change that wrote its own row first
    from backend.core.models import JobHeartbeat

    with pytest.raises(ValueError), transaction.atomic():
        JobHeartbeat.objects.create(name="change")
        # when recording its event fails
        log.record("report.updated", report_id=43, payloads={"press": {"id": 43}})
    # then nothing of the change remains
    assert not JobHeartbeat.objects.filter(name="change").exists()
    assert not EventLog.objects.filter(report_id=43).exists()
