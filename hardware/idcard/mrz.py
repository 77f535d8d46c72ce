"""ICAO 9303 machine-readable zone parsing (TD1, TD2, TD3) with every check digit, for Bulgarian ID cards and more."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from stdnum.bg import egn as stdnum_egn
from stdnum.bg import pnf as stdnum_pnf

from hardware.base import HardwareError

__all__ = [
    "IdCardError",
    "MrzError",
    "IdDocument",
    "parse_mrz",
    "check_digit",
    "normalize_mrz_lines",
    "MRZ_LINE_LENGTHS",
    "compose_td1",
]

# Line length -> (format name, number of lines).
MRZ_LINE_LENGTHS: dict[int, tuple[str, int]] = {30: ("TD1", 3), 36: ("TD2", 2), 44: ("TD3", 2)}

_MRZ_CHARS = re.compile(r"^[A-Z0-9<]*$")
_WEIGHTS = (7, 3, 1)

# OCR repairs are applied only where ICAO 9303 fixes the character class of a field, so the
# repair is unambiguous: a date or check digit can only hold digits, a country code or a name
# only letters and '<'. Document numbers and optional data are alphanumeric and never repaired.
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"})
_TO_ALPHA = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B"})


class IdCardError(HardwareError):
    """Root of the errors of the ID-card reader package."""


# code -> (Bulgarian, English). {0} is filled with a detail (a date) where the message needs one.
_MESSAGES: dict[str, tuple[str, str]] = {
    "not_mrz": (
        "Това не прилича на машинночетимата зона на документ — поставете картата отново.",
        "This does not look like a document's machine-readable zone — please insert the card again.",
    ),
    "length": (
        "Документът не беше прочетен изцяло — опитайте отново.",
        "The document was not read completely — please try again.",
    ),
    "invalid_character": (
        "Документът не беше прочетен правилно — опитайте отново.",
        "The document was not read correctly — please try again.",
    ),
    "unsupported_document": (
        "Този вид документ не се поддържа. Използвайте лична карта или паспорт.",
        "This kind of document is not supported. Please use an ID card or a passport.",
    ),
    "check_digit_document_number": (
        "Номерът на документа не можа да се прочете правилно — опитайте отново.",
        "The document number could not be read correctly — please try again.",
    ),
    "check_digit_birth_date": (
        "Датата на раждане не можа да се прочете правилно — опитайте отново.",
        "The date of birth could not be read correctly — please try again.",
    ),
    "check_digit_expiry_date": (
        "Срокът на валидност не можа да се прочете правилно — опитайте отново.",
        "The expiry date could not be read correctly — please try again.",
    ),
    "check_digit_personal_number": (
        "Личният номер не можа да се прочете правилно — опитайте отново.",
        "The personal number could not be read correctly — please try again.",
    ),
    "composite": (
        "Данните от документа не можаха да се прочетат правилно — опитайте отново.",
        "The document data could not be read correctly — please try again.",
    ),
    "birth_date": (
        "Датата на раждане в документа е невалидна.",
        "The date of birth on the document is not valid.",
    ),
    "expiry_date": (
        "Срокът на валидност в документа е невалиден.",
        "The expiry date on the document is not valid.",
    ),
    "sex": (
        "Полът в документа не можа да се прочете — опитайте отново.",
        "The sex field could not be read — please try again.",
    ),
    "expired": (
        "Картата е с изтекъл срок на валидност ({0}).",
        "The card has expired ({0}).",
    ),
    "egn_checksum": (
        "ЕГН в документа е невалидно. Обърнете се към служител.",
        "The personal number (EGN) on the document is not valid. Please ask a clerk.",
    ),
    "egn_birth_date": (
        "ЕГН не съответства на датата на раждане в документа. Обърнете се към служител.",
        "The personal number (EGN) does not match the date of birth on the document. Please ask a clerk.",
    ),
    "lnch_checksum": (
        "ЛНЧ в документа е невалиден. Обърнете се към служител.",
        "The foreigner's personal number (LNCH) on the document is not valid. Please ask a clerk.",
    ),
}


class MrzError(IdCardError, ValueError):
    """An MRZ that cannot be accepted; `.code` is for machines, the messages are for the citizen."""

    def __init__(self, code: str, detail: str | None = None, *, field_name: str | None = None) -> None:
        bg, en = _MESSAGES.get(code, _MESSAGES["not_mrz"])
        self.code = code
        self.detail = detail
        self.field = field_name
        self.message_bg = bg.format(detail or "")
        self.message_en = en.format(detail or "")
        super().__init__(f"{code}: {self.message_en}" + (f" [{detail}]" if detail and "{0}" not in en else ""))


@dataclass(frozen=True)
class IdDocument:
    """What the MRZ says about the holder and the document; personal numbers are kept out of repr()."""

    document_type: str  # "ID", "P", "IR", ... (fillers removed)
    issuing_state: str  # ICAO code, "BGR"
    document_number: str
    surname: str
    given_names: str  # space-separated
    nationality: str
    birth_date: dt.date | None  # None when the MRZ says unknown ('<' in the date)
    sex: str  # "M", "F" or "X" (unspecified)
    expiry_date: dt.date
    personal_number: str | None = field(default=None, repr=False)  # optional data as printed, fillers removed
    egn: str | None = field(default=None, repr=False)  # validated ЕГН or ЛНЧ (see egn_kind)
    egn_kind: str | None = None  # "egn", "lnch" or None
    format: str = "TD1"
    mrz_lines: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname) if part)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        for key in ("birth_date", "expiry_date"):
            data[key] = data[key].isoformat() if data[key] else None
        data["mrz_lines"] = list(self.mrz_lines)
        return data


def check_digit(field_text: str) -> str:
    """ICAO 9303 check digit (weights 7-3-1, '<' counts 0, A=10 … Z=35) of a field."""
    total = 0
    for index, char in enumerate(field_text):
        if char.isdigit():
            value = ord(char) - 48
        elif "A" <= char <= "Z":
            value = ord(char) - 55
        elif char == "<":
            value = 0
        else:
            raise MrzError("invalid_character", repr(char))
        total += value * _WEIGHTS[index % 3]
    return str(total % 10)


def normalize_mrz_lines(text: str) -> list[str]:
    """Split raw reader/OCR text into MRZ lines: uppercase, no whitespace, CR/LF/CRLF tolerated."""
    if not isinstance(text, str):
        raise MrzError("not_mrz", f"expected text, got {type(text).__name__}")
    lines = []
    for raw in re.split(r"\r\n|\r|\n", text):
        # Readers and OCR insert stray spaces and tabs; the MRZ alphabet has no whitespace at all.
        line = "".join(raw.split()).upper()
        if line:
            lines.append(line)
    if len(lines) == 1:
        # Some readers send the whole zone as one run; its total length names the format.
        for length, (_fmt, count) in MRZ_LINE_LENGTHS.items():
            if len(lines[0]) == length * count:
                lines = [lines[0][i : i + length] for i in range(0, length * count, length)]
                break
    if not lines:
        raise MrzError("not_mrz", "empty input")
    for line in lines:
        if not _MRZ_CHARS.match(line):
            bad = sorted({c for c in line if not re.match(r"[A-Z0-9<]", c)})
            raise MrzError("invalid_character", "characters " + "".join(bad)[:20])
    lengths = {len(line) for line in lines}
    if len(lengths) == 1:
        (length,) = lengths
        if length in MRZ_LINE_LENGTHS:
            fmt, count = MRZ_LINE_LENGTHS[length]
            if len(lines) != count:
                raise MrzError("length", f"{fmt} needs {count} lines of {length}, got {len(lines)}")
            return lines
    if len(lines) in (2, 3) and any(len(line) in MRZ_LINE_LENGTHS for line in lines):
        raise MrzError("length", "line lengths " + ", ".join(str(len(line)) for line in lines))
    if "<" not in "".join(lines):
        raise MrzError("not_mrz", "no filler characters")
    raise MrzError("length", "line lengths " + ", ".join(str(len(line)) for line in lines))


def _digits(text: str) -> str:
    return text.translate(_TO_DIGIT)


def _alpha(text: str) -> str:
    return text.translate(_TO_ALPHA)


def _verify(data: str, digit: str, code: str, field_name: str, *, filler_allowed: bool = False) -> None:
    digit = _digits(digit)
    if digit == "<" and filler_allowed and not data.strip("<"):
        return  # ICAO 9303 lets an empty optional personal number carry '<' as its check digit
    if not digit.isdigit() or check_digit(data) != digit:
        raise MrzError(code, field_name=field_name)


def _document_number(number_field: str, digit: str, optional: str) -> tuple[str, str]:
    """Document number and its check digit, following ICAO's extension into optional data for long numbers."""
    if digit == "<" and optional.strip("<"):
        # Long document number: it continues in the optional data up to the first '<',
        # and the character before that filler is the check digit.
        end = optional.find("<")
        extension = optional if end < 0 else optional[:end]
        if len(extension) < 2:
            raise MrzError("check_digit_document_number", field_name="document_number")
        return number_field + extension[:-1], extension[-1]
    return number_field, digit


