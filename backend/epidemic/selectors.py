"""Reads for epidemic mode: whether it is on, and the suspected cases by ward and day.

Counts are of people, not reports: a suspected-case report says how many people it is about
(`people_count`, one if not said). Rejected reports and merged duplicates are not counted (the report
they joined is). Days are the city's days (settings.TIME_ZONE), the last `days` of them up to today.

The health agency and the monitoring centre see every cell. The public sees aggregates only, each
under SUPPRESS_BELOW hidden (`null`), and the total too when it would give a hidden cell away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from backend.epidemic.kinds import HEALTH_CATEGORY, HealthKind
from backend.epidemic.models import EpidemicMode, HealthDetails
from backend.reports.models import Status
from routing.models import Area
from routing.process_copy import ProcessCopy
from routing.selectors import areas_by_name

WINDOWS = (7, 14)
SUPPRESS_BELOW = 5
NOT_COUNTED = (Status.REJECTED, Status.MERGED)


def current_mode() -> EpidemicMode | None:
    return EpidemicMode.objects.filter(active=True).first()


# Every submission asks whether epidemic mode is on (backend/epidemic/intake.py); an admin switches it
# a few times a year. So the intake reads it through a per-process copy, as routing reads its tables:
# a change clears the copy in this process at once (signals below), other processes see it within
# MODE_TTL_SECONDS (a report submitted there meanwhile is handled as before the switch).
MODE_TTL_SECONDS = 5.0

_mode_copy: ProcessCopy[EpidemicMode | None] = ProcessCopy(current_mode, MODE_TTL_SECONDS)


def current_mode_cached() -> EpidemicMode | None:
    """`current_mode()`, read at most once per MODE_TTL_SECONDS per process (for the intake)."""
    return _mode_copy.get()


def forget_current_mode(**_: object) -> None:
    _mode_copy.forget()


def _mode_changed(**_: object) -> None:
    forget_current_mode()
    # Again once committed: another request may have read the old row in between.
    transaction.on_commit(forget_current_mode)


post_save.connect(_mode_changed, sender=EpidemicMode, dispatch_uid="epidemic-mode-cache-save")
post_delete.connect(_mode_changed, sender=EpidemicMode, dispatch_uid="epidemic-mode-cache-delete")


def _suspected_cases(since: datetime, until: datetime) -> QuerySet[HealthDetails]:
    return HealthDetails.objects.filter(
        Q(kind=HealthKind.SUSPECTED_CASE),
        report__category__code=HEALTH_CATEGORY,
        report__created_at__gte=since,
        report__created_at__lt=until,
    ).exclude(report__status__in=NOT_COUNTED)


@dataclass(frozen=True)
class CaseTable:
    days: list[date]
    # ward code -> one count per day; the key None holds reports outside every ward
    counts: dict[str | None, list[int]]
    wards: dict[str, Area]
    reports: int


def suspected_cases_by_ward_and_day(*, days: int, now: datetime) -> CaseTable:
    """People in suspected-case reports, per ward and per day, over the last `days` days up to today."""
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    until = timezone.make_aware(datetime.combine(today + timedelta(days=1), datetime.min.time()))
    dates = [first + timedelta(days=n) for n in range(days)]
    wards = {area.code: area for area in areas_by_name()}
    counts: dict[str | None, list[int]] = {code: [0] * days for code in wards}
    reports = 0
    rows = _suspected_cases(since, until).values_list("report__area__code", "report__created_at", "people_count")
    for ward, created_at, people in rows:
        day = timezone.localdate(created_at)
        counts.setdefault(ward, [0] * days)[(day - first).days] += people or 1
        reports += 1
    return CaseTable(days=dates, counts=counts, wards=wards, reports=reports)


def suppressed(count: int) -> int | None:
    return count if count >= SUPPRESS_BELOW else None


def public_summary(table: CaseTable) -> dict[str, Any]:
    """Per ward totals over the window and the city's total, small counts hidden.

    A total is hidden with its wards when exactly one ward's count is hidden and the rest shown: the
    total minus the shown counts would be that ward's count.
    """
    per_ward = {code: sum(values) for code, values in table.counts.items() if code is not None}
    total = sum(sum(values) for values in table.counts.values())
    hidden = [code for code, count in per_ward.items() if suppressed(count) is None]
    outside = sum(table.counts.get(None, []))
    gives_away = len(hidden) + (1 if 0 < outside < SUPPRESS_BELOW else 0) == 1
    return {
        "total": None if gives_away else suppressed(total),
        "by_ward": [
            {"code": code, "name": area.name, "count": suppressed(per_ward[code])}
            for code, area in table.wards.items()
        ],
    }
