"""No identity left behind. While the kiosk holds a citizen's identity every screen
shows it (name, masked ЕГН) with "Край"; the welcome screen, Finish and the timeout end it;
"another request for me" on the receipt is the one explicit way to keep it. After each flow's
receipt the next citizen finds no trace: fields, speech, the repeat key, the store, the card."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QLineEdit

from tests.kiosk.test_a11y_eyes_closed import K, blind, start_by_ear  # noqa: F401 (blind is a fixture)
from tests.kiosk.test_flows import MARIA_DOC, MARIA_EGN, _file_current_address_request

PERSONAL = [MARIA_EGN, MARIA_DOC, "MARIYA", "IVANOVA", "1938"]


def _file_named_signal(kiosk):
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    kiosk.tap("Строителство и шум")
    kiosk.type_into(kiosk.screen().description, "Шум след 22 ч. на ул. Ботев")
    kiosk.type_into(kiosk.screen().address, "ул. Ботев 12")  # the category needs a location
    kiosk.tap("Продължи")
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("review")
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    return kiosk.screen().receipt


def _header_identity(kiosk) -> str:
    label = kiosk.window.identity_label
    return label.text() if label.isVisibleTo(kiosk.window) else ""


def _no_trace(kiosk, receipt) -> None:
    state = kiosk.state
    assert state.session.identity is None and state.applicant() is None, "the last card is still remembered"
    assert state.last_receipt is None and state.session.personal == {}
    assert _header_identity(kiosk) == ""
    texts = "\n".join(kiosk.all_texts()).upper()
    assert not [p for p in PERSONAL + [receipt.reference, receipt.tracking_code] if p.upper() in texts]
    with sqlite3.connect(kiosk.store.path) as db:
        dump = "\n".join(db.iterdump()).upper()
    assert MARIA_EGN not in dump and "MARIYA" not in dump, "the store keeps the citizen's data in clear"


@pytest.mark.parametrize("flow", [_file_current_address_request, _file_named_signal], ids=["request", "signal"])
def test_after_the_receipt_something_else_leaves_no_trace_for_the_next_citizen(kiosk, flow):
    receipt = flow(kiosk)
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)
    kiosk.tap("Готово")
    kiosk.go("feedback")
    kiosk.tap("Друго")
    kiosk.go("welcome")
    _no_trace(kiosk, receipt)
    assert not kiosk.window.finish_button.isVisibleTo(kiosk.window)  # nobody's session to finish
    # the next citizen: a service asks for their own card, no form prefilled with the last one's
    kiosk.tap("Услуги и удостоверения")
    kiosk.go("catalogue")
    kiosk.type_into(kiosk.screen().search, "nastoyasht adres")
    kiosk.tap("Удостоверение за настоящ адрес")
    kiosk.go("service")
    kiosk.tap("Подай тук с личната си карта")
    kiosk.go("identify")
    assert not [w for w in kiosk.window.findChildren(QLineEdit) if w.text() in (MARIA_EGN, MARIA_DOC)]
    # and a signal goes to the review without the last citizen as its sender
    kiosk.tap(kiosk.window.back_button)
    kiosk.go("service")


def test_the_identity_shows_on_every_screen_with_finish(kiosk):
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    assert _header_identity(kiosk) == ""
    kiosk.insert_card("valid")
    kiosk.qtbot.waitUntil(lambda: kiosk.state.session.identity is not None)
    shown = _header_identity(kiosk)
    assert "MARIYA" in shown and "ЕГН ••••••1938" in shown and MARIA_EGN not in shown
    assert kiosk.window.finish_button.isVisibleTo(kiosk.window)
    for tile in ("Телефони", "Обществени консултации"):
        kiosk.tap(kiosk.window.back_button)
        kiosk.go("welcome")  # the welcome screen ends the identity
        assert _header_identity(kiosk) == "" and kiosk.state.session.identity is None
        kiosk.tap(tile)
        kiosk.insert_card("valid")
        kiosk.qtbot.waitUntil(lambda: "MARIYA" in _header_identity(kiosk))
        assert kiosk.window.finish_button.isVisibleTo(kiosk.window)
    kiosk.tap("Край")
    kiosk.go("welcome")
    assert kiosk.state.session.identity is None and _header_identity(kiosk) == ""


def test_a_card_read_on_the_welcome_screen_shows_with_finish_there(kiosk):
    assert not kiosk.window.finish_button.isVisibleTo(kiosk.window)
    kiosk.insert_card("valid")
    kiosk.qtbot.waitUntil(lambda: "MARIYA" in _header_identity(kiosk))
    assert kiosk.screen_name() == "welcome" and kiosk.window.finish_button.isVisibleTo(kiosk.window)
    kiosk.tap(kiosk.window.finish_button)
    kiosk.qtbot.waitUntil(lambda: kiosk.state.session.identity is None)
    assert _header_identity(kiosk) == "" and not kiosk.window.finish_button.isVisibleTo(kiosk.window)


def test_another_request_for_me_is_an_explicit_choice_that_keeps_the_card(kiosk):
    receipt = _file_current_address_request(kiosk)
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)
    kiosk.tap("Друго заявление за мен")
    kiosk.go("welcome")
    assert "MARIYA" in _header_identity(kiosk) and kiosk.window.finish_button.isVisibleTo(kiosk.window)
    kiosk.tap(kiosk.window.language_button if kiosk.window.language_button.isVisible() else "English")
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "en")
    assert "MARIYA" in _header_identity(kiosk), "a language switch on the welcome screen ended the identity"
    kiosk.tap("Services\nand certificates".replace("\n", " "))
    kiosk.go("catalogue")
    kiosk.type_into(kiosk.screen().search, "nastoyasht adres")
    kiosk.tap("Current address certificate")
    kiosk.go("service")
    kiosk.tap("Apply here with my ID card")
    kiosk.go("request_form")  # the same card, no second reading
    kiosk.tap("Finish")
    kiosk.go("welcome")
    _no_trace(kiosk, receipt)


def test_the_repeat_key_says_nothing_of_the_last_citizen_by_ear(blind):
    c = blind
    start_by_ear(c)
    c.choose("Сигнал за проблем")
    c.wait_screen("signal")
    c.choose("Строителство и шум")
    c.find("Описание, поле")
    c.type_text("Shum sled 22 ch")
    c.choose("ул. „Христо Ботев“")  # the category needs a location
    c.choose("Продължи")
    c.wait_screen("identify")
    c.place_card("valid")
    c.wait_screen("review")
    c.choose("Потвърди и изпрати")
    c.wait_screen("receipt")
    receipt = c.window.current_screen().receipt
    c.qtbot.waitUntil(lambda: not c.app.state.tasks.busy, timeout=10000)
    c.key(K.Key_F2)  # repeat: still this citizen's receipt
    c.choose("Готово")
    c.wait_screen("feedback")
    c.find("Друго")
    assert c.last() == "Друго: към началния екран, бутон, 1 от 2", c.last()  # heard alone, it says where
    c.key(K.Key_5, keypad=True)
    c.wait_screen("welcome")
    mark = c.mark()
    c.key(K.Key_F2)  # the next person presses repeat
    heard = c.heard_since(mark)
    from kiosk.a11y.spoken_numbers import reference

    for secret in ("MARIYA", "IVANOVA", reference(receipt.reference, "bg"), reference(receipt.tracking_code, "bg"),
                   receipt.reference, "Shum sled"):
        assert secret not in heard, (secret, heard)
    assert c.a11y.last_spoken is None or "MARIYA" not in str(c.a11y.last_spoken)
    assert c.app.state.session.identity is None and c.app.state.last_receipt is None
    assert c.a11y.speech_mode  # the kiosk still speaks for whoever is there
