"""Faults: the database lost mid-request, the server dying during a submit, a retry storm on one key."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection

from backend.reports.models import IdempotencyKey, Photo, Report, ReportEvent
from backend.reports.services import intake
from backend.reports.services.intake import ReportInput, report_submit
from realtime.models import EventLog
from tests.conftest import png_bytes, upload

URL = "/api/v1/reports/"


def body(**extra):
    return {"description": "Cống tắc ở kiệt 5", "latitude": "16.4637", "longitude": "107.5909", **extra}


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_database_lost_mid_submit_answers_503_and_keeps_nothing(citizen_client, reference_data, no_triage_model,
                                                                    monkeypatch, settings):
    # given the connection dies after the report row was written, inside the transaction
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Photo.objects, "bulk_create", lost)
    response = citizen_client.post(URL, body(photos=[upload("a.png", png_bytes(), "image/png")]), format="multipart",
                                   HTTP_IDEMPOTENCY_KEY="k-lost")
    # then the phone is told to retry, and nothing of the attempt remains: rows, files, broadcasts
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "temporarily_unavailable"
    assert response["Retry-After"] == "5"
    assert (Report.objects.count(), ReportEvent.objects.count(), IdempotencyKey.objects.count()) == (0, 0, 0)
    assert EventLog.objects.count() == 0
    assert stored_files(settings) == []
    # and the retry with the same key, the database back, creates the report once
    monkeypatch.undo()
    retry = citizen_client.post(URL, body(photos=[upload("a.png", png_bytes(), "image/png")]), format="multipart",
                                HTTP_IDEMPOTENCY_KEY="k-lost")
    assert retry.status_code == 201
    assert Report.objects.count() == 1


def test_a_lost_database_on_a_page_is_503_too(client, db, monkeypatch):
    from backend.transparency import selectors

    def lost(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(selectors, "public_report_list", lost)
    response = client.get("/api/v1/public/reports/")
    assert response.status_code == 503


class ServerKilled(BaseException):
    """What a killed worker looks like from inside: the request stops where it is, nothing is answered."""


def test_killed_before_the_commit_the_retry_creates_the_report_once(citizen_client, reference_data,
                                                                    no_triage_model, monkeypatch):
    real = intake._insert_report

    def killed(*args, **kwargs):
        real(*args, **kwargs)
        raise ServerKilled

    monkeypatch.setattr(intake, "_insert_report", killed)
    with pytest.raises(ServerKilled):
        citizen_client.post(URL, body(), format="multipart", HTTP_IDEMPOTENCY_KEY="k-kill-1")
    assert Report.objects.count() == 0
    monkeypatch.undo()
    retry = citizen_client.post(URL, body(), format="multipart", HTTP_IDEMPOTENCY_KEY="k-kill-1")
    assert retry.status_code == 201
    assert Report.objects.count() == 1


def test_killed_after_the_commit_the_retry_answers_with_the_stored_report(citizen_client, citizen, reference_data,
                                                                          no_triage_model, monkeypatch):
    from backend.reports.apis import citizen as citizen_api

    real = citizen_api.services.report_submit

    def killed(**kwargs):
        real(**kwargs)
        raise ServerKilled  # committed, but the answer never left

    monkeypatch.setattr(citizen_api.services, "report_submit", killed)
    with pytest.raises(ServerKilled):
        citizen_client.post(URL, body(), format="multipart", HTTP_IDEMPOTENCY_KEY="k-kill-2")
    monkeypatch.undo()
    retry = citizen_client.post(URL, body(), format="multipart", HTTP_IDEMPOTENCY_KEY="k-kill-2")
    assert retry.status_code == 200
    assert Report.objects.count() == 1
    assert retry.json()["id"] == Report.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_submissions_with_one_key_make_one_report(citizen, reference_data, no_triage_model):
    # given a phone whose retries pile up: 200 copies of one submission, 40 at a time
    start = threading.Barrier(40)
    outcomes = []

    def submit(n: int):
        try:
            if n < 40:
                start.wait()
            return report_submit(user=citizen, data=ReportInput(description="Cống tắc", latitude=16.47, longitude=107.6),
                                 idempotency_key="storm")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(submit, range(200)))
    # then one report exists, every answer names it, and exactly one says it was created
    assert Report.objects.count() == 1
    assert {o.report.pk for o in outcomes} == {Report.objects.get().pk}
    assert sum(o.created for o in outcomes) == 1
    assert EventLog.objects.filter(report_id=Report.objects.get().pk).count() == 1
