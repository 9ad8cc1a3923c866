"""Abuse-limit counters in the shared cache: exact counts, Retry-After, races, and a cache outage."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.cache import cache

from backend.core import limits as limits_module
from backend.core.exceptions import RateLimited, Unavailable
from backend.core.limits import Limit, limit_hit, limit_refund, limit_reset, limits_hit

LIMIT = Limit("test_limit", 3, 60)


def test_counts_up_to_the_limit_then_refuses_with_the_seconds_left_in_the_window():
    # given a limit of 3 per minute, used at 10:00:15 of a minute-aligned clock
    now = 1_800_000_000 + 15.2  # 1_800_000_000 is a multiple of 60
    # when it is hit four times
    used = [limit_hit(LIMIT, "a", now=now) for _ in range(3)]
    with pytest.raises(RateLimited) as refused:
        limit_hit(LIMIT, "a", now=now)
    # then three pass and the fourth is refused until the window ends, 45 s later
    assert used == [1, 2, 3]
    assert (refused.value.code, refused.value.retry_after, refused.value.params) == ("rate_limited", 45, {"seconds": 45})


def test_identities_and_windows_are_counted_apart():
    now = 1_800_000_000.0
    for _ in range(3):
        limit_hit(LIMIT, "a", now=now)
    assert limit_hit(LIMIT, "b", now=now) == 1
    assert limit_hit(LIMIT, "a", now=now + 60) == 1


def test_refund_and_reset_give_uses_back():
    now = 1_800_000_000.0
    for _ in range(3):
        limit_hit(LIMIT, "a", now=now)
    limit_refund(LIMIT, "a", now=now)
    assert limit_hit(LIMIT, "a", now=now) == 3
    limit_reset(LIMIT, "a", now=now)
    assert limit_hit(LIMIT, "a", now=now) == 1


def test_a_limit_of_zero_is_switched_off():
    off = Limit("off", 0, 60)
    assert [limit_hit(off, "a") for _ in range(100)] == [0] * 100


def test_the_cache_holds_no_identity_in_clear(monkeypatch):
    import backend.core.limits as limits

    keys = []

    class Recording:
        def __getattr__(self, name):
            def call(key, *args, **kwargs):
                keys.append(key)
                return getattr(cache, name)(key, *args, **kwargs)

            return call

    monkeypatch.setattr(limits, "cache", Recording())
    limit_hit(LIMIT, "+84905123456", now=1_800_000_000.0)
    assert keys and not any("84905123456" in key for key in keys)


def test_parallel_hits_pass_exactly_the_limit():
    # given 7 allowed uses and 40 threads hitting at the same instant
    limit = Limit("race", 7, 3600)
    start = threading.Barrier(40)
    passed, refused = [], []

    def hit() -> None:
        start.wait()
        try:
            limit_hit(limit, "same")
            passed.append(1)
        except RateLimited:
            refused.append(1)

    threads = [threading.Thread(target=hit) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly 7 got through (each thread has its own cache connection, as separate servers do)
    assert (len(passed), len(refused)) == (7, 33)


class _DownCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("redis down")

        return fail


def test_when_the_cache_is_down_an_open_limit_allows_and_a_closed_one_refuses(monkeypatch):
    import backend.core.limits as limits

    monkeypatch.setattr(limits, "cache", _DownCache())
    assert limit_hit(Limit("open", 1, 60), "a") == 0
    assert limit_hit(Limit("open", 1, 60), "a") == 0
    with pytest.raises(Unavailable) as refused:
        limit_hit(Limit("closed", 1, 60, fail_open=False), "a")
    assert (refused.value.code, refused.value.retry_after) == ("temporarily_unavailable", 30)


def test_limits_use_the_shared_redis_cache_when_redis_is_configured(settings):
    # Production's limits hold across processes only if the cache is the shared Redis.
    expected = "django.core.cache.backends.redis.RedisCache" if os.environ.get("REDIS_URL") else (
        "django.core.cache.backends.locmem.LocMemCache"
    )
    assert settings.CACHES["default"]["BACKEND"] == expected
    assert cache.add("probe", 1) is True
    assert cache.get("probe") == 1


ON_REDIS = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the one-round-trip path needs Redis")
HOUR, DAY = Limit("test_hour", 2, 3600), Limit("test_day", 3, 24 * 3600)


def used(limit: Limit, ident: str, now: float) -> int:
    window, _ = limits_module._window(limit, now)
    return int(cache.get(limits_module._key(limit, ident, window)) or 0)


def test_several_limits_count_in_order_and_the_first_one_past_its_count_refuses():
    # given an hourly limit of 2 and a daily one of 3, one second before the hour ends
    now = 1_800_003_599.0
    # when a citizen submits three times
    limits_hit([HOUR, DAY], "citizen", now=now)
    limits_hit([HOUR, DAY], "citizen", now=now)
    with pytest.raises(RateLimited) as refused:
        limits_hit([HOUR, DAY], "citizen", now=now)
    # then the third is refused by the hourly limit with the second left in its window; its use counts
    # on the hourly counter, and the daily one (never reached) holds the two that passed
    assert (refused.value.code, refused.value.retry_after) == ("rate_limited", 1)
    assert (used(HOUR, "citizen", now), used(DAY, "citizen", now)) == (3, 2)


def test_several_limits_count_as_one_limit_hit_each_would():
    now = 1_800_000_000.0
    for _ in range(2):
        limits_hit([HOUR, Limit("off", 0, 60), DAY], "a", now=now)
    limit_hit(DAY, "a", now=now)
    with pytest.raises(RateLimited):
        limits_hit([DAY, HOUR], "a", now=now)
    assert (used(HOUR, "a", now), used(DAY, "a", now)) == (2, 4)


@ON_REDIS
def test_on_redis_an_outage_allows_open_limits_and_refuses_closed_ones(monkeypatch):
    def down(**_):
        raise ConnectionError("redis down")

    monkeypatch.setattr(limits_module, "_hit_all_script", down)
    limits_hit([HOUR, DAY], "a")
    with pytest.raises(Unavailable):
        limits_hit([HOUR, Limit("closed", 1, 60, fail_open=False)], "a")
