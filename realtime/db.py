"""The websocket consumers' database calls: one dedicated thread that keeps its connection.

Why not channels' `database_sync_to_async`: it closes the thread's connections before and after
every call, and ASGI deployments run with CONN_MAX_AGE=0 (Django's advice), so every call of every
socket opened a new database connection (SQLite: a file open and three PRAGMAs; PostgreSQL: a TCP
handshake and authentication). Profiled on 1,000 simultaneous connects, opening connections was the
largest single cost, all of it queued on one thread. Here the thread keeps one connection while
sockets are open, checks it after an error or a long idle spell (as CONN_HEALTH_CHECKS does), and
closes it when the last socket of the process has gone (a test database can then be dropped).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")

IDLE_CHECK_SECONDS = 30.0

_executor: ThreadPoolExecutor | None = None
_last_used = 0.0
_sockets = 0  # open consumers of this process (changed on the event loop only)


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="realtime-db")
    return _executor


async def call(fn: Callable[..., T], /, *args: Any) -> T:
    """Run `fn(*args)` (sync, may use the ORM) on the realtime database thread."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), _run, fn, args)


def _run(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    global _last_used
    now = time.monotonic()
    idle = now - _last_used > IDLE_CHECK_SECONDS
    _last_used = now
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if conn.errors_occurred or idle:
            if conn.is_usable():
                conn.errors_occurred = False
            else:
                conn.close()
    return fn(*args)


def _close_if_idle() -> None:
    if _sockets == 0:
        connections.close_all()


def socket_opened() -> None:
    global _sockets
    _sockets += 1


def socket_closed() -> None:
    """Synchronous on purpose: it must count even when the closing consumer is being cancelled."""
    global _sockets
    _sockets = max(0, _sockets - 1)
    if _sockets == 0:
        _pool().submit(_close_if_idle)  # after the calls already queued on the database thread
