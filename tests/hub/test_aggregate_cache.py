"""Public aggregates are computed once per key at a time and reused for their period."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from server_sync.hub.aggregate_cache import AggregateCache, ttl_for_period


def test_many_callers_at_once_wait_for_one_computation():
    cache = AggregateCache()
    started = threading.Event()

    def slow():
        started.set()
        time.sleep(0.3)
        return ["rows"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: cache.get(("open-data", None), 60, slow)[0], range(8)))
    assert results == [["rows"]] * 8 and cache.computed == 1


def test_a_value_is_recomputed_once_it_expired():
    now = [1000.0]
    cache = AggregateCache(clock=lambda: now[0])
    values = iter([1, 2])
    assert cache.get("k", 60, lambda: next(values))[0] == 1
    now[0] += 59
    assert cache.get("k", 60, lambda: next(values))[0] == 1
    now[0] += 2
    assert cache.get("k", 60, lambda: next(values))[0] == 2 and cache.computed == 2


def test_least_recently_used_keys_go_first():
    cache = AggregateCache(max_entries=2)
    for key in ("a", "b"):
        cache.get(key, 60, lambda: key)
    cache.get("a", 60, lambda: "again")  # a used: b is the oldest now
    cache.get("c", 60, lambda: "c")
    assert cache.get("a", 60, lambda: "new a")[0] == "a"
    assert cache.get("b", 60, lambda: "new b")[0] == "new b"


def test_a_closed_period_is_kept_longer_than_a_running_one():
    now = datetime(2026, 12, 3, 10, 30, tzinfo=timezone.utc)
    assert ttl_for_period(None, open_s=60, closed_s=900, now=now) == 60
    assert ttl_for_period(datetime(2026, 12, 3, 11, tzinfo=timezone.utc), open_s=60, closed_s=900, now=now) == 60
    assert ttl_for_period(datetime(2026, 12, 3, 10, tzinfo=timezone.utc), open_s=60, closed_s=900, now=now) == 900
