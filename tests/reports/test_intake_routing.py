"""A new report is triaged and routed before it is stored: ward, agency, deadline, review queue."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from backend.reports.models import Report
from tests.conftest import SHARED_DATA

URL = "/api/v1/reports/"
HUE = ZoneInfo("Asia/Ho_Chi_Minh")
CITADEL = ("16.4698", "107.5786")


@pytest.fixture(autouse=True)
def _ref(reference_data):
    return reference_data


@pytest.fixture
def ward_polygons(db):
    call_command("import_areas", str(SHARED_DATA / "geo" / "hue_wards_communes_2025.geojson"), verbosity=0)


def submit(client, text="Cống bị tắc", lat=CITADEL[0], lon=CITADEL[1], **extra):
    response = client.post(URL, {"description": text, "latitude": lat, "longitude": lon, **extra}, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()


def test_confident_report_is_assigned_to_the_category_default_agency(citizen_client, fake_triage, ward_polygons):
    # given a confident prediction of a blocked drain at the Citadel
    fake_triage("drainage_flooding", "normal", 0.93)
    # when the citizen submits it
    body = submit(citizen_client)
    # then it lands in Phú Xuân with HEPCO, due in 3 working days
    assert body["status"] == "assigned"
    assert (body["category"], body["urgency"], body["area"], body["agency"]) == (
        "drainage_flooding", "normal", "phu-xuan", "hepco"
    )
    assert body["area_name"] == {"vi": "Phường Phú Xuân", "en": "Phú Xuân"}
    assert body["agency_name"]["en"] == "Huế Urban Environment and Public Works Company (HEPCO)"
    assert body["triage"] == {
        "category": "drainage_flooding", "urgency": "normal", "confidence": 0.93,
        "model_version": "test-model", "rules": [],
    }
    report = Report.objects.get()
    assert report.routing_reason.startswith("no rule matched; default for drainage_flooding in phu-xuan -> hepco")
    assert report.needs_review_reasons == []
    assert report.due_at is not None


def test_deadline_is_counted_in_working_time(citizen_client, fake_triage, ward_polygons, monkeypatch):
    # given a normal report received on Friday 20 Nov 2026 at 16:00 in Huế
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 20, 16, 0, tzinfo=HUE))
    fake_triage("road_damage", "high", 0.9)
    body = submit(citizen_client)
    # then "1 working day" ends Monday 23 Nov at 16:00 (the weekend does not count)
    assert datetime.fromisoformat(body["due_at"]).astimezone(HUE) == datetime(2026, 11, 23, 16, 0, tzinfo=HUE)


def test_routing_rule_beats_the_default_and_a_critical_report_waits_for_an_operator(
    citizen_client, fake_triage, ward_polygons
):
    # given the starting rules send critical traffic (accidents, racing) to the police
    fake_triage("traffic", "critical", 0.97, rules=("accident",))
    # when a confident critical accident report comes in
    body = submit(citizen_client, "Tai nạn, có người bị thương nặng")
    # then routing names the police, but no agency is asked before an operator confirms (triage's rule)
    assert (body["agency"], body["status"], body["urgency"]) == (None, "needs_review", "critical")
    report = Report.objects.get()
    assert report.needs_review_reasons == ["critical"]
    assert report.routing_rule_id is not None
    assert "-> police" in report.routing_reason


def test_unsure_model_sends_the_report_to_review_with_the_citizens_hint(citizen_client, fake_triage, ward_polygons):
    fake_triage("environment", "normal", 0.41)
    body = submit(citizen_client, category="street_lighting")
    assert body["status"] == "needs_review"
    assert body["category"] == "street_lighting"
    assert body["agency"] is None
    assert body["area"] == "phu-xuan"
    assert Report.objects.get().needs_review_reasons == ["low_confidence", "hint_disagrees"]


def test_confident_model_overrules_a_differing_hint(citizen_client, fake_triage, ward_polygons):
    fake_triage("water_supply", "normal", 0.9)
    body = submit(citizen_client, category="environment")
    assert (body["status"], body["category"], body["agency"]) == ("assigned", "water_supply", "huewaco")
    assert Report.objects.get().needs_review_reasons == ["hint_disagrees"]


def test_report_outside_every_ward_goes_to_review(citizen_client, fake_triage, ward_polygons):
    fake_triage("road_damage", "normal", 0.9)
    body = submit(citizen_client, lat="10.7769", lon="106.7009")  # Hồ Chí Minh City
    assert (body["status"], body["area"], body["agency"]) == ("needs_review", None, None)
    assert Report.objects.get().needs_review_reasons == ["outside_wards"]


def test_without_polygons_the_nearest_ward_centre_is_used(citizen_client, fake_triage):
    from routing.models import Area

    centre = Area.objects.get(code="vy-da")
    fake_triage("noise", "normal", 0.9)
    body = submit(citizen_client, lat=str(centre.centre_lat + 0.001), lon=str(centre.centre_lon))
    assert (body["area"], body["agency"]) == ("vy-da", "ward-committee")


def test_real_geometry_thuan_an_beach(citizen_client, fake_triage, ward_polygons):
    fake_triage("environment", "normal", 0.9)
    body = submit(citizen_client, "Rác trên bãi biển", lat="16.5587", lon="107.6427")
    assert body["area"] == "thuan-an"


def test_a_failing_triage_never_loses_the_report(citizen_client, monkeypatch):
    # given a triage that crashes (a broken model file or rule)
    import triage

    def broken(*args, **kwargs):
        raise ValueError("bad rule")

    monkeypatch.setattr(triage, "classify", broken)
    # when a citizen submits
    body = submit(citizen_client, category="road_damage")
    # then the report is stored for human review with the citizen's hint
    assert (body["status"], body["category"], body["triage"]["model_version"]) == ("needs_review", "road_damage", None)
    assert Report.objects.get().needs_review_reasons == ["no_model"]
