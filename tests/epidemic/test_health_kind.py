"""An operator confirms or corrects what a health report is, in one step; a report an operator moves
into the health category gets its health record, so the epidemic figures count it."""

from __future__ import annotations

import pytest

from backend.epidemic.models import HealthDetails
from backend.reports.models import ReportEvent, Status
from tests.factories import make_report, make_staff, snapshot


@pytest.fixture
def health_report(reference_data, make_citizen):
    report = make_report(make_citizen(), category="health_epidemic", agency=None, status=Status.NEEDS_REVIEW,
                         urgency="normal", description="Hàng xóm sốt cao mấy ngày, nghi sốt xuất huyết")
    HealthDetails.objects.create(report=report, kind="other", kind_given=False)
    return report


def set_kind(client, report, kind):
    return client.post(f"/api/v1/ops/reports/{report.pk}/health/", {"kind": kind}, format="json")


def details(report):
    return HealthDetails.objects.filter(report=report).values("kind", "kind_given").get()


def test_an_operator_confirms_the_kind_in_one_step(operator_client, health_report):
    # when the operator says it is a suspected case
    response = set_kind(operator_client, health_report, "suspected_case")
    # then the report's health record holds it, confirmed, and the answer shows it
    assert response.status_code == 200, response.json()
    health = response.json()["health"]
    assert (health["kind"], health["kind_given"], health["kind_name"]) == (
        "suspected_case", True, {"vi": "Nghi nhiễm bệnh", "en": "Suspected case"},
    )
    assert details(health_report) == {"kind": "suspected_case", "kind_given": True}
    # and the audit trail has one internal event with the old and new kind
    event = ReportEvent.objects.filter(report=health_report).order_by("-id").first()
    assert (event.kind, event.is_public, event.old_value, event.new_value) == (
        "health_kind", False, {"kind": "other", "kind_given": False}, {"kind": "suspected_case", "kind_given": True},
    )
    # and asking again for the same kind records nothing more
    events = ReportEvent.objects.filter(report=health_report).count()
    assert set_kind(operator_client, health_report, "suspected_case").status_code == 200
    assert ReportEvent.objects.filter(report=health_report).count() == events


def test_medical_help_below_high_is_refused_and_nothing_changes(operator_client, health_report):
    before = snapshot(health_report.pk)
    response = set_kind(operator_client, health_report, "medical_help")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "medical_help_at_least_high"
    assert snapshot(health_report.pk) == before
    assert details(health_report) == {"kind": "other", "kind_given": False}


@pytest.mark.parametrize(("kind", "code"), [("plague_of_frogs", "invalid"), ("", "invalid")])
def test_an_unknown_kind_is_refused(operator_client, health_report, kind, code):
    before = snapshot(health_report.pk)
    response = set_kind(operator_client, health_report, kind)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["kind"]
    assert snapshot(health_report.pk) == before


def test_another_category_is_not_a_health_report(operator_client, reference_data, make_citizen):
    report = make_report(make_citizen(), category="environment", status=Status.ASSIGNED)
    before = snapshot(report.pk)
    response = set_kind(operator_client, report, "suspected_case")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_a_health_report"
    assert snapshot(report.pk) == before
    assert not HealthDetails.objects.filter(report=report).exists()


def test_only_the_monitoring_centre_may(client_for, citizen_client, health_report):
    from rest_framework.test import APIClient

    health_staff = client_for(make_staff("health-kind", "agency", agency="health"))
    before = snapshot(health_report.pk)
    statuses = [set_kind(c, health_report, "suspected_case").status_code
                for c in (APIClient(), citizen_client, health_staff)]
    assert statuses == [401, 403, 403]
    assert snapshot(health_report.pk) == before
    assert details(health_report) == {"kind": "other", "kind_given": False}


def test_a_report_moved_into_health_by_an_operator_gets_its_record(operator_client, reference_data, make_citizen):
    # given a report the model put in "other" although it describes a suspected case
    report = make_report(make_citizen(), category="other", status=Status.NEEDS_REVIEW, urgency="normal",
                         description="Nhà bên có 3 người sốt phát ban, nghi sốt xuất huyết")
    # when the operator corrects the category to health
    response = operator_client.post(f"/api/v1/ops/reports/{report.pk}/triage/",
                                    {"category": "health_epidemic", "urgency": "high"}, format="json")
    # then it has a health record, its kind guessed from the text and waiting to be confirmed
    assert response.status_code == 200, response.json()
    assert details(report) == {"kind": "suspected_case", "kind_given": False}
    assert (response.json()["health"]["kind"], response.json()["health"]["kind_given"]) == ("suspected_case", False)
