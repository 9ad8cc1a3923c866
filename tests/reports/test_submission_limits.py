"""A citizen's submissions are limited; retries of a stored report are not counted; Open311 keys too."""

from __future__ import annotations

import pytest

from backend.reports.models import Report
from realtime.models import EventLog

URL = "/api/v1/reports/"
BODY = {"description": "Cống bị tắc ở kiệt 5 Hàn Mặc Tử", "latitude": "16.47", "longitude": "107.6"}


@pytest.fixture(autouse=True)
def _ref(reference_data, no_triage_model):
    return reference_data


def test_a_citizen_past_the_hourly_limit_gets_429_and_nothing_is_stored(citizen_client, settings):
    # given a limit of 3 reports per hour
    settings.REPORTS_PER_USER_PER_HOUR = 3
    statuses = [citizen_client.post(URL, {**BODY, "description": f"Cống tắc {i}"}, format="multipart").status_code
                for i in range(3)]
    events = EventLog.objects.count()
    # when a fourth arrives
    refused = citizen_client.post(URL, {**BODY, "description": "Cống tắc 4"}, format="multipart")
    # then it is refused with Retry-After in the usual error shape, and nothing was stored or published
    assert statuses == [201, 201, 201]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert set(refused.json()["error"]) == {"code", "message", "fields"}
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert Report.objects.count() == 3
    assert EventLog.objects.count() == events


def test_the_daily_limit_holds_too(citizen_client, settings):
    settings.REPORTS_PER_USER_PER_HOUR = 0  # off, to reach the daily one
    settings.REPORTS_PER_USER_PER_DAY = 2
    codes = [citizen_client.post(URL, {**BODY, "description": f"b{i}"}, format="multipart").status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_retries_answered_with_the_stored_report_do_not_count(citizen_client, settings):
    settings.REPORTS_PER_USER_PER_HOUR = 2
    first = citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="k1")
    retries = [citizen_client.post(URL, BODY, format="multipart", HTTP_IDEMPOTENCY_KEY="k1").status_code for _ in range(5)]
    second = citizen_client.post(URL, {**BODY, "description": "another"}, format="multipart", HTTP_IDEMPOTENCY_KEY="k2")
    assert (first.status_code, retries, second.status_code) == (201, [200] * 5, 201)


def test_each_citizen_has_their_own_allowance(citizen_client, other_citizen_client, settings):
    settings.REPORTS_PER_USER_PER_HOUR = 1
    assert citizen_client.post(URL, BODY, format="multipart").status_code == 201
    assert citizen_client.post(URL, {**BODY, "description": "x"}, format="multipart").status_code == 429
    assert other_citizen_client.post(URL, BODY, format="multipart").status_code == 201


def test_an_open311_key_has_its_own_allowance(settings, client_for, citizen):
    from rest_framework.test import APIClient

    from backend.accounts.tokens import token_issue

    settings.OPEN311_REQUESTS_PER_KEY_PER_HOUR = 2
    key = token_issue(user=citizen, device="open311")
    form = {"api_key": key, "service_code": "road_damage", "description": "Ổ gà", "lat": "16.4698", "long": "107.5786"}
    answers = [APIClient().post("/open311/v2/requests.json", form) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()[0]["code"] == 429
    assert int(answers[2]["Retry-After"]) >= 1
    assert Report.objects.count() == 2
