"""Who may listen to which realtime stream (loaded by realtime through settings.REALTIME_ACCESS)."""

from __future__ import annotations

from typing import Any

from backend.accounts.models import Role
from backend.accounts.tokens import token_user as _token_user
from backend.reports.models import Report


def token_user(key: str) -> Any | None:
    return _token_user(key)


def may_use_session(user: Any) -> bool:
    """Browser sessions are for staff pages; citizens use their app's token."""
    return getattr(user, "role", None) in {Role.OPERATOR, Role.AGENCY, Role.ADMIN} and user.is_active


def can_watch_ops(user: Any) -> bool:
    return bool(getattr(user, "is_operator", False))


def can_watch_alerts(user: Any) -> bool:
    return bool(getattr(user, "is_operator", False))


def agency_of(user: Any) -> int | None:
    if getattr(user, "role", None) == Role.AGENCY and user.agency_id:
        return int(user.agency_id)
    return None


def can_follow_report(user: Any, report_id: int) -> bool:
    """The report's own citizen, or IOC staff. Another citizen is refused (like the REST 404)."""
    if getattr(user, "is_operator", False):
        return Report.objects.filter(pk=report_id).exists()
    return Report.objects.filter(pk=report_id, reporter_id=user.pk).exists()


def describe_user(user: Any) -> dict[str, Any]:
    """What the staff pages show in their header."""
    agency = getattr(user, "agency", None) if getattr(user, "role", None) == Role.AGENCY else None
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "role": getattr(user, "role", ""),
        "agency": {"id": agency.pk, "code": agency.code, "name_vi": agency.name_vi, "name_en": agency.name_en}
        if agency is not None
        else None,
    }
