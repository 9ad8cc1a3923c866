"""Who may listen to what: the contract between realtime and the backend, as a typed Protocol.

realtime never imports the backend. `settings.REALTIME_ACCESS` names an object that implements
`SocketAccess` (backend/reports/realtime_access.py provides it); `policy()` loads and checks it once.
Every method is synchronous and may touch the database: consumers call them in a worker thread.
The same questions are asked at connect, on every heartbeat and before every replay, so a revoked
token or a changed role loses its socket (realtime/consumers.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@runtime_checkable
class SocketAccess(Protocol):
    def token_user(self, key: str) -> Any | None:
        """The active user holding this (unrevoked) token, read afresh, or None."""

    def may_use_session(self, user: Any) -> bool:
        """Whether this (active) user may authenticate a socket with the browser session."""

    def can_watch_ops(self, user: Any) -> bool: ...

    def agency_of(self, user: Any) -> int | None:
        """The agency whose tickets this user works, or None if not agency staff."""

    def can_follow_report(self, user: Any, report_id: int) -> bool: ...

    def describe_user(self, user: Any) -> dict[str, Any]:
        """What the staff pages show in their header (username, name, role, agency)."""


@cache
def policy() -> SocketAccess:
    found = import_string(settings.REALTIME_ACCESS)
    if not isinstance(found, SocketAccess):
        missing = [name for name in _METHODS if not callable(getattr(found, name, None))]
        raise ImproperlyConfigured(f"{settings.REALTIME_ACCESS} is not a SocketAccess (lacks {', '.join(missing)})")
    return found


_METHODS = sorted(
    name for name in vars(SocketAccess) if not name.startswith("_") and callable(getattr(SocketAccess, name))
)
