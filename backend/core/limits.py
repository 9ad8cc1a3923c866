"""Abuse limits: counters in the shared cache that refuse with 429 and Retry-After past their count.

A limit allows `count` uses per fixed window of `seconds` (window k is [k*seconds, (k+1)*seconds)).
The count is taken *before* the work it guards, with one atomic increment (Redis INCR in production,
a locked increment in the embedded default's in-memory cache), so N parallel requests can never all
pass a check that each of them read before any of them wrote: at most `count` get through.

Keys carry an HMAC of the identity (a phone number, an address, a username), not the identity, so
the cache holds no personal data. When the cache cannot be reached a limit fails open (the work is
allowed, and the outage logged) unless it says `fail_open=False`, as the SMS limits do: an SMS costs
money and a login code must not become unlimited because Redis restarted.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient

from backend.core.exceptions import RateLimited, Unavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int
    fail_open: bool = True
    code: str = "rate_limited"  # the error code a refused request answers with


def _key(limit: Limit, ident: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{limit.name}:{ident}".encode(), hashlib.sha256)
    return f"limit:{limit.name}:{digest.hexdigest()[:32]}:{window}"


def _window(limit: Limit, now: float) -> tuple[int, int]:
    """The current window's number and the whole seconds until it ends (at least 1)."""
    window = int(now // limit.seconds)
    return window, max(1, math.ceil((window + 1) * limit.seconds - now))


def _expiry(limit: Limit) -> int:
    """A counter outlives its window a little, so add-then-incr never finds it expired in between."""
    return limit.seconds + 60


def _cache_error(limit: Limit, exc: Exception) -> None:
    if not limit.fail_open:
        logger.error("limit %s: cache unreachable (%s); refusing", limit.name, type(exc).__name__)
        raise Unavailable(retry_after=30) from exc
    logger.warning("limit %s: cache unreachable (%s); allowing", limit.name, type(exc).__name__)


def limit_hit(limit: Limit, ident: str, *, now: float | None = None) -> int:
    """Count one use of `limit` by `ident`; past its count raise RateLimited (429 with Retry-After).

    Returns how many uses this window holds, this one included.
    """
    if limit.count <= 0:  # a limit set to 0 in the settings is switched off
        return 0
    window, retry_after = _window(limit, time.time() if now is None else now)
    key = _key(limit, ident, window)
    try:
        cache.add(key, 0, timeout=_expiry(limit))
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr: this use starts the count again
        cache.set(key, 1, timeout=_expiry(limit))
        used = 1
    except Exception as exc:  # the cache's own connection errors differ by backend
        _cache_error(limit, exc)
        return 0
    if used > limit.count:
        raise RateLimited(limit.code, retry_after=retry_after, seconds=retry_after)
    return int(used)


# `limit_hit` for several limits, in order, in one Redis round trip (Django's add + incr is three:
# SET NX, EXISTS, INCR). Stops at the first limit past its count, as the loop of limit_hit calls does:
# that one's use is counted, the later ones' are not. Returns 0 when all passed, else the 1-based
# index of the refusing limit; ARGV holds each key's expiry and count.
_HIT_ALL = """
for i, key in ipairs(KEYS) do
  redis.call('SET', key, 0, 'NX', 'EX', ARGV[2 * i - 1])
  if redis.call('INCR', key) > tonumber(ARGV[2 * i]) then
    return i
  end
end
return 0
"""
_hit_all_script: Any = None


def limits_hit(limits: Sequence[Limit], ident: str, *, now: float | None = None) -> None:
    """`limit_hit(limit, ident)` for each of `limits` in order, in one round trip when the cache is Redis.

    Same counts, same refusal (the first limit past its count, with its Retry-After), same outage
    handling as calling `limit_hit` for each in turn.
    """
    global _hit_all_script
    active = [limit for limit in limits if limit.count > 0]
    client = getattr(cache, "_cache", None)
    if not active or not isinstance(client, RedisCacheClient):
        for limit in active:
            limit_hit(limit, ident, now=now)
        return
    moment = time.time() if now is None else now
    windows = [_window(limit, moment) for limit in active]
    keys = [cache.make_and_validate_key(_key(limit, ident, window))
            for limit, (window, _) in zip(active, windows, strict=True)]
    args: list[int] = []
    for limit in active:
        args += [_expiry(limit), limit.count]
    try:
        redis = client.get_client(keys[0], write=True)
        if _hit_all_script is None:
            _hit_all_script = redis.register_script(_HIT_ALL)
        refused = int(_hit_all_script(keys=keys, args=args, client=redis))
    except Exception as exc:  # the cache's own connection errors
        for limit in active:
            _cache_error(limit, exc)
        return
    if refused:
        limit, (_, retry_after) = active[refused - 1], windows[refused - 1]
        raise RateLimited(limit.code, retry_after=retry_after, seconds=retry_after)


def limit_refund(limit: Limit, ident: str, *, now: float | None = None) -> None:
    """Give back one use (the guarded work turned out not to count, e.g. a correct password)."""
    if limit.count <= 0:
        return
    window, _ = _window(limit, time.time() if now is None else now)
    try:
        cache.decr(_key(limit, ident, window))
    except ValueError:
        pass  # the window ended meanwhile: nothing to give back
    except Exception as exc:
        logger.warning("limit %s: cache unreachable on refund (%s)", limit.name, type(exc).__name__)


def limit_reset(limit: Limit, ident: str, *, now: float | None = None) -> None:
    if limit.count <= 0:
        return
    window, _ = _window(limit, time.time() if now is None else now)
    try:
        cache.delete(_key(limit, ident, window))
    except Exception as exc:
        logger.warning("limit %s: cache unreachable on reset (%s)", limit.name, type(exc).__name__)
