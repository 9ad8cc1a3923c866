"""What the dashboards are told about a report change (published after commit)."""

from __future__ import annotations

from backend.reports.models import Report
from realtime import groups
from realtime.publish import publish_on_commit


def report_created(report: Report, *, alert: bool = False) -> None:
    message = {"type": "report.event", "event": "report.created", "report_id": report.pk}
    targets = [groups.OPS, groups.report(report.pk)]
    if report.agency_id:
        targets.append(groups.agency(report.agency_id))
    if alert:
        targets.append(groups.ALERTS)
    publish_on_commit(targets, message)


def report_updated(report: Report, *, change: str, actor_id: int | None = None, alert: bool = False) -> None:
    """Call inside the transaction that changed `report`; dashboards hear of it after commit.

    `change` names what happened (e.g. "assigned", "accepted", "triage_override").
    """
    message = {"type": "report.event", "event": "report.updated", "report_id": report.pk, "change": change}
    targets = [groups.OPS, groups.report(report.pk)]
    if report.agency_id:
        targets.append(groups.agency(report.agency_id))
    if alert:
        targets.append(groups.ALERTS)
    publish_on_commit(targets, message)
