"""Every user-facing string of the kiosk views is in the Bulgarian catalogue, finished."""

from __future__ import annotations

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
    sources = sorted(str(p) for p in (ROOT / "kiosk" / "views").glob("*.py")) + [str(ROOT / "kiosk" / "state" / n) for n in ("messages.py", "paper.py")]
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
