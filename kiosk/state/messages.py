"""What the kiosk says to a citizen about the ID card and the printer, in the kiosk's Qt
translations (kiosk/i18n/kiosk_bg.ts, context "CardMessages"), like every other text a citizen
reads or hears: the source strings are English, Bulgarian comes from the catalogue.

The ID-card reader (`hardware.idcard.mrz.MrzError`) gives a machine code (and a detail such as a
date); the words for it live here. QtCore only: no widgets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# MrzError.code -> the English source; "{0}" is filled with the error's detail (a date).
CARD_ERRORS: dict[str, str] = {
    'not_mrz': QT_TRANSLATE_NOOP("CardMessages", "This does not look like a document's machine-readable zone — please insert the card again."),
    'length': QT_TRANSLATE_NOOP("CardMessages", 'The document was not read completely — please try again.'),
    'invalid_character': QT_TRANSLATE_NOOP("CardMessages", 'The document was not read correctly — please try again.'),
    'unsupported_document': QT_TRANSLATE_NOOP("CardMessages", 'This kind of document is not supported. Please use an ID card or a passport.'),
    'check_digit_document_number': QT_TRANSLATE_NOOP("CardMessages", 'The document number could not be read correctly — please try again.'),
    'check_digit_birth_date': QT_TRANSLATE_NOOP("CardMessages", 'The date of birth could not be read correctly — please try again.'),
    'check_digit_expiry_date': QT_TRANSLATE_NOOP("CardMessages", 'The expiry date could not be read correctly — please try again.'),
    'check_digit_personal_number': QT_TRANSLATE_NOOP("CardMessages", 'The personal number could not be read correctly — please try again.'),
    'composite': QT_TRANSLATE_NOOP("CardMessages", 'The document data could not be read correctly — please try again.'),
    'birth_date': QT_TRANSLATE_NOOP("CardMessages", 'The date of birth on the document is not valid.'),
    'expiry_date': QT_TRANSLATE_NOOP("CardMessages", 'The expiry date on the document is not valid.'),
    'sex': QT_TRANSLATE_NOOP("CardMessages", 'The sex field could not be read — please try again.'),
    'expired': QT_TRANSLATE_NOOP("CardMessages", 'The card has expired ({0}).'),
    'egn_checksum': QT_TRANSLATE_NOOP("CardMessages", 'The personal number (EGN) on the document is not valid. Please ask a clerk.'),
    'egn_birth_date': QT_TRANSLATE_NOOP("CardMessages", 'The personal number (EGN) does not match the date of birth on the document. Please ask a clerk.'),
    'lnch_checksum': QT_TRANSLATE_NOOP("CardMessages", "The foreigner's personal number (LNCH) on the document is not valid. Please ask a clerk."),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("CardMessages", text)


def card_error_text(error: Any) -> str:
    """The citizen's sentence for a card that could not be read, in the current language."""
    code = getattr(error, "code", None)
    source = CARD_ERRORS.get(code) if code else None
    if source is None:
        return QCoreApplication.translate("CardMessages", "The card could not be read: ") + _tr(CARD_ERRORS["not_mrz"])
    return QCoreApplication.translate("CardMessages", "The card could not be read: ") + _tr(source).format(getattr(error, "detail", None) or "")


def document_refusal_text(doc: Any, today: date) -> str | None:
    """Why a card that was read cannot be used (expired, no ЕГН), or None when it can."""
    expiry = getattr(doc, "expiry_date", None)
    if expiry is not None and expiry < today:
        return QCoreApplication.translate("CardMessages", "The document has expired.")
    if not getattr(doc, "egn", None):
        return QCoreApplication.translate("CardMessages", "The document carries no ЕГН — please ask a clerk.")
    return None


def printer_text(ok: bool) -> str:
    if ok:
        return QCoreApplication.translate("CardMessages", "The receipt is printed — please take it.")
    return QCoreApplication.translate(
        "CardMessages", "The printer is not working right now. Please write down the number shown on the screen.")
