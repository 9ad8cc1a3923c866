"""What may be published: routed, publishable category, not sensitive, not rejected; by every path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from backend.reports.models import Report, ReportEvent, Status
from backend.reports.services import lifecycle
from realtime.models import EventLog
from routing.models import Agency, Category
from tests.factories import make_report, make_staff

NEIGHBOUR = "Nhà bà Lan số 12 Kiệt 5 Phan Bội Châu có người bị sốt xuất huyết, cả xóm lo lắng"


@pytest.fixture
def public() -> APIClient:
    return APIClient()


@pytest.fixture
def operator_user(reference_data):
    return make_staff("op-pub", "operator")


def public_paths(report_id: int) -> dict[str, object]:
    """What every public path says about one report: listed? answered by id?"""
    public = APIClient()
    listing = public.get("/api/v1/public/reports/").json()["results"]
    open311_list = public.get("/open311/v2/requests.json").json()
    return {
        "public_list": report_id in [r["id"] for r in listing],
        "public_detail": public.get(f"/api/v1/public/reports/{report_id}/").status_code,
        "open311_list": str(report_id) in [r["service_request_id"] for r in open311_list],
        "open311_detail": public.get(f"/open311/v2/requests/{report_id}.json").status_code,
    }


HIDDEN = {"public_list": False, "public_detail": 404, "open311_list": False, "open311_detail": 404}
SHOWN = {"public_list": True, "public_detail": 200, "open311_list": True, "open311_detail": 200}


@pytest.mark.parametrize("category", ["health_epidemic", "public_security"])
def test_a_confidently_routed_report_of_a_restricted_category_is_never_published(
    citizen_client, fake_triage, category
):
    # given the model files a report naming a sick neighbour with confidence, and routing assigns it
    fake_triage(category, "high", 0.97)
    created = citizen_client.post(
        "/api/v1/reports/", {"description": NEIGHBOUR, "latitude": 16.4637, "longitude": 107.5909}, format="multipart"
    ).json()
    assert created["status"] == "assigned"
    # then no public path shows it, in any form
    assert public_paths(created["id"]) == HIDDEN
    raw = APIClient().get("/open311/v2/requests.json").content.decode() + APIClient().get(
        "/api/v1/public/reports/"
    ).content.decode()
    assert "bà Lan" not in raw


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.TRIAGED, Status.NEEDS_REVIEW])
def test_a_report_is_published_only_once_routed(reference_data, make_citizen, operator_user, status):
    # given a report still waiting for review
    report = make_report(make_citizen(), status=status, agency=None)
    assert public_paths(report.pk) == HIDDEN
    # when an operator assigns it to an agency, then it is published
    lifecycle.report_assign(actor=operator_user, report_id=report.pk, agency=Agency.objects.get(code="hepco"))
    assert public_paths(report.pk) == SHOWN


def test_a_duplicate_merged_before_review_is_never_published(reference_data, make_citizen, operator_user):
    kept = make_report(make_citizen())
    unreviewed = make_report(make_citizen(), status=Status.NEEDS_REVIEW, agency=None, description=NEIGHBOUR)
    lifecycle.report_merge(actor=operator_user, report_id=unreviewed.pk, into_id=kept.pk)
    assert APIClient().get(f"/api/v1/public/reports/{unreviewed.pk}/").status_code == 404
    assert APIClient().get(f"/open311/v2/requests/{unreviewed.pk}.json").status_code == 404


def test_re_triage_into_a_restricted_category_withdraws_a_published_report(
    reference_data, make_citizen, operator_user
):
    report = make_report(make_citizen(), category="environment")
    assert public_paths(report.pk) == SHOWN
    lifecycle.report_triage_confirm(
        actor=operator_user, report_id=report.pk, category=Category.objects.get(code="health_epidemic"),
        urgency="high",
    )
    assert public_paths(report.pk) == HIDDEN


def test_an_operator_marks_a_report_sensitive_and_every_public_path_drops_it(
    reference_data, make_citizen, operator_client
):
    # given a published report
    report = make_report(make_citizen())
    assert public_paths(report.pk) == SHOWN
    # when an operator marks it sensitive
    response = operator_client.post(
        f"/api/v1/ops/reports/{report.pk}/sensitive/", {"sensitive": True, "reason": "nêu tên trẻ vị thành niên"},
        format="json",
    )
    # then it is gone from every public path, the operators see the flag, and the trail keeps why
    assert (response.status_code, response.json()["sensitive"]) == (200, True)
    assert public_paths(report.pk) == HIDDEN
    event = ReportEvent.objects.filter(report=report).latest("id")
    assert (event.kind, event.is_public, event.note, event.new_value) == (
        "sensitivity", False, "nêu tên trẻ vị thành niên", {"sensitive": True}
    )
    # and the citizen's live stream does not hear of it (it is internal)
    assert EventLog.objects.filter(report_id=report.pk).latest("id").citizen_payload is None
    # when it is unmarked, the publication rule applies again
    operator_client.post(f"/api/v1/ops/reports/{report.pk}/sensitive/", {"sensitive": False, "reason": "đã xem lại"},
                         format="json")
    assert public_paths(report.pk) == SHOWN


def test_marking_sensitive_needs_a_reason(reference_data, make_citizen, operator_client):
    report = make_report(make_citizen())
    response = operator_client.post(f"/api/v1/ops/reports/{report.pk}/sensitive/", {"sensitive": True}, format="json")
    assert response.status_code == 400
    assert Report.objects.get(pk=report.pk).sensitive is False


def test_the_database_refuses_to_make_a_restricted_category_publishable(reference_data):
    health = Category.objects.get(code="health_epidemic")
    assert health.publishable is False
    health.publishable = True
    with pytest.raises(ValidationError):
        health.full_clean()  # what the admin form runs
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.filter(pk=health.pk).update(publishable=True)


def test_an_admin_may_withdraw_another_category(reference_data, make_citizen):
    report = make_report(make_citizen(), category="noise")
    Category.objects.filter(code="noise").update(publishable=False)
    assert public_paths(report.pk) == HIDDEN


def test_statistics_still_count_restricted_reports_in_aggregate(reference_data, make_citizen):
    # a health figure is public only as an aggregate of at least 5 (backend/epidemic/public.py)
    def health_total() -> int | None:
        stats = APIClient().get("/api/v1/public/stats/").json()
        return next(row for row in stats["categories"] if row["code"] == "health_epidemic")["total"]

    make_report(make_citizen(), category="health_epidemic")
    assert health_total() is None
    for _ in range(4):
        make_report(make_citizen(), category="health_epidemic")
    assert health_total() == 5


# --- what citizens and the public read in timelines ------------------------------------------------


def test_an_agencys_return_reason_stays_inside_the_city(reference_data, make_citizen, client_for, operator_client):
    # given a ticket returned by the agency with an internal reason
    citizen = make_citizen()
    report = make_report(citizen, status=Status.ACCEPTED)
    hepco = make_staff("hepco-ret", "agency", agency="hepco")
    reason = "Không thuộc thẩm quyền, hỏi anh Nam bên điện lực"
    lifecycle.ticket_return(actor=hepco, report_id=report.pk, reason=reason)
    # then neither the citizen, nor the public API, nor Open311 sees it; the operators do
    citizen_view = client_for(citizen).get(f"/api/v1/reports/{report.pk}/").content.decode()
    public_view = APIClient().get(f"/api/v1/public/reports/{report.pk}/").content.decode()
    open311 = APIClient().get(f"/open311/v2/requests/{report.pk}.json")
    assert "anh Nam" not in citizen_view and "anh Nam" not in public_view
    assert open311.json()[0]["status_notes"] is None
    staff_notes = [e["note"] for e in operator_client.get(f"/api/v1/ops/reports/{report.pk}/").json()["timeline"]]
    assert reason in staff_notes


def test_a_citizen_merged_into_another_citizens_report_does_not_learn_its_tracking_code(
    reference_data, make_citizen, client_for, operator_user
):
    # given B's report merged into A's
    a, b = make_citizen(), make_citizen()
    kept = make_report(a)
    duplicate = make_report(b, status=Status.NEEDS_REVIEW, agency=None)
    lifecycle.report_merge(actor=operator_user, report_id=duplicate.pk, into_id=kept.pk)
    # when B reads their report, their list, and their live stream
    seen = client_for(b).get(f"/api/v1/reports/{duplicate.pk}/")
    mine = client_for(b).get("/api/v1/reports/mine/")
    stream = EventLog.objects.filter(report_id=duplicate.pk).latest("id").citizen_payload
    # then it says merged, but A's tracking code appears nowhere
    assert (seen.json()["status"], seen.json()["merged_into"]) == ("merged", None)
    for text in (seen.content.decode(), mine.content.decode(), str(stream)):
        assert kept.tracking_code not in text


def test_whether_one_report_is_published_does_not_depend_on_the_others(reference_data, make_citizen):
    from backend.reports.publication import is_published

    shown = make_report(make_citizen(), category="environment")
    hidden = make_report(make_citizen(), category="health_epidemic")
    assert (is_published(shown.pk), is_published(hidden.pk)) == (True, False)


def test_a_duplicate_merged_after_it_was_routed_stays_published_by_id(reference_data, make_citizen, operator_user):
    kept = make_report(make_citizen())
    routed = make_report(make_citizen(), status=Status.ASSIGNED)
    lifecycle.report_merge(actor=operator_user, report_id=routed.pk, into_id=kept.pk)
    answer = APIClient().get(f"/api/v1/public/reports/{routed.pk}/")
    assert (answer.status_code, answer.json()["merged_into"]) == (200, kept.pk)
