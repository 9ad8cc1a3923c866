"""Named locks held until the surrounding transaction ends, for check-then-write steps.

A check such as "no code was sent to this phone in the last minute" followed by a write is a race when
two requests run it at once: both read "none", both write. Taking the lock named after the phone first
makes the second request wait until the first has committed, so it reads the first one's row.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator

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


_sqlite_writers = threading.Lock()


@contextlib.contextmanager
def writer_turn() -> Iterator[None]:
    """Around a write transaction: on SQLite, this process's writers queue here, one at a time.

    SQLite has one write lock, and a connection that finds it taken sleeps in SQLite's busy handler
    (1, 2, 5 ... up to 100 ms per try) however soon the holder commits: under ASGI each request runs
    in a thread of its own, so concurrent submissions slept while the lock sat free (p99 over 1 s at
    8 clients, docs/performance.md). Waiting on a Python lock instead wakes the next writer as soon as
    the previous one commits. Other processes still meet the busy handler. PostgreSQL: nothing to do.
    """
    if connection.vendor != "sqlite" or transaction.get_connection().in_atomic_block:
        yield
        return
    with _sqlite_writers:
        yield
