"""The citizen's follow-up (rating, reopen) and the whole path from submission to rating, by API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.models import Role
from backend.reports.models import Report, Status
from tests.conftest import upload
from tests.factories import make_report, make_staff, snapshot


@pytest.fixture
def transport(reference_data, client_for):
    return client_for(make_staff("staff-transport", Role.AGENCY, "transport"))


def test_the_whole_path_from_submission_to_rating(citizen_client, operator_client, transport, real_jpeg):
    # given a citizen's report, submitted through the intake API
    submitted = citizen_client.post(
        "/api/v1/reports/",
        {"description": "Ổ gà rất lớn trên đường Lê Lợi trước trường Quốc Học", "latitude": "16.4637",
         "longitude": "107.5909", "photos": [upload("pothole.jpg", real_jpeg)]},
        format="multipart",
    )
    assert submitted.status_code == 201
    report_id = submitted.json()["id"]
    # when the operator confirms it as road damage, high
    triaged = operator_client.post(
        f"/api/v1/ops/reports/{report_id}/triage/", {"category": "road_damage", "urgency": "high"}, format="json"
    )
    assert triaged.status_code == 200
    assert (triaged.json()["status"], triaged.json()["agency"]) == ("assigned", "transport")
    # and the transport department accepts, reports progress and resolves with an after-photo
    assert transport.get("/api/v1/agency/tickets/").json()["results"][0]["id"] == report_id
    assert transport.post(f"/api/v1/agency/tickets/{report_id}/accept/").status_code == 200
    assert transport.post(
        f"/api/v1/agency/tickets/{report_id}/progress/", {"note": "Đã khảo sát hiện trường"}, format="json"
    ).status_code == 200
    resolved = transport.post(
        f"/api/v1/agency/tickets/{report_id}/resolve/",
        {"note": "Đã vá ổ gà", "photos": [upload("after.jpg", real_jpeg)]}, format="multipart",
    )
    assert resolved.status_code == 200
    # then the citizen follows every public step and rates the result
    mine = citizen_client.get(f"/api/v1/reports/{report_id}/").json()
    assert mine["status"] == "resolved"
    assert [e["status"] for e in mine["timeline"]][-4:] == ["assigned", "accepted", "in_progress", "resolved"]
    assert mine["timeline"][-1]["note"] == "Đã vá ổ gà"
    rated = citizen_client.post(f"/api/v1/reports/{report_id}/rating/", {"stars": 5, "comment": "Rất nhanh"},
                                format="json")
    assert rated.status_code == 200
    assert rated.json()["status"] == "closed"
    assert rated.json()["status_name"] == {"vi": "Đã đóng", "en": "Closed"}
    assert rated.json()["timeline"][-1]["kind"] == "rated"
    assert (rated.json()["rating_stars"], rated.json()["rating_comment"]) == (5, "Rất nhanh")
    report = Report.objects.get(pk=report_id)
    assert (report.rating_stars, report.rating_comment) == (5, "Rất nhanh")
    # and the operator sees the full story
    detail = operator_client.get(f"/api/v1/ops/reports/{report_id}/").json()
    assert [e["actor_role"] for e in detail["timeline"]][-5:] == ["operator", "agency", "agency", "agency", "citizen"]


def test_rating_is_given_once(citizen, citizen_client, reference_data):
    report = make_report(citizen, status=Status.RESOLVED, resolved_ago=timedelta(hours=3))
    assert citizen_client.post(f"/api/v1/reports/{report.pk}/rating/", {"stars": 3}, format="json").status_code == 200
    before = snapshot(report.pk)
    again = citizen_client.post(f"/api/v1/reports/{report.pk}/rating/", {"stars": 5}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    assert snapshot(report.pk) == before


@pytest.mark.parametrize("payload", [{"stars": 0}, {"stars": 6}, {"stars": "five"}, {}])
def test_rating_out_of_range_is_400_and_changes_nothing(citizen, citizen_client, reference_data, payload):
    report = make_report(citizen, status=Status.RESOLVED, resolved_ago=timedelta(hours=3))
    before = snapshot(report.pk)
    response = citizen_client.post(f"/api/v1/reports/{report.pk}/rating/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["stars"]
    assert snapshot(report.pk) == before


def test_rating_before_resolution_is_409(citizen, citizen_client, reference_data):
    report = make_report(citizen, status=Status.IN_PROGRESS)
    before = snapshot(report.pk)
    response = citizen_client.post(f"/api/v1/reports/{report.pk}/rating/", {"stars": 4}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"
    assert snapshot(report.pk) == before


def test_reopen_within_the_window_back_to_the_agency(citizen, citizen_client, reference_data, settings, client_for):
    settings.REOPEN_WINDOW_DAYS = 5
    report = make_report(citizen, status=Status.RESOLVED, resolved_ago=timedelta(days=4))
    response = citizen_client.post(f"/api/v1/reports/{report.pk}/reopen/", {"reason": "Vẫn còn rác"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["agency"]) == ("reopened", "hepco")
    assert body["status_name"] == {"vi": "Mở lại", "en": "Reopened"}
    assert body["timeline"][-1]["note"] == "Vẫn còn rác"
    board = client_for(make_staff("staff-hepco", Role.AGENCY, "hepco")).get("/api/v1/agency/tickets/").json()
    assert [r["id"] for r in board["results"]] == [report.pk]


def test_reopen_outside_the_window_or_without_reason_is_refused(citizen, citizen_client, reference_data, settings):
    settings.REOPEN_WINDOW_DAYS = 5
    report = make_report(citizen, status=Status.CLOSED, resolved_ago=timedelta(days=5, hours=1))
    before = snapshot(report.pk)
    no_reason = citizen_client.post(f"/api/v1/reports/{report.pk}/reopen/", {}, format="json")
    assert no_reason.status_code == 400
    assert list(no_reason.json()["error"]["fields"]) == ["reason"]
    late = citizen_client.post(f"/api/v1/reports/{report.pk}/reopen/", {"reason": "x"}, format="json",
                               HTTP_ACCEPT_LANGUAGE="en")
    assert late.status_code == 409
    assert late.json()["error"] == {
        "code": "reopen_window_passed",
        "message": "More than 5 days have passed since it was resolved; it can no longer be reopened.",
        "fields": {},
    }
    assert snapshot(report.pk) == before


def test_another_citizens_report_is_404(citizen, other_citizen_client, reference_data):
    report = make_report(citizen, status=Status.RESOLVED, resolved_ago=timedelta(hours=1))
    before = snapshot(report.pk)
    assert other_citizen_client.post(f"/api/v1/reports/{report.pk}/rating/", {"stars": 1}, format="json").status_code == 404
    assert other_citizen_client.post(f"/api/v1/reports/{report.pk}/reopen/", {"reason": "x"}, format="json").status_code == 404
    assert snapshot(report.pk) == before


def test_rejected_report_tells_its_citizen_why(citizen, citizen_client, operator_client, reference_data):
    report = make_report(citizen, status=Status.NEEDS_REVIEW, agency=None)
    operator_client.post(f"/api/v1/ops/reports/{report.pk}/reject/", {"reason": "Ngoài phạm vi"}, format="json")
    mine = citizen_client.get(f"/api/v1/reports/{report.pk}/").json()
    assert mine["status_name"] == {"vi": "Từ chối", "en": "Rejected"}
    assert (mine["timeline"][-1]["status"], mine["timeline"][-1]["note"]) == ("rejected", "Ngoài phạm vi")
    assert timezone.now() - Report.objects.get(pk=report.pk).closed_at < timedelta(minutes=1)
