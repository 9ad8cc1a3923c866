"""The replay lookup behind Idempotency-Key: one probe of the unique (user, key) index.

No ORDER BY and no LIMIT (`.first()` adds `ORDER BY id`, which lets the planner consider walking the
primary key instead): the unique constraint `idempotency_key_per_user` guarantees at most one row, so
the plan is an index scan on it, joined to the report by primary key (docs/performance.md section 5).
"""

from __future__ import annotations

from datetime import datetime

from backend.reports.models import IdempotencyKey


def idempotency_key_find(*, user_id: int, key: str, since: datetime | None = None) -> IdempotencyKey | None:
    """The stored key of this user (created at or after `since`, its expiry) with its report, or None."""
    qs = IdempotencyKey.objects.select_related("report").filter(user_id=user_id, key=key).order_by()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    rows = list(qs)  # at most one: the (user, key) pair is unique
    return rows[0] if rows else None
