"""POST requests.{json,xml}: a report created through the app's intake, proven by api_key."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from backend.accounts.tokens import token_revoke
from backend.reports.models import IdempotencyKey, Photo, Report, ReportEvent
from realtime.models import EventLog
from routing.models import Category
from tests.conftest import upload
from tests.open311.conftest import BASE, parse_xml

URL = f"{BASE}/requests.json"
CITADEL = {"lat": "16.4698", "long": "107.5786"}


def form(api_key: str, **fields) -> dict:
    return {"api_key": api_key, "service_code": "road_damage", "description": "Ổ gà lớn giữa đường Đinh Tiên Hoàng",
            **CITADEL, **fields}


def nothing_changed() -> tuple[int, int, int, int]:
    return Report.objects.count(), ReportEvent.objects.count(), EventLog.objects.count(), IdempotencyKey.objects.count()


def test_post_creates_exactly_one_report_triaged_routed_and_published_live(public, partner, api_key, fake_triage):
    # given a confident model, and an integration posting as the spec does (form-encoded)
    fake_triage("road_damage", "high", 0.93)
    # when it creates a request
    response = public.post(URL, form(api_key, jurisdiction_id="hue.gov.vn"))
    # then one report exists, submitted by the api_key's account, triaged and routed as from the app
    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.reporter, report.description, report.latitude, report.longitude) == (
        partner, "Ổ gà lớn giữa đường Đinh Tiên Hoàng", 16.4698, 107.5786
    )
    assert (report.status, report.category.code, report.urgency, report.area.code, report.agency.code) == (
        "assigned", "road_damage", "high", "phu-xuan", "transport"
    )
    assert report.category_hint.code == "road_damage"
    assert (report.triage_model_version, report.triage_confidence) == ("test-model", 0.93)
    assert report.due_at is not None
    assert list(report.events.values_list("kind", flat=True)) == ["submitted", "triaged", "routed"]
    # and the dashboards hear of it through the event log, as for any new report
    assert list(EventLog.objects.values_list("type", "report_id", "agency_id")) == [
        ("report.created", report.pk, report.agency_id)
    ]
    # and the answer is the spec's: a list with the new id, the notice, no account
    assert response.json() == [{
        "service_request_id": str(report.pk),
        "service_notice": f"Hạn xử lý: {timezone.localtime(report.due_at).strftime('%H:%M %d/%m/%Y')}.",
        "account_id": None,
    }]


def test_post_xml_answers_in_the_spec_element_names(public, api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.93)
    response = public.post(f"{BASE}/requests.xml", form(api_key), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201
    root = parse_xml(response)
    assert root.tag == "service_requests"
    (request,) = root
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    assert request.findtext("service_request_id") == str(Report.objects.get().pk)
    assert request.findtext("service_notice").startswith("Due by ")
    assert request.find("account_id").text is None  # <account_id /> as in the spec's example


def test_an_unsure_model_sends_it_to_review_and_the_notice_says_so(public, api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.2)
    body = public.post(URL, form(api_key)).json()
    report = Report.objects.get()
    assert (report.status, report.agency, report.category.code) == ("needs_review", None, "road_damage")
    assert body[0]["service_notice"] == "Đang chờ Trung tâm IOC kiểm duyệt và chuyển đơn vị xử lý."


def test_a_retry_with_the_same_idempotency_key_returns_the_same_request(public, api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.93)
    first = public.post(URL, form(api_key), HTTP_IDEMPOTENCY_KEY="o311-retry-1")
    again = public.post(URL, form(api_key), HTTP_IDEMPOTENCY_KEY="o311-retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert (Report.objects.count(), EventLog.objects.count()) == (1, 1)
    # the same key with another body is refused and creates nothing
    other = public.post(URL, form(api_key, description="khác"), HTTP_IDEMPOTENCY_KEY="o311-retry-1")
    assert other.status_code == 422
    assert other.json()[0]["code"] == 422
    assert Report.objects.count() == 1


def test_without_a_key_two_posts_are_two_requests(public, api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.93)
    public.post(URL, form(api_key))
    public.post(URL, form(api_key))
    assert Report.objects.count() == 2


def test_personal_fields_are_accepted_but_never_stored(public, partner, api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.93)
    response = public.post(URL, form(
        api_key, email="smith@example.com", first_name="John", last_name="Smith", phone="0905111222",
        device_id="tt222111", account_id="123456", address_string="12 Lê Lợi", media_url="http://example.com/a.jpg",
        **{"attribute[WHISPAWN]": "123456"},
    ))
    assert response.status_code == 201
    report = Report.objects.get()
    stored = str(list(Report.objects.values().get().values())) + str(list(ReportEvent.objects.values_list("new_value", "note")))
    for value in ["smith@example.com", "John", "Smith", "0905111222", "tt222111", "123456", "example.com"]:
        assert value not in stored, value
    partner.refresh_from_db()
    assert (partner.email, partner.first_name, partner.phone) == ("", "", None)
    assert report.photos.count() == 0


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def test_media_files_go_through_the_photo_pipeline(public, api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.93)
    response = public.post(URL, form(api_key, media=[upload("a.jpg", _jpeg())]), format="multipart")
    assert response.status_code == 201
    photo = Report.objects.get().photos.get()
    assert (photo.kind, photo.width, photo.height) == (Photo.Kind.REPORT, 64, 48)
    row = public.get(f"{BASE}/requests/{response.json()[0]['service_request_id']}.json").json()[0]
    assert row["media_url"].startswith(f"http://testserver/api/v1/photos/{photo.pk}/image/?a=public&")


def test_csrf_is_not_asked_of_open311_clients(api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.93)
    client = APIClient(enforce_csrf_checks=True)
    assert client.post(URL, form(api_key)).status_code == 201


# --- refusals change nothing --------------------------------------------------------------------


ROUTED_BY_COORDINATES = "required: reports are routed by their coordinates (address_string or address_id alone are not enough)"


@pytest.mark.parametrize(
    ("fields", "status", "descriptions"),
    [
        ({"api_key": ""}, 403, ["api_key was not provided: creating a request needs a token of this system."]),
        ({"api_key": "not-a-token"}, 403, ["api_key is invalid or revoked."]),
        ({"service_code": "potholes"}, 404, ["service_code provided was not found: potholes."]),
        ({"service_code": ""}, 400, ["service_code: This field is required."]),
        ({"jurisdiction_id": "sfgov.org"}, 404,
         ["jurisdiction_id provided was not found: sfgov.org (this endpoint serves hue.gov.vn)."]),
        ({"lat": "", "long": "", "address_string": "12 Lê Lợi"}, 400,
         [f"lat: {ROUTED_BY_COORDINATES}", f"long: {ROUTED_BY_COORDINATES}"]),
        ({"long": ""}, 400, [f"long: {ROUTED_BY_COORDINATES}"]),
        ({"lat": "91"}, 400, ["lat: Ensure this value is less than or equal to 90."]),
        ({"long": "-181"}, 400, ["long: Ensure this value is greater than or equal to -180."]),
        ({"lat": "north"}, 400, ["lat: A valid number is required."]),
        ({"lat": "nan", "long": "inf"}, 400, ["lat: A valid number is required.", "long: A valid number is required."]),
        ({"description": "   "}, 400, ["description: This field may not be blank."]),
        ({"description": "x" * 4001}, 400, ["description: Ensure this field has no more than 4000 characters."]),
    ],
)
def test_bad_posts_are_refused_and_change_nothing(public, api_key, fake_triage, fields, status, descriptions):
    fake_triage("road_damage", "normal", 0.93)
    before = nothing_changed()
    # an empty value in `fields` means the client left the parameter out
    data = {k: v for k, v in {**form(api_key), **fields}.items() if v != ""}
    response = public.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert response.json() == [{"code": status, "description": text} for text in descriptions]
    assert nothing_changed() == before


def test_an_inactive_service_is_not_accepted(public, api_key):
    # as the admin does it (a save, which every process's routing tables hear of)
    category = Category.objects.get(code="road_damage")
    category.active = False
    category.save()
    response = public.post(URL, form(api_key))
    assert response.status_code == 404
    assert Report.objects.count() == 0


def test_a_revoked_api_key_is_refused(public, api_key):
    token_revoke(key=api_key)
    assert public.post(URL, form(api_key)).status_code == 403
    assert Report.objects.count() == 0


def test_a_json_body_is_415_in_the_spec_shape(public, api_key):
    response = public.post(URL, form(api_key), format="json")
    assert response.status_code == 415
    assert response.json()[0]["code"] == 415
    assert Report.objects.count() == 0


def test_a_malformed_idempotency_key_is_refused(public, api_key, fake_triage):
    fake_triage("road_damage", "normal", 0.93)
    response = public.post(URL, form(api_key), HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("Idempotency-Key: ")
    assert Report.objects.count() == 0


def test_a_bad_photo_is_refused_and_changes_nothing(public, api_key, fake_triage, settings):
    fake_triage("road_damage", "normal", 0.93)
    before = nothing_changed()
    response = public.post(URL, form(api_key, media=[upload("a.jpg", b"not a photo")]), format="multipart")
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("photos: [0] ")
    assert nothing_changed() == before
    assert not list(settings.MEDIA_ROOT.rglob("*.*")) if settings.MEDIA_ROOT.exists() else True


def test_a_georeport_client_round_trip_in_xml(public, api_key, fake_triage):
    """What a GeoReport v2 client does: list services, post to one, then follow the request it got."""
    fake_triage("street_lighting", "normal", 0.95)
    services = parse_xml(public.get(f"{BASE}/services.xml", {"jurisdiction_id": "hue.gov.vn"}))
    code = next(s.findtext("service_code") for s in services if s.findtext("service_code") == "street_lighting")
    created = parse_xml(public.post(f"{BASE}/requests.xml", form(
        api_key, service_code=code, description="Đèn đường không sáng cả tuần nay", jurisdiction_id="hue.gov.vn",
    )))
    request_id = created.find("request/service_request_id").text
    followed = parse_xml(public.get(f"{BASE}/requests/{request_id}.xml", {"jurisdiction_id": "hue.gov.vn"}))
    request = followed.find("request")
    assert (request.findtext("service_request_id"), request.findtext("status"), request.findtext("service_code")) == (
        request_id, "open", "street_lighting"
    )
    assert request.findtext("agency_responsible") == "Công ty Cổ phần Môi trường và Công trình đô thị Huế"
    assert request.findtext("description") == "Đèn đường không sáng cả tuần nay"
