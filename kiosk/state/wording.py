"""How the kiosk words a service's fee and deadline and a receipt's title: in the kiosk's Qt
translations (kiosk/i18n/kiosk_bg.ts, contexts "Tiers" and "Receipt"), like every text a citizen
reads or hears — the source strings are English, Bulgarian comes from the catalogue installed
for it. The names of services and signal categories come from the hub's catalogue, in both."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: DeadlineUnit value → the English source; "{n}" is filled with the amount
DEADLINE_WORDS: dict[str, str] = {
    "immediate": QT_TRANSLATE_NOOP("Tiers", "immediately"),
    "same_day": QT_TRANSLATE_NOOP("Tiers", "the same day"),
    "hours": QT_TRANSLATE_NOOP("Tiers", "{n} hours"),
    "days": QT_TRANSLATE_NOOP("Tiers", "{n} days"),
    "working_days": QT_TRANSLATE_NOOP("Tiers", "{n} working days"),
}

#: a service's tiers (`Tier.tier`) → the English source of their names
TIER_NAMES: dict[str, str] = {
    "ordinary": QT_TRANSLATE_NOOP("Tiers", "Ordinary"),
    "fast": QT_TRANSLATE_NOOP("Tiers", "Fast"),
    "express": QT_TRANSLATE_NOOP("Tiers", "Express"),
}


def tier_name(tier) -> str:
    """"Обикновена", "Бърза", "Експресна" — the kind of service the citizen chose."""
    key = str(tier)
    return QCoreApplication.translate("Tiers", TIER_NAMES[key]) if key in TIER_NAMES else key


def lower_first(name: str) -> str:
    """"Удостоверение за…" → "удостоверение за…" after "Заявление за"; an abbreviation stays."""
    return name[:1].lower() + name[1:] if len(name) > 1 and name[1:2].islower() else name


def format_fee(fee) -> str:
    """A tier's fee in euro: "€12.50" in English, "12,50 €" in Bulgarian; free; or not published."""
    if fee is None:
        return QCoreApplication.translate("Tiers", "not published", "the fee")
    if fee == 0:
        return QCoreApplication.translate("Tiers", "free")
    euros, _, cents = f"{fee:.2f}".partition(".")
    return QCoreApplication.translate("Tiers", "€{euros}.{cents}").format(euros=euros, cents=cents)


def format_deadline(deadline) -> str:
    """A tier's deadline: "5 working days", "immediately"…; or not published."""
    if deadline is None:
        return QCoreApplication.translate("Tiers", "not published", "the deadline")
    return QCoreApplication.translate("Tiers", DEADLINE_WORDS[str(deadline.unit)]).format(n=deadline.amount)


def tier_terms(deadline, fee, *, fee_word: bool = False) -> str:
    """A tier's deadline and fee on one line: "7 working days · €2.56"; what is not published says
    which of the two it is ("deadline not published"), as a bare "not published" twice did not.
    `fee_word`: "…, fee €2.56" (the service page) rather than "… · €2.56" (the tier buttons)."""
    when = (format_deadline(deadline) if deadline is not None
            else QCoreApplication.translate("Tiers", "deadline not published"))
    if fee is None:
        return f"{when} · {QCoreApplication.translate('Tiers', 'fee not published')}"
    if fee_word and fee == 0:  # "такса безплатно" says it twice and wrong
        return QCoreApplication.translate("Tiers", "{deadline}, no fee").format(deadline=when)
    if fee_word:
        return QCoreApplication.translate("Tiers", "{deadline}, fee {fee}").format(deadline=when, fee=format_fee(fee))
    return f"{when} · {format_fee(fee)}"


def application_title(name: str) -> str:
    """A service request's receipt title: "Application: Certificate of…" / "Заявление за удостоверение за…"."""
    return QCoreApplication.translate("Receipt", "Application: {name}").format(name=name, name_lower=lower_first(name))


def signal_title(category: str | None) -> str:
    """A signal's receipt title, with its category when it is known."""
    if category:
        return QCoreApplication.translate("Receipt", "Signal: {category}").format(category=category)
    return QCoreApplication.translate("Receipt", "Signal")
