"""Per-device API tokens: random keys handed out once, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from backend.accounts.models import DeviceToken, User


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User, device: str = "") -> str:
    key = secrets.token_urlsafe(32)
    DeviceToken.objects.create(user=user, key_hash=hash_token(key), prefix=key[:8], device=device[:100])
    return key


def token_revoke(*, key: str) -> bool:
    return bool(
        DeviceToken.objects.filter(key_hash=hash_token(key), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def token_user(key: str) -> User | None:
    token = (
        DeviceToken.objects.select_related("user", "user__agency")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute so every request does not become a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
