"""Writes for fact checks: the agency's conclusion, its changes, and reports joining it as sightings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.exceptions import Conflict, InvalidInput, NotFound
from backend.factchecks.models import FactCheck, Sighting
from backend.reports.models import Report
from routing.models import Agency
from routing.selectors import agency_handles, category_default_agency

MISINFORMATION = "misinformation"
CONTENT_FIELDS = (
    "claim_vi", "claim_en", "verdict", "explanation_vi", "explanation_en", "source_name", "source_url", "published",
)


def may_check_facts(user: Any) -> bool:
    """IOC staff, and the staff of an agency that handles misinformation reports (information and
    communications)."""
    role = getattr(user, "role", None)
    if role in (Role.OPERATOR, Role.ADMIN):
        return True
    return bool(
        role == Role.AGENCY
        and user.agency_id
        and agency_handles(user.agency_id, MISINFORMATION)
    )


def _concluding_agency(actor: User) -> Agency:
    if actor.role == Role.AGENCY and actor.agency is not None:
        return actor.agency
    agency = category_default_agency(MISINFORMATION)
    if agency is None:
        raise InvalidInput("invalid", fields={"agency": ["no agency handles misinformation"]})
    return agency


@dataclass(frozen=True)
class FactCheckInput:
    claim_vi: str
    verdict: str
    explanation_vi: str
    source_name: str
    claim_en: str = ""
    explanation_en: str = ""
    source_url: str = ""
    published: bool = True


def _reports_for(actor: User, report_ids: list[int], fact_check: FactCheck | None) -> list[Report]:
    reports = {r.pk: r for r in Report.objects.select_related("category").filter(pk__in=report_ids)}
    out = []
    for report_id in report_ids:
        report = reports.get(report_id)
        # Another agency's ticket answers as missing: its existence is not theirs to know.
        if report is None or (actor.role == Role.AGENCY and report.agency_id != actor.agency_id):
            raise NotFound(fields={"reports": [f"{report_id}: not found"]})
        if report.category is None or report.category.code != MISINFORMATION:
            raise InvalidInput("factcheck_not_a_rumour", fields={"reports": [str(report_id)]}, value=report_id)
        elsewhere = Sighting.objects.filter(report=report)
        if fact_check is not None:
            elsewhere = elsewhere.exclude(fact_check=fact_check)
        if elsewhere.exists():
            raise Conflict("factcheck_report_elsewhere", value=report_id)
        out.append(report)
    return out


def factcheck_create(*, actor: User, data: FactCheckInput, report_ids: Sequence[int] = ()) -> FactCheck:
    with transaction.atomic():
        reports = _reports_for(actor, list(report_ids), None)
        fact_check = FactCheck.objects.create(
            **{name: getattr(data, name) for name in CONTENT_FIELDS},
            agency=_concluding_agency(actor),
            created_by=actor,
            published_at=timezone.now() if data.published else None,
        )
        Sighting.objects.bulk_create(Sighting(fact_check=fact_check, report=r, linked_by=actor) for r in reports)
    return fact_check


def factcheck_update(*, actor: User, fact_check_id: int, changes: dict[str, Any]) -> FactCheck:
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not fact-check content: {sorted(unknown)}")
    with transaction.atomic():
        fact_check = FactCheck.objects.select_for_update().filter(pk=fact_check_id).first()
        if fact_check is None:
            raise NotFound()
        for name, value in changes.items():
            setattr(fact_check, name, value)
        if fact_check.published and fact_check.published_at is None:
            fact_check.published_at = timezone.now()
        fact_check.save()
    return fact_check


def sightings_add(*, actor: User, fact_check_id: int, report_ids: list[int]) -> FactCheck:
    """Join reports of the same rumour to a fact check; joining one already there changes nothing."""
    with transaction.atomic():
        fact_check = FactCheck.objects.select_for_update().filter(pk=fact_check_id).first()
        if fact_check is None:
            raise NotFound()
        reports = _reports_for(actor, report_ids, fact_check)
        already = set(fact_check.sightings.values_list("report_id", flat=True))
        Sighting.objects.bulk_create(
            Sighting(fact_check=fact_check, report=r, linked_by=actor) for r in reports if r.pk not in already
        )
    return fact_check
