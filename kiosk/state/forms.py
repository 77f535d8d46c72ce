"""Validation of a service's form fields from the catalogue's FormField rules; the errors in the kiosk's
language (its Qt translations), the fields' labels in `lang` (from the catalogue)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from server_sync.protocol.catalogue import FieldType, FormField
from server_sync.protocol.form_rules import date_window, number_problem
from server_sync.protocol.identifiers import normalise_typed
from server_sync.protocol.identifiers import valid_egn_or_lnch as _valid_egn_or_lnch


@dataclass(frozen=True)
class FieldError:
    field: str
    label: str
    message: str

    def text(self) -> str:
        return f"{self.label}: {self.message}"


# The error's key -> the English source, in the kiosk's Qt translations (context "FormErrors"): the
# words follow the kiosk's language like every screen; the fields' labels come from the catalogue.
_MESSAGES = {
    "required": QT_TRANSLATE_NOOP("FormErrors", "this field is required"),
    "too_long": QT_TRANSLATE_NOOP("FormErrors", "at most {n} characters"),
    "pattern": QT_TRANSLATE_NOOP("FormErrors", "wrong format"),
    "number": QT_TRANSLATE_NOOP("FormErrors", "enter a number"),
    "min": QT_TRANSLATE_NOOP("FormErrors", "at least {n}"),
    "max": QT_TRANSLATE_NOOP("FormErrors", "at most {n}"),
    "date": QT_TRANSLATE_NOOP("FormErrors", "the date is written DD.MM.YYYY"),
    "no_such_date": QT_TRANSLATE_NOOP("FormErrors", "there is no such date: check the day and the month"),
    "date_range": QT_TRANSLATE_NOOP("FormErrors", "the date is between {a} and {b}"),
    "whole": QT_TRANSLATE_NOOP("FormErrors", "enter a whole number with the digits 0-9"),
    "phone": QT_TRANSLATE_NOOP("FormErrors", "a phone number has only digits, spaces and + ( ) / -"),
    "email": QT_TRANSLATE_NOOP("FormErrors", "not a valid e-mail address"),
    "choice": QT_TRANSLATE_NOOP("FormErrors", "choose one of the options"),
    "egn": QT_TRANSLATE_NOOP("FormErrors", "not a valid personal number, EGN or LNCh (10 digits with a check digit)"),
}


def _msg(key: str, **kw) -> str:
    return QCoreApplication.translate("FormErrors", _MESSAGES[key]).format(**kw)


_DATE_WRITTEN = re.compile(r"\s*([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})\s*")


def parse_date(value: str) -> date | None:
    m = _DATE_WRITTEN.fullmatch(value)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def valid_egn_or_lnch(value: str) -> bool:
    """Ten ASCII digits with a valid ЕГН or ЛНЧ check digit (what the hub accepts)."""
    return _valid_egn_or_lnch(value)


def validate_field(field: FormField, raw, lang: str = "bg") -> tuple[object, FieldError | None]:
    """Return (clean value, error or None) for one field."""
    label = field.label.get(lang)

    def err(key: str, **kw):
        return None, FieldError(field.name, label, _msg(key, **kw))

    if field.type == FieldType.CHECKBOX:
        value = bool(raw)
        if field.required and not value:
            return err("required")
        return value, None
    # NFKC: fullwidth digits and letters typed on another keyboard become the ASCII ones the hub
    # takes; digits of other scripts stay and are refused below (identifiers are digits 0-9).
    text = normalise_typed("" if raw is None else str(raw))
    if not text:
        return (None, FieldError(field.name, label, _msg("required"))) if field.required else (None, None)
    if field.max_length and len(text) > field.max_length:
        return err("too_long", n=field.max_length)
    if field.type == FieldType.NUMBER:
        number, why = number_problem(field, text)
        if why is None:
            return number, None
        if why.startswith("at least"):
            return err("min", n=f"{field.min_value:g}")
        if why.startswith("at most"):
            return err("max", n=f"{field.max_value:g}")
        return err("whole" if "whole" in why else "number")
    if field.type == FieldType.DATE:
        parsed = parse_date(text)
        if parsed is None:  # written right but not in the calendar (31.02), or not written right
            return err("no_such_date" if _DATE_WRITTEN.fullmatch(text) else "date")
        earliest, latest = date_window(field, date.today())
        if not earliest <= parsed <= latest:
            return err("date_range", a=earliest.strftime("%d.%m.%Y"), b=latest.strftime("%d.%m.%Y"))
        text = parsed.isoformat()
    elif field.type == FieldType.PHONE and not re.fullmatch(r"[0-9+ ()/-]{3,32}", text):
        return err("phone")
    elif field.type == FieldType.EMAIL and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        return err("email")
    elif field.type == FieldType.CHOICE and text not in {c.value for c in field.choices}:
        return err("choice")
    elif field.type == FieldType.EGN and not valid_egn_or_lnch(text):
        return err("egn")
    if field.pattern and not re.fullmatch(field.pattern, text, re.ASCII):  # \d is 0-9 only
        return err("pattern")
    return text, None


def validate_form(fields: list[FormField], values: dict, lang: str = "bg") -> tuple[dict, list[FieldError]]:
    clean: dict = {}
    errors: list[FieldError] = []
    for field in fields:
        value, error = validate_field(field, values.get(field.name), lang)
        if error:
            errors.append(error)
        elif value is not None:
            clean[field.name] = value
    return clean, errors
