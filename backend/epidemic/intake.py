"""A health report at intake: its kind, the answers to its kind's questions, and what they imply.

Called by the report intake (backend/reports/services/intake.py) for every submission: before the
decision (the kind may raise the urgency: a request for medical help is at least high) and inside the
transaction (the details are stored with the report when it is a health report). The app and Open311
clients send the answers (`health_kind`, `symptoms`, `onset_date`, `people_count`); while epidemic
mode is on, the questions kinds.QUESTIONS marks required must be answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rest_framework import serializers

from backend.core.exceptions import InvalidInput
from backend.core.messages import Message
from backend.epidemic.kinds import (
    HEALTH_CATEGORY,
    MAX_PEOPLE,
    MINIMUM_URGENCY,
    ONSET_DATE,
    PEOPLE_COUNT,
    QUESTIONS,
    SYMPTOMS,
    HealthKind,
    Symptom,
    guess_kind,
)
from backend.epidemic.models import EpidemicMode, HealthDetails
from backend.epidemic.selectors import current_mode, current_mode_cached

REQUIRED = Message("bắt buộc khi có dịch với loại phản ánh này", "required for this kind during an epidemic")


@dataclass(frozen=True)
class HealthAnswers:
    """What the citizen said about a health report; `kind` None means they did not say."""

    kind: str | None = None
    symptoms: tuple[str, ...] = ()
    onset_date: date | None = None
    people_count: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "symptoms": list(self.symptoms),
            "onset_date": self.onset_date.isoformat() if self.onset_date else None, "people_count": self.people_count,
        }


@dataclass(frozen=True)
class HealthIntake:
    kind: str
    kind_given: bool
    answers: HealthAnswers
    mode: EpidemicMode | None
    # Per final category, the lowest urgency the report may have (for decide_intake).
    minimum_urgency: dict[str, str] = field(default_factory=dict)


def _answered(answers: HealthAnswers, question: str) -> bool:
    return {SYMPTOMS: bool(answers.symptoms), ONSET_DATE: answers.onset_date is not None,
            PEOPLE_COUNT: answers.people_count is not None}[question]


def health_intake(*, answers: HealthAnswers | None, description: str, today: date) -> HealthIntake:
    """Check the answers against the kind's questions and work out the kind (the citizen's, or a guess
    from the text); InvalidInput `health_answers_invalid` names each wrong field."""
    answers = answers or HealthAnswers()
    mode = current_mode_cached()  # asked by every submission: a per-process copy (selectors.py)
    problems: dict[str, list[Any]] = {}
    if answers.kind is None and answers != HealthAnswers():
        problems["health_kind"] = [Message("cần chọn loại phản ánh y tế", "choose the kind of health report")]
    if answers.kind is not None and answers.kind not in HealthKind.values:
        problems["health_kind"] = [f"one of {', '.join(HealthKind.values)}"]
    if answers.onset_date is not None and answers.onset_date > today:
        problems[ONSET_DATE] = [Message("không thể ở tương lai", "cannot be in the future")]
    if mode is not None and answers.kind in QUESTIONS:
        for question, required in QUESTIONS[answers.kind]:
            if required and not _answered(answers, question):
                problems.setdefault(question, []).append(REQUIRED)
    if problems:
        raise InvalidInput("health_answers_invalid", fields=problems)
    kind = answers.kind or guess_kind(description)
    floor = MINIMUM_URGENCY.get(kind)
    return HealthIntake(
        kind=kind, kind_given=answers.kind is not None, answers=answers, mode=mode,
        minimum_urgency={HEALTH_CATEGORY: floor} if floor else {},
    )


def health_details_record(report: Any, intake: HealthIntake) -> HealthDetails | None:
    """Inside the intake's transaction: store the kind and answers of a report that is about health."""
    if report.category is None or report.category.code != HEALTH_CATEGORY:
        return None
    answers = intake.answers
    return HealthDetails.objects.create(
        report=report, kind=intake.kind, kind_given=intake.kind_given, symptoms=list(answers.symptoms),
        onset_date=answers.onset_date, people_count=answers.people_count, epidemic=intake.mode,
    )


def health_details_ensure(report: Any) -> HealthDetails | None:
    """A report an operator moves into the health category gets its health record (kind guessed from
    its text, to be confirmed), so the epidemic figures count it like one the citizen filed as health."""
    if report.category is None or report.category.code != HEALTH_CATEGORY:
        return None
    existing = HealthDetails.objects.filter(report=report).first()
    if existing is not None:
        return existing
    return HealthDetails.objects.create(
        report=report, kind=guess_kind(report.description), kind_given=False, epidemic=current_mode()
    )


def health_answers(values: Mapping[str, Any]) -> HealthAnswers | None:
    """The health fields of a submission (the app's form or Open311's attributes, already typed), or None
    if it has none. Answers need a kind; a kind makes it a health report, so another category is refused."""
    kind = values.get("health_kind")
    answers = HealthAnswers(
        kind=kind, symptoms=tuple(dict.fromkeys(values.get("symptoms") or ())),
        onset_date=values.get("onset_date"), people_count=values.get("people_count"),
    )
    if answers == HealthAnswers():
        return None
    problems: dict[str, list[Any]] = {}
    if kind is None:
        problems["health_kind"] = ["required with the health questions"]
    category = values.get("category")
    if category is not None and getattr(category, "code", category) != HEALTH_CATEGORY:
        problems["category"] = [f"a report with health_kind is {HEALTH_CATEGORY}"]
    if problems:
        raise serializers.ValidationError(problems)
    return answers


class HealthFields(serializers.Serializer):  # type: ignore[type-arg]
    """The health fields of a submission: the app's form declares them by inheriting, Open311 reads its
    `attribute[...]` into them (open311.py). What each kind asks: GET /api/v1/epidemic/."""

    health_kind = serializers.ChoiceField(choices=HealthKind.choices, required=False, help_text="a health report's kind")
    symptoms = serializers.ListField(child=serializers.ChoiceField(choices=Symptom.choices), required=False)
    onset_date = serializers.DateField(required=False, help_text="when the symptoms began (YYYY-MM-DD)")
    people_count = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PEOPLE)
