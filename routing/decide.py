"""`decide()`: the pure routing decision for one report (no Django, no I/O, no clock).

Given the triaged category and urgency and where the report is, pick:
1. the area: the ward containing the GPS point (or an explicit area code);
2. the agency: the first active rule by order whose category (None = any), areas (empty = any) and
   urgencies (empty = any) match; else the category's default agency; else the IOC;
3. the deadline: the most specific policy for category x urgency, in working time from `now`.

The report needs operator review when no area was found or only the IOC fallback applied. The
`reason` says in one line which of those happened, for the operator's screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from threading import Lock
from types import MappingProxyType

from routing.deadlines import DEFAULT_CALENDAR, DEFAULT_POLICIES, PolicyTable, WorkingCalendar, policy_for
from routing.geo import WardIndex
from routing.types import URGENCIES, DeadlinePolicy, Point, RouteSource, RoutingDecision, Rule

IOC_AGENCY = "ioc"
_NO_DEFAULTS: Mapping[str, str] = MappingProxyType({})


class RuleSet:
    """Active rules, compiled once so a lookup scans only the rules that can apply.

    For each (category, area) pair seen, the candidate rules (that category's rules plus the
    any-category ones, restricted to that area or any area) are merged in order once and memoised;
    a decision then only checks urgencies along a short list. 1,000 rules stay fast.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        active = sorted((r for r in rules if r.active), key=lambda r: (r.order, r.id))
        self.rules: tuple[Rule, ...] = tuple(active)
        self._by_category: dict[str | None, tuple[Rule, ...]] = {}
        for rule in active:
            self._by_category.setdefault(rule.category, ())
        for category in list(self._by_category):
            self._by_category[category] = tuple(
                r for r in active if r.category is None or r.category == category
            )
        self._any_category = self._by_category.get(None, ())
        self._memo: dict[tuple[str, str | None], tuple[Rule, ...]] = {}
        self._lock = Lock()

    @classmethod
    def compile(cls, rules: Iterable[Rule]) -> RuleSet:
        return cls(rules)

    def __len__(self) -> int:
        return len(self.rules)

    def _candidates(self, category: str, area_code: str | None) -> tuple[Rule, ...]:
        key = (category, area_code)
        found = self._memo.get(key)
        if found is None:
            pool = self._by_category.get(category, self._any_category)
            found = tuple(
                r for r in pool if not r.area_codes or (area_code is not None and area_code in r.area_codes)
            )
            with self._lock:
                self._memo[key] = found
        return found

    def first_match(self, category: str, area_code: str | None, urgency: str) -> Rule | None:
        for rule in self._candidates(category, area_code):
            if not rule.urgencies or urgency in rule.urgencies:
                return rule
        return None


def decide(
    category: str,
    urgency: str,
    point_or_area: Point | str | None,
    *,
    rules: RuleSet | Iterable[Rule],
    ward_index: WardIndex | None = None,
    default_agency_by_category: Mapping[str, str] = _NO_DEFAULTS,
    fallback_agency: str = IOC_AGENCY,
    policies: Iterable[DeadlinePolicy] | PolicyTable = DEFAULT_POLICIES,
    calendar: WorkingCalendar = DEFAULT_CALENDAR,
    now: datetime,
) -> RoutingDecision:
    """Route one report. Pure: the same inputs always give the same decision.

    `point_or_area` is the report's GPS position, an area code already known (e.g. chosen by an
    operator), or None. Pass a compiled `RuleSet` (and `PolicyTable`) when deciding many reports.
    """
    if urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {urgency!r}; expected one of {URGENCIES}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")

    # 1. Where.
    area_code: str | None = None
    area_name: str | None = None
    where: str
    if isinstance(point_or_area, Point):
        match = ward_index.locate(point_or_area) if ward_index is not None else None
        if match is None:
            where = "outside every ward" if ward_index is not None else "with no ward map loaded"
        else:
            area_code, area_name = match.code, match.name
            where = f"in {area_code}"
            if match.method == "nearest_centre":
                where += f" (nearest centre, {match.distance_km:.1f} km)"
    elif isinstance(point_or_area, str) and point_or_area:
        area_code = point_or_area
        area_name = ward_index.name_of(area_code) if ward_index is not None else None
        where = f"in {area_code}"
    else:
        where = "with no location"

    # 2. Who.
    ruleset = rules if isinstance(rules, RuleSet) else RuleSet(rules)
    rule = ruleset.first_match(category, area_code, urgency)
    source: RouteSource
    if rule is not None:
        agency, source = rule.agency_code, "rule"
        reason = f"rule #{rule.id}: {category} {where} -> {agency}"
    elif category in default_agency_by_category:
        agency, source = default_agency_by_category[category], "category_default"
        reason = f"no rule matched; default for {category} {where} -> {agency}"
    else:
        agency, source = fallback_agency, "fallback"
        reason = f"no rule or default agency for {category} {where} -> {agency} (fallback)"

    # 3. By when.
    policy = policy_for(category, urgency, policies)
    due_at = calendar.due_at(now, policy.amount, policy.unit)
    reason += f"; {urgency}: due in {policy.describe()}"

    needs_review = area_code is None or source == "fallback"
    if needs_review:
        reason += "; needs operator review"
    return RoutingDecision(
        agency_code=agency,
        area_code=area_code,
        due_at=due_at,
        rule_id=rule.id if rule is not None else None,
        reason=reason,
        needs_review=needs_review,
        source=source,
        area_name=area_name,
        policy=policy,
    )
