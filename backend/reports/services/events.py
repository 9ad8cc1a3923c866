"""What the dashboards are told about a report change.

Called by the intake and lifecycle services INSIDE the transaction of the change: the event-log row
is written in that same transaction (a rolled-back change leaves no event) and published after
commit. Privacy is decided here, per audience, and handed to realtime as plain data:
- operators (IOC) see everything, including who reported it (phone, name), even if anonymous;
- the agency sees the ticket as the citizen does, never the reporter's identity;
- the citizen sees their own report's public view, and only public changes.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from backend.reports.models import Report, ReportEvent
from backend.reports.outputs import ReportOutput
from realtime import log

# Changes that stay inside the city administration: the citizen's stream does not hear of them.
INTERNAL_CHANGES = frozenset({"note", "internal_note", "escalated"})


def _public_view(report: Report) -> dict[str, Any]:
    return dict(ReportOutput(report).data)


def ops_view(report: Report, public: dict[str, Any]) -> dict[str, Any]:
    reporter = report.reporter
    overdue = bool(report.due_at and report.due_at < timezone.now() and report.status not in _DONE)
    return {
        **public,
        "reporter": {"id": reporter.pk, "name": reporter.get_full_name() or None, "phone": reporter.phone or None},
        "reopened_count": report.reopened_count,
        "needs_review_reasons": list(report.needs_review_reasons or []),
        "routing_reason": report.routing_reason,
        "routing_rule_id": report.routing_rule_id,
        "overdue": overdue,
    }


def agency_view(public: dict[str, Any]) -> dict[str, Any]:
    # The public view carries no reporter identity; "anonymous" itself is nobody else's business.
    return {key: value for key, value in public.items() if key not in {"anonymous"}}


_DONE = {"resolved", "closed", "rejected", "merged"}


def _last_event_is_public(report: Report) -> bool:
    last = ReportEvent.objects.filter(report=report).order_by("-id").values_list("is_public", flat=True).first()
    return True if last is None else bool(last)


def _record(report: Report, event_type: str, change: str, *, citizen: bool, alert: bool, actor_id: int | None) -> None:
    public = _public_view(report)
    ops = ops_view(report, public)
    if actor_id is not None:
        ops["actor_id"] = actor_id
    log.record(
        event_type,
        report_id=report.pk,
        change=change,
        agency_id=report.agency_id,
        payloads={"ops": ops, "agency": agency_view(public), "citizen": public if citizen else None},
        alert=alert,
    )


def report_created(report: Report, *, alert: bool = False) -> None:
    _record(report, "report.created", "created", citizen=True, alert=alert, actor_id=None)


def report_updated(report: Report, *, change: str, actor_id: int | None = None, alert: bool = False) -> None:
    """Call inside the transaction that changed `report`; dashboards hear of it after commit.

    `change` names what happened (e.g. "assigned", "accepted", "triage_override"). The citizen hears
    of it unless it is internal (INTERNAL_CHANGES, or the ReportEvent just written is not public).
    """
    citizen = change not in INTERNAL_CHANGES and _last_event_is_public(report)
    _record(report, "report.updated", change, citizen=citizen, alert=alert, actor_id=actor_id)
