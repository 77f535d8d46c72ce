"""Numbers as people say them, in Bulgarian and English. No Qt: plain functions over text.

espeak-ng reads any run of digits as one cardinal number ("4803151938" is four billion …),
drops the currency of "2,56 €" and ignores grammatical gender ("едно евроцент", "едно
година"). So the kiosk decides what a number *is* before the engine sees it:

- identifiers (ЕГН, personal access code, phone number, incoming number, provisional
  reference) digit by digit, in the groups a person pauses at: `egn`, `phone`, `reference`;
- an amount as money: `money` ("две евро и петдесет и шест евроцента");
- a date as a date, a time as a time: `date_words`, `time_words`;
- a count with its noun agreeing: `count` ("едно заявление", "две заявления").

`speakable(text, lang)` finds these in a sentence a screen built and rewrites them; the
accessibility controller passes everything it says through it. Plain small numbers
("3 от 7") are left to espeak-ng, which reads those right.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "cardinal", "ordinal", "digits", "egn", "phone", "reference", "money", "date_words",
    "time_words", "count", "speakable", "NOUNS",
]

# -- Bulgarian ------------------------------------------------------------------------------

_BG_UNITS = ["нула", "един", "два", "три", "четири", "пет", "шест", "седем", "осем", "девет"]
_BG_ONE = {"m": "един", "f": "една", "n": "едно"}
_BG_TWO = {"m": "два", "f": "две", "n": "две"}
_BG_TEENS = ["десет", "единадесет", "дванадесет", "тринадесет", "четиринадесет", "петнадесет",
             "шестнадесет", "седемнадесет", "осемнадесет", "деветнадесет"]
_BG_TENS = ["", "", "двадесет", "тридесет", "четиридесет", "петдесет", "шестдесет", "седемдесет",
            "осемдесет", "деветдесет"]
_BG_HUNDREDS = ["", "сто", "двеста", "триста", "четиристотин", "петстотин", "шестстотин",
                "седемстотин", "осемстотин", "деветстотин"]
#: digits as they are read one by one ("едно", "две": the neuter forms)
_BG_DIGITS = ["нула", "едно", "две", "три", "четири", "пет", "шест", "седем", "осем", "девет"]

# ordinal stems: masculine = stem + "и", feminine = stem + "а", neuter = stem + "о"
_BG_ORD_STEM = {
    "един": "първ", "една": "първ", "едно": "първ", "два": "втор", "две": "втор", "три": "трет",
    "четири": "четвърт", "пет": "пет", "шест": "шест", "седем": "седм", "осем": "осм",
    "девет": "девет",
}
_BG_ORD_ENDING = {"m": "и", "f": "а", "n": "о"}
# hundreds and thousands: "стотен/стотна/стотно", "двустотна", "хилядна"
_BG_ORD_BIG = {
    "сто": "стот", "двеста": "двустот", "триста": "тристот", "четиристотин": "четиристот",
    "петстотин": "петстот", "шестстотин": "шестстот", "седемстотин": "седемстот",
    "осемстотин": "осемстот", "деветстотин": "деветстот", "хиляда": "хиляд",
}
_BG_ORD_BIG_ENDING = {"m": "ен", "f": "на", "n": "но"}

_BG_MONTHS = ["януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
              "октомври", "ноември", "декември"]


def _bg_below_1000(n: int, gender: str) -> list[str]:
    """The components of 0 < n < 1000 ("сто", "двадесет", "едно"), "и" before the last."""
    parts: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        parts.append(_BG_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        parts.append(_BG_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            parts.append(_BG_TENS[tens])
        if units:
            parts.append(_BG_ONE[gender] if units == 1 else _BG_TWO[gender] if units == 2 else _BG_UNITS[units])
    if len(parts) > 1:
        parts.insert(len(parts) - 1, "и")
    return parts


def _bg_cardinal(n: int, gender: str) -> str:
    if n == 0:
        return "нула"
    if n < 0:
        return "минус " + _bg_cardinal(-n, gender)
    words: list[str] = []
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    if millions:
        words += ["един", "милион"] if millions == 1 else _bg_below_1000(millions, "m") + ["милиона"]
    if thousands:
        words += ["хиляда"] if thousands == 1 else _bg_below_1000(thousands, "f") + ["хиляди"]
    if units:
        tail = _bg_below_1000(units, gender)
        if words and "и" not in tail:
            # "две хиляди и пет", "хиляда и сто" — but "две хиляди двадесет и шест"
            words.append("и")
        words += tail
    return " ".join(words)


def _bg_ordinal(n: int, gender: str) -> str:
    """"трети", "двадесет и първи", "две хиляди двадесет и шеста", "двехилядна"."""
    if n == 2000:
        return "двехиляд" + _BG_ORD_BIG_ENDING[gender]
    words = _bg_cardinal(n, gender).split()
    last = words[-1]
    if last in _BG_ORD_STEM:
        words[-1] = _BG_ORD_STEM[last] + _BG_ORD_ENDING[gender]
    elif last.endswith("десет"):
        words[-1] = last + _BG_ORD_ENDING[gender]
    elif last in _BG_ORD_BIG:
        words[-1] = _BG_ORD_BIG[last] + _BG_ORD_BIG_ENDING[gender]
    elif last == "хиляди" and len(words) >= 2:  # "три хиляди" → "трихилядна"
        words[-2:] = [words[-2] + "хиляд" + _BG_ORD_BIG_ENDING[gender]]
    return " ".join(words)


# -- English --------------------------------------------------------------------------------

_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
             "nineteen"]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_ORD = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
           "nine": "ninth", "twelve": "twelfth"}
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]


def _en_below_100(n: int) -> str:
    if n < 20:
        return _EN_UNITS[n]
    tens, units = divmod(n, 10)
    return _EN_TENS[tens] + (f"-{_EN_UNITS[units]}" if units else "")


def _en_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(f"{_EN_UNITS[hundreds]} hundred")
    if rest:
        words.append(("and " if hundreds else "") + _en_below_100(rest))
    return " ".join(words)


def _en_cardinal(n: int) -> str:
    if n == 0:
        return "zero"
    if n < 0:
        return "minus " + _en_cardinal(-n)
    words = []
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    if millions:
        words.append(f"{_en_below_1000(millions)} million")
    if thousands:
        words.append(f"{_en_below_1000(thousands)} thousand")
    if units:
        words.append(("and " if words and units < 100 else "") + _en_below_1000(units))
    return " ".join(words)


def _en_ordinal(n: int) -> str:
    words = _en_cardinal(n)
    head, sep, last = words.rpartition("-") if "-" in words.split()[-1] else words.rpartition(" ")
    if last in _EN_ORD:
        last = _EN_ORD[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def _en_year(year: int) -> str:
    if year % 100 == 0 or 2000 <= year < 2010 or year < 1000:
        return _en_cardinal(year)
    high, low = divmod(year, 100)
    return f"{_en_below_100(high)} {('oh ' + _EN_UNITS[low]) if low < 10 else _en_below_100(low)}"


# -- the public functions -------------------------------------------------------------------

def cardinal(n: int, lang: str = "bg", gender: str = "m") -> str:
    """A whole number in words; in Bulgarian 1 and 2 agree with the noun's gender (m/f/n)."""
    return _en_cardinal(n) if lang == "en" else _bg_cardinal(n, gender)


