"""/api/v1/agency/tickets/...: an agency's own tickets, never the reporter, and its actions."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from backend.accounts.models import Role
from backend.reports.models import Photo, Report, Status
from tests.conftest import upload
from tests.factories import make_report, make_staff, snapshot

URL = "/api/v1/agency/tickets/"


@pytest.fixture
def reporter(reference_data, make_citizen):
    user = make_citizen("+84905333444")
    user.first_name = "Hoa"
    user.save()
    return user


@pytest.fixture
def hepco(reference_data, client_for):
    return client_for(make_staff("staff-hepco", Role.AGENCY, "hepco"))


@pytest.fixture
def huewaco(reference_data, client_for):
    return client_for(make_staff("staff-huewaco", Role.AGENCY, "huewaco"))


def test_list_shows_own_tickets_only_with_deadlines_and_overdue(hepco, reporter):
    late = make_report(reporter, agency="hepco", due_in=-timedelta(hours=2), urgency="normal")
    urgent = make_report(reporter, agency="hepco", urgency="critical", due_in=timedelta(hours=3))
    make_report(reporter, agency="huewaco", category="water_supply")
    make_report(reporter, agency=None, status=Status.NEEDS_REVIEW)
    body = hepco.get(URL).json()
    assert [(r["id"], r["overdue"]) for r in body["results"]] == [(urgent.pk, False), (late.pk, True)]
    assert body["results"][1]["due_at"] is not None
    assert body["results"][0]["urgency_name"] == {"vi": "Khẩn cấp", "en": "Critical"}
    assert [r["id"] for r in hepco.get(f"{URL}?overdue=true").json()["results"]] == [late.pk]


def test_agency_payloads_never_name_the_reporter(hepco, reporter):
    ticket = make_report(reporter, agency="hepco")
    raw = json.dumps([hepco.get(URL).json(), hepco.get(f"{URL}{ticket.pk}/").json()], ensure_ascii=False)
    assert reporter.phone not in raw
    assert "Hoa" not in raw
    assert "reporter" not in raw
    assert "+8490" not in raw


def test_another_agencys_ticket_is_404_for_reading_and_acting(huewaco, reporter):
    ticket = make_report(reporter, agency="hepco")
    before = snapshot(ticket.pk)
    assert huewaco.get(f"{URL}{ticket.pk}/").status_code == 404
    for action, payload in [("accept", {}), ("progress", {"note": "x"}), ("resolve", {"note": "x"}),
                            ("return", {"reason": "x"})]:
        response = huewaco.post(f"{URL}{ticket.pk}/{action}/", payload)
        assert response.status_code == 404, action
        assert response.json()["error"]["code"] == "not_found"
    assert snapshot(ticket.pk) == before


def test_accept_progress_resolve_with_photos(hepco, reporter, real_photo_paths):
    ticket = make_report(reporter, agency="hepco")
    accepted = hepco.post(f"{URL}{ticket.pk}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["status_name"] == {"vi": "Đơn vị đã tiếp nhận", "en": "Accepted"}
    progress = hepco.post(f"{URL}{ticket.pk}/progress/", {"note": "Đã cử đội thu gom"}, format="json")
    assert progress.json()["status"] == "in_progress"
    photos = [upload(f"after{i}.jpg", path.read_bytes()) for i, path in enumerate(real_photo_paths[:2])]
    resolved = hepco.post(
        f"{URL}{ticket.pk}/resolve/", {"note": "Đã dọn sạch", "photos": photos}, format="multipart"
    )
    assert resolved.status_code == 200
    body = resolved.json()
    assert body["status"] == "resolved"
    assert len(body["resolution_photos"]) == 2
    assert body["photos"] == []  # the citizen's photos stay apart from the after-photos
    assert re.fullmatch(r"http://testserver/api/v1/photos/\d+/image/\?a=private&e=\d+&s=[0-9a-f]{32}", body["resolution_photos"][0]["url"])
    assert [(e["status"], e["note"]) for e in body["timeline"]][-3:] == [
        ("accepted", ""), ("in_progress", "Đã cử đội thu gom"), ("resolved", "Đã dọn sạch")
    ]
    assert Photo.objects.filter(report=ticket, kind="resolution").count() == 2


def test_resolve_refuses_six_photos_and_a_fake_one_and_changes_nothing(hepco, reporter, real_jpeg, settings):
    ticket = make_report(reporter, agency="hepco", status=Status.ACCEPTED)
    before = snapshot(ticket.pk)
    six = hepco.post(f"{URL}{ticket.pk}/resolve/",
                     {"note": "x", "photos": [upload(f"{i}.jpg", real_jpeg) for i in range(6)]}, format="multipart")
    assert six.status_code == 400
    assert six.json()["error"]["code"] == "too_many_photos"
    fake = hepco.post(f"{URL}{ticket.pk}/resolve/",
                      {"note": "x", "photos": [upload("ok.jpg", real_jpeg), upload("evil.jpg", b"<html>")]},
                      format="multipart")
    assert fake.status_code == 400
    assert list(fake.json()["error"]["fields"]) == ["photos"]
    assert snapshot(ticket.pk) == before
    media = settings.MEDIA_ROOT
    assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []


def test_resolve_before_accepting_is_409_and_stores_no_file(hepco, reporter, real_jpeg, settings):
    ticket = make_report(reporter, agency="hepco", status=Status.ASSIGNED)
    before = snapshot(ticket.pk)
    response = hepco.post(f"{URL}{ticket.pk}/resolve/", {"note": "x", "photos": [upload("a.jpg", real_jpeg)]},
                          format="multipart")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"
    assert snapshot(ticket.pk) == before
    media = settings.MEDIA_ROOT
    assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []


def test_return_needs_a_reason_and_sends_the_ticket_back_to_the_operators(hepco, reporter, operator_client):
    ticket = make_report(reporter, agency="hepco", status=Status.ACCEPTED)
    before = snapshot(ticket.pk)
    missing = hepco.post(f"{URL}{ticket.pk}/return/", {}, format="json")
    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["reason"]
    assert snapshot(ticket.pk) == before
    returned = hepco.post(f"{URL}{ticket.pk}/return/", {"reason": "Việc của Huewaco"}, format="json")
    assert returned.status_code == 200
    assert returned.json() == {
        "id": ticket.pk, "status": "returned", "status_name": {"vi": "Đơn vị trả lại", "en": "Returned"}
    }
    # then it left the agency's board and waits in the operators' queue
    assert hepco.get(f"{URL}{ticket.pk}/").status_code == 404
    assert hepco.get(URL).json()["results"] == []
    queue = operator_client.get("/api/v1/ops/reports/?status=returned").json()["results"]
    assert [(r["id"], r["agency"]) for r in queue] == [(ticket.pk, None)]


def test_accepting_twice_is_409(hepco, reporter):
    ticket = make_report(reporter, agency="hepco")
    assert hepco.post(f"{URL}{ticket.pk}/accept/").status_code == 200
    before = snapshot(ticket.pk)
    again = hepco.post(f"{URL}{ticket.pk}/accept/")
    assert again.status_code == 409
    assert snapshot(ticket.pk) == before
    assert Report.objects.get(pk=ticket.pk).status == "accepted"


def test_agency_timeline_hides_internal_notes(hepco, reporter, operator_client):
    ticket = make_report(reporter, agency="hepco")
    operator_client.post(f"/api/v1/ops/reports/{ticket.pk}/notes/", {"note": "nội bộ IOC"}, format="json")
    body = hepco.get(f"{URL}{ticket.pk}/").json()
    assert [e["kind"] for e in body["timeline"]] == ["submitted"]


def test_citizen_sees_the_after_photos_apart_from_their_own(hepco, reporter, real_photo_paths, client_for):
    # given a resolved ticket with one after-photo
    ticket = make_report(reporter, agency="hepco")
    hepco.post(f"{URL}{ticket.pk}/accept/")
    hepco.post(
        f"{URL}{ticket.pk}/resolve/",
        {"note": "Đã dọn", "photos": [upload("after.jpg", real_photo_paths[5].read_bytes())]},
        format="multipart",
    )
    # when the reporter opens their report
    body = client_for(reporter).get(f"/api/v1/reports/{ticket.pk}/").json()
    # then the after-photo is listed as such, not among the citizen's photos
    assert body["photos"] == []
    assert len(body["resolution_photos"]) == 1
    assert re.fullmatch(r"http://testserver/api/v1/photos/\d+/image/\?a=private&e=\d+&s=[0-9a-f]{32}", body["resolution_photos"][0]["url"])
