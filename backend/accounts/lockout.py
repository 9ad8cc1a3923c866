"""Password guessing is bounded on every login path (API, dashboard, admin): one authentication backend.

Each password attempt is counted *before* the password is checked, per username and address, per
username, and per address, and a correct password gives its count back. Past a limit every attempt
is refused unchecked until the window ends, the right password included, so 30 wrong guesses and
then the right one do not log in, and parallel guesses cannot slip through between check and count.

The per-username limit lets someone lock a known staff username out for up to an hour from many
addresses; that is the price of stopping a distributed guess, and the lock ends by itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from backend.core.client_ip import client_ip
from backend.core.exceptions import RateLimited
from backend.core.limits import Limit, limit_hit, limit_refund, limit_reset

LOCKED_ATTRIBUTE = "login_locked_for"


def login_limits() -> list[tuple[Limit, str]]:
    """(limit, how its identity is built) for each password-attempt limit, from the settings."""
    return [
        (Limit("login_user_ip", settings.LOGIN_FAILURES_PER_USER_IP, 900, code="login_locked"), "user_ip"),
        (Limit("login_user", settings.LOGIN_FAILURES_PER_USER, 3600, code="login_locked"), "user"),
        (Limit("login_ip", settings.LOGIN_FAILURES_PER_IP, 3600, code="login_locked"), "ip"),
    ]


def _ident(kind: str, username: str, ip: str) -> str:
    return {"user_ip": f"{username}|{ip}", "user": username, "ip": ip}[kind]


def login_locked_for(request: HttpRequest | None) -> int | None:
    """Seconds until a refused login may be tried again, if the backend refused it for a lockout."""
    return getattr(request, LOCKED_ATTRIBUTE, None) if request is not None else None


class LockoutModelBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None or password is None:
            return None
        ip = client_ip(request) if request is not None else "local"
        try:
            for limit, kind in login_limits():
                limit_hit(limit, _ident(kind, username, ip))
        except RateLimited as exc:
            if request is not None:
                setattr(request, LOCKED_ATTRIBUTE, exc.retry_after)
            # PermissionDenied stops authenticate() from trying any other backend.
            raise PermissionDenied from exc
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            for limit, kind in login_limits():
                if kind == "user_ip":
                    limit_reset(limit, _ident(kind, username, ip))
                else:
                    limit_refund(limit, _ident(kind, username, ip))
        return user
