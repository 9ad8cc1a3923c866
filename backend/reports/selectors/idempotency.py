"""The replay lookup behind Idempotency-Key: one probe of the unique (user, key) index.

No ORDER BY and no join (`.first()` adds `ORDER BY id`, which lets the planner consider walking the
primary key instead): the unique constraint `idempotency_key_per_user` guarantees at most one row,
so the plan is an index scan on it returning four columns (docs/performance.md sections 3 and 5).
The report itself is read only when the key is replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from backend.reports.models import IdempotencyKey


@dataclass(frozen=True)
class StoredKey:
    pk: int
    request_hash: str
    report_id: int
    # Older than IDEMPOTENCY_KEY_TTL_DAYS: it answers nothing, and a new request may take the key.
    lapsed: bool


def idempotency_key_find(*, user_id: int, key: str, now: datetime | None = None) -> StoredKey | None:
    """This user's stored key, if any."""
    rows = list(
        IdempotencyKey.objects.filter(user_id=user_id, key=key)
        .order_by()
        .values_list("pk", "request_hash", "report_id", "created_at")
    )
    if not rows:  # at most one: the (user, key) pair is unique
        return None
    pk, request_hash, report_id, created_at = rows[0]
    now = now or timezone.now()
    lapsed = created_at < now - timedelta(days=settings.IDEMPOTENCY_KEY_TTL_DAYS)
    return StoredKey(pk, request_hash, report_id, lapsed)
