"""Triage and routing of a new report, computed before the transaction opens.

The model decides category and urgency (the citizen's hint breaks ties when the model is unsure),
routing decides ward, agency and deadline.

The one "needs review" rule: a report waits for an operator instead of going straight to an agency
when triage gives a reason (``triage.TriageResult.review_reasons``: no model, nothing to read, the
model is unsure, the report is critical) or routing does (no category, outside every ward, no routing
rule, no agency). A citizen's hint that differs from a confident prediction is noted for the operator
(``hint_disagrees``) but holds nothing back. A hint of a category that is never published (health,
security tips) is believed over the model: a citizen who says a report is confidential must not see it
sent to an agency that may not read it. The caller may set a lowest urgency per final category (a
request for medical help is at least high), applied before routing so the deadline follows it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

import triage
from backend.core.metrics import TRIAGE_LATENCY
from backend.reports.models import Status
from backend.reports.services.routing_apply import Routed, route_report
from routing.models import URGENCY_ORDER, Agency, Category
from routing.selectors import category_get

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
    routed: Routed
    agency: Agency | None
    review_reasons: list[str] = field(default_factory=list)
    alert: bool = False


# Reasons shown to the operator that do not by themselves hold a report back.
NOTE_ONLY_REASONS = frozenset({"hint_disagrees"})


def needs_review(reasons: list[str]) -> bool:
    return any(reason not in NOTE_ONLY_REASONS for reason in reasons)


def decide_intake(
    *, description: str, latitude: float, longitude: float, category_hint: Category | None, now: datetime,
    minimum_urgency: Mapping[str, str] | None = None,
) -> IntakeDecision:
    try:
        with TRIAGE_LATENCY.time():  # /metrics: hue_triage_duration_seconds
            result = triage.classify(description, review_threshold=settings.TRIAGE_REVIEW_THRESHOLD)
    except Exception:
        # A broken model or rule must never cost a citizen their report: store it for human review.
        logger.exception("triage failed; the report goes to human review")
        result = triage.TriageResult(category="other", urgency="normal", confidence=0.0)
    reasons = list(result.review_reasons)
    confident = result.model_version is not None and result.confidence >= settings.TRIAGE_REVIEW_THRESHOLD
    confidential_hint = category_hint is not None and not category_hint.publishable
    believe_model = (confident and not confidential_hint) or category_hint is None
    category = category_get(result.category) if believe_model else category_hint
    if category_hint is not None and result.model_version is not None and category_hint.code != result.category:
        reasons.append("hint_disagrees")
    urgency = result.urgency
    floor = (minimum_urgency or {}).get(category.code) if category is not None else None
    if floor is not None and URGENCY_ORDER[floor] < URGENCY_ORDER[urgency]:  # type: ignore[index]
        urgency = floor
    routed = route_report(
        category=category, urgency=urgency, latitude=latitude, longitude=longitude, start=now
    )
    reasons.extend(routed.review_reasons)
    status = Status.NEEDS_REVIEW if needs_review(reasons) else Status.ASSIGNED
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
        routed=routed,
        # Routing's agency is a suggestion (kept in routing_reason) until an operator confirms.
        agency=routed.agency if status == Status.ASSIGNED else None,
        review_reasons=reasons,
        alert=result.alert,
    )
