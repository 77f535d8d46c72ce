"""Builders of MRZ specimens with correct check digits, shared by the hardware reader tests."""

from __future__ import annotations

import datetime as dt

from stdnum.bg import egn as stdnum_egn

TODAY = dt.date(2026, 11, 22)


def cd(text: str) -> str:
    """Independent ICAO 9303 check digit, written from the standard for the tests."""
    values = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    return str(sum(values[c] * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10)


def pad(text: str, length: int) -> str:
    return text + "<" * (length - len(text))


def make_egn(birth: dt.date, serial: str = "926") -> str:
    month = birth.month + (40 if birth.year >= 2000 else 0)
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial}"
    return body + stdnum_egn.calc_check_digit(body)


def bulgarian_td1(number: str = "AA1234567", surname: str = "IVANOV", expiry: str = "310101") -> list[str]:
    birth = "750316"
    line1 = "IDBGR" + number + cd(number) + "<" * 15
    body2 = birth + cd(birth) + "M" + expiry + cd(expiry) + "BGR" + pad(make_egn(dt.date(1975, 3, 16)), 11)
    composite = line1[5:30] + body2[0:7] + body2[8:15] + body2[18:29]
    return [line1, body2 + cd(composite), pad(surname + "<<GEORGI<PETROV", 30)]


def passport_td3(number: str = "L898902C3") -> list[str]:
    line1 = pad("P<UTOERIKSSON<<ANNA<MARIA", 44)
    personal = pad("ZE184226B", 14)
    body = number + cd(number) + "UTO" + "740812" + cd("740812") + "F" + "320415" + cd("320415") + personal + cd(personal)
    composite = body[0:10] + body[13:20] + body[21:43]
    return [line1, body + cd(composite)]
