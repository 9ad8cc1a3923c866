"""GET requests.{fmt}, requests/{id}.{fmt}, tokens/{token}.{fmt}: published reports as service requests."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from backend.reports.models import Report, ReportEvent, Status
from backend.reports.redaction import PHONE_MASK
from backend.reports.services import lifecycle
from tests.conftest import upload
from tests.factories import make_report, make_staff
from tests.open311.conftest import BASE, parse_xml

REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]


def w3(value) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def ids(body: list[dict]) -> list[str]:
    return [r["service_request_id"] for r in body]


def test_a_report_as_a_service_request_with_exact_values(public, reporter):
    # given an assigned report in Phú Xuân for HEPCO, due in 3 days, with a phone number in its text
    report = make_report(reporter, description="Rác tràn ra đường, gọi 0905 777 888",
                         latitude=16.469812, longitude=107.578634)
    report.refresh_from_db()
    # when an Open311 client lists requests
    response = public.get(f"{BASE}/requests.json")
    # then it gets a list of one request, in the spec's fields and the city's words
    assert response.status_code == 200
    assert response.json() == [{
        "service_request_id": str(report.pk),
        "status": "open",
        "status_notes": None,
        "service_name": "Môi trường",
        "service_code": "environment",
        "description": f"Rác tràn ra đường, gọi {PHONE_MASK}",
        "agency_responsible": "Công ty Cổ phần Môi trường và Công trình đô thị Huế",
        "service_notice": f"Hạn xử lý: {timezone.localtime(report.due_at).strftime('%H:%M %d/%m/%Y')}.",
        "requested_datetime": w3(report.created_at),
        "updated_datetime": w3(report.updated_at),
        "expected_datetime": w3(report.due_at),
        "address": "Phường Phú Xuân",
        "address_id": None,
        "zipcode": None,
        "lat": 16.4698,
        "long": 107.5786,
        "media_url": None,
    }]
    assert response.json()[0]["requested_datetime"].endswith("+07:00")


def test_the_same_request_in_english(public, reporter):
    report = make_report(reporter)
    row = public.get(f"{BASE}/requests.json", {"locale": "en"}).json()[0]
    assert (row["service_name"], row["agency_responsible"], row["address"]) == (
        "Environment", "Huế Urban Environment and Public Works Company (HEPCO)", "Phú Xuân Ward"
    )
    assert row["service_notice"] == f"Due by {timezone.localtime(report.due_at):%Y-%m-%d %H:%M} (Huế time)."


def test_requests_xml_is_well_formed_with_the_spec_names_and_no_reporter(public, reporter, client_for):
    client_for(reporter).post(
        "/api/v1/reports/",
        {"description": "Đèn đường hỏng <kiệt 5> & tối \x0b om, gọi 0905777888", "latitude": "16.46",
         "longitude": "107.59"},
        format="multipart",
    )
    response = public.get(f"{BASE}/requests.xml")
    root = parse_xml(response)
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    assert [child.tag for child in request] == REQUEST_FIELDS
    # markup is escaped, characters XML cannot carry are dropped, the phone is masked
    assert request.findtext("description") == f"Đèn đường hỏng <kiệt 5> & tối  om, gọi {PHONE_MASK}"
    raw = response.content.decode()
    report = Report.objects.get()
    for secret in ["0905777888", "+84905777888", "Nguyễn", reporter.username, report.tracking_code, "reporter"]:
        assert secret not in raw, secret


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.ASSIGNED, "open"), (Status.ACCEPTED, "open"), (Status.IN_PROGRESS, "open"),
        (Status.RETURNED, "open"), (Status.REOPENED, "open"),
        (Status.RESOLVED, "closed"), (Status.CLOSED, "closed"),
    ],
)
def test_status_mapping(public, reporter, status, expected):
    make_report(reporter, status=status)
    assert public.get(f"{BASE}/requests.json").json()[0]["status"] == expected


def test_status_filter(public, reporter):
    open_one = make_report(reporter, status=Status.IN_PROGRESS)
    closed_one = make_report(reporter, status=Status.RESOLVED, resolved_ago=timedelta(0))
    assert ids(public.get(f"{BASE}/requests.json", {"status": "open"}).json()) == [str(open_one.pk)]
    assert ids(public.get(f"{BASE}/requests.json", {"status": "closed"}).json()) == [str(closed_one.pk)]
    assert ids(public.get(f"{BASE}/requests.json", {"status": "open,closed"}).json()) == [
        str(closed_one.pk), str(open_one.pk)
    ]


def test_closed_request_is_updated_when_it_was_resolved_and_has_no_notice(public, reporter):
    staff = make_staff("hepco-o311", "agency", agency="hepco")
    report = make_report(reporter, status=Status.ACCEPTED)
    lifecycle.ticket_resolve(actor=staff, report_id=report.pk, note="Đã thu gom, liên hệ 0234 3822 123")
    report.refresh_from_db()
    row = public.get(f"{BASE}/requests/{report.pk}.json").json()[0]
    assert (row["status"], row["service_notice"]) == ("closed", None)
    assert row["status_notes"] == f"Đã thu gom, liên hệ {PHONE_MASK}"
    assert row["updated_datetime"] == w3(report.resolved_at)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.TRIAGED, Status.NEEDS_REVIEW])
def test_a_report_not_yet_routed_is_not_published(public, reporter, status):
    # Unreviewed text (it may name a neighbour) waits for the model's confident routing or an operator.
    report = make_report(reporter, status=status, agency=None)
    assert public.get(f"{BASE}/requests.json").json() == []
    assert public.get(f"{BASE}/requests/{report.pk}.json").status_code == 404


def test_internal_notes_and_citizen_words_never_become_status_notes(public, reporter):
    operator = make_staff("op-o311", "operator")
    report = make_report(reporter)
    lifecycle.report_note_add(actor=operator, report_id=report.pk, note="nội bộ: người báo hay gọi điện")
    ReportEvent.objects.create(report=report, kind="note", actor=reporter, actor_role="citizen", note="lời dân",
                               new_status=report.status)
    assert public.get(f"{BASE}/requests/{report.pk}.json").json()[0]["status_notes"] is None


def test_media_url_is_the_first_photo_absolute(public, reporter, client_for, fake_triage):
    # a confident, routed report (published); what the model makes of the words is not this test's business
    fake_triage("trees_parks", "normal", 0.95)

    def jpeg(color) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (64, 48), color).save(out, "JPEG")
        return out.getvalue()

    client_for(reporter).post(
        "/api/v1/reports/",
        {"description": "Cây đổ", "latitude": "16.46", "longitude": "107.59",
         "photos": [upload("a.jpg", jpeg((200, 0, 0))), upload("b.jpg", jpeg((0, 200, 0)))]},
        format="multipart",
    )
    first = Report.objects.get().photos.get(position=0)
    row = public.get(f"{BASE}/requests.json").json()[0]
    assert row["media_url"].startswith(f"http://testserver/api/v1/photos/{first.pk}/image/?a=public&")


# --- windows and filters ------------------------------------------------------------------------


def test_default_window_is_the_last_90_days(public, reporter):
    recent = make_report(reporter, created_ago=timedelta(days=89))
    make_report(reporter, created_ago=timedelta(days=91))
    assert ids(public.get(f"{BASE}/requests.json").json()) == [str(recent.pk)]


def test_start_and_end_dates(public, reporter):
    a = make_report(reporter, created_ago=timedelta(days=200))
    b = make_report(reporter, created_ago=timedelta(days=150))
    c = make_report(reporter, created_ago=timedelta(days=100))
    day = lambda report: timezone.localtime(Report.objects.get(pk=report.pk).created_at).date().isoformat()  # noqa: E731
    # a start alone covers 90 days from it; an end alone the 90 days before it; a date is a whole day
    assert ids(public.get(f"{BASE}/requests.json", {"start_date": day(a)}).json()) == [str(b.pk), str(a.pk)]
    assert ids(public.get(f"{BASE}/requests.json", {"end_date": day(b)}).json()) == [str(b.pk), str(a.pk)]
    assert ids(public.get(f"{BASE}/requests.json", {"start_date": day(b), "end_date": day(c)}).json()) == [
        str(c.pk), str(b.pk)
    ]
    start = Report.objects.get(pk=b.pk).created_at.isoformat()
    assert ids(public.get(f"{BASE}/requests.json", {"start_date": start, "end_date": day(b)}).json()) == [str(b.pk)]


def test_service_code_filter_takes_a_comma_list(public, reporter):
    env = make_report(reporter, category="environment")
    water = make_report(reporter, category="water_supply", agency="huewaco")
    make_report(reporter, category="noise", agency="police")
    assert ids(public.get(f"{BASE}/requests.json", {"service_code": "environment, water_supply"}).json()) == [
        str(water.pk), str(env.pk)
    ]


def test_at_most_the_limit_newest_first(public, reporter, monkeypatch):
    from backend.transparency.open311 import selectors

    monkeypatch.setattr(selectors, "MAX_REQUESTS", 2)
    made = [make_report(reporter, created_ago=timedelta(hours=5 - i)) for i in range(4)]
    assert ids(public.get(f"{BASE}/requests.json").json()) == [str(made[3].pk), str(made[2].pk)]


@pytest.mark.parametrize(
    ("query", "description"),
    [
        ({"status": "pending"}, "status: open, closed, or both comma-separated"),
        ({"service_code": "potholes,noise"}, "service_code: unknown service_code: potholes"),
        ({"service_request_id": "12,abc"}, "service_request_id: comma-separated request ids, e.g. 101,102"),
        ({"start_date": "last week"},
         "start_date: not a w3 datetime, e.g. 2026-11-01T00:00:00+07:00 or 2026-11-01"),
        ({"end_date": "2026-02-30"}, "end_date: not a w3 datetime, e.g. 2026-11-01T00:00:00+07:00 or 2026-11-01"),
        ({"start_date": "2026-06-01", "end_date": "2026-05-01"}, "end_date: must not be before start_date"),
        ({"start_date": "2026-01-01", "end_date": "2026-06-01"}, "end_date: the range may not span more than 90 days"),
    ],
)
def test_bad_queries_are_400_with_a_clear_description(public, reporter, query, description):
    make_report(reporter)
    response = public.get(f"{BASE}/requests.json", query)
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": description}]
    root = parse_xml(public.get(f"{BASE}/requests.xml", query))
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [("400", description)]


# --- by id: merged and rejected -----------------------------------------------------------------


def test_merged_and_rejected_reports_are_listed_only_by_id(public, reporter):
    operator = make_staff("op-merge-311", "operator")
    kept = make_report(reporter, created_ago=timedelta(hours=3))
    duplicate = make_report(reporter, created_ago=timedelta(hours=2))
    spam = make_report(reporter, description="bán hàng online giá rẻ 0905123456", created_ago=timedelta(hours=1))
    lifecycle.report_merge(actor=operator, report_id=duplicate.pk, into_id=kept.pk)
    lifecycle.report_reject(actor=operator, report_id=spam.pk, reason="quảng cáo")
    # a search lists the live report only
    assert ids(public.get(f"{BASE}/requests.json").json()) == [str(kept.pk)]
    # by id, the duplicate is closed and points to the request it joined
    merged = public.get(f"{BASE}/requests/{duplicate.pk}.json").json()[0]
    assert (merged["status"], merged["status_notes"]) == ("closed", f"Trùng với phản ánh {kept.pk}, đã được gộp vào đó.")
    assert merged["description"] == "Rác thải tràn ra đường Lê Lợi, bốc mùi hôi"
    # and the rejected one is a closed stub: nothing of its content
    spam.refresh_from_db()
    response = public.get(f"{BASE}/requests/{spam.pk}.json", {"locale": "en"})
    assert response.json() == [{
        **dict.fromkeys(REQUEST_FIELDS),
        "service_request_id": str(spam.pk),
        "status": "closed",
        "status_notes": "Rejected (out of scope or invalid); not published.",
        "requested_datetime": w3(spam.created_at),
        "updated_datetime": w3(spam.closed_at),
    }]
    assert "bán hàng" not in response.content.decode()
    # service_request_id overrides every other argument and returns them all, newest first
    listed = public.get(f"{BASE}/requests.json", {"service_request_id": f"{kept.pk},{duplicate.pk},{spam.pk},999999",
                                                  "status": "open"}).json()
    assert ids(listed) == [str(spam.pk), str(duplicate.pk), str(kept.pk)]


def test_request_by_id_is_a_list_of_one_in_both_formats(public, reporter):
    report = make_report(reporter)
    assert ids(public.get(f"{BASE}/requests/{report.pk}.json").json()) == [str(report.pk)]
    root = parse_xml(public.get(f"{BASE}/requests/{report.pk}.xml"))
    assert (root.tag, [c.tag for c in root], root[0].findtext("service_request_id")) == (
        "service_requests", ["request"], str(report.pk)
    )


@pytest.mark.parametrize("request_id", ["999999", "abc", "1" * 30])
def test_unknown_request_is_404(public, reporter, request_id):
    response = public.get(f"{BASE}/requests/{request_id}.json", {"locale": "en"})
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": f"service_request_id provided was not found: {request_id}."}]


def test_token_answers_with_the_service_request_id(public, reporter):
    report = make_report(reporter)
    assert public.get(f"{BASE}/tokens/{report.pk}.json").json() == [
        {"service_request_id": str(report.pk), "token": str(report.pk)}
    ]
    root = parse_xml(public.get(f"{BASE}/tokens/{report.pk}.xml"))
    assert [(c.tag, c.text) for c in root[0]] == [("service_request_id", str(report.pk)), ("token", str(report.pk))]
    missing = public.get(f"{BASE}/tokens/nope.json", {"locale": "en"})
    assert (missing.status_code, missing.json()) == (404, [{"code": 404, "description": "token provided was not found: nope."}])


def test_pages_of_page_size_and_older_ones_by_end_date_miss_nothing(public, reporter):
    # given five requests, the middle two received within the same second (w3 datetimes have whole
    # seconds, so the client's next end_date names that second, not the instant)
    made = [make_report(reporter, created_ago=timedelta(minutes=50 - 10 * i)) for i in range(5)]
    from backend.reports.models import Report

    second = made[2].created_at.replace(microsecond=500_000)
    Report.objects.filter(pk=made[1].pk).update(created_at=second - timedelta(microseconds=400_000))
    Report.objects.filter(pk=made[2].pk).update(created_at=second)
    # when a client reads three at a time, then asks again with the last requested_datetime it got
    first = public.get(f"{BASE}/requests.json", {"page_size": 3}).json()
    older = public.get(f"{BASE}/requests.json", {"page_size": 3, "end_date": first[-1]["requested_datetime"]}).json()
    # then the first answer is the newest three, and the next one starts again at that second: the
    # request of the same second received earlier is there, not skipped
    newest = [str(r.pk) for r in reversed(made)]
    assert (ids(first), ids(older)) == (newest[:3], newest[2:])


def test_default_page_and_a_page_size_above_the_cap_is_refused(public, reporter):
    from backend.transparency.open311 import selectors

    made = [make_report(reporter, created_ago=timedelta(minutes=i)) for i in range(3)]
    assert len(public.get(f"{BASE}/requests.json").json()) == 3 == len(made)
    assert selectors.DEFAULT_PAGE_SIZE == 50 and selectors.MAX_REQUESTS == 200
    response = public.get(f"{BASE}/requests.json", {"page_size": 201})
    assert response.status_code == 400
