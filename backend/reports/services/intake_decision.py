"""Triage and routing of a new report, computed before the transaction opens.

The model decides category and urgency (the citizen's hint breaks ties when the model is unsure),
routing decides ward, agency and deadline.

The one "needs review" rule: a report waits for an operator instead of going straight to an agency
when triage gives a reason (``triage.TriageResult.review_reasons``: no model, nothing to read, the
model is unsure, the report is critical) or routing does (no category, outside every ward, no routing
rule, no agency). A citizen's hint that differs from a confident prediction is noted for the operator
(``hint_disagrees``) but holds nothing back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

import triage
from backend.reports.models import Status
from routing import runtime as routing
from routing.models import Agency, Area, Category

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntakeDecision:
    status: str
    category: Category | None
    urgency: str
    predicted_category: str
    predicted_urgency: str
    confidence: float | None
    model_version: str
    rules_fired: list[str]
    scores: dict[str, dict[str, float]]
    area: Area | None
    agency: Agency | None
    due_at: datetime | None
    routing_rule_id: int | None
    routing_reason: str
    review_reasons: list[str] = field(default_factory=list)
    alert: bool = False


# Reasons shown to the operator that do not by themselves hold a report back.
NOTE_ONLY_REASONS = frozenset({"hint_disagrees"})


def needs_review(reasons: list[str]) -> bool:
    return any(reason not in NOTE_ONLY_REASONS for reason in reasons)


def decide_intake(
    *, description: str, latitude: float, longitude: float, category_hint: Category | None, now: datetime
) -> IntakeDecision:
    try:
        result = triage.classify(description, review_threshold=settings.TRIAGE_REVIEW_THRESHOLD)
    except Exception:
        # A broken model or rule must never cost a citizen their report: store it for human review.
        logger.exception("triage failed; the report goes to human review")
        result = triage.TriageResult(category="other", urgency="normal", confidence=0.0)
    tables = routing.tables()
    categories = tables.categories
    reasons = list(result.review_reasons)
    confident = result.model_version is not None and result.confidence >= settings.TRIAGE_REVIEW_THRESHOLD
    if confident or category_hint is None:
        category = categories.get(result.category)
    else:
        category = category_hint
    if category_hint is not None and result.model_version is not None and category_hint.code != result.category:
        reasons.append("hint_disagrees")
    urgency = result.urgency
    alert = bool(getattr(result, "alert", urgency == "critical"))

    area = agency = None
    due_at = None
    rule_id = None
    routing_reason = ""
    area_code: str | None = None
    if category is not None:
        decision = routing.route(category.code, urgency, latitude=latitude, longitude=longitude, now=now)
        area_code = decision.area_code
        agency = tables.agencies.get(decision.agency_code)
        due_at = decision.due_at
        rule_id = decision.rule_id
        routing_reason = decision.reason[:300]
        if decision.area_code is None:
            reasons.append("outside_wards")
        if decision.source == "fallback":
            reasons.append("no_routing_rule")
    else:
        area_code = routing.locate(latitude, longitude)
        reasons.append("no_category")
    if area_code:
        area = tables.areas.get(area_code)
    status = Status.NEEDS_REVIEW if needs_review(reasons) or agency is None else Status.ASSIGNED
    return IntakeDecision(
        status=status,
        category=category,
        urgency=urgency,
        predicted_category=result.category if result.model_version else "",
        predicted_urgency=result.urgency,
        confidence=result.confidence if result.model_version else None,
        model_version=result.model_version or "",
        rules_fired=list(result.rules_fired),
        scores={"category": dict(result.category_scores), "urgency": dict(result.urgency_scores)},
        area=area,
        agency=agency if status == Status.ASSIGNED else None,
        due_at=due_at,
        routing_rule_id=rule_id,
        routing_reason=routing_reason,
        review_reasons=reasons,
        alert=alert,
    )
