"""Reads for reports, each scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from backend.accounts.models import User
from backend.reports.models import Photo, Report, ReportEvent


def with_relations(qs: QuerySet[Report]) -> QuerySet[Report]:
    """What every report view shows: reference rows joined, report and after-photos prefetched apart."""
    return qs.select_related("category", "area", "agency", "merged_into", "health__epidemic").prefetch_related(
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
