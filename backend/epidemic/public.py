"""Health figures as the public may see them: aggregates only, every count under 5 hidden.

Applied to whatever public figure is about health reports: the ward totals of suspected cases
(selectors.public_summary) and the rows of the public statistics for the health category and for the
agencies that handle nothing else (the health agency's record is a count of health reports).
"""

from __future__ import annotations

from typing import Any

from backend.epidemic.kinds import HEALTH_CATEGORY
from backend.epidemic.selectors import SUPPRESS_BELOW, suppressed
from routing.selectors import agencies_active

COUNTS = ("total", "open", "overdue", "resolved", "rated")
# Figures computed over `resolved` (on time, time to resolve) or `rated` (satisfaction) reports: a mean
# of two ratings is two ratings.
DERIVED = {"on_time_share": "resolved", "median_hours_to_resolve": "resolved", "satisfaction": "rated"}


def _suppress_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for name, base in DERIVED.items():
        if row[base] < SUPPRESS_BELOW:
            out[name] = None
    for name in COUNTS:
        out[name] = suppressed(row[name])
    return out


def health_only_agencies() -> set[str]:
    return {
        agency.code for agency in agencies_active().prefetch_related("categories")
        if {c.code for c in agency.categories.all()} == {HEALTH_CATEGORY}
    }


def public_stats_suppressed(stats: dict[str, Any]) -> dict[str, Any]:
    """The public statistics with the health rows' small counts hidden (null)."""
    health_agencies = health_only_agencies()
    return {
        **stats,
        "agencies": [_suppress_row(r) if r["code"] in health_agencies else r for r in stats["agencies"]],
        "categories": [_suppress_row(r) if r["code"] == HEALTH_CATEGORY else r for r in stats["categories"]],
    }
