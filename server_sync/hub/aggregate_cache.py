"""Public aggregates reused for their period: a small in-process TTL cache with one computation per key.

An hour's open data does not change within the hour, so a public endpoint that many clients call at
once computes its aggregate once (the others wait for that result rather than running the same
GROUP BY beside it) and reuses it until it expires. Each hub process has its own cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Callable, Hashable

__all__ = ["AggregateCache", "ttl_for_period"]


def ttl_for_period(until: datetime | None, *, open_s: float, closed_s: float,
                   now: datetime | None = None) -> float:
    """How long an aggregate over a period ending at `until` may be reused: a period that ended
    before the current hour began is closed (`closed_s`); one still running (or open-ended) may change
    with the next press (`open_s`)."""
    now = now or datetime.now(timezone.utc)
    hour = now.replace(minute=0, second=0, microsecond=0)
    return closed_s if until is not None and until <= hour else open_s


class AggregateCache:
    """`cache.get(key, ttl_s, compute)`: the value computed for `key`, recomputed once it is older than
    `ttl_s`. At most `max_entries` keys are kept (the least recently used go first)."""

    def __init__(self, max_entries: int = 256, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._values: OrderedDict[Hashable, tuple[float, Any, datetime]] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self.computed = 0  # how many times a value was computed (tests, diagnostics)

    def _fresh(self, key: Hashable) -> tuple[Any, datetime] | None:
        with self._guard:
            hit = self._values.get(key)
            if hit is None or hit[0] <= self.clock():
                return None
            self._values.move_to_end(key)
            return hit[1], hit[2]

    def get(self, key: Hashable, ttl_s: float, compute: Callable[[], Any]) -> tuple[Any, datetime]:
        """(value, when it was computed)."""
        found = self._fresh(key)
        if found is not None:
            return found
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one computation per key; the others wait for it
            found = self._fresh(key)
            if found is not None:
                return found
            value, generated = compute(), datetime.now(timezone.utc)
            self.computed += 1
            with self._guard:
                if ttl_s > 0:
                    self._values[key] = (self.clock() + ttl_s, value, generated)
                    self._values.move_to_end(key)
                    while len(self._values) > self.max_entries:
                        old, _ = self._values.popitem(last=False)
                        self._locks.pop(old, None)
            return value, generated

    def clear(self) -> None:
        with self._guard:
            self._values.clear()
