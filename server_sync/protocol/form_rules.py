"""The typed rules of a service's form fields, shared by the kiosk (as the citizen types) and the
hub (on every request, whichever terminal or client sent it).

* number: JSON numbers, or text of ASCII digits only (`"NaN"`, `"1_0"`, `"٣"`, `"1e3"` are not
  numbers a clerk can use, although Python's `float()` reads them). A field is a whole-number
  field unless its `min_value` or `max_value` has a fraction (0.1 m²): then one decimal part
  (point or comma) is allowed. Within min/max.
* date: `YYYY-MM-DD` only (Python's `date.fromisoformat` also reads `20261028` and
  `2026-W49-3`), within a window: `min_value`/`max_value` of a date field are days relative to
  the filing day (`max_value = 0`: not after today); without them the window is 1900-01-01 …
  30 years after the filing day.
* ЕГН/ЛНЧ: ten ASCII digits with a valid check digit (`identifiers.egn_problem`).
"""

from __future__ import annotations

import datetime as dt
import math
import re

from server_sync.protocol.catalogue import FormField
from server_sync.protocol.identifiers import egn_problem

__all__ = ["whole_numbers_only", "number_problem", "date_window", "date_problem", "egn_field_problem",
           "DEFAULT_EARLIEST", "DEFAULT_YEARS_AHEAD"]

DEFAULT_EARLIEST = dt.date(1900, 1, 1)
DEFAULT_YEARS_AHEAD = 30
_INTEGER = re.compile(r"-?[0-9]{1,12}")
_DECIMAL = re.compile(r"-?[0-9]{1,12}([.,][0-9]{1,6})?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def whole_numbers_only(field: FormField) -> bool:
    bounds = [b for b in (field.min_value, field.max_value) if b is not None]
    return all(float(b).is_integer() for b in bounds)


def number_problem(field: FormField, value: object) -> tuple[int | float | None, str | None]:
    """(the number, None) or (None, why it is not one this field takes)."""
    whole = whole_numbers_only(field)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None, "must be a number"
    if isinstance(value, str):
        text = value.strip()
        if not (_INTEGER if whole else _DECIMAL).fullmatch(text):
            return None, "must be a whole number (digits 0-9)" if whole else "must be a number (digits 0-9)"
        number: int | float = int(text) if _INTEGER.fullmatch(text) else float(text.replace(",", "."))
    else:
        number = value
    if isinstance(number, float):
        if not math.isfinite(number):
            return None, "must be a finite number"
        if number.is_integer():
            number = int(number)
        elif whole:
            return None, "must be a whole number"
    if field.min_value is not None and number < field.min_value:
        return None, f"at least {field.min_value:g}"
    if field.max_value is not None and number > field.max_value:
        return None, f"at most {field.max_value:g}"
    return number, None


def date_window(field: FormField, filing_day: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest date the field takes when filed on `filing_day`."""
    def shifted(days: float) -> dt.date:
        try:
            return filing_day + dt.timedelta(days=int(days))
        except OverflowError:
            return dt.date.min if days < 0 else dt.date.max

    earliest = shifted(field.min_value) if field.min_value is not None else DEFAULT_EARLIEST
    if field.max_value is not None:
        latest = shifted(field.max_value)
    else:
        latest = filing_day.replace(year=filing_day.year + DEFAULT_YEARS_AHEAD, day=min(filing_day.day, 28))
    return earliest, latest


def date_problem(field: FormField, value: object, filing_day: dt.date) -> tuple[dt.date | None, str | None]:
    """(the date, None) or (None, why it is not a date this field takes)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        return None, "must be a date (YYYY-MM-DD)"
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None, "must be a date (YYYY-MM-DD)"
    earliest, latest = date_window(field, filing_day)
    if day < earliest:
        return None, f"not before {earliest.isoformat()}"
    if day > latest:
        return None, f"not after {latest.isoformat()}"
    return day, None


def egn_field_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    return egn_problem(value)


