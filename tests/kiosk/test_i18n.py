"""Every user-facing string of the kiosk views is in the Bulgarian catalogue, finished."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "kiosk" / "i18n" / "kiosk_bg.ts"
BIN = Path(sys.executable).parent


def _unfinished(ts: Path) -> list[str]:
    bad = []
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        kind = translation.get("type")
        if kind in ("unfinished", "vanished", "obsolete") or not (translation.text or "").strip():
            if kind in ("vanished", "obsolete"):
                continue
            bad.append(message.find("source").text)
    return bad


def test_committed_catalogue_is_complete():
    assert not _unfinished(TS)


def test_no_string_in_the_source_is_missing_from_the_catalogue(tmp_path):
    lupdate = BIN / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate not installed")
    work = tmp_path / "kiosk_bg.ts"
    shutil.copy(TS, work)
    sources = sorted(str(p) for folder in ("views", "state") for p in (ROOT / "kiosk" / folder).glob("*.py"))
    sources.append(str(ROOT / "kiosk" / "a11y" / "strings.py"))  # what the kiosk says aloud
    subprocess.run([str(lupdate), *sources, "-ts", str(work)], check=True, capture_output=True)
    missing = _unfinished(work)
    assert not missing, f"untranslated strings (add them to kiosk/i18n/kiosk_bg.ts): {missing}"


def test_compiled_qm_is_not_older_than_the_ts():
    qm = TS.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_size > 1000
    # the .qm must carry every translation: lrelease reports the count it generated
    lrelease = BIN / "pyside6-lrelease"
    if lrelease.exists():
        out = subprocess.run([str(lrelease), str(TS), "-qm", "/dev/null"], capture_output=True, text=True).stdout
        assert "0 unfinished" in out


def test_card_and_printer_messages_come_from_the_kiosks_translations(qapp):
    """What the citizen reads about a card or the printer follows the kiosk's language through the
    Qt catalogue, like the screens (the MRZ reader gives a code; the words are the kiosk's)."""
    from hardware.idcard.mrz import _MESSAGES, MrzError
    from kiosk.i18n import LanguageSwitcher
    from kiosk.state.messages import CARD_ERRORS, card_error_text, document_refusal_text, printer_text

    assert set(CARD_ERRORS) == set(_MESSAGES)  # every code the reader can give has its words
    switch = LanguageSwitcher(qapp)
    try:
        switch("bg")
        assert card_error_text(MrzError("expired", "22.11.2026")) == (
            "Картата не може да бъде прочетена: Картата е с изтекъл срок на валидност (22.11.2026).")
        assert card_error_text(RuntimeError("usb")).startswith("Картата не може да бъде прочетена: Това не прилича")
        assert printer_text(False) == "Принтерът не работи в момента. Моля, запишете номера от екрана."
        assert document_refusal_text(SimpleNamespace(expiry_date=date(2020, 1, 1), egn="7501020018"),
                                     date(2026, 1, 1)) == "Документът е с изтекъл срок на валидност."
        assert document_refusal_text(SimpleNamespace(expiry_date=None, egn=""), date(2026, 1, 1)) == (
            "В документа няма ЕГН — обърнете се към служител.")
        switch("en")
        assert card_error_text(MrzError("expired", "22.11.2026")) == (
            "The card could not be read: The card has expired (22.11.2026).")
        assert printer_text(True) == "The receipt is printed — please take it."
    finally:
        switch("en")


def test_the_paper_receipt_speaks_the_kiosks_language_through_the_catalogue(qapp):
    from datetime import datetime, timezone

    from hardware.printer.receipt import KeyValue
    from kiosk.i18n import LanguageSwitcher
    from kiosk.state.kiosk_state import ReceiptData
    from kiosk.state.paper import printable_receipt

    receipt = ReceiptData(reference="94-00012/05.01.2026", official=True, title="Удостоверение",
                          created_at=datetime(2026, 1, 5, 9, tzinfo=timezone.utc), office="",
                          tracking_code="AB12CD34", tracking_url="https://obshtina.example/t/x?code=AB12CD34")
    state = SimpleNamespace(municipality_name=lambda: "Община Пример", catalogue=None)
    switch = LanguageSwitcher(qapp)
    try:
        switch("bg")
        keys = [b.key for b in printable_receipt(receipt, state).blocks if isinstance(b, KeyValue)]
        assert keys[:2] == ["Входящ номер", "Код за проследяване"]
        switch("en")
        keys = [b.key for b in printable_receipt(receipt, state).blocks if isinstance(b, KeyValue)]
        assert keys[:2] == ["Incoming number", "Tracking code"]
    finally:
        switch("en")


# -- one mechanism: the kiosk's words come from its Qt catalogue, never from an inline choice ---------

#: `x if bg else y`, `lang == "en"`, `"bg" if …`: a text chosen by the language in the code
INLINE_CHOICE = re.compile(r"""\bif (bg|en)\b|\b(lang|language) [!=]= ["'](bg|en)["']|["'](bg|en)["'] if\b""")
#: files where choosing by the language is the point, not a text a translator could give
ALLOWED_FILES = {
    "kiosk/i18n/__init__.py": "installs and removes the Bulgarian catalogue",
    "kiosk/a11y/spoken_numbers.py": "the grammar of numbers read aloud differs by language",
}
#: lines allowed in any file: the language button names the other language in that language, and
#: switches to it (and is spoken in that language's voice); the on-screen keyboard types Latin for English
ALLOWED_LINES = ('"English" if', '"Switch to English" if', 'set_language("en" if', 'if language == "en":',
                 '"speech_lang", "en" if')


def test_no_text_is_chosen_by_the_language_inline():
    found = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in ALLOWED_FILES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_CHOICE.search(line) and not any(ok in line for ok in ALLOWED_LINES):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "words in two languages go through the Qt catalogue (kiosk/i18n), not inline:\n" + "\n".join(found)


def test_the_inline_choice_pattern_catches_the_old_forms():
    for old in ('return "free" if lang == "en" else "безплатно"', 'x = en if self.state.language == "en" else bg',
                'title = ("Signal: " if en else "Сигнал: ")', 'lang = "bg" if bulgarian else "en"'):
        assert INLINE_CHOICE.search(old), old


def test_fees_deadlines_titles_form_errors_and_the_test_page_in_english_and_bulgarian(qapp):
    from decimal import Decimal

    from PySide6.QtCore import QCoreApplication

    from kiosk.i18n import LanguageSwitcher
    from kiosk.state import forms
    from kiosk.state.paper import check_page_receipt
    from kiosk.state.wording import DEADLINE_WORDS, application_title, format_deadline, format_fee, signal_title, tier_terms
    from server_sync.protocol.catalogue import Deadline

    def deadline(unit: str) -> Deadline:
        return Deadline(unit=unit, amount=3 if unit in ("hours", "days", "working_days") else 0)

    def page_text() -> str:
        return check_page_receipt([("code_page", "cp866"), ("time", "04.12.2026 10:00")], "qr").plain_text()

    switch = LanguageSwitcher(qapp)
    try:
        switch("en")
        assert [format_fee(None), format_fee(0), format_fee(Decimal("12.5"))] == ["not published", "free", "€12.50"]
        assert format_deadline(None) == "not published"
        # a tier's line says which of the two is not published, not "not published · not published"
        assert tier_terms(None, None) == "deadline not published · fee not published"
        assert tier_terms(deadline("working_days"), None) == "3 working days · fee not published"
        assert tier_terms(None, Decimal("2.56"), fee_word=True) == "deadline not published, fee €2.56"
        assert tier_terms(deadline("days"), Decimal("0"), fee_word=True) == "3 days, no fee"
        assert [format_deadline(deadline(u)) for u in DEADLINE_WORDS] == [
            "immediately", "the same day", "3 hours", "3 days", "3 working days"]
        assert application_title("Certificate of heirs") == "Application: Certificate of heirs"
        assert (signal_title("Potholes"), signal_title(None)) == ("Signal: Potholes", "Signal")
        english = {key: forms._msg(key, n=5, a="01.01.2026", b="04.12.2026") for key in forms._MESSAGES}
        assert english["required"] == "this field is required" and english["too_long"] == "at most 5 characters"
        assert english["date_range"] == "the date is between 01.01.2026 and 04.12.2026"
        text = page_text()
        assert "Test print" in text and "Code page" in text and "Time" in text and "Кодова" not in text
        switch("bg")
        assert [format_fee(None), format_fee(0), format_fee(Decimal("12.5"))] == ["не е обявена", "безплатно", "12,50 €"]
        assert format_deadline(None) == "не е обявен"
        assert tier_terms(None, None) == "срокът не е обявен · таксата не е обявена"
        assert tier_terms(deadline("days"), Decimal("2.56"), fee_word=True) == "3 дни, такса 2,56 €"
        assert tier_terms(deadline("days"), Decimal("2.56")) == "3 дни · 2,56 €"
        assert tier_terms(None, Decimal("0"), fee_word=True) == "срокът не е обявен, без такса"  # not "такса безплатно"
        assert [format_deadline(deadline(u)) for u in DEADLINE_WORDS] == [
            "веднага", "в деня на заявяването", "3 часа", "3 дни", "3 работни дни"]
        assert application_title("Удостоверение за наследници") == "Заявление за удостоверение за наследници"
        assert application_title("ЕГН справка") == "Заявление за ЕГН справка"  # an abbreviation keeps its case
        assert (signal_title("Дупки"), signal_title(None)) == ("Сигнал: Дупки", "Сигнал")
        for key, message in english.items():  # every form error has its Bulgarian words
            assert forms._msg(key, n=5, a="01.01.2026", b="04.12.2026") != message, key
        assert forms._msg("required") == "полето е задължително"
        text = page_text()
        assert "Пробен печат" in text and "Кодова страница" in text and "Test print" not in text
        assert QCoreApplication.translate("TestPage", "The test page is printed.") == "Пробната страница е отпечатана."
    finally:
        switch("en")


# -- what the kiosk says aloud: the same catalogue, asked in the language wanted ----------------------

#: phrases whose words are the same in every language (a symbol)
SAME_IN_EVERY_LANGUAGE = {"btn_large": "A+"}
CYRILLIC = re.compile("[а-яА-Я]")


def _spoken_sources():
    from kiosk.a11y.strings import CHAR_NAMES, CONTEXTS, PHRASES, SPEECH

    for key, source in PHRASES.items():
        yield key, CONTEXTS.get(key, SPEECH), source
    for ch, source in CHAR_NAMES.items():
        yield f"character {ch!r}", SPEECH, source


def test_every_spoken_phrase_has_its_bulgarian_in_the_catalogue():
    from kiosk.i18n import translator_for

    bulgarian = translator_for("bg")
    missing, english, fields = [], [], []
    for key, context, source in _spoken_sources():
        text = bulgarian.translate(context, source)
        if not text:
            missing.append(key)
        elif key not in SAME_IN_EVERY_LANGUAGE and (text == source or not CYRILLIC.search(text)):
            english.append(f"{key}: {text!r}")
        if set(re.findall(r"{(\w+)}", text or source)) != set(re.findall(r"{(\w+)}", source)):
            fields.append(f"{key}: {text!r}")
    assert not missing, f"spoken phrases without Bulgarian (add them to kiosk/i18n/kiosk_bg.ts): {missing}"
    assert not english, f"spoken phrases whose Bulgarian is not Bulgarian: {english}"
    assert not fields, f"Bulgarian phrases whose {{placeholders}} differ from the English: {fields}"


def test_a_spoken_phrase_comes_in_the_language_asked_for_whatever_is_installed(qapp):
    from kiosk.a11y.strings import char_name, phrase
    from kiosk.i18n import LanguageSwitcher

    switch = LanguageSwitcher(qapp)
    try:
        for installed in ("en", "bg"):
            switch(installed)
            assert phrase("bg", "volume", step=3, steps=5) == "Сила 3 от 5"
            assert phrase("en", "volume", step=3, steps=5) == "Volume 3 of 5"
            assert phrase("bg", "timeout_warning", seconds=20) == (
                "Сесията ще приключи след 20 секунди. Натиснете който и да е клавиш, за да продължите.")
            # the language's own name and the English keyboard layout are both "English" in English
            assert (phrase("bg", "language_name"), phrase("en", "language_name")) == ("Български", "English")
            assert (phrase("bg", "layout_en"), phrase("en", "layout_en")) == ("английска", "English")
            assert phrase("bg", "key_layout", name=phrase("bg", "layout_bg_bds")) == "смяна на подредбата, българска БДС"
            assert phrase("bg", "btn_large") == phrase("en", "btn_large") == "A+"
            assert phrase("xx", "back") == "Назад."  # an unknown language: Bulgarian
            assert [char_name("bg", ch) for ch in "@- ж7"] == ["маймунка", "тире", "интервал", "ж", "7"]
            assert [char_name("en", ch) for ch in "@- q7"] == ["at", "dash", "space", "q", "7"]
    finally:
        switch("en")
