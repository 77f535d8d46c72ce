"""Nothing typed is lost silently. Back, Escape and "Отказ" on a screen that holds
what the citizen typed or chose ask first (spoken, keypad-operable, Back again confirms);
Escape in a field leaves the field, not the flow; a step back or a language switch keeps
what was typed; the inactivity timeout still wipes everything."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from kiosk.a11y import describe as d
from tests.kiosk.test_a11y_eyes_closed import K, blind, start_by_ear  # noqa: F401 (blind is a fixture)

QUESTION = "Въведеното ще бъде изтрито. Да се откажа ли?"


def _open_heirs_form(kiosk):
    kiosk.tap("Услуги и удостоверения")
    kiosk.go("catalogue")
    kiosk.type_into(kiosk.screen().search, "наследници")
    kiosk.tap("Удостоверение за наследници")
    kiosk.go("service")
    kiosk.tap("Подай тук с личната си карта")
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("request_form")
    return kiosk.screen()


def test_back_on_a_filled_form_asks_and_no_keeps_it(kiosk):
    form = _open_heirs_form(kiosk)
    kiosk.type_into(form.inputs["deceased_names"], "Петър Иванов Колев")
    kiosk.tap(kiosk.window.back_button)
    assert kiosk.sees(QUESTION), "Back left a filled form without a word"
    assert kiosk.screen() is form and kiosk.window.asking_to_leave
    assert not form.isEnabled() or not form.continue_button.isEnabled() or not kiosk.window.stack.isEnabled()
    kiosk.tap("Не, продължи")
    assert not kiosk.sees(QUESTION) and kiosk.screen() is form
    assert form.inputs["deceased_names"].text() == "Петър Иванов Колев"
    kiosk.tap(kiosk.window.back_button)
    kiosk.tap("Да, изтрий")
    kiosk.go("service")
    assert not any("Петър Иванов Колев" in t for t in kiosk.all_texts())


def test_back_on_an_untouched_form_asks_nothing(kiosk):
    _open_heirs_form(kiosk)
    kiosk.tap(kiosk.window.back_button)
    kiosk.go("service")
    assert not kiosk.sees(QUESTION)


def test_change_on_the_review_brings_the_form_back_as_it_was_filled(kiosk):
    form = _open_heirs_form(kiosk)
    kiosk.type_into(form.inputs["deceased_names"], "Петър Иванов Колев")
    kiosk.type_into(form.inputs["deceased_egn"], "4803151938")
    kiosk.type_into(form.inputs["date_of_death"], "01.10.2026")
    purpose = next(b for b in form.inputs["purpose"].group.buttons() if b.property("value") == "notary")
    kiosk.tap(purpose)
    kiosk.type_into(form.inputs["copies"], "2")
    kiosk.tap("Продължи към преглед")
    kiosk.go("review")
    kiosk.tap("Промяна")
    kiosk.go("request_form")
    back = kiosk.screen()
    assert back is not form
    assert back.inputs["deceased_names"].text() == "Петър Иванов Колев"
    assert back.inputs["deceased_egn"].text() == "4803151938"
    assert back.inputs["purpose"].group.checkedButton().property("value") == "notary"
    assert back.inputs["copies"].text() == "2"


def test_cancel_on_the_identify_screen_returns_to_the_signal_as_it_was(kiosk):
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    kiosk.tap("Строителство и шум")  # a category that needs the ID card
    kiosk.tap("Жалба")
    kiosk.type_into(kiosk.screen().description, "Шум след 22 ч. на ул. Ботев")
    kiosk.type_into(kiosk.screen().address, "ул. Ботев 12")  # the category needs a location
    kiosk.tap("Продължи")
    kiosk.go("identify")
    kiosk.tap("Отказ")
    kiosk.go("signal")
    signal = kiosk.screen()
    assert signal.description.toPlainText() == "Шум след 22 ч. на ул. Ботев", "Отказ lost the signal"
    assert signal.category_group.checkedButton().text() == "Строителство и шум"
    assert signal.type_group.checkedButton().property("value") == "complaint"
    assert not signal.anonymous.isEnabled()  # the screen reacted to the category as to a touch
    kiosk.tap(kiosk.window.back_button)  # and now Back asks
    assert kiosk.sees(QUESTION)


def test_a_language_switch_keeps_what_was_typed(kiosk):
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    kiosk.tap("Улично осветление")
    kiosk.type_into(kiosk.screen().description, "Lampata ne sveti")
    kiosk.tap(kiosk.window.language_button)
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "en")
    signal = kiosk.screen()
    assert signal.description.toPlainText() == "Lampata ne sveti"
    assert signal.category_group.checkedButton().text() == "Street lighting"
    kiosk.tap(kiosk.window.back_button)
    assert kiosk.sees("What you have entered will be deleted. Do you want to cancel?")
    kiosk.tap(kiosk.window.language_button)  # the question follows the language
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "bg")
    assert kiosk.sees(QUESTION) and kiosk.screen().description.toPlainText() == "Lampata ne sveti"


def test_the_timeout_still_wipes_everything_while_the_question_waits(kiosk):
    form = _open_heirs_form(kiosk)
    kiosk.type_into(form.inputs["deceased_names"], "Петър Иванов Колев")
    kiosk.tap(kiosk.window.back_button)
    assert kiosk.sees(QUESTION)
    session = kiosk.state.session
    kiosk.clock.advance(61)
    session.tick()
    assert kiosk.window.warning_bar.isVisible()  # the warning comes first
    kiosk.clock.advance(31)
    session.tick()
    kiosk.go("welcome")
    assert not kiosk.window.asking_to_leave and not kiosk.sees(QUESTION)
    assert kiosk.window.stack.isEnabled()
    texts = "\n".join(kiosk.all_texts())
    assert "Петър Иванов Колев" not in texts and "MARIYA" not in texts.upper()


def test_escape_leaves_the_field_then_back_asks_by_ear_and_back_again_confirms(blind):
    c = blind
    start_by_ear(c)
    c.choose("Сигнал за проблем")
    c.wait_screen("signal")
    signal = c.window.current_screen()
    c.find("Описание, поле")
    c.type_text("Lampata ne sveti")
    c.key(K.Key_Escape)  # in the field: leaves the field, not the flow
    assert c.window.current_screen() is signal, "Escape in a text field left the screen"
    assert not d.is_text_input(QApplication.focusWidget())
    assert signal.description.toPlainText() == "Lampata ne sveti"
    mark = c.mark()
    c.key(K.Key_Escape)  # now Back: the question, spoken
    assert QUESTION in c.heard_since(mark), c.heard_since(mark)
    assert c.window.current_screen() is signal
    c.key(K.Key_Return)  # the focused answer is "No, continue"
    assert not c.window.asking_to_leave and c.window.current_screen() is signal
    assert signal.description.toPlainText() == "Lampata ne sveti"
    c.key(K.Key_Escape)
    assert c.window.asking_to_leave
    # the question is reachable from the keypad: next reaches both answers
    c.find("Да, изтрий")
    c.find("Не, продължи")
    c.key(K.Key_Escape)  # Back again: yes
    c.wait_screen("welcome")
    assert "Lampata" not in "\n".join(w.toPlainText() for w in c.window.findChildren(type(signal.description)))


def test_back_on_an_untouched_screen_goes_at_once_by_keypad(blind):
    c = blind
    start_by_ear(c)
    c.choose("Сигнал за проблем")
    c.wait_screen("signal")
    c.key(K.Key_Escape)
    c.wait_screen("welcome")
