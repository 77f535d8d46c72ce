"""Speech mode, focus announcer, keypad and explore-by-touch on a small stand-in window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

from hardware.speech import RecordingSpeech
from kiosk.a11y import A11yConfig, AccessibilityController, spoken_numbers, testing
from kiosk.a11y.testing import settle, spoken_text
from kiosk.views.a11y_switches import A11ySwitches
from kiosk.views.base import Screen

K = Qt.Key
_speech: list = []


def press(*args, **kwargs):
    """A key press that waits until the speech worker has taken what the key made us say."""
    kwargs.setdefault("speech", _speech[-1] if _speech else None)
    testing.press(*args, **kwargs)


class FakeSession(QObject):
    wiped = Signal()

    def __init__(self):
        super().__init__()
        self.active = True

    def end(self):
        self.active = False
        self.wiped.emit()


class FakeState:
    def __init__(self):
        self.language = "bg"


class FormScreen(Screen):
    """Seven services, a check box, a masked code field and a private ЕГН field."""

    def __init__(self, lang="bg"):
        super().__init__()
        self.lang = lang
        self.back_calls = 0
        self.clicked: list[str] = []
        layout = QVBoxLayout(self)
        group = QGroupBox("Услуги")
        self.group = group
        glay = QVBoxLayout(group)
        self.buttons = []
        names = ["Скица", "Удостоверение за наследници", "Данъчна оценка", "Виза за проектиране",
                 "Удостоверение за семейно положение", "Адресна регистрация", "Разрешение за строеж"]
        for name in names:
            b = QPushButton(name)
            b.setAccessibleName(name)
            b.clicked.connect(lambda _=False, n=name: self.clicked.append(n))
            glay.addWidget(b)
            self.buttons.append(b)
        layout.addWidget(group)
        self.consent = QCheckBox("Съгласие")
        self.consent.setAccessibleName("Съгласие за обработка на данни")
        self.code = QLineEdit()
        self.code.setAccessibleName("Код за достъп")
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.egn = QLineEdit()
        self.egn.setAccessibleName("ЕГН")
        self.egn.setProperty("private", True)
        for w in (self.consent, self.code, self.egn):
            layout.addWidget(w)

    def title_text(self):
        return "Услуги"

    def instructions_text(self):
        return "Изберете услуга"

    def go_back(self):
        self.back_calls += 1


class FakeWindow(QWidget):
    """A window with one button and no header, implementing kiosk.a11y.window.A11yWindow."""

    screen_added = Signal(Screen)
    screen_changed = Signal(Screen)
    session_warning = Signal(int)
    session_extended = Signal(int)
    session_timed_out = Signal()
    session_ended = Signal()
    identity_changed = Signal(object)
    speech_mode_requested = Signal()
    header = None
    keyboard = None

    def __init__(self):
        super().__init__()
        self.state = FakeState()
        self.session = FakeSession()
        self.session.wiped.connect(self.session_ended)
        self.a11y_switches = A11ySwitches(self)
        layout = QVBoxLayout(self)
        self.home = QPushButton("Начало")
        self.home.setAccessibleName("Начало")
        layout.addWidget(self.home)
        self._screen = None
        self._layout = layout

    def current_screen(self):
        return self._screen

    def language(self):
        return self.state.language

    def session_active(self):
        return self.session.active

    def shows_timeout_warning(self):
        return False

    def show_screen(self, screen):
        if self._screen is not None:
            self._screen.setParent(None)
        self._screen = screen
        self._layout.addWidget(screen)
        screen.show()
        self.screen_changed.emit(screen)

    def toggle_language(self):
        self.state.language = "en" if self.state.language == "bg" else "bg"


@pytest.fixture
def rig(qtbot):
    window = FakeWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    speech = RecordingSpeech()
    _speech.append(speech)
    clock = [0.0]
    ctl = AccessibilityController(window, speech, A11yConfig(manage_theme=False, ignore_repeat_seconds=0.5),
                                  clock=lambda: clock[0])
    screen = FormScreen()
    window.show_screen(screen)
    yield window, screen, ctl, speech, clock
    ctl.close()
    speech.close()
    _speech.clear()


def texts(speech):
    settle(speech)
    return spoken_text(speech)


def step(clock):
    clock[0] += 1.0


def test_silent_until_speech_mode_then_help_speaks_title_and_instructions(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    assert texts(speech) == []
    press(K.Key_F1)
    assert ctl.speech_mode
    said = texts(speech)[-1]
    assert "Услуги" in said and "Изберете услуга" in said
    assert "Гласов режим включен" in said
    assert ctl.indicator.isVisibleTo(window) and ctl.indicator.text()


def test_focus_is_spoken_as_name_role_position_state(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    screen.buttons[0].setFocus()
    qtbot.waitUntil(lambda: screen.buttons[0].hasFocus())
    press(K.Key_Down)
    qtbot.waitUntil(lambda: screen.buttons[1].hasFocus())
    assert texts(speech)[-1] == "Удостоверение за наследници, бутон, 2 от 7"
    step(clock)
    press(K.Key_Down)
    for _ in range(5):  # keypad 2 moves like Down; past the seventh service comes the check box
        step(clock)
        press(K.Key_2, keypad=True)
    qtbot.waitUntil(screen.consent.hasFocus)
    assert texts(speech)[-1].startswith("Съгласие за обработка на данни, отметка")
    assert "неотметнато" in texts(speech)[-1]
    step(clock)
    press(K.Key_5, keypad=True)
    assert screen.consent.isChecked()
    assert texts(speech)[-1] == "отметнато"


def test_english_roles_and_positions(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    window.state.language = "en"
    ctl.start_speech_mode()
    screen.buttons[2].setFocus()
    qtbot.waitUntil(screen.buttons[2].hasFocus)
    assert texts(speech)[-1] == "Данъчна оценка, button, 3 of 7"
    assert speech.spoken[-1].lang == "en"


def test_focus_never_trapped_cycle_returns_to_start_and_reaches_home(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    chain = ctl.navigation_chain()
    assert window.home in chain and screen.egn in chain
    start = screen.buttons[0]
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    visited = []
    for _ in range(len(chain)):
        step(clock)
        press(K.Key_Down)
        visited.append(window.focusWidget())
    assert visited[-1] is start
    assert window.home in visited
    assert set(visited) == set(chain)
    # and backwards from the first control wraps to the last
    step(clock)
    press(K.Key_Up)
    assert window.focusWidget() is chain[chain.index(start) - 1]


def test_enter_and_5_activate_the_focused_button(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    screen.buttons[3].setFocus()
    qtbot.waitUntil(screen.buttons[3].hasFocus)
    press(K.Key_Return)
    step(clock)
    press(K.Key_5, keypad=True)
    assert screen.clicked == ["Виза за проектиране", "Виза за проектиране"]


def test_auto_repeat_is_ignored(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    screen.buttons[0].setFocus()
    qtbot.waitUntil(screen.buttons[0].hasFocus)
    for _ in range(5):
        press(K.Key_Down, auto_repeat=True)
    assert screen.buttons[0].hasFocus()
    press(K.Key_Down)
    assert screen.buttons[1].hasFocus()


def test_repeated_identical_key_within_window_is_ignored(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    screen.buttons[0].setFocus()
    qtbot.waitUntil(screen.buttons[0].hasFocus)
    press(K.Key_Down)
    clock[0] += 0.2
    press(K.Key_Down)  # a double strike
    assert screen.buttons[1].hasFocus()
    clock[0] += 0.6
    press(K.Key_Down)
    assert screen.buttons[2].hasFocus()


def test_masked_entry_is_never_spoken(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    screen.code.setFocus()
    qtbot.waitUntil(screen.code.hasFocus)
    for digit in "4711":
        press(getattr(K, f"Key_{digit}"), keypad=True, text=digit)
    assert screen.code.text() == "4711"  # digits type into a field instead of moving focus
    said = texts(speech)
    assert said[-4:] == ["звезда"] * 4
    press(K.Key_Backspace)
    assert screen.code.text() == "471"
    step(clock)
    press(K.Key_Up)
    step(clock)
    press(K.Key_Down)
    assert "въведени знаци: 3" in texts(speech)[-1]
    assert not any("471" in t for t in texts(speech)), texts(speech)
    assert not any(t in ("1", "4", "7", "изтрито 1") for t in texts(speech)), texts(speech)


def test_private_data_only_through_headset(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    screen.egn.setText("7501020018")
    screen.egn.setFocus()
    qtbot.waitUntil(screen.egn.hasFocus)
    screen.announce.emit("Вашето ЕГН е 7501020018", True)
    settle(speech)
    for digit in "12":
        press(getattr(K, f"Key_{digit}"), keypad=True, text=digit, speech=speech)
    press(K.Key_Backspace, speech=speech)
    press(K.Key_Up, speech=speech)
    press(K.Key_Down, speech=speech)
    assert any("слушалки" in t for t in texts(speech))
    on_speaker = list(speech.spoken)
    assert all(e.output == "speaker" for e in on_speaker)
    assert not any("750102001" in e.text or e.text in ("1", "2") for e in on_speaker), texts(speech)
    assert texts(speech)[-1].startswith("ЕГН, поле за текст, лични данни")
    ctl.on_headset(True)
    qtbot.waitUntil(lambda: ctl.headset_plugged)
    assert speech.output == "headset"
    screen.announce.emit("Вашето ЕГН е 7501020018", True)
    assert texts(speech)[-1] == "Вашето ЕГН е " + spoken_numbers.egn("7501020018")  # digit by digit, not billions
    assert speech.spoken[-1].output == "headset"


def test_private_aloud_when_the_citizen_chooses(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    ctl.allow_private_aloud(True)
    screen.announce.emit("Адрес: ул. Раковски 1", True)
    assert texts(speech)[-1] == "Адрес: ул. Раковски 1"


def test_errors_from_announce_are_spoken(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    screen.announce.emit("Поле Телефон: въведете поне 6 цифри", False)
    assert texts(speech)[-1] == "Поле Телефон: въведете поне 6 цифри"


def test_headset_plug_starts_speech_mode_and_session_end_resets(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.on_headset(True)
    qtbot.waitUntil(lambda: ctl.speech_mode)
    press(K.Key_F6)
    step(clock)
    press(K.Key_F6)
    assert texts(speech)[-1] == "Сила 6 от 7"
    step(clock)
    press(K.Key_F7)
    assert texts(speech)[-1] == "Скорост 3 от 7"
    window.session.end()
    assert not ctl.speech_mode
    assert (ctl.volume_step, ctl.rate_step) == (4, 4)
    assert (speech.volume_step, speech.rate_step) == (3, 3)
    assert not ctl.indicator.isVisibleTo(window)


def test_any_key_interrupts_speech_repeat_and_pause(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    settle(speech)  # a key cuts off what is still queued: let the worker take it first
    press(K.Key_F2, speech=speech)
    assert texts(speech)[-1] == texts(speech)[-2]  # repeat
    step(clock)
    press(K.Key_F3)
    assert ctl.paused and speech.paused
    step(clock)
    press(K.Key_F3)
    assert not ctl.paused and not speech.paused


def test_back_key_calls_go_back(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    screen.buttons[0].setFocus()
    press(K.Key_Escape)
    assert screen.back_calls == 1


def test_explore_by_touch_speaks_first_and_activates_second(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    target = screen.buttons[4]
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert screen.clicked == []
    assert target.hasFocus()
    assert texts(speech)[-1] == "Удостоверение за семейно положение, бутон, 5 от 7"
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert screen.clicked == ["Удостоверение за семейно положение"]
    # without speech mode a touch acts at once
    ctl.stop_speech_mode()
    qtbot.mouseClick(screen.buttons[0], Qt.MouseButton.LeftButton)
    assert screen.clicked[-1] == "Скица"


def test_language_switch_is_spoken_in_the_new_language(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    press(K.Key_F9)
    assert window.state.language == "en"
    assert texts(speech)[-1].startswith("English.")


def test_theme_switches_are_spoken_and_visible(rig, qtbot):
    window, screen, ctl, speech, clock = rig
    ctl.start_speech_mode()
    ctl.config = A11yConfig(manage_theme=False)
    press(K.Key_F10)
    assert ctl.theme == "high_contrast"
    assert texts(speech)[-1] == "Висок контраст включен."
    assert "Контраст" in ctl.indicator.text()
    step(clock)
    press(K.Key_F11)
    assert ctl.large_text and "Едър текст" in ctl.indicator.text()
    window.session.end()
    assert ctl.theme == "default" and not ctl.large_text


def test_config_errors_name_the_key():
    with pytest.raises(ValueError, match="kiosk.default_volume_step"):
        A11yConfig(default_volume_step=9)
    with pytest.raises(ValueError, match="kiosk.theme"):
        A11yConfig(theme="neon")


def test_a_key_or_a_touch_cuts_speech_off(qtbot):
    window = FakeWindow()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    speech = RecordingSpeech(hold=True)  # an utterance stays "being spoken" until cut off
    ctl = AccessibilityController(window, speech, A11yConfig(manage_theme=False))
    try:
        screen = FormScreen()
        window.show_screen(screen)
        ctl.start_speech_mode()
        qtbot.waitUntil(lambda: speech.is_speaking)
        testing.press(K.Key_F7)  # an unrelated key: rate down (no settling: the engine holds)
        qtbot.waitUntil(lambda: len(speech.spoken) >= 2)
        assert speech.spoken[0].interrupted
        assert speech.spoken[1].text == "Скорост 3 от 7"
        qtbot.mouseClick(screen.buttons[6], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: speech.spoken[1].interrupted)
    finally:
        ctl.close()
        speech.close()


def test_simulated_headset_drives_speech_mode_and_output(rig, qtbot):
    from hardware.headset import SimulatedHeadset

    window, screen, ctl, speech, clock = rig
    jack = SimulatedHeadset()
    jack.set_listener(ctl)
    jack.plug()
    qtbot.waitUntil(lambda: ctl.speech_mode)
    assert speech.output == "headset" and "Гласов режим включен" in texts(speech)[-1]
    jack.unplug()
    qtbot.waitUntil(lambda: not ctl.headset_plugged)
    assert speech.output == "speaker"
    assert texts(speech)[-1].startswith("Слушалки изключени")


def test_without_a_speech_device_the_keypad_still_works(qtbot):
    window = FakeWindow()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ctl = AccessibilityController(window, None, A11yConfig(manage_theme=False))
    try:
        screen = FormScreen()
        window.show_screen(screen)
        qtbot.waitUntil(screen.buttons[0].hasFocus)
        testing.press(K.Key_F1)
        testing.press(K.Key_Down)
        assert screen.buttons[1].hasFocus()
        testing.press(K.Key_Return)
        assert screen.clicked == ["Удостоверение за наследници"]
    finally:
        ctl.close()


def test_required_fields_and_format_hints_are_said_before_any_error(qtbot):
    """A blind citizen learns that a field is required, and a date's format, when it gets focus."""
    from PySide6.QtWidgets import QLabel

    from kiosk.a11y.describe import describe

    top = QWidget()
    qtbot.addWidget(top)
    label = QLabel("Дата на смъртта *", top)
    date = QLineEdit(top)
    date.setAccessibleName("Дата на смъртта")
    date.setPlaceholderText("ДД.ММ.ГГГГ")
    date.setProperty("required", True)
    phone = QLineEdit(top)
    phone.setAccessibleName("Телефон")
    chain = [date, phone]
    assert describe(label, "bg", chain, top, False) == "Дата на смъртта, задължително"
    assert describe(date, "bg", chain, top, False) == "Дата на смъртта, поле за текст, празно, ДД.ММ.ГГГГ, 1 от 2, задължително"
    assert describe(phone, "en", chain, top, False) == "Телефон, text field, empty, 2 of 2"
    date.setProperty("spoken_hint", "ден, месец и година, с точки")
    assert describe(date, "bg", chain, top, False) == (
        "Дата на смъртта, поле за текст, празно, ден, месец и година, с точки, 1 от 2, задължително")
    date.setText("01.10.2026")
    assert describe(date, "en", chain, top, False) == "Дата на смъртта, text field, 01.10.2026, 1 of 2, required"
