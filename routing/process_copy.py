"""A value every request reads and an admin rarely changes, kept per process for a few seconds.

The routing tables (routing.runtime) and the epidemic mode (backend.epidemic.selectors) are read on
every submission. Each process keeps a copy built at most once per `ttl` seconds; a change made in
this process clears it at once (the owner connects `forget` to its models' signals), other processes
see it within `ttl`. It lives here, not in backend, because routing may not import backend.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessCopy(Generic[T]):
    def __init__(self, build: Callable[[], T], ttl: float) -> None:
        self._build = build
        self.ttl = ttl
        self._lock = threading.Lock()
        self._held: tuple[float, T] | None = None

    def get(self) -> T:
        now = time.monotonic()
        held = self._held
        if held is not None and now - held[0] < self.ttl:
            return held[1]
        with self._lock:  # one build at a time; the others use it
            held = self._held
            if held is None or now - held[0] >= self.ttl:
                held = (now, self._build())
                self._held = held
            return held[1]

    def forget(self, **_: object) -> None:
        """Build afresh on the next `get` (a signal receiver, hence the keyword arguments)."""
        self._held = None
