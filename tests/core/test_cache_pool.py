"""Django's Redis cache shares one connection pool per process across requests' threads."""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache

OPTIONS = {"OPTIONS": {"pool_class": "backend.core.cache_pool.SharedConnectionPool", "socket_timeout": 1.0}}


def _pool_of(cache: RedisCache):
    return cache._cache._get_connection_pool(write=True)


def test_cache_objects_of_different_threads_use_one_pool():
    # given the cache object each request's thread gets (Django builds one per context)
    pools = []

    def request_thread() -> None:
        pools.append(_pool_of(RedisCache("redis://127.0.0.1:6379/3", OPTIONS)))

    # when two requests in two threads reach the cache
    threads = [threading.Thread(target=request_thread) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then both use the same pool (so the same open connections)
    assert len(pools) == 2 and pools[0] is pools[1]


def test_another_server_or_other_options_get_their_own_pool():
    here = _pool_of(RedisCache("redis://127.0.0.1:6379/3", OPTIONS))
    other_db = _pool_of(RedisCache("redis://127.0.0.1:6379/4", OPTIONS))
    other_options = _pool_of(
        RedisCache("redis://127.0.0.1:6379/3", {"OPTIONS": {**OPTIONS["OPTIONS"], "socket_timeout": 2.0}})
    )
    assert here is not other_db and here is not other_options and other_db is not other_options
    assert here.connection_kwargs["db"] == 3 and other_db.connection_kwargs["db"] == 4
