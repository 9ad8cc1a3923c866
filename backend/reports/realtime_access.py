"""Who may listen to which realtime stream: the backend's `realtime.access.SocketAccess`.

Loaded by realtime through settings.REALTIME_ACCESS ("backend.reports.realtime_access.socket_access").
Every answer is read afresh from the database: realtime asks again on each heartbeat and before each
replay, so a revoked token, a deactivated user or a changed role takes effect on open sockets.
"""

from __future__ import annotations

from typing import Any

from backend.accounts.models import Role
from backend.accounts.tokens import token_user as _token_user
from backend.epidemic.holders import handles_health
from backend.reports.models import Report
from realtime.access import SocketAccess

STAFF_ROLES = frozenset({Role.OPERATOR, Role.AGENCY, Role.ADMIN})


class ReportSocketAccess:
    def token_user(self, key: str) -> Any | None:
        return _token_user(key)

    def may_use_session(self, user: Any) -> bool:
        """Browser sessions are for staff pages; citizens use their app's token."""
        return getattr(user, "role", None) in STAFF_ROLES and bool(user.is_active)

    def can_watch_ops(self, user: Any) -> bool:
        return bool(getattr(user, "is_operator", False))

    def agency_of(self, user: Any) -> int | None:
        if getattr(user, "role", None) == Role.AGENCY and user.agency_id:
            return int(user.agency_id)
        return None

    def can_follow_report(self, user: Any, report_id: int) -> bool:
        """The report's own citizen, or IOC staff. Another citizen is refused (like the REST 404)."""
        if getattr(user, "is_operator", False):
            return Report.objects.filter(pk=report_id).exists()
        return Report.objects.filter(pk=report_id, reporter_id=user.pk).exists()

    def describe_user(self, user: Any) -> dict[str, Any]:
        """What the staff pages show in their header."""
        agency = getattr(user, "agency", None) if getattr(user, "role", None) == Role.AGENCY else None
        return {
            "username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "role": getattr(user, "role", ""),
            "agency": {
                "id": agency.pk, "code": agency.code, "name_vi": agency.name_vi, "name_en": agency.name_en,
                # the board shows the health agency its suspected cases by ward (backend/epidemic)
                "reads_health_figures": handles_health(agency),
            }
            if agency is not None
            else None,
        }


# Annotated with the Protocol so mypy checks the contract here, where it is implemented.
socket_access: SocketAccess = ReportSocketAccess()
