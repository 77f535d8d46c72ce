"""Deadlines of service requests and signals: working days skip weekends and Bulgarian public holidays.

Shared by the hub (it sets `deadline_at`) and the kiosk (an offline receipt prints the same date)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from server_sync.protocol import Deadline, DeadlineUnit

SOFIA = ZoneInfo("Europe/Sofia")
# A deadline "on day D" ends with that day's working hours.
END_OF_WORKDAY = time(17, 0)

_FIXED = [(1, 1), (3, 3), (5, 1), (5, 6), (5, 24), (9, 6), (9, 22), (12, 24), (12, 25), (12, 26)]


def orthodox_easter(year: int) -> date:
    """Julian-calendar Easter (Meeus) moved to the Gregorian calendar (valid 1900–2099)."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month = (d + e + 114) // 31
    day = (d + e + 114) % 31 + 1
    return date(year, month, day) + timedelta(days=13)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Official days off (Labour Code art. 154): a fixed holiday on a weekend moves the rest
    to the next working day(s); Easter Friday to Monday are off."""
    easter = orthodox_easter(year)
    days = {easter - timedelta(days=2), easter - timedelta(days=1), easter, easter + timedelta(days=1)}
    fixed = sorted(date(year, m, d) for m, d in _FIXED)
    days.update(fixed)
    for holiday in fixed:
        if holiday.weekday() >= 5:
            extra = holiday + timedelta(days=1)
            while extra.weekday() >= 5 or extra in days:
                extra += timedelta(days=1)
            days.add(extra)
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def deadline_for(registered_at: datetime, deadline: Deadline | None) -> datetime | None:
    """When a request filed at `registered_at` is due, in UTC; None when unpublished."""
    if deadline is None:
        return None
    local = registered_at.astimezone(SOFIA)
    if deadline.unit == DeadlineUnit.IMMEDIATE:
        return registered_at
    if deadline.unit == DeadlineUnit.HOURS:
        return registered_at + timedelta(hours=deadline.amount)
    if deadline.unit == DeadlineUnit.SAME_DAY:
        day = local.date()
        if not is_working_day(day):
            day = add_working_days(day, 1)
    elif deadline.unit == DeadlineUnit.WORKING_DAYS:
        day = add_working_days(local.date(), deadline.amount)
    else:  # calendar days; a term ending on a day off ends on the next working day
        day = local.date() + timedelta(days=deadline.amount)
        if not is_working_day(day):
            day = add_working_days(day, 1)
    return datetime.combine(day, END_OF_WORKDAY, tzinfo=SOFIA).astimezone(registered_at.tzinfo)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks (31 → 30 April) becomes its last day."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# A signal (proposal or complaint) is answered within two months (Administrative Procedure Code, art. 122).
SIGNAL_TERM_MONTHS = 2


def signal_deadline(registered_at: datetime) -> datetime:
    """When a signal filed at `registered_at` must be answered; a term ending on a day off moves on."""
    day = add_months(registered_at.astimezone(SOFIA).date(), SIGNAL_TERM_MONTHS)
    if not is_working_day(day):
        day = add_working_days(day, 1)
    return datetime.combine(day, END_OF_WORKDAY, tzinfo=SOFIA).astimezone(registered_at.tzinfo)
