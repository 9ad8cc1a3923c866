"""Per-agency and per-category figures: counts, on-time share, median time to resolve, satisfaction.

Selectors only (the public issue publishes them). Read from the aggregates of figures.py (a request
reads a few thousand aggregate rows, never every report); figures_from_rows computes the same figures
from the reports, the reference the tests hold the aggregates to. Definitions, so the figures can be
trusted:
- `total`: reports of that agency/category, merged duplicates left out (they count on the report
  they joined, as its "me too");
- `open`: not yet resolved, closed, rejected or merged; `overdue`: open with its deadline passed;
- `resolved`: reports that got a resolution (resolved, or closed after one);
- `on_time_share`: of the resolved reports that had a deadline, the share resolved by it (the last
  resolution counts, so a report reopened and resolved late is late);
- `median_hours_to_resolve`: from submission to the (last) resolution;
- `satisfaction`: mean of the citizens' stars (1-5) over `rated` ratings.
A figure with nothing to measure is None, never 0.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from backend.reports.models import OPEN_STATUSES, Report, Status
from backend.transparency import figures
from routing.selectors import agencies_active, categories_active


@dataclass
class Figures:
    code: str
    name_vi: str
    name_en: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    on_time_share: float | None = None
    median_hours_to_resolve: float | None = None
    rated: int = 0
    satisfaction: float | None = None
    _on_time: list[bool] = field(default_factory=list, repr=False)
    _hours: list[float] = field(default_factory=list, repr=False)
    _stars: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": {"vi": self.name_vi, "en": self.name_en},
            "total": self.total,
            "open": self.open,
            "overdue": self.overdue,
            "resolved": self.resolved,
            "on_time_share": self.on_time_share,
            "median_hours_to_resolve": self.median_hours_to_resolve,
            "rated": self.rated,
            "satisfaction": self.satisfaction,
        }


def figures_from_rows(
    group_field: str, names: dict[int, tuple[str, str, str]], *, since: datetime | None, now: datetime
) -> list[dict[str, Any]]:
    """The figures computed from every report of the window (reads them all: the reference, not for requests)."""
    rows = Report.objects.exclude(status=Status.MERGED).filter(**{f"{group_field}__isnull": False})
    if since is not None:
        rows = rows.filter(Q(created_at__gte=since))
    by_key = {key: Figures(*names[key]) for key in names}
    for key, status, created, due, resolved_at, stars in rows.values_list(
        group_field, "status", "created_at", "due_at", "resolved_at", "rating_stars"
    ):
        figures = by_key.get(key)
        if figures is None:
            continue
        figures.total += 1
        if status in OPEN_STATUSES:
            figures.open += 1
            figures.overdue += bool(due and due < now)
        if resolved_at is not None and status in {Status.RESOLVED, Status.CLOSED}:
            figures.resolved += 1
            figures._hours.append((resolved_at - created).total_seconds() / 3600)
            if due is not None:
                figures._on_time.append(resolved_at <= due)
        if stars is not None:
            figures._stars.append(stars)
    for figures in by_key.values():
        if figures._on_time:
            figures.on_time_share = round(sum(figures._on_time) / len(figures._on_time), 3)
        if figures._hours:
            figures.median_hours_to_resolve = round(statistics.median(figures._hours), 2)
        figures.rated = len(figures._stars)
        if figures._stars:
            figures.satisfaction = round(statistics.fmean(figures._stars), 2)
    return [by_key[key].as_dict() for key in names]


def _from_aggregates(
    group_field: str, names: dict[int, tuple[str, str, str]], sums: figures.Sums,
    medians: dict[tuple[str, int], float | None],
) -> list[dict[str, Any]]:
    rows = []
    for key, (code, name_vi, name_en) in names.items():
        found = sums.get((group_field, key), {})
        row = Figures(code, name_vi, name_en, total=found.get("total", 0), open=found.get("open", 0),
                      overdue=found.get("overdue", 0), resolved=found.get("resolved", 0),
                      rated=found.get("rated", 0))
        if found.get("resolved_with_deadline"):
            row.on_time_share = round(found["on_time"] / found["resolved_with_deadline"], 3)
        if row.resolved:
            row.median_hours_to_resolve = medians.get((group_field, key))
        if row.rated:
            row.satisfaction = round(found["stars_sum"] / row.rated, 2)
        rows.append(row.as_dict())
    return rows


def agency_names() -> dict[int, tuple[str, str, str]]:
    return {a.pk: (a.code, a.name_vi, a.name_en) for a in agencies_active().order_by("code")}


def category_names() -> dict[int, tuple[str, str, str]]:
    return {c.pk: (c.code, c.name_vi, c.name_en) for c in categories_active()}


def stats_both(*, since: datetime | None = None, now: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per agency (code order, agencies with no reports included, with zeros) and per category (the
    taxonomy's order), from one read of the aggregates."""
    now = now or timezone.now()
    sums, medians = figures.sums(since=since, now=now), figures.medians(since=since)
    return {
        "agencies": _from_aggregates("agency_id", agency_names(), sums, medians),
        "categories": _from_aggregates("category_id", category_names(), sums, medians),
    }


def stats_per_agency(*, since: datetime | None = None, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per active agency, in code order (agencies with no reports included, with zeros)."""
    return stats_both(since=since, now=now)["agencies"]


def stats_per_category(*, since: datetime | None = None, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per active category, in the taxonomy's order."""
    return stats_both(since=since, now=now)["categories"]