def _parse_date(text: str, code: str) -> tuple[int, int, int]:
    if not text.isdigit():
        raise MrzError(code, field_name=code)  # the value stays out of the message: it is personal data
    yy, mm, dd = int(text[0:2]), int(text[2:4]), int(text[4:6])
    if not (1 <= mm <= 12 and 1 <= dd <= 31):
        raise MrzError(code, field_name=code)
    return yy, mm, dd


def _birth_date(text: str, today: dt.date) -> dt.date | None:
    if "<" in text:
        return None
    yy, mm, dd = _parse_date(text, "birth_date")
    # Two digits: the latest century that puts the birth in the past.
    for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
        try:
            candidate = dt.date(century + yy, mm, dd)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise MrzError("birth_date", field_name="birth_date")


def _expiry_date(text: str, today: dt.date) -> dt.date:
    yy, mm, dd = _parse_date(text, "expiry_date")
    # Two digits: the century that puts the expiry nearest to today (documents last at most a few decades).
    best: dt.date | None = None
    for century in (today.year // 100 * 100 - 100, today.year // 100 * 100, today.year // 100 * 100 + 100):
        try:
            candidate = dt.date(century + yy, mm, dd)
        except ValueError:
            continue
        if best is None or abs((candidate - today).days) < abs((best - today).days):
            best = candidate
    if best is None:
        raise MrzError("expiry_date", field_name="expiry_date")
    return best


def _sex(char: str) -> str:
    if char in ("M", "F"):
        return char
    if char in ("<", "X"):
        return "X"
    raise MrzError("sex", char, field_name="sex")


def _names(name_field: str) -> tuple[str, str]:
    name_field = _alpha(name_field).rstrip("<")
    surname, _, given = name_field.partition("<<")
    return surname.replace("<", " ").strip(), " ".join(part for part in given.split("<") if part)


def _bulgarian_number(
    optional: str, nationality: str, birth_date: dt.date | None
) -> tuple[str | None, str | None]:
    """The ЕГН or ЛНЧ a Bulgarian-issued card carries in its optional data, validated."""
    candidate = _digits(optional[:10])
    if not optional.strip("<"):
        return None, None
    if not (candidate.isdigit() and len(candidate) == 10):
        code = "egn_checksum" if nationality == "BGR" else "lnch_checksum"
        raise MrzError(code, field_name="egn")

    def egn_date_matches() -> bool:
        if birth_date is None:
            return True
        try:
            return stdnum_egn.get_birth_date(candidate) == birth_date
        except Exception:
            return False

    egn_valid = stdnum_egn.is_valid(candidate)
    if nationality == "BGR":
        if not egn_valid:
            raise MrzError("egn_checksum", field_name="egn")
        if not egn_date_matches():
            raise MrzError("egn_birth_date", field_name="egn")
        return candidate, "egn"
    # A foreigner holds either an ЛНЧ or, with permanent residence, an ЕГН; prefer the one that fits.
    if egn_valid and egn_date_matches():
        return candidate, "egn"
    if stdnum_pnf.is_valid(candidate):
        return candidate, "lnch"
    if egn_valid:
        raise MrzError("egn_birth_date", field_name="egn")
    raise MrzError("lnch_checksum", field_name="egn")


def _parse_td1(lines: list[str], today: dt.date) -> IdDocument:
    l1, l2, l3 = lines
    doc_type = _alpha(l1[0:2])
    issuing = _alpha(l1[2:5])
    optional1 = l1[15:30]
    number, number_digit = _document_number(l1[5:14], l1[14], optional1)
    birth, birth_digit = _digits(l2[0:6]), l2[6]
    sex = l2[7]
    expiry, expiry_digit = _digits(l2[8:14]), l2[14]
    nationality = _alpha(l2[15:18])
    optional2 = l2[18:29]
    composite_digit = l2[29]
    if issuing == "BGR":
        optional2 = _digits(optional2[:10]) + optional2[10:] if optional2[:10].strip("<") else optional2
    _verify(number, number_digit, "check_digit_document_number", "document_number")
    _verify(birth, birth_digit, "check_digit_birth_date", "birth_date")
    _verify(expiry, expiry_digit, "check_digit_expiry_date", "expiry_date")
    composite = l1[5:30] + birth + _digits(birth_digit) + expiry + _digits(expiry_digit) + optional2
    _verify(composite, composite_digit, "composite", "composite")
    return _finish(
        "TD1", lines, doc_type, issuing, number, l3, nationality, birth, sex, expiry, optional2, today,
        optional_fallback=optional1 if l1[14] != "<" else "",
    )


def _parse_two_line(fmt: str, lines: list[str], today: dt.date) -> IdDocument:
    l1, l2 = lines
    doc_type = _alpha(l1[0:2])
    issuing = _alpha(l1[2:5])
    optional_end = 35 if fmt == "TD2" else 42
    optional = l2[28:optional_end]
    number, number_digit = (
        _document_number(l2[0:9], l2[9], optional) if fmt == "TD2" else (l2[0:9], l2[9])
    )
    nationality = _alpha(l2[10:13])
    birth, birth_digit = _digits(l2[13:19]), l2[19]
    sex = l2[20]
    expiry, expiry_digit = _digits(l2[21:27]), l2[27]
    _verify(number, number_digit, "check_digit_document_number", "document_number")
    _verify(birth, birth_digit, "check_digit_birth_date", "birth_date")
    _verify(expiry, expiry_digit, "check_digit_expiry_date", "expiry_date")
    tail = optional
    if fmt == "TD3":
        personal_digit = l2[42]
        _verify(optional, personal_digit, "check_digit_personal_number", "personal_number", filler_allowed=True)
        tail = optional + personal_digit
    composite = l2[0:10] + birth + _digits(birth_digit) + expiry + _digits(expiry_digit) + tail
    _verify(composite, l2[optional_end if fmt == "TD2" else 43], "composite", "composite")
    return _finish(fmt, lines, doc_type, issuing, number, l1[5:], nationality, birth, sex, expiry, optional, today)


def _finish(
    fmt: str,
    lines: list[str],
    doc_type: str,
    issuing: str,
    number: str,
    name_field: str,
    nationality: str,
    birth_text: str,
    sex_char: str,
    expiry_text: str,
    optional: str,
    today: dt.date,
    optional_fallback: str = "",
) -> IdDocument:
    sex = _sex(sex_char)
    birth_date = _birth_date(birth_text, today)
    expiry_date = _expiry_date(expiry_text, today)
    surname, given = _names(name_field)
    egn = egn_kind = None
    if issuing == "BGR" and fmt == "TD1":
        egn, egn_kind = _bulgarian_number(optional, nationality, birth_date)
    personal = optional.strip("<") or optional_fallback.strip("<") or None
    return IdDocument(
        document_type=doc_type.strip("<"),
        issuing_state=issuing.strip("<"),
        document_number=number.replace("<", ""),
        surname=surname,
        given_names=given,
        nationality=nationality.strip("<"),
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        personal_number=personal.replace("<", " ") if personal else None,
        egn=egn,
        egn_kind=egn_kind,
        format=fmt,
        mrz_lines=tuple(lines),
    )


def parse_mrz(text: str, today: dt.date | None = None, *, allow_expired: bool = False) -> IdDocument:
    """Parse and verify an MRZ (TD1, TD2 or TD3); raise MrzError with a citizen-readable reason.

    `today` (default: the local date) resolves two-digit years and decides expiry; a document whose
    expiry date is before `today` is refused with code "expired" unless `allow_expired`.
    Only MrzError ever escapes, whatever the input.
    """
    today = today or dt.date.today()
    try:
        lines = normalize_mrz_lines(text)
        length = len(lines[0])
        fmt, _count = MRZ_LINE_LENGTHS[length]
        first = _alpha(lines[0][0])
        if fmt == "TD1" and first not in "IAC":
            raise MrzError("unsupported_document", lines[0][:2])
        if fmt == "TD3" and first not in "PV":
            raise MrzError("unsupported_document", lines[0][:2])
        if fmt == "TD2" and first not in "IACPV":
            raise MrzError("unsupported_document", lines[0][:2])
        document = _parse_td1(lines, today) if fmt == "TD1" else _parse_two_line(fmt, lines, today)
    except MrzError:
        raise
    except Exception as exc:  # a parser bug must still reach the citizen as "try again", never as a crash
        raise MrzError("not_mrz", f"parser error {type(exc).__name__}") from exc
    if not allow_expired and document.expiry_date < today:
        raise MrzError("expired", document.expiry_date.strftime("%d.%m.%Y"), field_name="expiry_date")
    return document


def compose_td1(document_number: str, egn: str, *, birth: str | None = None, sex: str = "F",
                expiry: str = "310412", surname: str = "IVANOVA", given_names: str = "MARIYA") -> str:
    """A Bulgarian ID card's TD1 MRZ (three lines joined by "\\n") with every check digit right:
    for simulators and tests. `birth` is YYMMDD (default: from the ЕГН); names in MRZ letters."""
    if birth is None:
        month = int(egn[2:4]) % 20
        birth = f"{egn[:2]}{month:02d}{egn[4:6]}"
    line1 = ("IDBGR" + document_number + check_digit(document_number)).ljust(30, "<")
    body2 = birth + check_digit(birth) + sex + expiry + check_digit(expiry) + "BGR" + egn.ljust(11, "<")
    composite = line1[5:30] + body2[0:7] + body2[8:15] + body2[18:29]
    line2 = body2 + check_digit(composite)
    line3 = f"{surname}<<{given_names.replace(' ', '<')}".ljust(30, "<")[:30]
    return "\n".join((line1, line2, line3))
