"""Reads for the operators' queue and the agencies' boards.

The queue is ordered urgent-and-old first by default and paginated by keyset (a cursor holding the
last row's sort key), so a page is as fast at row 100,000 as at row 1 and a report arriving while an
operator pages never shifts what they see next.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import django_filters
from django.db.models import (
    DateTimeField,
    F,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan, TupleLookupMixin
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from backend.accounts.models import User
from backend.core.exceptions import InvalidInput
from backend.core.folding import query_words
from backend.reports.models import OPEN_STATUS_LIST, Report, ReportEvent, Status, overdue_q, rank_of
from backend.reports.selectors.reports import with_relations
from routing.models import Agency, Area, Category, Urgency

_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


# ordering parameter -> keyset columns (annotation or field, descending?). The last column is unique.
ORDERINGS: dict[str, list[tuple[str, bool]]] = {
    "urgency": [("urgency_rank", False), ("created_at", False), ("id", False)],
    "created_at": [("created_at", False), ("id", False)],
    "-created_at": [("created_at", True), ("id", True)],
    "due_at": [("due_sort", False), ("id", False)],
}
DEFAULT_ORDERING = "urgency"


# What no list row shows (OperatorReportOutput, AgencyTicketOutput): deferred on the queue and the
# board, loaded by the detail reads. The triage scores and the folded search text are the widest
# report columns, a ward's boundary is GeoJSON decoded once per row, and the reporter row shows only
# a name and a phone. A row output that starts reading one of these costs a query per row:
# tests/reports/test_ops_api.py counts the queue's queries.
_NOT_IN_LISTS = (
    "category_hint", "triage_scores", "overdue_notified_at", "rated_at", "anonymised_at", "search_text",
    "area__geometry",
)
_REPORTER_NOT_IN_LISTS = (
    "reporter__password", "reporter__last_login", "reporter__is_superuser", "reporter__username",
    "reporter__email", "reporter__is_staff", "reporter__is_active", "reporter__date_joined",
    "reporter__role", "reporter__agency",
)


def _annotated(qs: QuerySet[Report]) -> QuerySet[Report]:
    # Deadline order with "no deadline" last (not index-served: the due_at ordering is a rare view).
    return qs.annotate(due_sort=Coalesce("due_at", Value(_FAR_FUTURE), output_field=DateTimeField()))


class ReportQueueFilter(django_filters.FilterSet):
    # distinct=False: every filter here is on the report's own row or a to-one join, so no row can
    # repeat, and a DISTINCT would sort the whole filtered set before the first page (section 5 of
    # docs/performance.md).
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    # Codes become ids in a scalar subquery, so the plan probes report_queue_<column> for that id (a
    # join filtered on the code made PostgreSQL walk report_queue and drop the other agencies' rows).
    category = django_filters.CharFilter(method="filter_code")
    # On the stored rank, so the report_queue_* indexes serve "this urgency, oldest first".
    urgency = django_filters.MultipleChoiceFilter(choices=Urgency.choices, distinct=False, method="filter_urgency")
    area = django_filters.CharFilter(method="filter_code")
    agency = django_filters.CharFilter(method="filter_code")
    # A choice, not a BooleanFilter: those read "maybe" as "no filter" instead of refusing it.
    overdue = django_filters.ChoiceFilter(choices=[("true", "true"), ("false", "false")], method="filter_overdue")
    # The status group (models.OPEN_STATUSES), so a screen asks for "open" without a copy of the list.
    open = django_filters.ChoiceFilter(choices=[("true", "true"), ("false", "false")], method="filter_open")

    # Phone support: a citizen reads out the tracking code; or a few words of the description.
    q = django_filters.CharFilter(method="filter_text", max_length=200)

    class Meta:
        model = Report
        fields = ["status", "category", "urgency", "area", "agency", "overdue", "open", "q"]

    def filter_text(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        text = value.strip()
        if not text:
            return qs
        # Every word starts a word of the description, with or without Vietnamese marks.
        words = Q()
        for word in query_words(text):
            words &= Q(search_text__contains=f" {word}")
        return qs.filter(Q(tracking_code__iexact=text) | words) if words else qs.filter(tracking_code__iexact=text)

    def filter_code(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        ids = {
            "category": Category.objects.filter(code=value),
            "area": Area.objects.filter(code=value),
            "agency": Agency.objects.filter(code=value),
        }[name].values("id")[:1]
        return qs.filter(**{f"{name}_id": Subquery(ids)})

    def filter_urgency(self, qs: QuerySet[Report], name: str, value: list[str]) -> QuerySet[Report]:
        return qs.filter(urgency_rank__in=sorted({rank_of(code) for code in value})) if value else qs

    def filter_open(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        # in_constants: literals, so SQLite too reads the open-only index report_queue_open
        return qs.filter(status__in_constants=OPEN_STATUS_LIST) if value == "true" else qs.exclude(
            status__in_constants=OPEN_STATUS_LIST
        )

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def filter_overdue(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        # The definition itself (not a CASE annotation): the planner then reads the open-only index
        # report_queue_open and checks the deadline on it.
        return qs.filter(overdue_q(self.now)) if value == "true" else qs.exclude(overdue_q(self.now))


class AgencyTicketFilter(ReportQueueFilter):
    class Meta:
        model = Report
        fields = ["status", "category", "urgency", "area", "overdue", "open", "q"]


def _filtered(
    filterset_class: type[ReportQueueFilter], params: Any, qs: QuerySet[Report], now: datetime
) -> QuerySet[Report]:
    filterset = filterset_class(params, queryset=qs, now=now)
    if not filterset.is_valid():
        raise InvalidInput("invalid", fields={k: [str(e) for e in v] for k, v in filterset.errors.items()})
    return filterset.qs


# --- keyset pagination --------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[Report]
    next_cursor: str | None


def _encode(values: Sequence[Any]) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, width: int) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values = [datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in raw]
    except (ValueError, TypeError, KeyError, binascii.Error) as exc:
        raise InvalidInput("invalid", fields={"cursor": ["invalid cursor"]}) from exc
    if len(values) != width or not all(isinstance(v, int | datetime) for v in values):
        raise InvalidInput("invalid", fields={"cursor": ["invalid cursor"]})
    return values


class _RowAfter(TupleGreaterThan):
    """`(a, b, c) > (x, y, z)` on every database: Django spells it as ORs on SQLite (for SQLite older
    than 3.15), which SQLite cannot use as an index range; the SQLite this project needs has row values."""

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return super(TupleLookupMixin, self).as_sql(compiler, connection)


class _RowBefore(TupleLessThan):
    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return super(TupleLookupMixin, self).as_sql(compiler, connection)


def _after(columns: list[tuple[str, bool]], values: list[Any]) -> TupleGreaterThan | TupleLessThan:
    """Rows strictly after `values` in the order of `columns`: one row-value comparison.

    `(urgency_rank, created_at, id) > (2, t, 7)` is an index condition for PostgreSQL and SQLite,
    so a later page starts where the last one stopped instead of filtering from the first row (the
    same condition spelled as ORs is not). Every ordering has all its columns in one direction.
    """
    directions = {descending for _, descending in columns}
    assert len(directions) == 1, "a keyset ordering has all its columns in one direction"
    lookup = _RowBefore if directions.pop() else _RowAfter
    return lookup(Tuple(*(F(name) for name, _ in columns)), tuple(values))


def keyset_page(qs: QuerySet[Report], *, ordering: str | None, cursor: str | None, size: int) -> Page:
    key = ordering or DEFAULT_ORDERING
    if key not in ORDERINGS:
        raise InvalidInput("invalid", fields={"ordering": [f"one of: {', '.join(ORDERINGS)}"]})
    columns = ORDERINGS[key]
    if cursor:
        qs = qs.filter(_after(columns, _decode(cursor, len(columns))))
    qs = qs.order_by(*[f"-{name}" if desc else name for name, desc in columns])
    rows = list(qs[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = _encode([getattr(last, name) for name, _ in columns])
    return Page(items, next_cursor)


# --- operators ----------------------------------------------------------------------------------


def report_queue(*, params: Any, now: datetime | None = None) -> QuerySet[Report]:
    """Every report, filtered by the query parameters; unordered (keyset_page orders it)."""
    # Rows name the reporter (OperatorReportOutput): joined, not one query per row.
    now = now or timezone.now()
    qs = (
        with_relations(_annotated(Report.objects.all()))
        .select_related("reporter")
        .defer(*_NOT_IN_LISTS, *_REPORTER_NOT_IN_LISTS)
    )
    return _filtered(ReportQueueFilter, params, qs, now)


def report_get_for_ops(*, report_id: int, now: datetime | None = None) -> Report:
    report = (
        with_relations(_annotated(Report.objects.all()))
        .select_related("reporter")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_full_timeline(*, report: Report) -> QuerySet[ReportEvent]:
    """Every event, internal notes included: for IOC staff only."""
    return report.events.select_related("actor").order_by("created_at", "id")


def report_merged_ids(*, report: Report) -> list[int]:
    return list(report.merged_reports.order_by("id").values_list("id", flat=True))


# --- agencies -----------------------------------------------------------------------------------


def _agency_id(user: User) -> int:
    return user.agency_id or 0  # staff without an agency see nothing


def agency_tickets(*, user: User, params: Any, now: datetime | None = None) -> QuerySet[Report]:
    now = now or timezone.now()
    qs = with_relations(_annotated(Report.objects.filter(agency_id=_agency_id(user)))).defer(*_NOT_IN_LISTS)
    return _filtered(AgencyTicketFilter, params, qs, now)


def agency_ticket_get(*, user: User, report_id: int, now: datetime | None = None) -> Report:
    # Another agency's ticket answers 404: its existence is not theirs to know.
    report = (
        with_relations(_annotated(Report.objects.filter(agency_id=_agency_id(user))))
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def agency_timeline(*, report: Report) -> QuerySet[ReportEvent]:
    """What an agency sees of a ticket's history: the public events (never the IOC's internal notes)."""
    return report.events.filter(is_public=True).order_by("created_at", "id")
