"""How the kiosk words a service's fee and deadline and a receipt's title, in the kiosk's language."""

from __future__ import annotations


def lower_first(name: str) -> str:
    """"Удостоверение за…" → "удостоверение за…" after "Заявление за"; an abbreviation stays."""
    return name[:1].lower() + name[1:] if len(name) > 1 and name[1:2].islower() else name


def format_fee(fee, lang: str) -> str:
    if fee is None:
        return "not published" if lang == "en" else "не е обявена"
    if fee == 0:
        return "free" if lang == "en" else "безплатно"
    text = f"{fee:.2f}"
    return f"€{text}" if lang == "en" else f"{text.replace('.', ',')} €"


def format_deadline(deadline, lang: str) -> str:
    if deadline is None:
        return "not published" if lang == "en" else "не е обявен"
    unit, n = deadline.unit, deadline.amount
    en = {"immediate": "immediately", "same_day": "the same day", "hours": f"{n} hours",
          "days": f"{n} days", "working_days": f"{n} working days"}
    bg = {"immediate": "веднага", "same_day": "в деня на заявяването", "hours": f"{n} часа",
          "days": f"{n} дни", "working_days": f"{n} работни дни"}
    return (en if lang == "en" else bg)[str(unit)]
