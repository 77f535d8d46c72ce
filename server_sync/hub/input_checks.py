"""Input the wire models let through but the databases cannot store: refused as 4xx naming the field.

Two layers, so no hostile value ever reaches a database driver (and a 500):

* `body_problem(raw)` looks at every raw JSON body before FastAPI parses it, for every endpoint:
  NUL characters (PostgreSQL text cannot hold them). Only a body holding the escape `\\u0000` is
  parsed (to name the field), so ordinary bodies cost one substring search.
* `check_wire(model)` walks a validated wire model (the endpoints whose bodies reach number and
  time columns call it): times must carry a UTC offset and lie in 1970…2199 (a Pi without an
  RTC may report 1970; later is garbage that would break the analytics' time arithmetic),
  integers of model fields must fit the 32-bit columns they go to (except the few kept in
  64-bit ones; values of free-form maps ±2**63), floats must be finite (NaN, Infinity, 1e400).
  Only the fields whose type can hold such values are visited (worked out once per model).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from enum import Enum
from functools import cache
from typing import Annotated, Literal, get_args, get_origin
from urllib.parse import parse_qsl
from uuid import UUID

from pydantic import BaseModel

from server_sync.hub.api_error import ApiError

__all__ = ["body_problem", "query_problem", "check_wire", "EARLIEST", "LATEST", "INT32_MAX"]

INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)
# Model fields kept in 64-bit columns (or only in JSON); every other integer field must fit 32 bits.
BIG_INT_FIELDS = frozenset({"disk_free_bytes"})



class _Bad:
    """A JSON number or constant the databases cannot hold, kept in place to find its path."""

    __slots__ = ("why",)

    def __init__(self, why: str):
        self.why = why


def _parse_int(text: str):
    value = int(text)
    return _Bad("number out of range") if abs(value) > INT64_MAX else value


def _parse_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _Bad("number out of range")


def _parse_constant(_text: str):
    return _Bad("not a finite number (NaN and Infinity are not JSON)")


def _dotted(path: list) -> str:
    return ".".join(str(p) for p in path) or "body"


def _find(doc) -> tuple[str, str] | None:
    stack = [(doc, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _Bad):
            return _dotted(path), value.why
        if isinstance(value, str):
            if "\x00" in value:
                return _dotted(path), "contains a NUL character"
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    return _dotted(path + [key]), "field name contains a NUL character"
                stack.append((item, path + [key]))
        elif isinstance(value, list):
            stack.extend((item, path + [i]) for i, item in enumerate(value))
    return None


def body_problem(raw: bytes) -> tuple[str, str] | None:
    """(field, why) when the JSON body holds something no database takes; None otherwise (also when
    it is not JSON at all: the app's own parsing answers that)."""
    if b"\\u0000" not in raw:
        return None
    try:
        doc = json.loads(raw, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except (ValueError, RecursionError):
        return None
    return _find(doc)


def query_problem(path: str, query_string: bytes) -> tuple[str, str] | None:
    """(field, why) for a NUL character in the path or a query parameter."""
    if "\x00" in path:
        return "path", "contains a NUL character"
    if b"%00" in query_string or b"\x00" in query_string:
        for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                return key.replace("\x00", "") or "query", "contains a NUL character"
    return None


def _time_problem(value: datetime) -> str | None:
    if value.tzinfo is None or value.utcoffset() is None:
        return "needs a UTC offset (e.g. Z or +02:00)"
    # Aware comparisons work on the difference: no OverflowError at year 1 or 9999.
    if not EARLIEST <= value < LATEST:
        return f"out of range ({EARLIEST.year}–{LATEST.year - 1})"
    return None


def _may_hold_trouble(annotation) -> bool:
    """Whether a field of this type can hold a time, an integer, a float or a nested model."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_hold_trouble(get_args(annotation)[0])
    if origin is Literal:
        return False
    if origin is not None:  # unions, lists, dicts
        return any(_may_hold_trouble(arg) for arg in get_args(annotation))
    if not isinstance(annotation, type) or issubclass(annotation, (bool, str, Enum, UUID)):
        return False
    return issubclass(annotation, (int, float, datetime, BaseModel))


@cache
def _fields(model_class: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name, info in model_class.model_fields.items() if _may_hold_trouble(info.annotation))


def _problem(value, field_name: str | None) -> tuple[list, str] | None:
    """(path relative to `value`, why) of the first value no database takes; built only on a find."""
    if isinstance(value, datetime):
        why = _time_problem(value)
        return ([], why) if why else None
    if isinstance(value, (bool, str)) or value is None:
        return None
    if isinstance(value, int):
        limit = INT64_MAX if field_name is None or field_name in BIG_INT_FIELDS else INT32_MAX
        return ([], f"at most {limit}") if abs(value) > limit else None
    if isinstance(value, float):
        return None if math.isfinite(value) else ([], "must be a finite number")
    if isinstance(value, BaseModel):
        attributes = value.__dict__
        for name in _fields(type(value)):
            item = attributes[name]
            kind = type(item)
            # The common cases inline (a batch holds a thousand presses): a sound time or integer.
            if kind is datetime and item.tzinfo is not None and EARLIEST <= item < LATEST:
                continue
            if kind is int and -INT32_MAX <= item <= INT32_MAX:
                continue
            found = _problem(item, name)
            if found:
                found[0].insert(0, name)
                return found
    elif isinstance(value, dict):  # values of free-form maps (form, detail) keep 64-bit ints
        for key, item in value.items():
            found = _problem(item, None)
            if found:
                found[0].insert(0, key)
                return found
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = _problem(item, field_name)
            if found:
                found[0].insert(0, i)
                return found
    return None


def check_wire(model: BaseModel) -> None:
    """Raise a 422 naming the field when a validated model holds what no database column takes."""
    found = _problem(model, None)
    if found:
        path, why = found
        field = _dotted(path)
        raise ApiError(422, "validation_error", f"{field}: {why}", field)
