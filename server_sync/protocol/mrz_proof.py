"""What an ID card's machine-readable zone proves: its document number and personal number, when
every ICAO 9303 check digit holds (TD1 ID cards, TD2, TD3 passports).

The kiosk reads the MRZ with `hardware.idcard.mrz` (the full parser, with OCR repairs and
citizen-readable errors) and sends it as read; the hub, which imports no terminal code, checks it
here: no repairs, only whether the lines as sent are a consistent MRZ. The check digits are not a
signature — they tie the document number, birth date and personal number together, so a typed ЕГН
with someone else's document number does not pass, but a forger who knows every field can make one.
"""

from __future__ import annotations

import re

from stdnum.bg import egn as _egn
from stdnum.bg import pnf as _pnf

__all__ = ["MrzFacts", "mrz_facts", "icao_check_digit"]

_LINE = re.compile(r"[A-Z0-9<]+")
_WEIGHTS = (7, 3, 1)


def icao_check_digit(text: str) -> str:
    total = 0
    for i, ch in enumerate(text):
        if "0" <= ch <= "9":
            value = ord(ch) - 48
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        else:  # "<"
            value = 0
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


class MrzFacts(tuple):
    """(document_number, personal_number) of a consistent MRZ; personal_number may be None."""

    __slots__ = ()

    def __new__(cls, document_number: str, personal_number: str | None):
        return super().__new__(cls, (document_number, personal_number))

    @property
    def document_number(self) -> str:
        return self[0]

    @property
    def personal_number(self) -> str | None:
        return self[1]


def _ok(field: str, digit: str) -> bool:
    return icao_check_digit(field) == digit


def _personal(candidates: list[str], birth: str) -> str | None:
    """The ЕГН or ЛНЧ among the optional data; an ЕГН must be born on the MRZ's birth date."""
    for raw in candidates:
        value = raw.replace("<", "")
        if not re.fullmatch(r"[0-9]{10}", value):
            continue
        if _egn.is_valid(value):
            born = _egn.get_birth_date(value)
            return value if born.strftime("%y%m%d") == birth else None
        if _pnf.is_valid(value):
            return value
    return None


def mrz_facts(mrz: str) -> MrzFacts | None:
    """The document and personal numbers of `mrz` (lines joined by "\\n"), or None when it is not
    a consistent TD1, TD2 or TD3 zone (a wrong check digit anywhere, a wrong length)."""
    lines = mrz.split("\n")
    if not all(_LINE.fullmatch(line) for line in lines):
        return None
    shape = (len(lines), len(lines[0]))
    if any(len(line) != shape[1] for line in lines):
        return None
    if shape == (3, 30):  # TD1: the Bulgarian ID card
        l1, l2 = lines[0], lines[1]
        number, birth, expiry = l1[5:14], l2[0:6], l2[8:14]
        if not (_ok(number, l1[14]) and _ok(birth, l2[6]) and _ok(expiry, l2[14])
                and _ok(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])):
            return None
        return MrzFacts(number.replace("<", ""), _personal([l2[18:29], l1[15:30]], birth))
    if shape in ((2, 36), (2, 44)):  # TD2, TD3 (passports)
        l2 = lines[1]
        number, birth, expiry = l2[0:9], l2[13:19], l2[21:27]
        if not (_ok(number, l2[9]) and _ok(birth, l2[19]) and _ok(expiry, l2[27])):
            return None
        if shape[1] == 44:
            if not (_ok(l2[28:42], l2[42]) and _ok(l2[0:10] + l2[13:20] + l2[21:43], l2[43])):
                return None
            optional = l2[28:42]
        else:
            if not _ok(l2[0:10] + l2[13:20] + l2[21:35], l2[35]):
                return None
            optional = l2[28:35]
        return MrzFacts(number.replace("<", ""), _personal([optional], birth))
    return None
