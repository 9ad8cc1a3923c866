"""The event log is written in the transaction of the change, with each audience's view."""

from __future__ import annotations

import pytest
from django.db import transaction

from realtime.models import EventLog

pytestmark = pytest.mark.django_db(transaction=True)

CITADEL = {"latitude": "16.4698", "longitude": "107.5786"}


@pytest.fixture(autouse=True)
def _ref(reference_data):
    return reference_data


@pytest.fixture
def published(monkeypatch):
    """What reached the channel layer, by group."""
    from realtime import publish

    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(publish, "_send", lambda items: sent.extend(items))
    return sent


def test_a_submitted_report_writes_one_event_with_each_audiences_view(citizen_client, published, fake_triage):
    fake_triage("drainage_flooding", "normal", 0.93)
    # when a citizen submits a report through the API
    response = citizen_client.post("/api/v1/reports/", {"description": "Cống bị tắc, nước tràn lên đường", **CITADEL})
    assert response.status_code == 201
    body = response.json()
    # then exactly one event is logged, with the reporter's phone for operators only
    event = EventLog.objects.get()
    assert (event.type, event.change, event.report_id) == ("report.created", "created", body["id"])
    assert event.ops_payload["reporter"]["phone"] == "+84905123456"
    assert event.ops_payload["tracking_code"] == body["tracking_code"]
    assert event.agency_payload is not None and event.agency_id is not None
    assert "reporter" not in event.agency_payload and "+84905123456" not in str(event.agency_payload)
    assert "reporter" not in event.citizen_payload
    assert event.citizen_payload["status"] == body["status"]
    # and after commit it went to the operators, the agency and the report's own group
    groups = [group for group, _ in published]
    assert groups[0] == "ops" and f"agency.{event.agency_id}" in groups and f"report.{body['id']}" in groups
    assert all(message["seq"] == event.id for _, message in published)


def test_a_submission_that_fails_in_its_transaction_logs_and_publishes_nothing(citizen_client, published, monkeypatch):
    from backend.reports.models import Report
    from backend.reports.services import intake as services

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # given a failure after the event was recorded, inside the same transaction
    monkeypatch.setattr(services.IdempotencyKey.objects, "create", fail)
    with pytest.raises(RuntimeError):
        citizen_client.post(
            "/api/v1/reports/", {"description": "Đèn đường hỏng", **CITADEL}, HTTP_IDEMPOTENCY_KEY="k-1"
        )
    assert Report.objects.count() == 0
    assert EventLog.objects.count() == 0
    assert published == []


def test_record_outside_a_transaction_publishes_at_once(published):
    from realtime import log

    row = log.record("report.updated", report_id=7, change="note", payloads={"ops": {"id": 7}})
    assert [group for group, _ in published] == ["ops"]
    assert published[0][1]["seq"] == row.id


def test_record_refuses_unknown_audiences():
    from realtime import log

    with pytest.raises(ValueError), transaction.atomic():
        log.record("report.updated", report_id=7, payloads={"press": {"id": 7}})
    assert EventLog.objects.count() == 0
