"""Keyboard mode (kiosk/a11y/keyboard_mode.py) on the stand-in window: masked and private fields,
the Done key, key names, and that neither the focus nor the citizen is ever trapped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_a11y_controller import FakeWindow, FormScreen

from hardware.speech import RecordingSpeech
from kiosk.a11y import A11yConfig, AccessibilityController, testing
from kiosk.views.keyboard import OnScreenKeyboard

K = Qt.Key


@pytest.fixture
def kb_rig(qtbot):
    window = FakeWindow()
    window.keyboard = OnScreenKeyboard("bg_phonetic", key_height=40)
    window.layout().addWidget(window.keyboard)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    speech = RecordingSpeech()
    ctl = AccessibilityController(window, speech, A11yConfig(manage_theme=False))
    screen = FormScreen()
    window.show_screen(screen)
    yield window, screen, ctl, speech
    ctl.close()
    speech.close()


def key(speech, k, keypad=False, text=""):
    testing.press(k, keypad=keypad, text=text, speech=speech)


def last(speech):
    testing.settle(speech)
    return speech.spoken[-1].text


def open_on(field, ctl, speech, qtbot):
    ctl.start_speech_mode(announce_screen=False)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    key(speech, K.Key_Enter, keypad=True)
    assert ctl.kbd.active and ctl.kbd.field is field
    assert last(speech).startswith("Клавиатура.")


def test_a_masked_field_hears_only_stars_even_when_read_back(kb_rig, qtbot):
    window, screen, ctl, speech = kb_rig
    open_on(screen.code, ctl, speech, qtbot)
    key(speech, K.Key_8, keypad=True)  # up to the digits row
    assert last(speech) == "1"
    key(speech, K.Key_5, keypad=True)
    assert screen.code.text() == "1"
    assert last(speech) == "звезда"
    key(speech, K.Key_F2)
    assert last(speech) == "Въведено: въведени знаци: 1"
    key(speech, K.Key_Clear)
    assert screen.code.text() == "" and last(speech) == "изтрито звезда"
    key(speech, K.Key_Clear)
    assert last(speech) == "няма какво да се изтрие"
    key(speech, K.Key_5, keypad=True)
    key(speech, K.Key_Escape)
    assert not ctl.kbd.active and screen.back_calls == 0  # Back closes the keyboard, not the screen
    assert last(speech).startswith("Клавиатурата е затворена. Код за достъп")
    typed_after_open = [e.text for e in speech.spoken if e.text in ("1", "изтрито 1")]
    assert typed_after_open == ["1"]  # the key's name as reached; never the typed value


def test_a_private_field_speaks_typed_characters_only_through_the_headset(kb_rig, qtbot):
    window, screen, ctl, speech = kb_rig
    open_on(screen.egn, ctl, speech, qtbot)
    key(speech, K.Key_8, keypad=True)
    key(speech, K.Key_6, keypad=True)
    key(speech, K.Key_5, keypad=True)
    assert screen.egn.text() == "2"
    assert last(speech) == "звезда"  # on the loudspeaker
    ctl.on_headset(True)
    qtbot.waitUntil(lambda: ctl.headset_plugged)
    key(speech, K.Key_5, keypad=True)
    assert last(speech) == "2" and speech.spoken[-1].output == "headset"
    key(speech, K.Key_F2)
    assert last(speech) == "Въведено: 22"


def test_the_done_key_closes_and_the_field_is_read_with_its_value(kb_rig, qtbot):
    window, screen, ctl, speech = kb_rig
    open_on(screen.egn, ctl, speech, qtbot)
    ctl.on_headset(True)
    qtbot.waitUntil(lambda: ctl.headset_plugged)
    key(speech, K.Key_8, keypad=True)  # digits
    key(speech, K.Key_5, keypad=True)  # "1"
    key(speech, K.Key_8, keypad=True)  # wraps to the bottom row
    key(speech, K.Key_4, keypad=True)  # left from its first key wraps to its last: Done
    assert last(speech) == "готово"
    key(speech, K.Key_5, keypad=True)
    assert not ctl.kbd.active
    assert last(speech).startswith("Клавиатурата е затворена. ЕГН, поле за текст, 1")
    assert window.keyboard.grid()[-1][-1].property("a11yCursor") is not True  # the cursor is gone
    key(speech, K.Key_Down)  # and the keypad moves on again
    assert QApplication.focusWidget() is not screen.egn


def test_keyboard_mode_never_traps_the_focus(kb_rig, qtbot):
    window, screen, ctl, speech = kb_rig
    open_on(screen.egn, ctl, speech, qtbot)
    key(speech, K.Key_2, keypad=True)
    key(speech, K.Key_F6)  # volume still works
    assert last(speech) == "Сила 5 от 7" and ctl.kbd.active
    assert QApplication.focusWidget() is screen.egn
    screen.buttons[0].setFocus()  # a touch elsewhere (or a new screen) takes the focus
    qtbot.waitUntil(screen.buttons[0].hasFocus)
    assert not ctl.kbd.active
    key(speech, K.Key_5, keypad=True)  # acts on the button again
    assert screen.clicked == ["Скица"]


def test_special_keys_are_named_and_layouts_switch_in_english_too(kb_rig, qtbot):
    window, screen, ctl, speech = kb_rig
    open_on(screen.egn, ctl, speech, qtbot)
    key(speech, K.Key_8, keypad=True)
    key(speech, K.Key_4, keypad=True)
    assert last(speech) == "изтрий"
    key(speech, K.Key_2, keypad=True)  # down the same column: "ч", "ю"
    assert last(speech) == "ч"
    key(speech, K.Key_2, keypad=True)
    key(speech, K.Key_2, keypad=True)  # the short row clamps the column to its last key
    assert last(speech) == "м"
    key(speech, K.Key_2, keypad=True)  # the bottom row, seventh key
    assert last(speech) == "точка"
    for _ in range(4):
        key(speech, K.Key_6, keypad=True)
    assert last(speech) == "готово"
    heard = []
    for _ in range(len(window.keyboard.grid()[-1])):
        key(speech, K.Key_6, keypad=True)
        heard.append(last(speech))
    assert heard[:5] == ["главни", "смяна на подредбата, българска фонетична, избрано",
                         "смяна на подредбата, българска БДС", "смяна на подредбата, английска", "интервал"]
    assert heard[5:10] == ["тире", "точка", "запетая", "маймунка", "наклонена черта"]
    key(speech, K.Key_F9)  # the language key works in keyboard mode; names follow the language
    key(speech, K.Key_6, keypad=True)
    assert last(speech) == "capitals"
    key(speech, K.Key_5, keypad=True)
    assert last(speech) == "capitals on" and window.keyboard.shift
    key(speech, K.Key_6, keypad=True)
    key(speech, K.Key_6, keypad=True)
    key(speech, K.Key_6, keypad=True)
    key(speech, K.Key_5, keypad=True)
    assert last(speech).startswith("layout English.")
    assert window.keyboard.layout_name == "en"


def test_enter_keeps_its_meaning_outside_speech_mode_and_the_keyboard_key_needs_a_field(kb_rig, qtbot):
    window, screen, ctl, speech = kb_rig
    screen.egn.setFocus()
    qtbot.waitUntil(screen.egn.hasFocus)
    key(speech, K.Key_Enter, keypad=True)
    assert not ctl.kbd.active
    ctl.start_speech_mode(announce_screen=False)
    screen.buttons[0].setFocus()
    qtbot.waitUntil(screen.buttons[0].hasFocus)
    key(speech, K.Key_Asterisk, keypad=True)
    assert not ctl.kbd.active and last(speech).startswith("Клавиатурата е за текстови полета")
    screen.egn.setFocus()
    qtbot.waitUntil(screen.egn.hasFocus)
    key(speech, K.Key_F12)
    assert ctl.kbd.active
    key(speech, K.Key_Asterisk, keypad=True)
    assert not ctl.kbd.active and last(speech).startswith("Клавиатурата е затворена.")


def test_a_multi_line_field_speaks_what_a_real_keyboard_types_and_opens_keyboard_mode(kb_rig, qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    window, screen, ctl, speech = kb_rig
    notes = QPlainTextEdit()
    notes.setAccessibleName("Описание")
    screen.layout().addWidget(notes)
    notes.show()
    ctl.start_speech_mode(announce_screen=False)
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    key(speech, K.Key_A, text="a")
    assert last(speech) == "a"
    key(speech, K.Key_Space, text=" ")
    assert last(speech) == "интервал"
    key(speech, K.Key_Backspace)
    assert notes.toPlainText() == "a" and last(speech) == "изтрито интервал"
    key(speech, K.Key_Enter, keypad=True)
    assert ctl.kbd.active and ctl.kbd.field is notes
    key(speech, K.Key_5, keypad=True)  # "я", the first key of the first letter row
    assert notes.toPlainText() == "aя" and last(speech) == "я"
    assert [e.text for e in speech.spoken].count("я") == 1  # typed: said once, not again by the field
