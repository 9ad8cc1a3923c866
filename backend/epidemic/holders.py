"""Who may hold a health report, and how low its urgency may go.

Who: the health agency (an agency that handles `health_epidemic`) or the
monitoring centre (the fallback agency, the IOC). Asked wherever a report gets an agency: routing's
answer at intake and re-triage (backend/reports/services/routing_apply.py) and an operator's manual
assignment (backend/reports/services/lifecycle.py), so no other agency ever sees one on its board.
"""

from __future__ import annotations

from typing import Any

from backend.core.exceptions import InvalidInput
from backend.core.messages import MESSAGES
from backend.epidemic.kinds import HEALTH_CATEGORY, MINIMUM_URGENCY
from routing.models import URGENCY_ORDER, Agency, Category


def handles_health(agency: Agency) -> bool:
    """The health agency or the monitoring centre: who may hold health reports and read their figures."""
    return agency.is_fallback or agency.categories.filter(code=HEALTH_CATEGORY).exists()


def may_hold(category: Category | None, agency: Agency | None) -> bool:
    if agency is None or category is None or category.code != HEALTH_CATEGORY:
        return True
    return handles_health(agency)


def require_may_hold(category: Category | None, agency: Agency | None) -> None:
    if not may_hold(category, agency):
        raise InvalidInput("health_agency_only", fields={"agency": [MESSAGES["health_agency_only"]]})


def require_urgency_for_kind(report: Any, category: Category, urgency: str) -> None:
    """An operator's triage may not set a health report below its kind's lowest urgency (a request for
    medical help is at least high)."""
    details = getattr(report, "health", None) if category.code == HEALTH_CATEGORY else None
    if details is not None:
        require_urgency_floor(details.kind, urgency)


def require_urgency_floor(kind: str, urgency: str | None) -> None:
    """A report of health `kind` may not be below that kind's lowest urgency."""
    floor = MINIMUM_URGENCY.get(kind)
    if floor is not None and (not urgency or URGENCY_ORDER[urgency] > URGENCY_ORDER[floor]):  # type: ignore[index]
        raise InvalidInput("medical_help_at_least_high", fields={"urgency": [MESSAGES["medical_help_at_least_high"]]})
