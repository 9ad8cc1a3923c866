"""Only the monitoring centre and the health agency ever see a health report: no assignment, rule or
re-triage puts one on another agency's board; a request for medical help stays at least high."""

from __future__ import annotations

import pytest

from backend.epidemic.models import HealthDetails
from backend.reports.models import Report, Status
from routing.models import Agency, Category, RoutingRule
from tests.factories import make_report, make_staff, snapshot


@pytest.fixture
def health_report(reference_data, make_citizen):
    return make_report(make_citizen(), category="health_epidemic", agency=None, status=Status.NEEDS_REVIEW,
                       description="Nghi nhiễm, sốt cao")


def assign(client, report, agency):
    return client.post(f"/api/v1/ops/reports/{report.pk}/assign/", {"agency": agency}, format="json")


def test_an_operator_cannot_assign_a_health_report_to_another_agency(operator_client, health_report):
    before = snapshot(health_report.pk)
    response = assign(operator_client, health_report, "hepco")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "health_agency_only"
    assert list(response.json()["error"]["fields"]) == ["agency"]
    # and nothing changed, nothing was told
    assert snapshot(health_report.pk) == before


@pytest.mark.parametrize("agency", ["health", "ioc"])
def test_the_health_agency_and_the_monitoring_centre_may_hold_it(operator_client, health_report, agency):
    response = assign(operator_client, health_report, agency)
    assert response.status_code == 200, response.json()
    assert Report.objects.get(pk=health_report.pk).agency.code == agency


def test_another_report_still_goes_to_any_agency(operator_client, reference_data, make_citizen):
    report = make_report(make_citizen(), status=Status.NEEDS_REVIEW, agency=None)
    assert assign(operator_client, report, "huewaco").status_code == 200


def test_the_other_agencies_never_see_it_on_their_board(client_for, operator_client, health_report):
    assign(operator_client, health_report, "health")
    hepco = client_for(make_staff("hepco-h", "agency", agency="hepco"))
    health = client_for(make_staff("health-h", "agency", agency="health"))
    assert [t["id"] for t in hepco.get("/api/v1/agency/tickets/").json()["results"]] == []
    assert [t["id"] for t in health.get("/api/v1/agency/tickets/").json()["results"]] == [health_report.pk]
    assert hepco.get(f"/api/v1/agency/tickets/{health_report.pk}/").status_code == 404


def test_a_routing_rule_naming_another_agency_leaves_it_for_the_operators(submit_health, fake_triage, ward_polygons):
    # given a misconfigured rule sending health reports to HEPCO
    RoutingRule.objects.create(order=1, category=Category.objects.get(code="health_epidemic"),
                               agency=Agency.objects.get(code="hepco"))
    fake_triage("health_epidemic", "normal", 0.95)
    body = submit_health("Nghi nhiễm sốt xuất huyết", health_kind="suspected_case")
    # then no agency gets it: the operators decide
    report = Report.objects.get(pk=body["id"])
    assert (report.agency, report.status) == (None, Status.NEEDS_REVIEW)
    assert "agency_not_allowed" in report.needs_review_reasons


def test_re_triage_into_health_with_a_rule_for_another_agency_keeps_it_off_that_board(operator_client, reference_data,
                                                                                    make_citizen):
    RoutingRule.objects.create(order=1, category=Category.objects.get(code="health_epidemic"),
                               agency=Agency.objects.get(code="hepco"))
    report = make_report(make_citizen(), status=Status.ASSIGNED, agency="hepco", category="environment")
    response = operator_client.post(f"/api/v1/ops/reports/{report.pk}/triage/",
                                    {"category": "health_epidemic", "urgency": "normal"}, format="json")
    assert response.status_code == 200, response.json()
    report.refresh_from_db()
    assert (report.agency, report.status, report.needs_review_reasons) == (None, Status.NEEDS_REVIEW, ["agency_not_allowed"])


def test_an_operator_cannot_lower_a_request_for_medical_help_below_high(operator_client, health_report):
    HealthDetails.objects.create(report=health_report, kind="medical_help")
    Report.objects.filter(pk=health_report.pk).update(urgency="high")
    before = snapshot(health_report.pk)
    response = operator_client.post(f"/api/v1/ops/reports/{health_report.pk}/triage/",
                                    {"category": "health_epidemic", "urgency": "normal"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "medical_help_at_least_high"
    assert snapshot(health_report.pk) == before
    # high and critical are fine
    for urgency in ("high", "critical"):
        ok = operator_client.post(f"/api/v1/ops/reports/{health_report.pk}/triage/",
                                  {"category": "health_epidemic", "urgency": urgency}, format="json")
        assert ok.status_code == 200, ok.json()
