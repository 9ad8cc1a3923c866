"""Who may listen to what: asked of the backend through one injected module (settings.REALTIME_ACCESS).

realtime never imports the backend; the backend module named in the setting provides these functions
(see backend/reports/realtime_access.py). Every function is synchronous (it may touch the database).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings

REQUIRED = ("token_user", "may_use_session", "can_watch_ops", "agency_of", "can_follow_report", "can_watch_alerts")


@cache
def policy() -> ModuleType:
    module = import_module(settings.REALTIME_ACCESS)
    missing = [name for name in REQUIRED if not callable(getattr(module, name, None))]
    if missing:
        raise ImportError(f"{settings.REALTIME_ACCESS} lacks {', '.join(missing)}")
    return module


def token_user(key: str) -> Any | None:
    return policy().token_user(key)


def may_use_session(user: Any) -> bool:
    return bool(policy().may_use_session(user))


def can_watch_ops(user: Any) -> bool:
    return bool(policy().can_watch_ops(user))


def agency_of(user: Any) -> int | None:
    value = policy().agency_of(user)
    return int(value) if value is not None else None


def can_follow_report(user: Any, report_id: int) -> bool:
    return bool(policy().can_follow_report(user, report_id))


def can_watch_alerts(user: Any) -> bool:
    return bool(policy().can_watch_alerts(user))


def describe_user(user: Any) -> dict[str, Any]:
    describe = getattr(policy(), "describe_user", None)
    if describe is None:
        return {"username": user.get_username(), "name": user.get_username(), "role": "", "agency": None}
    return dict(describe(user))
