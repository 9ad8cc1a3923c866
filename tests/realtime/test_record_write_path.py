"""What `log.record` runs inside the change's transaction: no savepoint, no read it can do without."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from realtime import log
from realtime.models import EventLog

pytestmark = pytest.mark.django_db


def test_a_new_reports_event_skips_the_previous_agency_read_and_the_savepoint():
    # when the first event of a report being created is recorded inside its transaction
    with CaptureQueriesContext(connection) as queries, transaction.atomic(savepoint=False):
        row = log.record("report.created", report_id=41, agency_id=3, payloads={"ops": {"id": 41}}, new_report=True)
    # then it is one insert and one read of the streams' previous seqs, nothing else
    statements = [q["sql"] for q in queries.captured_queries if "realtime_eventlog" in q["sql"]]
    assert [sql.split()[0] for sql in statements] == ["INSERT", "SELECT"]
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
    assert EventLog.objects.get(pk=row.pk).previous_agency_id is None


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
