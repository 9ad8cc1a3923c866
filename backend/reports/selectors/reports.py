"""Reads for reports, each scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from backend.accounts.models import User
from backend.reports.models import Photo, Report, ReportEvent


def with_relations(qs: QuerySet[Report]) -> QuerySet[Report]:
    """What every report view shows: reference rows joined, the rest prefetched apart.

    The joined report and the health details, which few reports have, are prefetched rather than
    joined: PostgreSQL plans every join order of up to 8 relations, and the queue's 8 (with the
    reporter and the epidemic) took it ~20 ms to plan for a 0.5 ms execution at 1 M reports
    (docs/performance.md, section 5). A prefetch of nothing (no report on the page merged) costs no query.
    """
    return qs.select_related("category", "area", "agency").prefetch_related(
        "merged_into",
        "health__epidemic",
        Prefetch("photos", queryset=Photo.objects.filter(kind=Photo.Kind.REPORT)),
        Prefetch("photos", queryset=Photo.objects.filter(kind=Photo.Kind.RESOLUTION), to_attr="resolution_photos"),
    )


def report_list_mine(*, user: User) -> QuerySet[Report]:
    return with_relations(Report.objects.filter(reporter=user)).order_by("-created_at", "-id")


def report_get_mine(*, user: User, report_id: int) -> Report:
    # Another citizen's report answers 404, not 403: its existence is not theirs to know.
    report = with_relations(Report.objects.filter(reporter=user, pk=report_id)).first()
    if report is None:
        raise Http404
    return report


def report_public_timeline(*, report: Report) -> QuerySet[ReportEvent]:
    return report.events.filter(is_public=True).order_by("created_at", "id")
