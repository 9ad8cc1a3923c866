"""From text to a triage decision: normalise, model, safety rules, review flag.

``Predictor`` joins one loaded model (or none) with the safety rules; ``triage.classify`` uses a
process-wide one, training and evaluation build their own around the model they are checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from triage import config
from triage.config import check_threshold
from triage.model import TriageModel
from triage.normalize import NormalizedText, model_text, normalize_text
from triage.rules import RuleOutcome, RuleSet, default_rules
from triage.taxonomy import FALLBACK_CATEGORY, FALLBACK_URGENCY


@dataclass(frozen=True, slots=True)
class TriageResult:
    """The triage of one report.

    ``confidence`` is the calibrated probability of ``category`` (0.0 when no model was used).
    ``review_reasons`` is triage's part of the one "needs review" rule (the app adds routing's part,
    see ``backend.reports`` intake): a human decides before any agency is asked when there is no
    model (``no_model``), nothing to read (``empty_text``), the category's probability is under the
    review threshold (``low_confidence``), the model is unsure whether it is critical
    (``urgency_unsure``: P(critical) in the policy's unsure band; an operator decides instead of the
    model raising it a level, issue 14), or the report is critical (``critical``: a false alarm would
    send an agency running, so an operator confirms it with one click). ``alert`` is set for
    every critical report: operators are alerted at once whatever the confidence.
    """

    category: str
    urgency: str
    confidence: float
    category_scores: dict[str, float] = field(default_factory=dict)
    urgency_scores: dict[str, float] = field(default_factory=dict)
    model_version: str | None = None
    rules_fired: tuple[str, ...] = ()
    review_reasons: tuple[str, ...] = ("no_model",)
    alert: bool = False

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)


def review_reasons(
    *, has_model: bool, has_text: bool, confident: bool, critical: bool, urgency_unsure: bool = False
) -> tuple[str, ...]:
    """Triage's reasons for a human review, in the order operators read them."""
    if not has_model:
        reasons = ["no_model"]
    elif not has_text:
        reasons = ["empty_text"]
    else:
        reasons = [] if confident else ["low_confidence"]
    if urgency_unsure and not critical:
        reasons.append("urgency_unsure")
    if critical:
        reasons.append("critical")
    return tuple(reasons)


class Predictor:
    """A model (or None) plus the safety rules."""

    def __init__(
        self, model: TriageModel | None, model_version: str | None, rules: RuleSet | None = None
    ) -> None:
        self.model: Final = model
        self.model_version: Final = model_version if model is not None else None
        self.rules: Final = rules if rules is not None else default_rules()

    def classify_batch(
        self, texts: Sequence[str], review_threshold: float | None = None
    ) -> list[TriageResult]:
        threshold = (
            config.current().review_threshold if review_threshold is None else check_threshold(review_threshold)
        )
        normalized = [normalize_text(text) for text in texts]
        outcomes = [self.rules.evaluate(text) for text in normalized]
        if self.model is None:
            return [self._fallback(outcome) for outcome in outcomes]
        return self._with_model(self.model, normalized, outcomes, threshold)

    def classify(self, text: str, review_threshold: float | None = None) -> TriageResult:
        return self.classify_batch([text], review_threshold)[0]

    def _fallback(self, outcome: RuleOutcome) -> TriageResult:
        urgency = outcome.raise_urgency(FALLBACK_URGENCY)
        return TriageResult(
            category=outcome.category_hint or FALLBACK_CATEGORY,
            urgency=urgency,
            confidence=0.0,
            model_version=None,
            rules_fired=outcome.fired,
            review_reasons=review_reasons(
                has_model=self.model is not None, has_text=False, confident=False, critical=urgency == "critical"
            ),
            alert=urgency == "critical",
        )

    def _with_model(
        self,
        model: TriageModel,
        normalized: list[NormalizedText],
        outcomes: Sequence[RuleOutcome],
        threshold: float,
    ) -> list[TriageResult]:
        category_proba, urgency_proba = model.predict_proba([model_text(text) for text in normalized])
        model_urgencies = model.decide_urgency(urgency_proba)
        category_labels = model.category.labels
        urgency_labels = model.urgency.labels
        results: list[TriageResult] = []
        for row, outcome in enumerate(outcomes):
            if not normalized[row].folded.strip():
                results.append(self._fallback(outcome))  # nothing to read: a human decides
                continue
            scores = category_proba[row]
            best = int(scores.argmax())
            confidence = float(scores[best])
            model_urgency, unsure = model_urgencies[row]
            urgency = outcome.raise_urgency(model_urgency)
            critical = urgency == "critical"
            results.append(
                TriageResult(
                    category=category_labels[best],
                    urgency=urgency,
                    confidence=confidence,
                    category_scores=dict(zip(category_labels, scores.tolist(), strict=True)),
                    urgency_scores=dict(zip(urgency_labels, urgency_proba[row].tolist(), strict=True)),
                    model_version=self.model_version,
                    rules_fired=outcome.fired,
                    review_reasons=review_reasons(
                        has_model=True,
                        has_text=True,
                        confident=confidence >= threshold,
                        critical=critical,
                        urgency_unsure=unsure,
                    ),
                    alert=critical,
                )
            )
        return results
