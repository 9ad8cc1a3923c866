"""Reads for the public and the press: the anonymised reports, one report's public story, the figures.

Shared by `/api/v1/public/` and Open311 (backend/open311/), so both publish exactly the same things.
What is published, and why (DESIGN.md: "Everything is public in anonymised form"):
- only what backend/reports/publication.py allows: routed, of a publishable category, not marked
  sensitive, not rejected (spam, abuse and out-of-scope texts are not the city's to publish);
- merged duplicates are left out of lists, because the report they joined counts them as "me too" (as
  the statistics do) and a map would show the same pothole twice; asked for by id they answer, with
  `merged_into` naming the report they joined;
- never the reporter (name, phone, account id, the "anonymous" flag), the tracking code (the
  citizen's handle with the hotline), the photos' camera GPS, triage internals, routing reasons,
  internal notes, non-public events, or text the citizen wrote after submitting (rating comments,
  reopen reasons);
- phone numbers and e-mail addresses typed into descriptions and notes are masked (redaction.py);
- positions are rounded to PUBLIC_COORDINATE_DECIMALS (about 11 m): enough to find the pothole, not a
  doorstep-precise fix of where the citizen stood.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from backend.accounts.models import Role
from backend.core.exceptions import InvalidInput
from backend.core.instants import parse_instant
from backend.epidemic.public import public_stats_suppressed
from backend.reports.models import OPEN_STATUSES, Photo, Report, ReportEvent, Status
from backend.reports.publication import note_outside_the_city, published_q
from backend.reports.redaction import redact_contacts
from backend.transparency.stats import stats_both
from routing.selectors import agencies_all, areas_all, categories_all

PUBLIC_COORDINATE_DECIMALS = 4
NOT_LISTED = frozenset({Status.REJECTED, Status.MERGED})
LISTED_STATUSES = [(value, label) for value, label in Status.choices if value not in NOT_LISTED]
# Whose notes on a public event are published: the city's staff write them for the public. What the
# reporter typed later (rating comment, reopen reason) stays between them and the city.
_STAFF_ROLES = frozenset({Role.OPERATOR, Role.AGENCY, Role.ADMIN, "system"})


def public_coordinate(value: float) -> float:
    return round(value, PUBLIC_COORDINATE_DECIMALS)


def is_open(report: Report) -> bool:
    return report.status in OPEN_STATUSES


def is_overdue(report: Report, now: datetime) -> bool:
    return bool(is_open(report) and report.due_at is not None and report.due_at < now)


def published_reports() -> QuerySet[Report]:
    """Every report the public may see, with what its public view shows joined or prefetched.

    Deliberately not `selectors.with_relations`: nothing here loads the reporter or the joined report.
    """
    return (
        Report.objects.filter(published_q())
        .select_related("category", "area", "agency")
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.filter(kind=Photo.Kind.REPORT)),
            Prefetch(
                "photos", queryset=Photo.objects.filter(kind=Photo.Kind.RESOLUTION), to_attr="resolution_photos"
            ),
        )
    )


def with_public_events(qs: QuerySet[Report]) -> QuerySet[Report]:
    """Prefetch each report's public events in order, as `report.public_events`."""
    events = ReportEvent.objects.filter(is_public=True).order_by("created_at", "id")
    return qs.prefetch_related(Prefetch("events", queryset=events, to_attr="public_events"))


# --- filters ------------------------------------------------------------------------------------


class InstantField(forms.CharField):
    """An ISO 8601 datetime or a date (`end_of_day`: a date means up to its last instant)."""

    def __init__(self, *args: Any, end_of_day: bool = False, **kwargs: Any) -> None:
        self.end_of_day = end_of_day
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> datetime | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_instant(text, end_of_day=self.end_of_day)
        except ValueError as exc:
            raise forms.ValidationError(
                "not a date or datetime (ISO 8601, e.g. 2026-11-30 or 2026-11-30T08:00:00+07:00)"
            ) from exc


class InstantFilter(django_filters.Filter):
    field_class = InstantField


class BBoxField(forms.CharField):
    """`min_lon,min_lat,max_lon,max_lat` in WGS84 degrees (the order of GeoJSON and OGC APIs)."""

    def clean(self, value: Any) -> tuple[float, float, float, float] | None:
        text = super().clean(value)
        if not text:
            return None
        parts = text.split(",")
        message = "min_lon,min_lat,max_lon,max_lat in degrees, minimums first"
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
        except ValueError as exc:
            raise forms.ValidationError(message) from exc
        if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
            raise forms.ValidationError(message)
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise forms.ValidationError(message)
        return min_lon, min_lat, max_lon, max_lat


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs: QuerySet[Report], value: tuple[float, float, float, float] | None) -> QuerySet[Report]:
        if value is None:
            return qs
        min_lon, min_lat, max_lon, max_lat = value
        return qs.filter(
            longitude__gte=min_lon, longitude__lte=max_lon, latitude__gte=min_lat, latitude__lte=max_lat
        )


class PublicReportFilter(django_filters.FilterSet):
    # distinct=False: no filter here can repeat a row, and DISTINCT would sort every match first.
    status = django_filters.MultipleChoiceFilter(choices=LISTED_STATUSES, distinct=False)
    # Codes are checked against the city's lists: a typo answers 400, not an empty map.
    category = django_filters.ModelChoiceFilter(to_field_name="code", queryset=categories_all())
    area = django_filters.ModelChoiceFilter(to_field_name="code", queryset=areas_all())
    agency = django_filters.ModelChoiceFilter(to_field_name="code", queryset=agencies_all())
    since = InstantFilter(field_name="created_at", lookup_expr="gte")
    until = InstantFilter(field_name="created_at", lookup_expr="lte", end_of_day=True)
    bbox = BBoxFilter()

    class Meta:
        model = Report
        fields = ["status", "category", "area", "agency", "since", "until", "bbox"]


def _filtered(params: Any, qs: QuerySet[Report]) -> QuerySet[Report]:
    filterset = PublicReportFilter(params, queryset=qs)
    if not filterset.is_valid():
        raise InvalidInput("invalid", fields={k: [str(e) for e in v] for k, v in filterset.errors.items()})
    return filterset.qs


# --- reads --------------------------------------------------------------------------------------


def public_report_list(*, params: Any) -> QuerySet[Report]:
    """Published reports except merged duplicates, filtered by the query parameters, newest first."""
    qs = published_reports().exclude(status=Status.MERGED)
    return _filtered(params, qs).order_by("-created_at", "-id")  # the apis' CursorPagination keeps this order


def public_report_get(*, report_id: int) -> Report:
    # A rejected report answers 404 like a missing one: it is not published.
    report = with_public_events(published_reports()).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def public_timeline(*, report: Report) -> list[ReportEvent]:
    events = getattr(report, "public_events", None)
    if events is None:
        events = list(report.events.filter(is_public=True).order_by("created_at", "id"))
    return list(events)


def public_note(event: ReportEvent, report: Report) -> str:
    """An event's note as published: the staff's words, contacts masked; nothing the reporter wrote."""
    if not event.note or event.actor_role not in _STAFF_ROLES:
        return ""
    if event.actor_id is not None and event.actor_id == report.reporter_id:
        return ""
    return redact_contacts(note_outside_the_city(event))


def public_stats(*, since: datetime | None, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    # Health figures are aggregates with counts under 5 hidden (backend/epidemic/public.py).
    return public_stats_suppressed({
        "since": since,
        "generated_at": now,
        **stats_both(since=since, now=now),
    })


def open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)
