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


def test_guessing_codes_is_limited_per_address_and_a_right_guess_past_the_limit_is_refused_too(
    citizen, reference_data, settings
):
    # given a limit of 3 codes per hour that match nothing, and a real report
    settings.TRACK_MISSES_PER_IP_PER_HOUR = 3
    report = make_report(citizen, status=Status.ASSIGNED, agency="hepco", category="environment")
    guesser = APIClient(REMOTE_ADDR="203.0.113.7")
    # when the owner's page polls its own code many times, it is never limited (found codes give back)
    assert [guesser.get(f"/api/v1/public/track/{report.tracking_code}/").status_code for _ in range(5)] == [200] * 5
    # and when one address tries codes that do not exist
    statuses = [guesser.get(f"/api/v1/public/track/{code}/").status_code
                for code in ("ABCD-EFGH", "ABCD-EFGJ", "ABCD-EFGK", "ABCD-EFGM")]
    # then the fourth miss is refused with Retry-After, and so is the right code from that address
    assert statuses == [404, 404, 404, 429]
    refused = guesser.get(f"/api/v1/public/track/{report.tracking_code}/")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "track_lookups_limited"
    assert 1 <= int(refused["Retry-After"]) <= 3600
    # and the assistant, asked for the same code from that address, is refused the same way
    asked = guesser.post("/api/v1/assistant/", {"message": f"Mã {report.tracking_code} sao rồi?"}, format="json")
    assert asked.status_code == 429
    # while another address still finds it
    other = APIClient(REMOTE_ADDR="198.51.100.9").get(f"/api/v1/public/track/{report.tracking_code}/")
    assert other.status_code == 200
