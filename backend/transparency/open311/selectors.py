"""Reads behind Open311: services are the city's active categories, requests its published reports.

Requests publish exactly what `/api/v1/public/` does (backend/reports/public_selectors.py). Two
Open311 specifics:
- searches follow the spec's limits: a window of at most 90 days (the last 90 by default), newest
  first; merged duplicates and rejected reports are not listed; an answer holds `page_size` requests
  (default DEFAULT_PAGE_SIZE, at most MAX_REQUESTS; the spec lets the server limit it), and a client
  reads older ones by asking again with `end_date` set to the last `requested_datetime` it received
  (an end_date datetime includes its whole second, so nothing of that second is skipped: a request
  seen twice has the same service_request_id);
- asked for by id (`requests/{id}`, `service_request_id=`), a merged duplicate answers closed,
  pointing to the request it joined, and a rejected report answers as a closed stub without any of
  its content: an Open311 client that submitted it has no other way to learn it was closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from backend.core.exceptions import NotFound
from backend.reports.models import OPEN_STATUSES, Report, Status
from backend.transparency.selectors import published_reports, with_public_events
from routing.models import Category
from routing.selectors import categories_with_default_agency

# Bounded so an answer is built in milliseconds (1,000 items took 1.5 s, docs/performance.md section 5).
DEFAULT_PAGE_SIZE = 50
MAX_REQUESTS = 200
MAX_WINDOW = timedelta(days=90)


def services() -> QuerySet[Category]:
    """Active categories in the taxonomy's order, with the agency each goes to by default (its group)."""
    return categories_with_default_agency()


def service_get(*, code: str) -> Category:
    category = services().filter(code=code).first()
    if category is None:
        raise NotFound("open311_service_not_found", value=code)
    return category


@dataclass(frozen=True)
class RequestSearch:
    """A GET requests query, already checked (backend/open311/serializers.py)."""

    ids: list[int] | None = None
    service_codes: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset({"open", "closed"})
    page_size: int = DEFAULT_PAGE_SIZE


def _by_ids(ids: list[int]) -> list[Report]:
    found = list(with_public_events(published_reports().filter(pk__in=ids)))
    # Rejected ones: only what the stub shows, nothing of their content is loaded.
    found += list(Report.objects.filter(pk__in=ids, status=Status.REJECTED).only(
        "id", "status", "created_at", "updated_at", "closed_at"
    ))
    found.sort(key=lambda r: (r.created_at, r.pk), reverse=True)
    return found


def request_search(*, search: RequestSearch, now: datetime) -> list[Report]:
    if search.ids is not None:  # the spec: service_request_id overrides every other argument
        return _by_ids(search.ids)
    start, end = window(search.start, search.end, now)
    qs = published_reports().exclude(status=Status.MERGED).filter(created_at__gte=start, created_at__lte=end)
    if search.service_codes:
        qs = qs.filter(category__code__in=search.service_codes)
    if search.statuses == frozenset({"open"}):
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif search.statuses == frozenset({"closed"}):
        qs = qs.exclude(status__in=OPEN_STATUSES)
    # Served by the report_newest index read backwards from `end`, stopping after the page.
    return list(with_public_events(qs.order_by("-created_at", "-id"))[: min(search.page_size, MAX_REQUESTS)])


def window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """The spec's search window: the last 90 days by default; a lone bound gets 90 days on its open side."""
    if start is None and end is None:
        return now - MAX_WINDOW, now
    if start is None:
        assert end is not None
        return end - MAX_WINDOW, end
    if end is None:
        return start, start + MAX_WINDOW
    return start, end


def request_get(*, request_id: int) -> Report:
    found = _by_ids([request_id])
    if not found:
        raise NotFound("open311_request_not_found", value=request_id)
    return found[0]
