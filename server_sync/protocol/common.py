"""Building blocks of every wire message: bounded NFC text, bilingual text, the base model."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "SCHEMA_VERSION",
    "WireModel",
    "nfc",
    "Text",
    "ShortText",
    "Name",
    "LongText",
    "Identifier",
    "I18n",
    "Lang",
    "utcnow",
    "ErrorDetail",
    "ErrorBody",
    "ErrorResponse",
    "TRACKING_CODE_ALPHABET",
    "TRACKING_CODE_PATTERN",
    "new_tracking_code",
]

SCHEMA_VERSION = 1

Lang = Literal["bg", "en"]


def nfc(value: str) -> str:
    """Unicode-normalise to NFC so "й" typed two ways compares equal and counts one."""
    return unicodedata.normalize("NFC", value)


def _no_nul(value: str) -> str:
    """No database the hub runs on stores NUL (PostgreSQL refuses it in text)."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


# No I, O, 0, 1: codes are read off paper and typed on a keypad.
TRACKING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_CODE_PATTERN = r"^[A-HJ-NP-Z2-9]{8}$"


def new_tracking_code() -> str:
    """A tracking code for a receipt: 8 characters, 40 bits, made on the terminal or the hub."""
    return "".join(secrets.choice(TRACKING_CODE_ALPHABET) for _ in range(8))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _text(max_length: int, min_length: int = 0):
    return Annotated[
        str,
        AfterValidator(_no_nul),
        AfterValidator(nfc),
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
    ]


Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
Name = _text(120)
ShortText = _text(300)
Text = _text(2000)
LongText = _text(8000)


class WireModel(BaseModel):
    """Base of every message: unknown fields are refused, so typos fail loudly; NaN and
    infinities are no numbers on this wire (PostgreSQL and JSON readers choke on them)."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True, allow_inf_nan=False)


class I18n(WireModel):
    """A text in Bulgarian (always) and English (falls back to Bulgarian when missing)."""

    bg: LongText = Field(min_length=1)
    en: LongText = ""

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.bg


class ErrorDetail(WireModel):
    field: str | None = None
    message: str


class ErrorBody(WireModel):
    code: str
    message: str
    field: str | None = None
    details: list[ErrorDetail] = []


class ErrorResponse(WireModel):
    """Every 4xx/5xx answer of the hub: `{"error": {"code", "message", "field", "details"}}`."""

    error: ErrorBody
