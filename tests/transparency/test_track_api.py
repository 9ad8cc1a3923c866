"""GET /api/v1/public/track/{code}/: a report's status, deadline and public timeline by its code."""

from __future__ import annotations

from rest_framework.test import APIClient

from backend.reports.models import ReportEvent, Status
from tests.reports.test_lifecycle import make_report

KEYS = {"tracking_code", "status", "status_name", "due_at", "overdue", "next_step", "restricted", "agency",
        "category", "timeline", "created_at", "updated_at"}


def track(code: str):
    return APIClient().get(f"/api/v1/public/track/{code}/")


def test_a_published_report_by_code(citizen, reference_data):
    report = make_report(citizen, status=Status.ASSIGNED, agency="hepco", category="environment",
                         description="Rác ở kiệt 7, gọi 0905123456")
    ReportEvent.objects.create(report=report, kind="note", actor_role="operator", note="Đã báo tổ thu gom, sđt 0905 999 888",
                               is_public=True)
    ReportEvent.objects.create(report=report, kind="note", actor_role="operator", note="nội bộ", is_public=False)
    response = track(report.tracking_code.lower())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS
    assert (body["tracking_code"], body["status"], body["restricted"], body["overdue"]) == (
        report.tracking_code, "assigned", False, False,
    )
    assert body["agency"]["vi"] == "Công ty Cổ phần Môi trường và Công trình đô thị Huế"
    assert body["category"] == {"vi": "Môi trường", "en": "Environment"}
    assert [e["kind"] for e in body["timeline"]] == ["submitted", "note"]
    assert body["timeline"][1]["note"] == "Đã báo tổ thu gom, sđt [số điện thoại đã ẩn]"
    assert body["next_step"]["en"].startswith("Passed to Huế Urban Environment and Public Works Company (HEPCO)")
    raw = response.content.decode()
    assert "nội bộ" not in raw and "0905123456" not in raw and "kiệt 7" not in raw


def test_an_unpublished_report_shows_only_its_steps(citizen, reference_data):
    report = make_report(citizen, status=Status.REJECTED, agency="police", category="public_security")
    ReportEvent.objects.create(report=report, kind="status", actor_role="operator", new_status="rejected",
                               note="Đã chuyển công an phường xác minh", is_public=True)
    body = track(report.tracking_code.replace("-", "")).json()
    assert (body["restricted"], body["agency"], body["category"]) == (True, None, None)
    assert [e["note"] for e in body["timeline"]] == ["", ""]
    assert "công an" not in str(body).lower().replace("công an), 114", "")


def test_an_unknown_or_malformed_code_is_404(reference_data):
    for code in ("ABCD-EFGH", "not-a-code", "0000-0000"):
        response = track(code)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "tracking_code_not_found"
