"""routing.runtime: the admin-edited tables as the running process sees them, and their cache."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from routing import runtime
from routing.models import Agency, Area, Category, CategoryDefaultAgency, DeadlineSetting, RoutingRule

HUE = ZoneInfo("Asia/Ho_Chi_Minh")
# A Tuesday morning, far from Tết: working-day deadlines are easy to count.
TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=HUE)


@pytest.fixture(autouse=True)
def tables(reference_data):
    # A test's transaction rolls back without signals: never leave its tables cached for the next test.
    runtime.invalidate()
    yield
    runtime.invalidate()


def centre(code: str) -> dict[str, float]:
    area = Area.objects.get(code=code)
    return {"latitude": area.centre_lat, "longitude": area.centre_lon}


def test_category_default_agency_and_ward_from_the_point():
    decision = runtime.route("water_supply", "normal", **centre("vy-da"), now=TUESDAY)
    assert (decision.agency_code, decision.area_code, decision.source, decision.rule_id) == (
        "huewaco", "vy-da", "category_default", None
    )
    assert decision.due_at == datetime(2026, 3, 13, 9, 0, tzinfo=HUE)  # 3 working days
    assert decision.needs_review is False


def test_a_starting_rule_wins_over_the_default():
    rule = RoutingRule.objects.get(category__code="noise", order=10)
    decision = runtime.route("noise", "critical", **centre("kim-long"), now=TUESDAY)
    assert (decision.agency_code, decision.rule_id, decision.source) == ("police", rule.pk, "rule")
    assert decision.due_at == TUESDAY + timedelta(hours=4)
    assert f"rule #{rule.pk}" in decision.reason
    # a normal-urgency noise complaint goes to the ward committee (the category default)
    assert runtime.route("noise", "normal", **centre("kim-long"), now=TUESDAY).agency_code == "ward-committee"


def test_an_admin_edit_applies_at_once_in_this_process():
    assert runtime.route("environment", "normal", **centre("thuan-an"), now=TUESDAY).agency_code == "hepco"
    rule = RoutingRule.objects.create(
        order=1, category=Category.objects.get(code="environment"), agency=Agency.objects.get(code="natural-resources")
    )
    rule.areas.set([Area.objects.get(code="thuan-an")])
    assert runtime.route("environment", "normal", **centre("thuan-an"), now=TUESDAY).agency_code == "natural-resources"
    assert runtime.route("environment", "normal", **centre("vy-da"), now=TUESDAY).agency_code == "hepco"
    rule.active = False
    rule.save()
    assert runtime.route("environment", "normal", **centre("thuan-an"), now=TUESDAY).agency_code == "hepco"


def test_a_rule_to_an_inactive_agency_is_skipped():
    RoutingRule.objects.create(order=1, category=Category.objects.get(code="water_supply"),
                               agency=Agency.objects.get(code="infocom"))
    Agency.objects.filter(code="infocom").update(active=False)
    runtime.invalidate()  # a queryset update sends no signal
    assert runtime.route("water_supply", "normal", **centre("vy-da"), now=TUESDAY).agency_code == "huewaco"


def test_deadline_settings_from_the_database():
    DeadlineSetting.objects.create(category=Category.objects.get(code="power_supply"), urgency="critical",
                                   amount=2, unit="hours")
    assert runtime.route("power_supply", "critical", **centre("phu-bai"), now=TUESDAY).due_at == (
        TUESDAY + timedelta(hours=2)
    )
    assert runtime.route("water_supply", "critical", **centre("phu-bai"), now=TUESDAY).due_at == (
        TUESDAY + timedelta(hours=4)
    )


def test_without_a_default_the_ioc_takes_it_and_an_operator_reviews():
    CategoryDefaultAgency.objects.filter(category__code="water_supply").delete()
    decision = runtime.route("water_supply", "normal", **centre("vy-da"), now=TUESDAY)
    assert (decision.agency_code, decision.source, decision.needs_review) == ("ioc", "fallback", True)


def test_outside_every_ward_there_is_no_area_and_review_is_needed():
    hanoi = runtime.route("road_damage", "high", latitude=21.0285, longitude=105.8542, now=TUESDAY)
    assert (hanoi.area_code, hanoi.agency_code, hanoi.needs_review) == (None, "transport", True)
    assert runtime.locate(21.0285, 105.8542) is None


def test_a_known_area_code_wins_over_the_coordinates():
    decision = runtime.route("road_damage", "low", latitude=21.0, longitude=105.8, area_code="phu-xuan", now=TUESDAY)
    assert (decision.area_code, decision.area_name) == ("phu-xuan", "Phú Xuân")


def test_tables_are_cached_until_invalidated(django_assert_num_queries):
    point = centre("an-cuu")
    runtime.tables()
    with django_assert_num_queries(0):
        runtime.route("traffic", "critical", **point, now=TUESDAY)