def ordinal(n: int, lang: str = "bg", gender: str = "m") -> str:
    return _en_ordinal(n) if lang == "en" else _bg_ordinal(n, gender)


def _digit_words(run: str, lang: str) -> str:
    names = _EN_UNITS[:10] if lang == "en" else _BG_DIGITS
    return " ".join(names[int(ch)] for ch in run if ch.isdigit())


def digits(text: str, lang: str = "bg", groups: tuple[int, ...] | None = None) -> str:
    """Digit by digit; groups (as written, or of the given sizes) separated by a pause (", ")."""
    run = "".join(ch for ch in text if ch.isdigit())
    if groups:
        chunks, i = [], 0
        for size in groups:
            if i < len(run):
                chunks.append(run[i:i + size])
            i += size
        if i < len(run):
            chunks.append(run[i:])
    else:
        chunks = re.findall(r"\d+", text)
    return ", ".join(_digit_words(c, lang) for c in chunks if c)


def egn(text: str, lang: str = "bg") -> str:
    """ЕГН / ЛНЧ: "48 03 15 1938" — birth date in pairs, then the four-digit tail."""
    return digits(text, lang, (2, 2, 2, 4))


def phone(text: str, lang: str = "bg") -> str:
    """A phone number digit by digit in the groups it is written in; "+" said as plus."""
    lead = ("plus, " if lang == "en" else "плюс, ") if text.strip().startswith("+") else ""
    groups = re.findall(r"\d+", text)
    if len(groups) == 1 and len(groups[0]) > 4:  # written without spaces: pauses every 3 digits
        g = groups[0]
        groups = [g[i:i + 3] for i in range(0, len(g), 3)]
        if len(groups) > 1 and len(groups[-1]) == 1:  # no lone last digit
            groups[-2:] = [groups[-2] + groups[-1]]
    return lead + ", ".join(_digit_words(g, lang) for g in groups)


