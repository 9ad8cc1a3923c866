"""What the dashboards are told about a report change (published after commit)."""

from __future__ import annotations

from backend.reports.models import Report
from realtime import groups
from realtime.publish import publish_on_commit


def report_created(report: Report) -> None:
    message = {"type": "report.event", "event": "report.created", "report_id": report.pk}
    targets = [groups.OPS, groups.report(report.pk)]
    if report.agency_id:
        targets.append(groups.agency(report.agency_id))
    publish_on_commit(targets, message)
