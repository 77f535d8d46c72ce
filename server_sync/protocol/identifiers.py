"""Identifiers people carry (ЕГН, ЛНЧ, document numbers, phone numbers): ASCII digits only.

Python's `\\d`, `str.isdigit()` and `int()` (and pydantic's Rust patterns) accept the digits of
every script: "٤٨٠٣١٥١٩٣٨" and "４８０３１５１９３８" would pass as an ЕГН and count as a person other
than "4803151938". The wire patterns here are written with `[0-9]`; where a citizen types, the
terminal first folds what they typed with NFKC (fullwidth and other compatibility digits become
ASCII: `normalise_typed`), and the hub refuses whatever is still not ASCII.

ЕГН and ЛНЧ check digits are verified with python-stdnum (`stdnum.bg.egn`, `stdnum.bg.pnf`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from stdnum.bg import egn as _egn
from stdnum.bg import pnf as _pnf

__all__ = [
    "ASCII_DIGITS",
    "EGN_PATTERN",
    "DOCUMENT_NUMBER_PATTERN",
    "PHONE_PATTERN",
    "MRZ_PATTERN",
    "EgnOrLnch",
    "DocumentNumber",
    "valid_egn_or_lnch",
    "egn_problem",
    "normalise_typed",
]

ASCII_DIGITS = re.compile(r"[0-9]+")
EGN_PATTERN = r"^[0-9]{10}$"
DOCUMENT_NUMBER_PATTERN = r"^[A-Z0-9]{6,12}$"
PHONE_PATTERN = r"^[0-9+ ()/-]{3,32}$"
# The machine-readable zone as read from the card: 2 or 3 lines of A-Z, 0-9 and '<'.
MRZ_PATTERN = r"^[A-Z0-9<]{30,44}(\n[A-Z0-9<]{30,44}){1,2}$"


def valid_egn_or_lnch(value: str) -> bool:
    """Ten ASCII digits with a valid ЕГН or ЛНЧ check digit."""
    return bool(re.fullmatch(EGN_PATTERN, value)) and (_egn.is_valid(value) or _pnf.is_valid(value))


def egn_problem(value: str) -> str | None:
    """Why `value` is not an ЕГН or ЛНЧ (None when it is one)."""
    if not re.fullmatch(EGN_PATTERN, value):
        return "must be 10 digits 0-9"
    if not (_egn.is_valid(value) or _pnf.is_valid(value)):
        return "not a valid ЕГН or ЛНЧ (check digit)"
    return None


def _check_egn(value: str) -> str:
    problem = egn_problem(value)
    if problem:
        raise ValueError(problem)
    return value


EgnOrLnch = Annotated[str, StringConstraints(pattern=EGN_PATTERN), AfterValidator(_check_egn)]
DocumentNumber = Annotated[str, StringConstraints(pattern=DOCUMENT_NUMBER_PATTERN)]


def normalise_typed(value: str) -> str:
    """What a citizen typed, folded with NFKC (fullwidth "１２" becomes "12") and trimmed.

    Digits of other scripts (Arabic-Indic "٣") are not compatibility characters: they stay
    as typed, and the ASCII-only rules refuse them with a clear message."""
    return unicodedata.normalize("NFKC", value).strip()
