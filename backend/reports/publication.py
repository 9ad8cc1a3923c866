"""What may be published: one rule for every public path (DESIGN.md, "What may be published").

Deny by default. A report reaches the public (the public API, Open311, public pages, public photo
URLs) only when all of these hold:
- it has been routed: an agency was assigned to it, by the model with confidence or by an operator
  (it is, or its trail passed, in a status only reachable through `assigned`), so nothing
  unreviewed is published;
- its category is publishable (routing.Category.publishable; health/epidemic and public-security
  tips never are, the database refuses it);
- no operator has marked it sensitive;
- it was not rejected.
The rule is evaluated at every read, so a report re-triaged into a restricted category, marked
sensitive or rejected disappears from every public path at once, its photo URLs included.
Aggregate counts (the public statistics) still count every report.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from backend.reports.models import Report, ReportEvent, Status

# Statuses only reachable through `assigned`: a report in one of them has been routed.
ROUTED_STATUSES = frozenset({
    Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED, Status.RETURNED,
    Status.REOPENED,
})


def _was_routed() -> Q:
    # A merged duplicate was routed if its trail passed through one of those statuses before the merge.
    passed = Exists(
        ReportEvent.objects.filter(report=OuterRef("pk")).filter(
            Q(old_status__in=ROUTED_STATUSES) | Q(new_status__in=ROUTED_STATUSES)
        )
    )
    return Q(status__in=ROUTED_STATUSES) | Q(passed)


def published_q() -> Q:
    """The rule as a filter, for querysets of Report."""
    return _was_routed() & Q(category__publishable=True, sensitive=False) & ~Q(status=Status.REJECTED)


def is_published(report_id: int) -> bool:
    return Report.objects.filter(published_q(), pk=report_id).exists()


def note_outside_the_city(event: ReportEvent) -> str:
    """An event's note as the citizen and the public may read it.

    Never an agency's reason for returning a ticket (internal to the city), never a merge's note
    (older merge events held the joined report's tracking code: another citizen's handle).
    """
    if event.kind == ReportEvent.Kind.MERGED:
        return ""
    if event.new_status == Status.RETURNED and event.actor_role == "agency":
        return ""
    return event.note
