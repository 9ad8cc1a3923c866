"""Test data factories, in one place for every test package."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from backend.accounts.models import User
from backend.reports.models import Photo, Report, ReportEvent, Status
from backend.reports.tracking import new_tracking_code
from realtime.models import EventLog
from routing.models import Agency, Area, Category


def make_staff(username: str, role: str, agency: str | None = None) -> User:
    from backend.accounts.services import user_ensure

    return user_ensure(username=username, role=role, agency_code=agency)


def make_report(
    reporter: User,
    *,
    status: str = Status.ASSIGNED,
    agency: str | None = "hepco",
    category: str | None = "environment",
    urgency: str = "normal",
    area: str | None = "phu-xuan",
    description: str = "Rác thải tràn ra đường Lê Lợi, bốc mùi hôi",
    latitude: float | None = None,
    longitude: float | None = None,
    due_in: timedelta | None = timedelta(days=3),
    resolved_ago: timedelta | None = None,
    created_ago: timedelta = timedelta(hours=1),
    **fields: Any,
) -> Report:
    ward = Area.objects.get(code=area) if area else None
    now = timezone.now()
    report = Report.objects.create(
        tracking_code=new_tracking_code(),
        reporter=reporter,
        description=description,
        latitude=latitude if latitude is not None else (ward.centre_lat if ward else 16.0),
        longitude=longitude if longitude is not None else (ward.centre_lon if ward else 107.0),
        status=status,
        category=Category.objects.get(code=category) if category else None,
        urgency=urgency,
        predicted_category=category or "",
        predicted_urgency=urgency,
        triage_confidence=0.8,
        area=ward,
        agency=Agency.objects.get(code=agency) if agency else None,
        due_at=now + due_in if due_in is not None else None,
        resolved_at=now - resolved_ago if resolved_ago is not None else None,
        **fields,
    )
    Report.objects.filter(pk=report.pk).update(created_at=now - created_ago)
    report.refresh_from_db()
    ReportEvent.objects.create(report=report, kind="submitted", actor=reporter, actor_role=reporter.role,
                               new_status=Status.SUBMITTED)
    return report


def snapshot(report_id: int) -> dict[str, Any]:
    """Everything a refused action must leave as it was."""
    row = Report.objects.filter(pk=report_id).values().get()
    return {
        "row": row,
        "events": list(ReportEvent.objects.filter(report_id=report_id).values_list("id", flat=True)),
        "photos": Photo.objects.filter(report_id=report_id).count(),
        # a refused action must not broadcast either
        "broadcasts": list(EventLog.objects.filter(report_id=report_id).values_list("id", flat=True)),
    }


# --- fixtures -----------------------------------------------------------------------------------
