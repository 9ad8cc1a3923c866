"""GET /api/v1/public/reports/, /public/reports/{id}/, /public/stats/: open to all, anonymised."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from backend.reports.models import Report, ReportEvent, Status
from backend.reports.redaction import EMAIL_MASK, PHONE_MASK
from backend.reports.services import lifecycle
from tests.conftest import upload
from tests.factories import make_report, make_staff
from tests.reports.test_photos import gps_exif

URL = "/api/v1/public/reports/"
PHONE = "+84905777888"


@pytest.fixture
def reporter(reference_data, make_citizen):
    user = make_citizen(PHONE)
    user.first_name, user.last_name = "Lan", "Nguyễn Thị"
    user.save()
    return user


@pytest.fixture
def public() -> APIClient:
    return APIClient()  # no token: the public


def ids(body: dict) -> list[int]:
    return [row["id"] for row in body["results"]]


# --- anonymisation ------------------------------------------------------------------------------


def test_a_submitted_report_is_published_without_anything_that_names_its_reporter(
    reporter, client_for, public, fake_triage
):
    # given a citizen who typed their phone number and e-mail into a report sent from the app, triaged
    # with confidence and routed (so the publication rule lets it out)
    fake_triage("trees_parks", "high", 0.95)
    text = "Cây đổ chắn đường Lê Lợi, gọi 0905 777 888 hoặc lan.nguyen@gmail.com để chỉ chỗ"
    mine = client_for(reporter).post(
        "/api/v1/reports/",
        {"description": text, "latitude": "16.463712", "longitude": "107.590866", "anonymous": "true"},
        format="multipart",
    ).json()
    # when the public lists reports, without any token
    response = public.get(URL)
    # then the report is there, in the city's words, with the contacts masked and the position rounded
    assert response.status_code == 200
    body = response.json()
    assert (set(body), len(body["results"]), body["next"], body["previous"]) == (
        {"next", "previous", "results"}, 1, None, None
    )
    row = body["results"][0]
    assert row["id"] == mine["id"]
    assert row["description"] == (
        f"Cây đổ chắn đường Lê Lợi, gọi {PHONE_MASK} hoặc {EMAIL_MASK} để chỉ chỗ"
    )
    assert (row["latitude"], row["longitude"]) == (16.4637, 107.5909)
    assert row["status_name"] == {"vi": bilingual_vi(mine["status"]), "en": bilingual_en(mine["status"])}
    assert set(row) == {
        "id", "status", "status_name", "open", "description", "latitude", "longitude", "category",
        "category_name", "urgency", "urgency_name", "area", "area_name", "agency", "agency_name", "due_at",
        "overdue", "me_too_count", "merged_into", "photos", "resolution_photos", "created_at", "updated_at",
        "resolved_at",
    }
    # and nothing anywhere in the answer names the reporter or hands out their hotline handle
    raw = response.content.decode()
    for secret in [PHONE, "0905777888", "0905 777 888", "777 888", "lan.nguyen", "Nguyễn Thị", reporter.username,
                   mine["tracking_code"], "anonymous", "reporter", "triage", "routing"]:
        assert secret not in raw, secret


def bilingual_vi(status: str) -> str:
    return Status(status).label.split(" / ")[0]


def bilingual_en(status: str) -> str:
    return Status(status).label.split(" / ")[1]


def _jpeg_with_camera_gps() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 60)).save(out, "JPEG", exif=gps_exif())
    return out.getvalue()


def test_photos_are_published_without_the_camera_position(reporter, client_for, public, settings):
    # given a report whose photo carries the camera's GPS (the citadel: 16.4698, 107.5786)
    client_for(reporter).post(
        "/api/v1/reports/",
        {"description": "Ổ gà lớn", "latitude": "16.45", "longitude": "107.60",
         "photos": [upload("p.jpg", _jpeg_with_camera_gps())]},
        format="multipart",
    )
    report = Report.objects.get()
    assert report.photos.get().gps_lat == pytest.approx(16.4698, abs=1e-4)  # kept, privately
    # when the public reads it
    response = public.get(f"{URL}{report.pk}/")
    # then the photo is listed with its public URL, and the camera's position appears nowhere
    raw = response.content.decode()
    assert "16.4698" not in raw and "107.5786" not in raw and "gps" not in raw
    photo = response.json()["photos"][0]
    assert set(photo) == {"url", "thumbnail_url", "width", "height", "content_type"}
    assert photo["url"].startswith(f"http://testserver/api/v1/photos/{report.photos.get().pk}/image/?a=public&")
    stored = Image.open(settings.MEDIA_ROOT / report.photos.get().image.name)
    assert not stored.getexif().get_ifd(0x8825)


def test_a_bad_token_does_not_stop_the_public(reporter, public):
    make_report(reporter)
    public.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert public.get(URL).status_code == 200
    assert public.get("/api/v1/public/stats/").status_code == 200


# --- what is published --------------------------------------------------------------------------


def test_rejected_reports_are_not_published_and_merged_ones_point_to_the_report_they_joined(reporter, public):
    operator = make_staff("op-public", "operator")
    kept = make_report(reporter, created_ago=timedelta(hours=3))
    duplicate = make_report(reporter, created_ago=timedelta(hours=2))
    spam = make_report(reporter, description="quảng cáo bán hàng", created_ago=timedelta(hours=1))
    lifecycle.report_merge(actor=operator, report_id=duplicate.pk, into_id=kept.pk)
    lifecycle.report_reject(actor=operator, report_id=spam.pk, reason="spam")
    # when the public lists reports: only the live one, counting the duplicate as "me too"
    body = public.get(URL).json()
    assert ids(body) == [kept.pk]
    assert body["results"][0]["me_too_count"] == 1
    # the duplicate answers by id and names the report it joined
    merged = public.get(f"{URL}{duplicate.pk}/").json()
    assert (merged["status"], merged["merged_into"], merged["open"]) == ("merged", kept.pk, False)
    # the rejected one is not published at all
    response = public.get(f"{URL}{spam.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # and filtering by those statuses is refused, not silently empty
    refused = public.get(f"{URL}?status=rejected")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["status"]


def test_public_timeline_shows_staff_notes_masked_and_hides_internal_and_citizen_words(reporter, public, client_for):
    operator = make_staff("op-tl", "operator")
    staff = make_staff("hepco-tl", "agency", agency="hepco")
    report = make_report(reporter, status=Status.ASSIGNED)
    lifecycle.report_note_add(actor=operator, report_id=report.pk, note="người báo là cán bộ phường, gọi 0905777888")
    lifecycle.ticket_accept(actor=staff, report_id=report.pk)
    lifecycle.ticket_progress(actor=staff, report_id=report.pk, note="Đội xe đến lúc 14h, liên hệ 0234 3822 123")
    lifecycle.ticket_resolve(actor=staff, report_id=report.pk, note="Đã thu gom xong")
    client_for(reporter).post(f"/api/v1/reports/{report.pk}/reopen/", {"reason": "Chưa sạch, gọi tôi 0905777888"},
                              format="json")
    assert Report.objects.get(pk=report.pk).status == Status.REOPENED
    # when the public reads the report
    body = public.get(f"{URL}{report.pk}/").json()
    # then the timeline holds the public events only, with the staff's notes (contacts masked)
    timeline = [(e["kind"], e["status"], e["note"]) for e in body["timeline"]]
    assert timeline == [
        ("submitted", "submitted", ""),
        ("status", "accepted", ""),
        ("note", "in_progress", f"Đội xe đến lúc 14h, liên hệ {PHONE_MASK}"),
        ("status", "resolved", "Đã thu gom xong"),
        ("status", "reopened", ""),  # the citizen's reason stays between them and the city
    ]
    assert body["timeline"][2]["kind_name"] == {"vi": "Ghi chú", "en": "Note"}
    assert body["timeline"][2]["status_name"] == {"vi": "Đang xử lý", "en": "In progress"}
    raw = public.get(f"{URL}{report.pk}/").content.decode()
    assert "cán bộ phường" not in raw and "Chưa sạch" not in raw and "0905777888" not in raw


def test_missing_report_is_404(public, reference_data):
    assert public.get(f"{URL}999999/").status_code == 404


# --- filters, order, pages ----------------------------------------------------------------------


def test_filters_by_status_category_area_agency(reporter, public):
    a = make_report(reporter, category="environment", agency="hepco", area="phu-xuan", status=Status.ASSIGNED)
    b = make_report(reporter, category="water_supply", agency="huewaco", area="thuan-hoa", status=Status.IN_PROGRESS)
    c = make_report(reporter, category="environment", agency="hepco", area="thuan-hoa", status=Status.RESOLVED,
                    resolved_ago=timedelta(0))
    assert ids(public.get(f"{URL}?category=environment").json()) == [c.pk, a.pk]
    assert ids(public.get(f"{URL}?agency=huewaco").json()) == [b.pk]
    assert ids(public.get(f"{URL}?area=thuan-hoa").json()) == [c.pk, b.pk]
    assert ids(public.get(f"{URL}?status=assigned&status=resolved").json()) == [c.pk, a.pk]
    assert ids(public.get(f"{URL}?category=environment&area=thuan-hoa").json()) == [c.pk]


def test_since_until_and_bbox(reporter, public):
    old = make_report(reporter, created_ago=timedelta(days=10), latitude=16.40, longitude=107.50)
    mid = make_report(reporter, created_ago=timedelta(days=5), latitude=16.47, longitude=107.58)
    new = make_report(reporter, created_ago=timedelta(hours=1), latitude=16.48, longitude=107.60)
    since = (Report.objects.get(pk=mid.pk).created_at - timedelta(minutes=1)).isoformat()
    assert ids(public.get(URL, {"since": since}).json()) == [new.pk, mid.pk]
    until = Report.objects.get(pk=mid.pk).created_at.isoformat()
    assert ids(public.get(URL, {"until": until}).json()) == [mid.pk, old.pk]
    assert ids(public.get(URL, {"bbox": "107.55,16.45,107.65,16.50"}).json()) == [new.pk, mid.pk]
    assert ids(public.get(URL, {"bbox": "107.55,16.45,107.59,16.475"}).json()) == [mid.pk]


def test_until_a_date_includes_that_whole_day(reporter, public):
    report = make_report(reporter, created_ago=timedelta(0))
    today = timezone.localdate().isoformat()
    assert ids(public.get(URL, {"until": today}).json()) == [report.pk]
    assert ids(public.get(URL, {"since": today}).json()) == [report.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("category=potholes", "category"),
        ("area=atlantis", "area"),
        ("agency=nasa", "agency"),
        ("status=maybe", "status"),
        ("since=yesterday", "since"),
        ("until=2026-13-45", "until"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=107.6,16.5,107.5,16.4", "bbox"),
        ("bbox=0,0,200,10", "bbox"),
        ("bbox=nan,1,2,3", "bbox"),
    ],
)
def test_bad_filters_are_refused_with_the_field_named(reporter, public, query, field):
    make_report(reporter)
    response = public.get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert list(body["error"]["fields"]) == [field]


def test_pages_newest_first(reporter, public):
    # given five reports an hour apart
    made = [make_report(reporter, created_ago=timedelta(hours=10 - i)) for i in range(5)]
    # when the public pages two at a time by the `next` links
    first = public.get(f"{URL}?page_size=2").json()
    assert (set(first), ids(first), first["previous"]) == ({"next", "previous", "results"}, [made[4].pk, made[3].pk], None)
    assert first["next"].startswith("http://testserver/api/v1/public/reports/?cursor=")
    second = public.get(first["next"]).json()
    last = public.get(second["next"]).json()
    # then newest first, the last page has no `next`, and `previous` goes back one page
    assert (ids(second), ids(last), last["next"]) == ([made[2].pk, made[1].pk], [made[0].pk], None)
    assert ids(public.get(last["previous"]).json()) == [made[2].pk, made[1].pk]


def test_cursor_pages_walk_every_published_row_once_even_with_equal_instants(reporter, public):
    # given seven reports, three of them received at the same instant, and one that is not published
    made = [make_report(reporter, created_ago=timedelta(hours=i)) for i in range(7)]
    Report.objects.filter(pk__in=[made[2].pk, made[3].pk, made[4].pk]).update(created_at=made[3].created_at)
    make_report(reporter, status=Status.REJECTED)
    # when walked one, two and three at a time
    expected = list(Report.objects.filter(pk__in=[r.pk for r in made]).order_by("-created_at", "-id")
                    .values_list("id", flat=True))
    for size in (1, 2, 3):
        seen, url = [], f"{URL}?page_size={size}"
        while url:
            body = public.get(url).json()
            seen += ids(body)
            url = body["next"]
        # then every published report once, newest first (the id breaks ties), the rejected one never
        assert seen == expected


def test_a_bad_cursor_is_refused(reporter, public):
    response = public.get(f"{URL}?cursor=not-a-cursor")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


def test_overdue_is_derived_from_the_deadline(reporter, public):
    late = make_report(reporter, status=Status.IN_PROGRESS, due_in=-timedelta(hours=1))
    done_late = make_report(reporter, status=Status.RESOLVED, due_in=-timedelta(hours=1), resolved_ago=timedelta(0))
    rows = {r["id"]: r for r in public.get(URL).json()["results"]}
    assert (rows[late.pk]["overdue"], rows[late.pk]["open"]) == (True, True)
    assert (rows[done_late.pk]["overdue"], rows[done_late.pk]["open"]) == (False, False)


def test_reading_changes_nothing(reporter, public):
    report = make_report(reporter)
    before = (Report.objects.count(), ReportEvent.objects.count(), Report.objects.get(pk=report.pk).updated_at)
    public.get(URL)
    public.get(f"{URL}{report.pk}/")
    public.get("/api/v1/public/stats/")
    assert (Report.objects.count(), ReportEvent.objects.count(), Report.objects.get(pk=report.pk).updated_at) == before


def test_public_endpoints_are_read_only(reporter, public):
    report = make_report(reporter)
    assert public.post(URL, {"description": "x"}, format="json").status_code == 405
    assert public.delete(f"{URL}{report.pk}/").status_code == 405
    assert Report.objects.filter(pk=report.pk).exists()


# --- stats --------------------------------------------------------------------------------------


def test_stats_per_agency_and_category_with_since(reporter, public):
    make_report(reporter, category="road_damage", agency="transport", status=Status.RESOLVED,
                created_ago=timedelta(hours=4), resolved_ago=timedelta(0), due_in=timedelta(hours=1), rating_stars=4)
    make_report(reporter, category="road_damage", agency="transport", status=Status.ASSIGNED,
                created_ago=timedelta(days=40))
    body = public.get("/api/v1/public/stats/").json()
    assert body["since"] is None
    transport = next(r for r in body["agencies"] if r["code"] == "transport")
    assert transport == {
        "code": "transport",
        "name": {"vi": "Sở Xây dựng thành phố Huế (lĩnh vực giao thông vận tải)",
                 "en": "Huế Department of Construction (transport)"},
        "total": 2, "open": 1, "overdue": 0, "resolved": 1, "on_time_share": 1.0,
        "median_hours_to_resolve": 4.0, "rated": 1, "satisfaction": 4.0,
    }
    assert [r["code"] for r in body["categories"]][:2] == ["environment", "road_damage"]
    recent = public.get("/api/v1/public/stats/", {"since": "2000-01-01"}).json()
    assert recent["since"] == "2000-01-01T00:00:00+07:00"
    assert next(r for r in recent["categories"] if r["code"] == "road_damage")["total"] == 2
    last_month = public.get("/api/v1/public/stats/", {"since": (timezone.now() - timedelta(days=30)).isoformat()})
    assert next(r for r in last_month.json()["categories"] if r["code"] == "road_damage")["total"] == 1


def test_stats_refuse_a_bad_since(public, reference_data):
    response = public.get("/api/v1/public/stats/", {"since": "last week"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["since"]
