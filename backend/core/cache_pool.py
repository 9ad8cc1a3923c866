"""One Redis connection pool per process for Django's cache, shared by every request's thread.

Django keeps one cache object per asgiref context, and under ASGI each request runs in a context
(and a thread) of its own: every request built a new RedisCache, hence a new connection pool and a
new TCP connection to Redis (connect + health check) for the first cache call it made. During intake
(two submission-limit counters per report) that was 17 % of a worker's samples (docs/performance.md,
section 3). redis-py pools are thread-safe and fork-aware, so one per URL and options is enough.
"""

from __future__ import annotations

import threading
from typing import Any

import redis

_pools: dict[tuple[str, str], SharedConnectionPool] = {}
_lock = threading.Lock()


class SharedConnectionPool(redis.ConnectionPool):
    """`CACHES[...]["OPTIONS"]["pool_class"]`: `from_url` answers the process's pool for that URL."""

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> SharedConnectionPool:
        key = (url, repr(sorted(kwargs.items())))
        with _lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = super().from_url(url, **kwargs)
        return pool
