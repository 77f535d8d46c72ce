"""Fixtures for the feedback terminal: a controllable clock, the real store, a simulated panel."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from server_sync.store import Store


class FakeClock:
    """Monotonic and wall clock that move only when told to."""

    def __init__(self, wall: datetime) -> None:
        self.mono = 5000.0
        self.wall = wall

    def __call__(self) -> float:
        return self.mono

    def now(self) -> datetime:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    # Tuesday 2026-03-10 10:00 in Sofia (UTC+2): inside ordinary office hours.
    return FakeClock(datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data") as store:
        yield store
