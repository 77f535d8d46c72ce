"""Codes and numbers typed on a Bulgarian keyboard layout. No Qt.

A receipt's tracking code and a provisional reference are Latin letters and digits ("TRBVFE6Z",
"K07-000123"); a citizen on the Bulgarian layout types the Cyrillic letters that look the same
("К07-000123"). These are the same code. Official incoming numbers may hold real Cyrillic
("ОС-512/02.08.2021"), so a number is tried as typed first and with the look-alikes second.
"""

from __future__ import annotations

# Cyrillic letters that look like Latin ones (А В Е К М Н О Р С Т Х У), both cases
_LOOKALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y",
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "х": "x", "у": "y",
})


def latin_lookalikes(text: str) -> str:
    """Cyrillic look-alikes → their Latin twins ("К01" → "K01"); other letters unchanged."""
    return text.translate(_LOOKALIKES)


def tracking_code(text: str) -> str:
    """A tracking code as the hub issued it: Latin capitals and digits, no spaces."""
    return latin_lookalikes("".join(text.split())).upper()


def reference_candidates(text: str) -> list[str]:
    """What a typed number may be: as typed, then with Latin look-alikes (upper case)."""
    typed = " ".join(text.split())
    out = [typed]
    for alt in (latin_lookalikes(typed).upper(),):
        if alt not in out:
            out.append(alt)
    return out
