"""A routing decision applied to a report: the one place that turns routing's answer into rows.

Intake, the operator's triage confirmation, assignment and reopening all route through here, so a
missing agency, a point outside every ward or a category without a rule are handled alike: the
report keeps what routing found and gets a review reason instead of a guessed agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.epidemic.holders import may_hold
from backend.reports.models import Report
from routing import runtime
from routing.models import Agency, Area, Category
from routing.selectors import agency_get, area_get

# Routing's reasons for a human look (the other half of the review rule is triage's).
OUTSIDE_WARDS = "outside_wards"
NO_ROUTING_RULE = "no_routing_rule"
NO_AGENCY = "no_agency"
NO_CATEGORY = "no_category"
# A rule names an agency that may not hold this category's reports (a health report outside health).
AGENCY_NOT_ALLOWED = "agency_not_allowed"


@dataclass(frozen=True)
class Routed:
    area: Area | None
    agency: Agency | None
    due_at: datetime | None
    rule_id: int | None
    reason: str
    review_reasons: tuple[str, ...]


def route_report(
    *, category: Category | None, urgency: str, latitude: float, longitude: float, start: datetime,
    area_code: str | None = None,
) -> Routed:
    """Where a report goes and by when; the deadline counts from `start`."""
    if category is None or not urgency:
        area = area_get(area_code or runtime.locate(latitude, longitude))
        return Routed(area, None, None, None, "", (NO_CATEGORY,))
    decision = runtime.route(
        category.code, urgency, latitude=latitude, longitude=longitude, area_code=area_code, now=start
    )
    agency = agency_get(decision.agency_code)
    reasons = []
    if decision.area_code is None:
        reasons.append(OUTSIDE_WARDS)
    if decision.source == "fallback":
        reasons.append(NO_ROUTING_RULE)
    if agency is None:  # the tables name an agency that was deactivated meanwhile
        reasons.append(NO_AGENCY)
    elif not may_hold(category, agency):  # a misconfigured rule must not show it to the wrong agency
        agency = None
        reasons.append(AGENCY_NOT_ALLOWED)
    return Routed(
        area=area_get(decision.area_code), agency=agency, due_at=decision.due_at, rule_id=decision.rule_id,
        reason=decision.reason[:300], review_reasons=tuple(reasons),
    )


def route_existing(report: Report, *, start: datetime) -> Routed:
    """Route a stored report again with its own category, urgency and ward."""
    return route_report(
        category=report.category, urgency=report.urgency, latitude=report.latitude, longitude=report.longitude,
        start=start, area_code=report.area.code if report.area else None,
    )


def apply_route(report: Report, routed: Routed, *, now: datetime) -> None:
    """Write a routing answer onto the report (not saved): ward, agency, rule, reason, deadline."""
    report.area = routed.area
    report.agency = routed.agency
    report.routing_rule_id = routed.rule_id
    report.routing_reason = routed.reason
    set_deadline(report, routed.due_at, now=now)


def set_deadline(report: Report, due_at: datetime | None, *, now: datetime) -> None:
    if due_at != report.due_at:
        report.due_at = due_at
        # A new deadline may pass again: escalate again then.
        report.overdue_notified_at = None if due_at is None or due_at > now else report.overdue_notified_at
