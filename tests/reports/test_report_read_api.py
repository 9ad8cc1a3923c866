"""GET /api/v1/reports/mine/ and /api/v1/reports/{id}/: a citizen sees their own reports only."""

from __future__ import annotations

import pytest

from backend.reports.models import ReportEvent

URL = "/api/v1/reports/"


@pytest.fixture(autouse=True)
def _ref(reference_data):
    return reference_data


def submit(client, text: str) -> dict:
    response = client.post(URL, {"description": text, "latitude": "16.46", "longitude": "107.59"}, format="multipart")
    assert response.status_code == 201
    return response.json()


def test_mine_lists_own_reports_newest_first_paginated(citizen_client, other_citizen_client):
    ids = [submit(citizen_client, f"report {i}")["id"] for i in range(3)]
    submit(other_citizen_client, "not mine")
    body = citizen_client.get(f"{URL}mine/?page_size=2").json()
    assert body["count"] == 3
    assert [r["id"] for r in body["results"]] == [ids[2], ids[1]]
    assert body["next"].endswith("page=2&page_size=2")
    page2 = citizen_client.get(f"{URL}mine/?page=2&page_size=2").json()
    assert [r["id"] for r in page2["results"]] == [ids[0]]


def test_detail_has_public_timeline_only(citizen_client):
    report = submit(citizen_client, "Đèn đường hỏng")
    ReportEvent.objects.create(report_id=report["id"], kind="note", note="internal only", is_public=False)
    body = citizen_client.get(f"{URL}{report['id']}/").json()
    assert body["id"] == report["id"]
    assert [e["kind"] for e in body["timeline"]] == ["submitted", "triaged", "routed"]
    assert body["timeline"][0]["kind_name"] == {"vi": "Gửi phản ánh", "en": "Submitted"}


def test_other_citizens_report_is_404(citizen_client, other_citizen_client):
    report = submit(citizen_client, "của tôi")
    response = other_citizen_client.get(f"{URL}{report['id']}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_missing_report_is_404_json(citizen_client):
    response = citizen_client.get(f"{URL}999999/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Không tìm thấy.", "fields": {}}}


def test_mine_requires_a_token(client):
    assert client.get(f"{URL}mine/").status_code == 401
