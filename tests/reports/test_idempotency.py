"""Idempotency-Key: a phone on a flaky network retries; the city gets the report exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.reports.models import IdempotencyKey, Report
from backend.reports.services.intake import idempotency_keys_purge

URL = "/api/v1/reports/"
BODY = {"description": "Cống bị tắc ở kiệt 5 Hàn Mặc Tử", "latitude": "16.47", "longitude": "107.6"}


@pytest.fixture(autouse=True)
def _ref(reference_data):
    return reference_data


def test_retry_with_same_key_returns_the_same_report(citizen_client):
    first = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="k-1")
    second = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["tracking_code"] == second.json()["tracking_code"]
    assert Report.objects.count() == 1


def test_same_key_with_a_different_body_is_422_and_changes_nothing(citizen_client):
    citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="k-2")
    response = citizen_client.post(
        URL, {**BODY, "description": "khác"}, format="multipart", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1
    assert Report.objects.get().description == BODY["description"]


def test_keys_are_per_user(citizen_client, other_citizen_client):
    a = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="shared")
    b = other_citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="shared")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_without_key_two_posts_are_two_reports(citizen_client):
    citizen_client.post(URL, BODY, format="multipart")
    citizen_client.post(URL, BODY, format="multipart")
    assert Report.objects.count() == 2


def test_key_survives_a_restart(citizen_client, citizen, client_for):
    # given a report submitted with a key
    first = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="after-restart")
    # when the server restarts (nothing in memory survives; a new client, a new token) and the phone retries
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    retry = client_for(citizen).post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="after-restart")
    # then the database-stored key answers with the original report
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]


def test_key_older_than_seven_days_is_forgotten(citizen_client):
    citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(days=8))
    again = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="old")
    assert again.status_code == 201
    assert Report.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1
    # the key now answers for the new report
    assert IdempotencyKey.objects.get().report_id == again.json()["id"]


def test_a_new_key_costs_one_indexed_probe_and_one_insert(citizen_client):
    # given a key this citizen never used
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # when the report is submitted with it
    with CaptureQueriesContext(connection) as queries:
        response = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="fresh")
    # then the key table saw one lookup without a join or an ORDER BY, and one insert (no delete)
    assert response.status_code == 201
    touching = [q["sql"] for q in queries.captured_queries if "reports_idempotencykey" in q["sql"]]
    assert [sql.split()[0] for sql in touching] == ["SELECT", "INSERT"]
    assert "JOIN" not in touching[0] and "ORDER BY" not in touching[0]


def test_purge_removes_only_expired_keys(citizen_client):
    citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="fresh")
    citizen_client.post(URL, {**BODY, "description": "b"}, format="multipart", HTTP_IDEMPOTENCY_KEY="stale")
    IdempotencyKey.objects.filter(key="stale").update(created_at=timezone.now() - timedelta(days=7, seconds=1))
    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


@pytest.mark.parametrize("key", ["x" * 256, "tab\tkey"])
def test_malformed_key_is_refused(citizen_client, key):
    response = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_invalid"
    assert Report.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_report(citizen, reference_data, no_triage_model):
    # given two copies of the same submission racing (the phone retried before the first answer)
    import threading

    from django.db import connection

    from backend.reports.services.intake import ReportInput, report_submit

    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        barrier.wait()
        try:
            outcomes.append(
                report_submit(
                    user=citizen,
                    data=ReportInput(description="Cống tắc", latitude=16.47, longitude=107.6),
                    idempotency_key="race",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one report exists and both answers name it, one as created
    assert Report.objects.count() == 1
    assert sorted(o.created for o in outcomes) == [False, True]
    assert {o.report.pk for o in outcomes} == {Report.objects.get().pk}
