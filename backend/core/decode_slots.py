"""A bound on photo decoding: so many at once per process, so many at once per user.

Decoding is the memory-hungry step of an upload (a 36-megapixel PNG is ~140 MB of pixels while it
is worked on): three parallel requests of five such photos took 873 MB before this bound. Each
decode now holds a slot. A process runs at most PHOTO_DECODES_PER_PROCESS decodes at once; a request
that finds them all busy waits up to PHOTO_DECODE_WAIT_SECONDS and then answers 503 with Retry-After.
A user holds at most PHOTO_DECODES_PER_USER slots at once across all processes (a counter in the
shared cache), so one account cannot take every slot of every server: past it the answer is 429.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

from backend.core.exceptions import RateLimited, Unavailable

logger = logging.getLogger(__name__)

_semaphores: dict[int, threading.BoundedSemaphore] = {}
_semaphores_lock = threading.Lock()
# A user's counter lives at most this long, so a process killed mid-decode cannot hold a slot forever.
USER_LEASE_SECONDS = 120
RETRY_AFTER_SECONDS = 5


def _process_slots() -> threading.BoundedSemaphore:
    size = max(1, settings.PHOTO_DECODES_PER_PROCESS)
    with _semaphores_lock:
        if size not in _semaphores:
            _semaphores[size] = threading.BoundedSemaphore(size)
        return _semaphores[size]


def _user_key(user_id: object) -> str:
    return f"decode-slots:user:{user_id}"


def _take_user_slot(user_id: object) -> bool:
    """True if a slot was taken (and must be given back); refuses past the user's share."""
    if settings.PHOTO_DECODES_PER_USER <= 0:
        return False
    key = _user_key(user_id)
    try:
        cache.add(key, 0, timeout=USER_LEASE_SECONDS)
        held = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=USER_LEASE_SECONDS)
        held = 1
    except Exception as exc:  # the shared cache is down: the per-process bound still holds
        logger.warning("decode slots: cache unreachable (%s); per-user bound skipped", type(exc).__name__)
        return False
    if held > settings.PHOTO_DECODES_PER_USER:
        _give_user_slot(user_id)
        raise RateLimited("photo_decoding_busy", retry_after=RETRY_AFTER_SECONDS, seconds=RETRY_AFTER_SECONDS)
    return True


def _give_user_slot(user_id: object) -> None:
    try:
        cache.decr(_user_key(user_id))
    except ValueError:
        pass  # the lease ran out meanwhile
    except Exception as exc:
        logger.warning("decode slots: cache unreachable on release (%s)", type(exc).__name__)


@contextmanager
def photo_decode_slot(user_id: object) -> Iterator[None]:
    """Hold one decoding slot of this process and of `user_id` (None: only the process bound)."""
    took_user_slot = _take_user_slot(user_id) if user_id is not None else False
    try:
        slots = _process_slots()
        if not slots.acquire(timeout=settings.PHOTO_DECODE_WAIT_SECONDS):
            raise Unavailable("photo_decoding_busy", retry_after=RETRY_AFTER_SECONDS, seconds=RETRY_AFTER_SECONDS)
        try:
            yield
        finally:
            slots.release()
    finally:
        if took_user_slot:
            _give_user_slot(user_id)
