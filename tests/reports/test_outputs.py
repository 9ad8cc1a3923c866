"""One shape per audience: REST answers have exact key sets, and each socket carries its audience's REST shape."""

from __future__ import annotations

import pytest

from backend.accounts.models import Role
from backend.reports.models import Status
from realtime.models import EventLog
from tests.conftest import png_bytes, upload
from tests.factories import make_report, make_staff

CITIZEN_KEYS = {
    "id", "tracking_code", "status", "status_name", "description", "latitude", "longitude", "anonymous",
    "category", "category_name", "urgency", "urgency_name", "triage", "area", "area_name", "agency",
    "agency_name", "due_at", "photos", "resolution_photos", "me_too_count", "merged_into",
    "client_created_at", "created_at", "updated_at",
}
DEADLINE_KEYS = {"open", "overdue", "reopened_count", "resolved_at", "closed_at", "rating_stars", "rating_comment"}
OPERATOR_ROW_KEYS = CITIZEN_KEYS | DEADLINE_KEYS | {
    "needs_review_reasons", "routing_reason", "routing_rule_id", "reporter", "sensitive", "actions", "urgency_rank",
    "health",
}
OPERATOR_DETAIL_KEYS = OPERATOR_ROW_KEYS | {
    "triage_scores", "routing_rule", "photo_locations", "duplicates", "merged_reports", "timeline",
}
AGENCY_ROW_KEYS = (CITIZEN_KEYS - {"anonymous"}) | DEADLINE_KEYS | {"actions", "health"}
AGENCY_DETAIL_KEYS = AGENCY_ROW_KEYS | {"timeline"}
PUBLIC_KEYS = {
    "id", "status", "status_name", "open", "description", "latitude", "longitude", "category",
    "category_name", "urgency", "urgency_name", "area", "area_name", "agency", "agency_name", "due_at",
    "overdue", "me_too_count", "merged_into", "photos", "resolution_photos", "created_at", "updated_at",
    "resolved_at",
}


@pytest.fixture
def submitted(citizen_client, fake_triage):
    """A report submitted through the API, confidently triaged and routed to HEPCO."""
    fake_triage("environment", "normal", 0.95)
    response = citizen_client.post(
        "/api/v1/reports/",
        {"description": "Rác thải tràn ra đường Lê Lợi", "latitude": "16.4637", "longitude": "107.5909"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_citizen_answers_and_socket_payload_have_the_citizen_keys(citizen_client, submitted):
    detail = citizen_client.get(f"/api/v1/reports/{submitted['id']}/").json()
    mine = citizen_client.get("/api/v1/reports/mine/").json()["results"][0]
    payload = EventLog.objects.get(report_id=submitted["id"]).citizen_payload

    assert set(submitted) == CITIZEN_KEYS
    assert set(mine) == CITIZEN_KEYS
    assert set(detail) == CITIZEN_KEYS | {"timeline", "rating_stars", "rating_comment"}
    assert set(payload) == CITIZEN_KEYS


def test_operator_rows_detail_and_socket_share_one_shape(operator_client, submitted):
    row = operator_client.get("/api/v1/ops/reports/").json()["results"][0]
    detail = operator_client.get(f"/api/v1/ops/reports/{submitted['id']}/").json()
    payload = EventLog.objects.get(report_id=submitted["id"]).ops_payload

    assert set(row) == OPERATOR_ROW_KEYS
    assert set(detail) == OPERATOR_DETAIL_KEYS
    assert set(payload) == OPERATOR_ROW_KEYS
    # the five fields the old Meta.fields listed but a plain Serializer dropped are really there
    assert (row["reopened_count"], row["resolved_at"], row["closed_at"], row["rating_stars"], row["rating_comment"]) == (
        0, None, None, None, ""
    )
    assert (row["open"], row["overdue"], row["urgency_rank"]) == (True, False, 2)
    # what the screen may offer comes from the transition table, not from a copy in the page
    assert row["actions"] == payload["actions"] == ["triage", "assign", "reject", "merge", "note", "mark_sensitive", "health_kind"]
    # the same photo URLs in REST and socket: absolute, from PUBLIC_BASE_URL, not from a request
    assert payload["photos"] == row["photos"] == []


def test_agency_rows_detail_and_socket_share_one_shape(client_for, submitted):
    hepco = client_for(make_staff("staff-hepco", Role.AGENCY, "hepco"))
    row = hepco.get("/api/v1/agency/tickets/").json()["results"][0]
    detail = hepco.get(f"/api/v1/agency/tickets/{submitted['id']}/").json()
    payload = EventLog.objects.get(report_id=submitted["id"]).agency_payload

    assert set(row) == AGENCY_ROW_KEYS
    assert set(detail) == AGENCY_DETAIL_KEYS
    assert set(payload) == AGENCY_ROW_KEYS
    assert "anonymous" not in payload and "reporter" not in payload
    assert row["actions"] == payload["actions"] == ["accept", "return"]


def test_public_list_and_detail_keys(client, reference_data, make_citizen):
    report = make_report(make_citizen(), status=Status.ASSIGNED)
    row = client.get("/api/v1/public/reports/").json()["results"][0]
    detail = client.get(f"/api/v1/public/reports/{report.pk}/").json()

    assert set(row) == PUBLIC_KEYS
    assert set(detail) == PUBLIC_KEYS | {"timeline"}


def test_photo_urls_are_absolute_from_the_setting_in_rest_and_socket(citizen_client, fake_triage, settings):
    # given the city serves its API at a public address
    settings.PUBLIC_BASE_URL = "https://phananh.hue.gov.vn"
    fake_triage("environment", "normal", 0.95)
    # when a citizen submits a photo
    body = citizen_client.post(
        "/api/v1/reports/",
        {"description": "Rác", "latitude": "16.4637", "longitude": "107.5909", "photos": [upload("a.png", png_bytes())]},
        format="multipart",
    ).json()
    payload = EventLog.objects.get(report_id=body["id"]).ops_payload
    # then REST and the operators' socket carry the same absolute URL
    assert body["photos"][0]["url"].startswith("https://phananh.hue.gov.vn/api/v1/photos/")
    assert payload["photos"][0]["url"] == body["photos"][0]["url"]
