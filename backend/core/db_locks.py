"""Named locks held until the surrounding transaction ends, for check-then-write steps.

A check such as "no code was sent to this phone in the last minute" followed by a write is a race when
two requests run it at once: both read "none", both write. Taking the lock named after the phone first
makes the second request wait until the first has committed, so it reads the first one's row.
"""

from __future__ import annotations

import hashlib

from django.db import connection, transaction


def serialize_on(name: str) -> None:
    """Inside `transaction.atomic()`: wait for, then hold until commit or rollback, the lock `name`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("serialize_on() needs an open transaction")
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    # SQLite: the settings open every transaction with BEGIN IMMEDIATE, which takes the database's
    # single write lock at once, so transactions that write are already run one at a time.
