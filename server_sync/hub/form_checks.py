"""A service request's form, checked field by field by its catalogue type (2026-12-03).

Every value a clerk will act on must be one: a number of copies is a whole number in its range
(not "NaN", "1_0", 2.5 or "٣"), a date is a calendar date in the field's window (not
2026-W49-3, 20261028, 0001-01-01 or 9999-12-31), an ЕГН field holds a valid ЕГН or ЛНЧ, a choice
is one of its list. The rules are `server_sync.protocol.form_rules`, which the kiosk applies as
the citizen types. A refusal is a 422 naming the field.

Personal fields — by type (ЕГН/ЛНЧ, name, address, phone, e-mail) or marked `personal` — come
sealed in the applicant's `personal_fields`. A terminal of an older release may still send one
in the clear form: it is accepted (the citizen's request is not lost) but kept only with the
personal data, never in the form the inbox lists.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from server_sync.hub.errors import ApiError
from server_sync.protocol import FieldType, Service
from server_sync.protocol.form_rules import date_problem, egn_field_problem, number_problem

__all__ = ["check_form"]

_PHONE = re.compile(r"[0-9+ ()/-]{3,32}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _fail(code: str, where: str, why: str) -> ApiError:
    return ApiError(422, code, f"{where}: {why}", where)


def check_form(service: Service, form: dict[str, Any], personal: dict[str, Any],
               filing_day: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """(form, personal fields) as they are kept; raises a 422 naming the first bad field."""
    fields = {f.name: f for f in service.form_fields}
    for name in form:
        if name not in fields:
            raise _fail("unknown_field", f"form.{name}", f"not a field of service '{service.id}'")
    for name in personal:
        if name not in fields or not fields[name].is_personal:
            raise _fail("unknown_field", f"applicant.personal_fields.{name}", "not a personal field")
    clean_form: dict[str, Any] = {}
    clean_personal: dict[str, Any] = {}
    for f in service.form_fields:
        if f.name in personal or (f.is_personal and f.name not in form):
            where, value = f"applicant.personal_fields.{f.name}", personal.get(f.name)
        else:
            where, value = f"form.{f.name}", form.get(f.name)
        keep = clean_personal if f.is_personal else clean_form
        if value is None or value == "":
            if f.required and f.type != FieldType.CHECKBOX:
                raise _fail("required", where, "required")
            continue
        if f.type == FieldType.CHECKBOX:
            if not isinstance(value, bool):
                raise _fail("type", where, "must be true or false")
            if f.required and value is not True:
                raise _fail("required", where, "must be checked")
            keep[f.name] = value
            continue
        if f.type == FieldType.NUMBER:
            number, why = number_problem(f, value)
            if why:
                raise _fail("range" if why.startswith(("at least", "at most")) else "type", where, why)
            keep[f.name] = number
            continue
        if not isinstance(value, str):
            raise _fail("type", where, "must be text")
        if f.max_length and len(value) > f.max_length:
            raise _fail("too_long", where, f"at most {f.max_length} characters")
        # ASCII: a catalogue's \d means 0-9 here, not the digits of every script
        if f.pattern and not re.fullmatch(f.pattern, value, re.ASCII):
            raise _fail("pattern", where, "does not have the required form")
        if f.type == FieldType.CHOICE and value not in {c.value for c in f.choices}:
            raise _fail("choice", where, "not one of the choices")
        if f.type == FieldType.DATE:
            day, why = date_problem(f, value, filing_day)
            if why:
                raise _fail("type" if why.startswith("must") else "range", where, why)
            value = day.isoformat()
        if f.type == FieldType.EGN:
            why = egn_field_problem(value)
            if why:
                raise _fail("egn", where, why)
        # The typed rules the kiosk checks (kiosk.state.forms), so a terminal of another make or an
        # altered one cannot file what the counter would refuse.
        if f.type == FieldType.PHONE and not _PHONE.fullmatch(value):
            raise _fail("type", where, "must be a telephone number")
        if f.type == FieldType.EMAIL and not _EMAIL.fullmatch(value):
            raise _fail("type", where, "must be an e-mail address")
        keep[f.name] = value
    return clean_form, clean_personal