_REF_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def reference(text: str, lang: str = "bg") -> str:
    """An incoming number, a provisional reference or a tracking code: letters and digits one
    by one, a pause at each "-", "/" or space, a trailing date said as a date
    ("94-00012/03.12.2026", "K07-000123", "ОС-512/02.08.2021", "7KQ2-M9XD")."""
    parts: list[str] = []
    for group in re.split(r"[-/\s]+", text.strip()):
        if not group:
            continue
        m = _REF_DATE.fullmatch(group)
        when = _valid_date(m) if m else None
        if when is not None:
            parts.append(("of " if lang == "en" else "от ") + date_words(when, lang))
            continue
        parts.append(" ".join(_digit_words(ch, lang) if ch.isdigit() else ch.upper()
                              for ch in group if ch.isalnum()))
    return ", ".join(p for p in parts if p)


def _to_decimal(amount) -> Decimal | None:
    if isinstance(amount, Decimal):
        value = amount
    else:
        try:
            value = Decimal(str(amount).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            return None
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money(amount, lang: str = "bg") -> str:
    """Euros and cents: "две евро и петдесет и шест евроцента", "two euros and fifty-six cents"."""
    value = _to_decimal(amount)
    if value is None:
        return str(amount)
    cents_total = int(value * 100)
    euros, cents = divmod(abs(cents_total), 100)
    if lang == "en":
        parts = []
        if euros or not cents:
            parts.append(f"{_en_cardinal(euros)} euro{'' if euros == 1 else 's'}")
        if cents:
            parts.append(f"{_en_cardinal(cents)} cent{'' if cents == 1 else 's'}")
        return " and ".join(parts)
    parts = []
    if euros or not cents:
        parts.append(count(euros, "евро", "bg"))
    if cents:
        parts.append(count(cents, "евроцент", "bg"))
    return " и ".join(parts)


def date_words(when: date, lang: str = "bg") -> str:
    """"трети декември две хиляди двадесет и шеста година"; "3 December 2026" in English words."""
    if lang == "en":
        return f"the {_en_ordinal(when.day)} of {_EN_MONTHS[when.month - 1]} {_en_year(when.year)}"
    return f"{_bg_ordinal(when.day, 'm')} {_BG_MONTHS[when.month - 1]} {_bg_ordinal(when.year, 'f')} година"


def time_words(hour: int, minute: int, lang: str = "bg") -> str:
    """"четиринадесет часа и тридесет минути"; "two thirty p.m."."""
    if lang == "en":
        if (hour, minute) == (12, 0):
            return "twelve noon"
        if (hour, minute) == (0, 0):
            return "midnight"
        h12 = hour % 12 or 12
        suffix = "a.m." if hour < 12 else "p.m."
        if minute == 0:
            return f"{_en_cardinal(h12)} {suffix}"
        mins = f"oh {_EN_UNITS[minute]}" if minute < 10 else _en_below_100(minute)
        return f"{_en_cardinal(h12)} {mins} {suffix}"
    words = count(hour, "час", "bg")
    if minute:
        words += " и " + count(minute, "минута", "bg")
    return words


#: nouns that numbers are said with: Bulgarian (gender, one, several), English (one, several)
NOUNS: dict[str, tuple[tuple[str, str, str], tuple[str, str]]] = {
    "заявление": (("n", "заявление", "заявления"), ("request", "requests")),
    "сигнал": (("m", "сигнал", "сигнала"), ("signal", "signals")),
    "услуга": (("f", "услуга", "услуги"), ("service", "services")),
    "резултат": (("m", "резултат", "резултата"), ("result", "results")),
    "ден": (("m", "ден", "дни"), ("day", "days")),
    "работен ден": (("m", "работен ден", "работни дни"), ("working day", "working days")),
    "час": (("m", "час", "часа"), ("hour", "hours")),
    "минута": (("f", "минута", "минути"), ("minute", "minutes")),
    "секунда": (("f", "секунда", "секунди"), ("second", "seconds")),
    "месец": (("m", "месец", "месеца"), ("month", "months")),
    "година": (("f", "година", "години"), ("year", "years")),
    "знак": (("m", "знак", "знака"), ("character", "characters")),
    "екземпляр": (("m", "екземпляр", "екземпляра"), ("copy", "copies")),
    # "евро" does not change: "едно евро", "две евро"
    "евро": (("n", "евро", "евро"), ("euro", "euros")),
    "евроцент": (("m", "евроцент", "евроцента"), ("cent", "cents")),
}


def count(n: int, noun: str, lang: str = "bg") -> str:
    """A number with its noun agreeing: "едно заявление", "две заявления", "два сигнала",
    "двадесет и една години"; "one request", "two requests"."""
    (gender, one, several), (en_one, en_several) = NOUNS[noun]
    if lang == "en":
        return f"{_en_cardinal(n)} {en_one if n == 1 else en_several}"
    return f"{_bg_cardinal(n, gender)} {one if n == 1 else several}"


# -- numbers inside a sentence ----------------------------------------------------------------

def _valid_date(m: re.Match) -> date | None:
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


_NUM = r"\d{1,7}(?:[.,]\d{1,2})?"
_MONEY = re.compile(rf"€\s?(?P<a>{_NUM})(?!\d)|(?<![\d.,])(?P<b>{_NUM})\s?(?:€|EUR\b|евро\b)")
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s?г\.)?(?![\d.]?\d)")
_TIME = re.compile(r"(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
# an identifier: letters/digits joined by "-" or "/" with at least one digit group
# ("94-00012/…", "K07-000123", "10-00-2354", "ОС-512/02.08.2021")
_REFERENCE = re.compile(
    r"(?<![\w.])(?=[\w/.-]*\d)[^\W_]+(?:[-/][^\W_]+)*/\d{1,2}\.\d{1,2}\.\d{4}(?!\w|\.\d)"
    r"|(?<![\w.])(?=[\w-]*\d)[^\W_]+(?:[-/][^\W_]+)+(?![\w])"
    r"|(?<![\w.])[^\W\d_]{1,4}\d{2,}(?![\w])")
# a phone number: "+359 2 981 1234", "02 981 1234", "0700 10 100", "112"
_PHONE = re.compile(r"(?<![\w+])(\+\d[\d ]{5,}\d|0\d{1,4}(?:[ -]\d{2,4}){1,4}|112)(?![\w])")
# any other run of five or more digits (an ЕГН, a code): never one big number
_LONG_RUN = re.compile(r"(?<![\w])\d{5,}(?![\w])")


def _count_pattern() -> re.Pattern:
    forms = set()
    for (_, one, several), (en_one, en_several) in NOUNS.values():
        forms.update((one, several, en_one, en_several))
    alternatives = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(\d{{1,6}})\s({alternatives})(?!\w)", re.IGNORECASE)


_COUNT = _count_pattern()
_FORM_TO_NOUN = {}
for _key, ((_g, _one, _several), (_en_one, _en_several)) in NOUNS.items():
    for _form in (_one, _several, _en_one, _en_several):
        _FORM_TO_NOUN.setdefault(_form.lower(), _key)


def speakable(text: str, lang: str = "bg") -> str:
    """The sentence with its numbers said as people say them (see the module's docstring)."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    text = _MONEY.sub(lambda m: money(m.group("a") or m.group("b"), lang), text)
    text = _REFERENCE.sub(lambda m: reference(m.group(0), lang), text)
    text = _DATE.sub(lambda m: date_words(d, lang) if (d := _valid_date(m)) else m.group(0), text)
    text = _TIME.sub(lambda m: time_words(int(m.group(1)), int(m.group(2)), lang), text)
    text = _PHONE.sub(lambda m: phone(m.group(0), lang), text)
    text = _LONG_RUN.sub(lambda m: egn(m.group(0), lang) if len(m.group(0)) == 10 else phone(m.group(0), lang), text)

    def _count(m: re.Match) -> str:
        noun, n = _FORM_TO_NOUN[m.group(2).lower()], int(m.group(1))
        if n % 10 in (1, 2) and n % 100 not in (11, 12):
            return count(n, noun, lang)  # the numeral agrees with the noun: espeak-ng gets it wrong
        (_, _, several), (_, en_several) = NOUNS[noun]
        return f"{m.group(1)} {en_several if lang == 'en' else several}"  # "3 знака": espeak-ng reads it right

    return _COUNT.sub(_count, text)
