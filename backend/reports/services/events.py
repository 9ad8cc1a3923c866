"""What the dashboards are told about a report change.

Called by the intake and lifecycle services INSIDE the transaction of the change: the event-log row
is written in that same transaction (a rolled-back change leaves no event) and published after
commit. Privacy is decided here, per audience, and handed to realtime as plain data:
- operators (IOC) see everything, including who reported it (phone, name), even if anonymous;
- the agency sees its ticket, never the reporter's identity;
- the citizen sees their own report, and only public changes.
Each payload is the audience's output from `backend.reports.outputs`, as its REST list answers.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from backend.reports.models import Report, ReportEvent
from backend.reports.outputs import AgencyTicketOutput, CitizenReportOutput, OperatorReportOutput
from realtime import log

# Changes that stay inside the city administration: the citizen's stream does not hear of them.
INTERNAL_CHANGES = frozenset({"note", "internal_note", "escalated", "sensitivity", "health_kind"})


def _last_event_is_public(report: Report) -> bool:
    last = ReportEvent.objects.filter(report=report).order_by("-id").values_list("is_public", flat=True).first()
    return True if last is None else bool(last)


def payloads(report: Report, *, citizen: bool) -> dict[str, dict[str, Any] | None]:
    """Each audience's view of the report: the same outputs its REST lists answer with."""
    context = {"now": timezone.now()}
    # One pass of values shared by the three outputs: a field they have in common is computed once
    # (backend/core/compiled_serializer.py); each output still answers with exactly its own keys.
    memo: dict[Any, Any] = {}
    return {
        "ops": OperatorReportOutput(context=context).to_representation(report, memo),
        "agency": AgencyTicketOutput(context=context).to_representation(report, memo),
        "citizen": CitizenReportOutput(context=context).to_representation(report, memo) if citizen else None,
    }


def _record(report: Report, event_type: str, change: str, *, citizen: bool, alert: bool, new: bool = False) -> None:
    log.record(
        event_type,
        report_id=report.pk,
        change=change,
        agency_id=report.agency_id,
        payloads=payloads(report, citizen=citizen),
        alert=alert,
        new_report=new,
    )


def report_created(report: Report, *, alert: bool = False) -> None:
    _record(report, "report.created", "created", citizen=True, alert=alert, new=True)


def report_updated(report: Report, *, change: str, alert: bool = False) -> None:
    """Call inside the transaction that changed `report`; dashboards hear of it after commit.

    `change` names what happened (e.g. "assigned", "accepted", "triage_override"). The citizen hears
    of it unless it is internal (INTERNAL_CHANGES, or the ReportEvent just written is not public).
    """
    citizen = change not in INTERNAL_CHANGES and _last_event_is_public(report)
    _record(report, "report.updated", change, citizen=citizen, alert=alert)
