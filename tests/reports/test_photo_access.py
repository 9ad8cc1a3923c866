"""Photo files: signed short-lived URLs, public ones only while the report is published."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from backend.reports.models import Photo, Report
from backend.reports.services import lifecycle
from routing.models import Category
from tests.conftest import png_bytes, upload
from tests.factories import make_staff


@pytest.fixture
def submitted(citizen_client, fake_triage, reference_data):
    """A report with a photo, confidently routed (so published), as its citizen got it back."""
    fake_triage("environment", "normal", 0.95)
    body = citizen_client.post(
        "/api/v1/reports/",
        {"description": "Rác tràn ra đường", "latitude": 16.4637, "longitude": 107.5909,
         "photos": [upload("a.png", png_bytes(), "image/png")]},
        format="multipart",
    ).json()
    assert body["status"] == "assigned"
    return body


def fetch(url: str):
    parts = urlsplit(url)
    return APIClient().get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})


def public_photo_url(report_id: int) -> str:
    return APIClient().get(f"/api/v1/public/reports/{report_id}/").json()["photos"][0]["url"]


def test_the_citizens_url_serves_the_stored_file(submitted, settings):
    response = fetch(submitted["photos"][0]["url"])
    stored = Photo.objects.get()
    assert response.status_code == 200
    assert response["Content-Type"] == stored.content_type
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content) == (settings.MEDIA_ROOT / stored.image.name).read_bytes()
    assert fetch(submitted["photos"][0]["thumbnail_url"]).status_code == 200


def test_a_public_url_stops_answering_when_the_report_is_rejected(submitted, operator):
    url = public_photo_url(submitted["id"])
    assert fetch(url).status_code == 200
    # the report turns out to be spam (still in the operators' stage: assigned, not accepted)
    lifecycle.report_reject(actor=operator, report_id=submitted["id"], reason="spam")
    assert fetch(url).status_code == 404


def test_a_public_url_stops_answering_when_the_report_is_restricted(submitted, operator):
    url = public_photo_url(submitted["id"])
    lifecycle.report_mark_sensitive(actor=operator, report_id=submitted["id"], sensitive=True, reason="tên người")
    assert fetch(url).status_code == 404


def test_a_public_url_stops_answering_when_re_triaged_into_health(submitted, operator):
    url = public_photo_url(submitted["id"])
    lifecycle.report_triage_confirm(
        actor=operator, report_id=submitted["id"], category=Category.objects.get(code="health_epidemic"),
        urgency="high",
    )
    assert fetch(url).status_code == 404


def test_the_reporter_still_sees_their_photo_after_a_rejection(submitted, operator, citizen_client):
    lifecycle.report_reject(actor=operator, report_id=submitted["id"], reason="spam")
    mine = citizen_client.get(f"/api/v1/reports/{submitted['id']}/").json()
    assert fetch(mine["photos"][0]["url"]).status_code == 200


def _tampered(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    path = parts.path
    for key, value in changes.items():
        if key == "path":
            path = value
        else:
            query[key] = value
    return f"{parts.scheme}://{parts.netloc}{path}?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_any_change_to_a_signed_url_answers_404(submitted, make_citizen, fake_triage, citizen_client):
    url = submitted["photos"][0]["url"]
    photo = Photo.objects.get()
    forged = [
        _tampered(url, a="public"),  # a private URL made public
        _tampered(url, e=str(int(parse_qs(urlsplit(url).query)["e"][0]) + 3600)),  # a later expiry
        _tampered(url, s="0" * 32),
        _tampered(url, path=f"/api/v1/photos/{photo.pk}/thumbnail/"),  # the other variant
        _tampered(url, path=f"/api/v1/photos/{photo.pk + 1}/image/"),  # another photo
        _tampered(url, e="soon"),
        url.split("?")[0],  # no signature at all
    ]
    assert [fetch(u).status_code for u in forged] == [404] * len(forged)


def test_an_expired_url_answers_404(submitted, monkeypatch):
    import backend.reports.photo_access as access

    url = submitted["photos"][0]["url"]
    expires = int(parse_qs(urlsplit(url).query)["e"][0])
    monkeypatch.setattr(access.time, "time", lambda: expires + 1)
    assert fetch(url).status_code == 404


def test_urls_last_between_one_and_two_windows_and_stay_stable_within_one(settings):
    from backend.reports.photo_access import _expiry

    settings.PHOTO_URL_TTL_SECONDS = 3600
    now = 1_800_000_000 + 100.0  # 1_800_000_000 is a multiple of 3600
    assert _expiry(now) - now == 2 * 3600 - 100
    assert _expiry(now + 3000) == _expiry(now)


def test_photo_files_are_not_served_by_name_any_more(submitted, settings):
    name = Photo.objects.get().image.name
    assert (settings.MEDIA_ROOT / name).exists()
    assert APIClient().get(f"/media/{name}").status_code == 404


def test_unpublished_reports_issue_no_public_urls(reference_data, citizen_client, fake_triage):
    fake_triage("environment", "normal", 0.30)  # unsure: waits for an operator
    body = citizen_client.post(
        "/api/v1/reports/",
        {"description": "Rác", "latitude": 16.4637, "longitude": 107.5909, "photos": [upload("a.png", png_bytes(), "image/png")]},
        format="multipart",
    ).json()
    assert body["status"] == "needs_review"
    assert "a=private&" in body["photos"][0]["url"]
    assert APIClient().get(f"/api/v1/public/reports/{body['id']}/").status_code == 404
    assert fetch(_tampered(body["photos"][0]["url"], a="public")).status_code == 404


def test_behind_the_proxy_the_file_is_handed_to_it(submitted, settings):
    settings.PHOTO_ACCEL_REDIRECT = "/_photos/"
    response = fetch(submitted["photos"][0]["url"])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_photos/{Photo.objects.get().image.name}"
    assert response.content == b""


def test_agency_staff_get_working_urls_for_their_tickets(submitted, reference_data):
    from tests.conftest import _client_for

    report = Report.objects.get(pk=submitted["id"])
    staff = make_staff("ag-photo", "agency", agency=report.agency.code)
    ticket = _client_for(staff).get(f"/api/v1/agency/tickets/{report.pk}/").json()
    assert fetch(ticket["photos"][0]["thumbnail_url"]).status_code == 200
