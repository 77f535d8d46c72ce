"""Deadlines: working days skip weekends and Bulgarian public holidays (moved ones included)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from server_sync.hub.deadlines import (
    SOFIA,
    add_working_days,
    deadline_for,
    is_working_day,
    orthodox_easter,
    public_holidays,
)
from server_sync.protocol import Deadline


@pytest.mark.parametrize("year, easter", [(2021, date(2021, 5, 2)), (2024, date(2024, 5, 5)),
                                          (2025, date(2025, 4, 20)), (2026, date(2026, 4, 12)),
                                          (2027, date(2027, 5, 2))])
def test_orthodox_easter(year, easter):
    assert orthodox_easter(year) == easter


def test_holidays_on_a_weekend_move_to_the_next_working_day():
    h2021 = public_holidays(2021)
    # 1 May 2021 (Sat) fell beside Easter Monday 3 May: the rest day moved to Tuesday 4 May.
    assert date(2021, 5, 4) in h2021 and date(2021, 4, 30) in h2021  # Good Friday
    # Christmas 25–26 Dec 2021 on the weekend: 27 and 28 December off.
    assert {date(2021, 12, 27), date(2021, 12, 28)} <= h2021
    assert date(2021, 12, 29) not in h2021
    assert not is_working_day(date(2026, 3, 3)) and is_working_day(date(2026, 3, 4))


def test_working_days_skip_weekends_and_holidays():
    # Friday 19 Dec 2025 + 3 working days: 22, 23 Dec, then 24–26 are holidays → Monday 29 Dec.
    assert add_working_days(date(2025, 12, 19), 3) == date(2025, 12, 29)
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday → Monday


def test_deadline_for_each_unit():
    filed = datetime(2026, 11, 20, 9, 15, tzinfo=timezone.utc)  # a Friday, 11:15 in Sofia
    assert deadline_for(filed, None) is None
    assert deadline_for(filed, Deadline(unit="immediate")) == filed
    assert deadline_for(filed, Deadline(unit="hours", amount=24)) == datetime(2026, 11, 21, 9, 15, tzinfo=timezone.utc)
    same_day = deadline_for(filed, Deadline(unit="same_day")).astimezone(SOFIA)
    assert (same_day.date(), same_day.hour) == (date(2026, 11, 20), 17)
    assert deadline_for(filed, Deadline(unit="working_days", amount=3)).astimezone(SOFIA).date() == date(2026, 11, 25)
    # 8 calendar days ends on Saturday 28 Nov: moved to Monday 30 Nov.
    assert deadline_for(filed, Deadline(unit="days", amount=8)).astimezone(SOFIA).date() == date(2026, 11, 30)


def test_a_signal_is_due_two_months_later_on_a_working_day():
    from server_sync.hub.deadlines import signal_deadline

    # Filed 31 December 2026: 28 February 2027 is a Sunday → Monday 1 March 2027, 17:00 Sofia.
    filed = datetime(2026, 12, 31, 10, 0, tzinfo=timezone.utc)
    due = signal_deadline(filed).astimezone(SOFIA)
    assert (due.date(), due.hour) == (date(2027, 3, 1), 17)
    # 1 March 2027 is not a holiday but 3 March is: filed 3 January → 3 March (Liberation Day) → 4 March.
    due = signal_deadline(datetime(2027, 1, 3, 9, 0, tzinfo=timezone.utc)).astimezone(SOFIA)
    assert due.date() == date(2027, 3, 4)
