"""Per-device API tokens: random keys handed out once, stored only as SHA-256 hashes.

Lifetimes (docs/security.md): a staff token (operator, agency staff, admin) lasts one working shift,
STAFF_TOKEN_HOURS from login, however much it is used: a staff token is worth stealing, and a lost
one stops working by itself. A citizen's token lasts CITIZEN_TOKEN_DAYS from its last use, so the app
keeps working for people who report now and then, while a phone left unused goes quiet. An
integration's token (issue_token --days N) lasts exactly what the operator chose.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from backend.accounts.models import DeviceToken, Role, User

# A token's last use is written at most this often, so every request does not become a write.
TOUCH_SECONDS = 60


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_lifetime(user: User) -> timedelta:
    if user.role == Role.CITIZEN:
        return timedelta(days=settings.CITIZEN_TOKEN_DAYS)
    return timedelta(hours=settings.STAFF_TOKEN_HOURS)


def token_issue(*, user: User, device: str = "", lifetime: timedelta | None = None) -> str:
    key = secrets.token_urlsafe(32)
    DeviceToken.objects.create(
        user=user,
        key_hash=hash_token(key),
        prefix=key[:8],
        device=device[:100],
        expires_at=timezone.now() + (lifetime or default_lifetime(user)),
        sliding=lifetime is None and user.role == Role.CITIZEN,
    )
    return key


def token_revoke(*, key: str) -> bool:
    return bool(
        DeviceToken.objects.filter(key_hash=hash_token(key), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def token_user(key: str, *, now: datetime | None = None) -> User | None:
    """The active user a live token belongs to, or None (unknown, revoked, expired or deactivated)."""
    now = now or timezone.now()
    # One probe of the unique key_hash index: no ORDER BY (`.first()` would order by id).
    found = list(
        DeviceToken.objects.select_related("user", "user__agency")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True, expires_at__gt=now)
        .order_by()[:1]
    )
    token = found[0] if found else None
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_SECONDS:
        changes: dict[str, datetime] = {"last_used_at": now}
        if token.sliding:
            changes["expires_at"] = now + timedelta(days=settings.CITIZEN_TOKEN_DAYS)
        DeviceToken.objects.filter(pk=token.pk).update(**changes)
    return token.user
