"""/api/v1/ops/reports/...: the IOC queue, a report's full picture, and the operators' actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.accounts.models import Role
from backend.reports.models import Report, Status
from tests.factories import make_report, make_staff, snapshot

URL = "/api/v1/ops/reports/"


@pytest.fixture
def reporter(reference_data, make_citizen):
    user = make_citizen("+84905777888")
    user.first_name, user.last_name = "Lan", "Nguyễn"
    user.save()
    return user


def ids(body: dict) -> list[int]:
    return [row["id"] for row in body["results"]]


# --- the queue ----------------------------------------------------------------------------------


def test_queue_default_order_is_urgent_first_then_oldest(operator_client, reporter):
    low_old = make_report(reporter, urgency="low", created_ago=timedelta(hours=9))
    normal_new = make_report(reporter, urgency="normal", created_ago=timedelta(hours=1))
    normal_old = make_report(reporter, urgency="normal", created_ago=timedelta(hours=5))
    critical_new = make_report(reporter, urgency="critical", created_ago=timedelta(minutes=5))
    high = make_report(reporter, urgency="high", created_ago=timedelta(hours=2))
    untriaged = make_report(reporter, urgency="", category=None, agency=None, status=Status.SUBMITTED,
                            created_ago=timedelta(hours=20))
    body = operator_client.get(URL).json()
    assert ids(body) == [critical_new.pk, high.pk, normal_old.pk, normal_new.pk, low_old.pk, untriaged.pk]
    assert body["next"] is None
    first = body["results"][0]
    assert first["urgency_name"] == {"vi": "Khẩn cấp", "en": "Critical"}
    assert first["status_name"] == {"vi": "Đã chuyển đơn vị", "en": "Assigned"}
    assert first["agency_name"]["vi"].startswith("Công ty")
    assert first["category_name"]["en"]
    # the queue row names the reporter, as the operators' socket does (one output for both)
    assert set(first["reporter"]) == {"id", "name", "phone"}


def test_queue_keyset_pages_cover_everything_once_even_when_reports_arrive(operator_client, reporter):
    made = [make_report(reporter, urgency=u, created_ago=timedelta(minutes=60 - i))
            for i, u in enumerate(["normal", "high", "low", "critical", "normal", "high", "normal"])]
    first = operator_client.get(f"{URL}?page_size=3").json()
    assert len(first["results"]) == 3
    # a new critical report arrives while the operator pages: it does not shift the next page
    make_report(reporter, urgency="critical", created_ago=timedelta(seconds=1))
    seen = ids(first)
    url = first["next"]
    while url:
        page = operator_client.get(url).json()
        seen += ids(page)
        url = page["next"]
    expected = sorted(made, key=lambda r: (["critical", "high", "normal", "low"].index(r.urgency), r.created_at))
    assert seen == [r.pk for r in expected]


@pytest.mark.parametrize("ordering", ["created_at", "-created_at", "due_at"])
def test_queue_other_orderings_page_by_keyset(operator_client, reporter, ordering):
    made = [make_report(reporter, created_ago=timedelta(minutes=i), due_in=timedelta(hours=10 - i)) for i in range(5)]
    made.append(make_report(reporter, created_ago=timedelta(minutes=30), due_in=None))
    seen, url = [], f"{URL}?ordering={ordering}&page_size=2"
    while url:
        page = operator_client.get(url).json()
        seen += ids(page)
        url = page["next"]
    key = {
        "created_at": lambda r: (r.created_at, r.pk),
        "-created_at": lambda r: (-r.created_at.timestamp(), -r.pk),
        "due_at": lambda r: (r.due_at is None, r.due_at or r.created_at, r.pk),
    }[ordering]
    assert seen == [r.pk for r in sorted(made, key=key)]


def test_queue_filters(operator_client, reporter):
    water = make_report(reporter, category="water_supply", agency="huewaco", urgency="high", area="vy-da")
    review = make_report(reporter, status=Status.NEEDS_REVIEW, agency=None, area="an-cuu")
    overdue = make_report(reporter, due_in=-timedelta(hours=1), area="an-cuu")
    done_late = make_report(reporter, status=Status.RESOLVED, due_in=-timedelta(hours=1))
    assert ids(operator_client.get(f"{URL}?status=needs_review").json()) == [review.pk]
    both = operator_client.get(f"{URL}?status=needs_review&status=resolved&ordering=created_at").json()
    assert sorted(ids(both)) == sorted([review.pk, done_late.pk])
    assert ids(operator_client.get(f"{URL}?category=water_supply").json()) == [water.pk]
    assert ids(operator_client.get(f"{URL}?urgency=high").json()) == [water.pk]
    assert ids(operator_client.get(f"{URL}?area=vy-da").json()) == [water.pk]
    assert ids(operator_client.get(f"{URL}?agency=huewaco").json()) == [water.pk]
    # overdue: deadline passed and still open (a resolved report is not overdue any more)
    overdue_rows = operator_client.get(f"{URL}?overdue=true").json()["results"]
    assert [(r["id"], r["overdue"]) for r in overdue_rows] == [(overdue.pk, True)]
    not_overdue = ids(operator_client.get(f"{URL}?overdue=false").json())
    assert sorted(not_overdue) == sorted([water.pk, review.pk, done_late.pk])


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=bogus", "status"), ("urgency=soon", "urgency"), ("ordering=reporter", "ordering"),
     ("cursor=not-a-cursor", "cursor"), ("overdue=maybe", "overdue")],
)
def test_queue_refuses_bad_parameters_with_field_errors(operator_client, reporter, query, field):
    make_report(reporter)
    response = operator_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]


# --- the detail ---------------------------------------------------------------------------------


def test_detail_shows_triage_routing_reporter_duplicates_and_the_full_timeline(operator_client, reporter, operator):
    report = make_report(
        reporter, status=Status.NEEDS_REVIEW, agency=None, description="Rác thải tràn ra đường Lê Lợi",
        triage_scores={"category": {"environment": 0.55}}, routing_rule_id=None,
        routing_reason="category default: hepco", needs_review_reasons=["low_confidence"],
    )
    twin = make_report(reporter, description="Rac thai tran ra duong Le Loi", latitude=report.latitude + 0.0005,
                       longitude=report.longitude)
    make_report(reporter, description="Rác thải tràn ra đường Lê Lợi", latitude=report.latitude + 0.01,
                longitude=report.longitude)  # 1.1 km away: not a candidate
    operator_client.post(f"{URL}{report.pk}/notes/", {"note": "Đã gọi người dân"}, format="json")
    body = operator_client.get(f"{URL}{report.pk}/").json()
    assert body["reporter"] == {"id": reporter.pk, "name": "Lan Nguyễn", "phone": "+84905777888"}
    assert body["triage_scores"] == {"category": {"environment": 0.55}}
    assert body["triage"]["confidence"] == 0.8
    assert body["routing_reason"] == "category default: hepco"
    assert body["needs_review_reasons"] == ["low_confidence"]
    assert [(d["report_id"], round(d["distance_m"])) for d in body["duplicates"]] == [(twin.pk, 56)]
    assert body["duplicates"][0]["score"] == 1.0
    # with what the operator compares before a one-click merge (the twin has no photo)
    assert set(body["duplicates"][0]) == {
        "report_id", "tracking_code", "status", "distance_m", "score", "description", "created_at", "thumbnail_url", "mergeable",
    }
    assert (body["duplicates"][0]["description"], body["duplicates"][0]["thumbnail_url"]) == (
        "Rac thai tran ra duong Le Loi", None,
    )
    # the twin is still at the operators' stage, so the lifecycle lets it be merged
    assert body["duplicates"][0]["mergeable"] is True
    assert [(e["kind"], e["is_public"], e["note"]) for e in body["timeline"]] == [
        ("submitted", True, ""), ("note", False, "Đã gọi người dân")
    ]
    assert body["timeline"][1]["actor"] == operator.username
    assert body["timeline"][1]["kind_name"] == {"vi": "Ghi chú", "en": "Note"}


def test_detail_of_a_missing_report_is_404(operator_client, reporter):
    response = operator_client.get(f"{URL}999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- actions ------------------------------------------------------------------------------------


def test_triage_override_reroutes_through_the_api(operator_client, reporter):
    report = make_report(reporter, status=Status.NEEDS_REVIEW, agency=None)
    response = operator_client.post(
        f"{URL}{report.pk}/triage/", {"category": "water_supply", "urgency": "critical"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["category"], body["urgency"], body["agency"]) == (
        "assigned", "water_supply", "critical", "huewaco"
    )
    assert body["agency_name"]["en"]
    assert body["timeline"][-1]["kind"] == "triage_override"
    assert body["timeline"][-1]["new_value"]["confirmed"] is False


@pytest.mark.parametrize(
    "payload", [{"category": "nope", "urgency": "high"}, {"category": "water_supply", "urgency": "soon"}, {}]
)
def test_triage_refuses_bad_input_and_changes_nothing(operator_client, reporter, payload):
    report = make_report(reporter, status=Status.NEEDS_REVIEW, agency=None)
    before = snapshot(report.pk)
    response = operator_client.post(f"{URL}{report.pk}/triage/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert snapshot(report.pk) == before


def test_assign_and_unknown_agency(operator_client, reporter):
    report = make_report(reporter, status=Status.RETURNED, agency=None)
    before = snapshot(report.pk)
    unknown = operator_client.post(f"{URL}{report.pk}/assign/", {"agency": "nasa"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"agency": ["unknown agency: nasa"]}
    assert snapshot(report.pk) == before
    ok = operator_client.post(f"{URL}{report.pk}/assign/", {"agency": "pc-hue"}, format="json")
    assert ok.status_code == 200
    assert (ok.json()["status"], ok.json()["agency"]) == ("assigned", "pc-hue")


def test_reject_requires_a_reason(operator_client, reporter):
    report = make_report(reporter, status=Status.NEEDS_REVIEW, agency=None)
    before = snapshot(report.pk)
    for payload in ({}, {"reason": "   "}):
        response = operator_client.post(f"{URL}{report.pk}/reject/", payload, format="json")
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["reason"]
    assert snapshot(report.pk) == before
    ok = operator_client.post(f"{URL}{report.pk}/reject/", {"reason": "Spam quảng cáo"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["status_name"] == {"vi": "Từ chối", "en": "Rejected"}


def test_merge_through_the_api_and_the_citizen_sees_which_report_it_joined(operator_client, reporter, client_for):
    target = make_report(reporter, status=Status.ACCEPTED)
    duplicate = make_report(reporter, status=Status.NEEDS_REVIEW)
    response = operator_client.post(f"{URL}{duplicate.pk}/merge/", {"into": target.pk}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["merged_into"]) == ("merged", target.tracking_code)
    assert operator_client.get(f"{URL}{target.pk}/").json()["me_too_count"] == 1
    assert operator_client.get(f"{URL}{target.pk}/").json()["merged_reports"] == [duplicate.pk]
    seen = client_for(reporter).get(f"/api/v1/reports/{duplicate.pk}/").json()
    assert seen["merged_into"] == target.tracking_code
    assert seen["timeline"][-1]["kind"] == "merged"
    assert seen["timeline"][-1]["note"] == ""  # the code is in `merged_into`, shown since it is their own


def test_illegal_action_is_409_json_and_changes_nothing(operator_client, reporter):
    report = make_report(reporter, status=Status.IN_PROGRESS)
    before = snapshot(report.pk)
    response = operator_client.post(f"{URL}{report.pk}/reject/", {"reason": "x"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "illegal_transition",
            "message": 'Không thể từ chối khi phản ánh đang ở trạng thái "Đang xử lý".',
            "fields": {},
        }
    }
    english = operator_client.post(
        f"{URL}{report.pk}/reject/", {"reason": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["error"]["message"] == 'Cannot reject while the report is "In progress".'
    assert snapshot(report.pk) == before


def test_admin_is_an_operator_too(client_for, reporter):
    admin = make_staff("city-admin", Role.ADMIN)
    report = make_report(reporter, status=Status.NEEDS_REVIEW, agency=None)
    response = client_for(admin).post(f"{URL}{report.pk}/notes/", {"note": "xem lại"}, format="json")
    assert response.status_code == 201
    assert Report.objects.get(pk=report.pk).events.filter(kind="note", is_public=False).count() == 1


def test_the_schema_documents_the_lifecycle_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/ops/reports/", "/api/v1/ops/reports/{report_id}/", "/api/v1/ops/reports/{report_id}/triage/",
        "/api/v1/ops/reports/{report_id}/assign/", "/api/v1/ops/reports/{report_id}/reject/",
        "/api/v1/ops/reports/{report_id}/merge/", "/api/v1/ops/reports/{report_id}/notes/",
        "/api/v1/agency/tickets/", "/api/v1/agency/tickets/{report_id}/",
        "/api/v1/agency/tickets/{report_id}/accept/", "/api/v1/agency/tickets/{report_id}/progress/",
        "/api/v1/agency/tickets/{report_id}/resolve/", "/api/v1/agency/tickets/{report_id}/return/",
        "/api/v1/reports/{report_id}/rating/", "/api/v1/reports/{report_id}/reopen/",
    ]:
        assert path in paths, path
    assert paths["/api/v1/ops/reports/"]["get"]["tags"] == ["ops"]
    assert paths["/api/v1/agency/tickets/{report_id}/resolve/"]["post"]["tags"] == ["agency"]
    assert paths["/api/v1/reports/{report_id}/rating/"]["post"]["tags"] == ["reports"]
    assert "multipart/form-data" in paths["/api/v1/agency/tickets/{report_id}/resolve/"]["post"]["requestBody"]["content"]


def test_queue_and_board_cost_a_fixed_number_of_queries(operator_client, reporter, client_for,
                                                         django_assert_max_num_queries):
    for i in range(12):
        make_report(reporter, urgency=["critical", "high", "normal", "low"][i % 4])
    hepco = client_for(make_staff("staff-hepco-q", Role.AGENCY, "hepco"))
    # token lookup + queue + two photo prefetches, whatever the page size
    with django_assert_max_num_queries(8):
        assert len(operator_client.get(URL).json()["results"]) == 12
    with django_assert_max_num_queries(8):
        assert len(hepco.get("/api/v1/agency/tickets/").json()["results"]) == 12


def test_queue_and_board_join_only_the_tables_their_rows_name(operator_client, reporter, client_for):
    # Given reports on the queue and the board
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        make_report(reporter, agency="hepco")
    hepco = client_for(make_staff("staff-hepco-j", Role.AGENCY, "hepco"))

    def joined(client, url: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        page = next(q["sql"] for q in queries.captured_queries if 'ORDER BY "reports_report"."urgency_rank"' in q["sql"])
        return sorted(part.split('"')[1] for part in page.split(" JOIN ")[1:])

    # When each lists them, then the page's statement joins the reference rows (and the reporter for
    # operators) and nothing else: PostgreSQL plans every join order, and the 8 tables the queue once
    # joined took it ~20 ms to plan at 1 M reports (docs/performance.md, section 5)
    assert joined(operator_client, URL) == ["accounts_user", "routing_agency", "routing_area", "routing_category"]
    assert joined(hepco, "/api/v1/agency/tickets/") == ["routing_agency", "routing_area", "routing_category"]


def test_detail_names_the_matched_rule_and_the_photos_gps_hint(operator_client, reporter):
    from backend.reports.models import Photo
    from routing.models import RoutingRule

    rule = RoutingRule.objects.get(category__code="noise", order=10)
    report = make_report(reporter, category="noise", urgency="critical", agency="police", routing_rule_id=rule.pk)
    Photo.objects.create(report=report, position=0, image="x.jpg", thumbnail="x_t.jpg", content_type="image/jpeg",
                         width=10, height=10, sha256="0" * 64, gps_lat=16.47, gps_lon=107.58)
    body = operator_client.get(f"{URL}{report.pk}/").json()
    assert body["routing_rule"] == {
        "id": rule.pk, "order": 10, "category": "noise", "agency": "police", "note": rule.note, "active": True
    }
    assert body["photo_locations"] == [{"position": 0, "latitude": 16.47, "longitude": 107.58}]
    # the citizen's own view never carries the GPS hint
    from tests.conftest import _client_for

    assert "photo_locations" not in _client_for(reporter).get(f"/api/v1/reports/{report.pk}/").json()


def test_queue_finds_a_report_by_tracking_code_or_words(operator_client, reporter):
    pothole = make_report(reporter, description="Ổ gà lớn trước chợ Đông Ba")
    make_report(reporter, description="Đèn đường tắt")
    assert ids(operator_client.get(f"{URL}?q={pothole.tracking_code.lower()}").json()) == [pothole.pk]
    assert ids(operator_client.get(f"{URL}?q=chợ Đông Ba").json()) == [pothole.pk]


@pytest.mark.parametrize("query", ["duong ngap", "ĐƯỜNG NGẬP", "đường ngập", "Ngap"])
def test_queue_search_finds_words_with_or_without_diacritics(operator_client, reporter, query):
    # given a report written with marks, and one that only contains the letters inside a longer word
    flooded = make_report(reporter, description="Đường Lê Lợi ngập sâu sau mưa")
    make_report(reporter, description="Rác thải bốc mùi ở chợ")
    # when an operator searches with or without marks
    body = operator_client.get(URL, {"q": query}).json()
    # then the marked report is found, and only it
    assert [row["id"] for row in body["results"]] == [flooded.pk]


def test_queue_search_still_finds_a_tracking_code(operator_client, reporter):
    report = make_report(reporter)
    body = operator_client.get(URL, {"q": report.tracking_code.lower()}).json()
    assert [row["id"] for row in body["results"]] == [report.pk]
