"""decide(): area, agency and deadline for one report, on the real wards of Huế."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from routing.deadlines import PolicyTable
from routing.decide import RuleSet, decide
from routing.geo import WardIndex
from routing.types import URGENCIES, DeadlinePolicy, Point, RoutingDecision, Rule, WardCentre

HUE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=HUE)  # a Friday afternoon
CITADEL = Point(16.4698, 107.5786)  # Phú Xuân
BEACH = Point(16.5587, 107.6427)  # Thuận An
AT_SEA = Point(16.70, 107.90)
DEFAULTS = {"drainage_flooding": "urban-works", "environment": "environment-company"}

RULES = [
    Rule(
        id=12,
        order=10,
        category="drainage_flooding",
        area_codes=frozenset({"phu-xuan"}),
        agency_code="phu-xuan-ward",
    ),
    Rule(id=13, order=20, category="drainage_flooding", agency_code="drainage-company"),
    Rule(
        id=14,
        order=5,
        category="drainage_flooding",
        urgencies=frozenset({"critical"}),
        agency_code="fire-rescue",
    ),
    Rule(id=15, order=1, category="drainage_flooding", agency_code="retired-unit", active=False),
    Rule(id=16, order=30, category=None, area_codes=frozenset({"thuan-an"}), agency_code="thuan-an-ward"),
]


def route(
    category: str,
    urgency: str,
    where: Point | str | None,
    rules: list[Rule] | RuleSet = RULES,
    ward_index: WardIndex | None = None,
    **kwargs: object,
) -> RoutingDecision:
    return decide(
        category,
        urgency,
        where,
        rules=rules,
        ward_index=ward_index,
        default_agency_by_category=DEFAULTS,
        now=NOW,
        **kwargs,  # type: ignore[arg-type]
    )


def test_area_specific_rule_matches_and_explains_itself(hue_wards: WardIndex) -> None:
    # Given a flooding report at the Citadel; when routed with the real wards.
    decision = route("drainage_flooding", "normal", CITADEL, ward_index=hue_wards)
    # Then rule #12 (flooding in Phú Xuân) sends it to the ward, due in 3 working days.
    assert decision == RoutingDecision(
        agency_code="phu-xuan-ward",
        area_code="phu-xuan",
        due_at=datetime(2026, 11, 26, 16, 0, tzinfo=HUE),
        rule_id=12,
        reason="rule #12: drainage_flooding in phu-xuan -> phu-xuan-ward; normal: due in 3 working days",
        needs_review=False,
        source="rule",
        area_name="Phú Xuân",
        policy=DeadlinePolicy(None, "normal", 3, "working_days"),
    )


def test_rules_are_tried_by_order_not_by_list_position(hue_wards: WardIndex) -> None:
    # Rule #14 (order 5, critical only) comes before #12 (order 10) whatever the list order.
    for rules in (RULES, list(reversed(RULES))):
        decision = route("drainage_flooding", "critical", CITADEL, rules=rules, ward_index=hue_wards)
        assert (decision.agency_code, decision.rule_id) == ("fire-rescue", 14)
        assert decision.due_at == datetime(2026, 11, 20, 20, 0, tzinfo=HUE)  # 4 wall-clock hours


def test_same_order_ties_go_to_the_lower_rule_id() -> None:
    first = Rule(id=2, order=1, category=None, agency_code="a")
    second = Rule(id=1, order=1, category=None, agency_code="b")
    assert route("noise", "low", "phu-xuan", rules=[first, second]).rule_id == 1


def test_general_rule_applies_outside_the_specific_area(hue_wards: WardIndex) -> None:
    decision = route("drainage_flooding", "high", BEACH, ward_index=hue_wards)
    assert (decision.agency_code, decision.area_code, decision.rule_id) == (
        "drainage-company",
        "thuan-an",
        13,
    )
    assert decision.due_at == datetime(2026, 11, 23, 16, 0, tzinfo=HUE)  # 1 working day


def test_inactive_rule_is_ignored(hue_wards: WardIndex) -> None:
    # Rule #15 has the lowest order but is inactive: it never matches.
    decision = route("drainage_flooding", "low", CITADEL, ward_index=hue_wards)
    assert decision.rule_id == 12
    assert all(r.id != 15 for r in RuleSet.compile(RULES).rules)


def test_any_category_rule_for_an_area(hue_wards: WardIndex) -> None:
    decision = route("noise", "normal", BEACH, ward_index=hue_wards)
    assert (decision.agency_code, decision.rule_id, decision.source) == ("thuan-an-ward", 16, "rule")


def test_category_default_when_no_rule_matches(hue_wards: WardIndex) -> None:
    decision = route("environment", "low", CITADEL, ward_index=hue_wards)
    assert (decision.agency_code, decision.rule_id, decision.source, decision.needs_review) == (
        "environment-company",
        None,
        "category_default",
        False,
    )
    assert decision.reason == (
        "no rule matched; default for environment in phu-xuan -> environment-company; low: due in 7 working days"
    )


def test_ioc_fallback_needs_review(hue_wards: WardIndex) -> None:
    decision = route("misinformation", "high", CITADEL, ward_index=hue_wards)
    assert (decision.agency_code, decision.rule_id, decision.source, decision.needs_review) == (
        "ioc",
        None,
        "fallback",
        True,
    )
    assert decision.area_code == "phu-xuan"
    assert decision.reason == (
        "no rule or default agency for misinformation in phu-xuan -> ioc (fallback); "
        "high: due in 1 working day; needs operator review"
    )


def test_fallback_agency_is_configurable() -> None:
    decision = route("misinformation", "high", "phu-xuan", fallback_agency="city-ioc")
    assert decision.agency_code == "city-ioc"


def test_report_outside_every_ward_is_routed_but_needs_review(hue_wards: WardIndex) -> None:
    # Given a flooding report from the sea: no area; the area-specific rule cannot match.
    decision = route("drainage_flooding", "normal", AT_SEA, ward_index=hue_wards)
    assert (decision.agency_code, decision.area_code, decision.rule_id, decision.needs_review) == (
        "drainage-company",
        None,
        13,
        True,
    )
    assert decision.reason == (
        "rule #13: drainage_flooding outside every ward -> drainage-company; "
        "normal: due in 3 working days; needs operator review"
    )


def test_explicit_area_code_skips_the_map(hue_wards: WardIndex) -> None:
    decision = route("drainage_flooding", "normal", "phu-xuan", ward_index=hue_wards)
    assert (decision.agency_code, decision.area_code, decision.area_name) == (
        "phu-xuan-ward",
        "phu-xuan",
        "Phú Xuân",
    )


def test_no_location_and_no_map() -> None:
    decision = route("noise", "normal", None)
    assert (decision.agency_code, decision.area_code, decision.needs_review) == ("ioc", None, True)
    assert decision.reason == (
        "no rule or default agency for noise with no location -> ioc (fallback); "
        "normal: due in 3 working days; needs operator review"
    )
    decision = route("environment", "normal", CITADEL)  # no ward index given
    assert (decision.agency_code, decision.area_code, decision.needs_review) == (
        "environment-company",
        None,
        True,
    )
    assert decision.reason == (
        "no rule matched; default for environment with no ward map loaded -> environment-company; "
        "normal: due in 3 working days; needs operator review"
    )


def test_category_specific_deadline_policy_is_used(hue_wards: WardIndex) -> None:
    policies = [DeadlinePolicy("drainage_flooding", "high", 8, "working_hours")]
    for given in (policies, PolicyTable(policies)):
        decision = route("drainage_flooding", "high", CITADEL, ward_index=hue_wards, policies=given)
        # Friday 16:00 + 8 working hours: 1 h Friday, 4 h Monday morning, 3 h after lunch.
        assert decision.due_at == datetime(2026, 11, 23, 16, 30, tzinfo=HUE)
        assert decision.reason.endswith("high: due in 8 working hours")


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="urgency"):
        route("noise", "soon", "phu-xuan")
    with pytest.raises(ValueError, match="aware"):
        decide("noise", "low", None, rules=[], now=datetime(2026, 11, 20, 16, 0))


def test_rules_refuse_unknown_urgencies_and_a_single_string_of_areas() -> None:
    with pytest.raises(ValueError, match="urgencies"):
        Rule(id=1, order=1, category=None, agency_code="a", urgencies=frozenset({"asap"}))
    with pytest.raises(TypeError):
        Rule(id=1, order=1, category=None, agency_code="a", area_codes="phu-xuan")  # type: ignore[arg-type]
    # Lists from the ORM are accepted and frozen.
    rule = Rule(id=1, order=1, category=None, agency_code="a", area_codes=["phu-xuan"])  # type: ignore[arg-type]
    assert rule.area_codes == frozenset({"phu-xuan"})


def test_compiled_ruleset_agrees_with_a_plain_scan_on_1000_random_rules() -> None:
    # Given 1,000 random rules; the compiled index must pick exactly what a linear scan picks.
    rng = random.Random(7)
    categories = ["drainage_flooding", "road_damage", "environment", "noise", "traffic"]
    areas = [f"ward-{i}" for i in range(40)]
    rules = [
        Rule(
            id=i,
            order=rng.randrange(200),
            category=rng.choice([None, *categories]),
            area_codes=frozenset(rng.sample(areas, rng.choice([0, 0, 1, 3]))),
            urgencies=frozenset(rng.sample(URGENCIES, rng.choice([0, 0, 1, 2]))),
            agency_code=f"agency-{i}",
            active=rng.random() > 0.1,
        )
        for i in range(1000)
    ]
    ruleset = RuleSet.compile(rules)
    by_order = sorted(rules, key=lambda r: (r.order, r.id))
    for _ in range(2000):
        category, area, urgency = (
            rng.choice(categories + ["other"]),
            rng.choice([None, *areas]),
            rng.choice(URGENCIES),
        )
        expected = next((r for r in by_order if r.matches(category, area, urgency)), None)
        assert ruleset.first_match(category, area, urgency) == expected


def test_nearest_centre_match_is_named_in_the_reason() -> None:
    centres = WardIndex(centres=[WardCentre("phu-xuan", "Phú Xuân", CITADEL)], max_km=3.0)
    decision = route("drainage_flooding", "normal", Point(16.4788, 107.5786), ward_index=centres)
    assert (decision.agency_code, decision.area_code, decision.needs_review) == (
        "phu-xuan-ward",
        "phu-xuan",
        False,
    )
    assert decision.reason == (
        "rule #12: drainage_flooding in phu-xuan (nearest centre, 1.0 km) -> phu-xuan-ward; "
        "normal: due in 3 working days"
    )
