"""The staff pages' time axes read as times: no run of identical labels, no years around one day."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from matplotlib.figure import Figure

from server_sync.hub.web.charts import _date_axis

SOFIA = ZoneInfo("Europe/Sofia")


def labels(xs) -> list[str]:
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot(xs, [1] * len(xs))
    _date_axis(ax, xs, "bg")
    fig.canvas.draw()
    lo, hi = ax.get_xlim()
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text() and lo <= t.get_position()[0] <= hi]


@pytest.mark.parametrize("xs", [
    [datetime(2026, 12, 4, tzinfo=SOFIA)],  # a trend with one day
    [datetime(2026, 12, 4, 18, 1, s, tzinfo=SOFIA) for s in (5, 25, 45)],  # a queue seconds apart
    [datetime(2026, 12, 4, 9, tzinfo=SOFIA) + timedelta(hours=h) for h in range(10)],
    [datetime(2026, 11, 1, tzinfo=SOFIA) + timedelta(days=d) for d in range(30)],
])
def test_tick_labels_are_distinct_and_near_the_data(xs):
    shown = labels(xs)
    assert len(shown) >= 2 and len(set(shown)) == len(shown), shown
    assert all(len(label) == 5 for label in shown), shown  # "04.12" or "18:00", never a year
