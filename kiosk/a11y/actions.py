"""What each keypad action does (kiosk.a11y.keypad.Action), as a table, and the synthetic
presses and taps it makes: exactly what a finger or a key would do, so every screen's own
handling runs."""

from __future__ import annotations

from typing import Any, Callable, Protocol

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.a11y import describe as d
from kiosk.a11y.depth import Depth
from kiosk.a11y.keypad import Action
from kiosk.a11y.navigation import Navigator
from kiosk.a11y.strings import phrase

__all__ = ["KeypadActions", "SyntheticInput"]


class SyntheticInput:
    """Presses and taps sent by the controller; the event filter lets them through (`sending`)."""

    def __init__(self) -> None:
        #: `with synthetic.sending():` true while the controller sends its own events
        self.sending = Depth()

    def tap(self, target: QWidget, pos) -> None:
        """A real press+release at `pos`, exactly what a finger does."""
        with self.sending():
            p = QPointF(pos)
            g = QPointF(target.mapToGlobal(pos))
            for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
                buttons = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
                QApplication.sendEvent(target, QMouseEvent(kind, p, g, Qt.MouseButton.LeftButton, buttons,
                                                           Qt.KeyboardModifier.NoModifier))

    def key(self, target: QWidget, key: Qt.Key, text: str = "") -> None:
        with self.sending():
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))

    def click(self, button: QAbstractButton) -> None:
        with self.sending():
            button.click()


class KeypadHost(Protocol):
    """What the actions need of the accessibility controller."""

    speech: Any
    speech_mode: bool
    paused: bool
    last_spoken: tuple | None
    kbd: Any  # kiosk.a11y.keyboard_mode.KeyboardMode

    @property
    def language(self) -> str: ...
    def say(self, text: str, private: bool = False, priority: int = ..., public_text: str | None = None,
            lang: str | None = None) -> None: ...
    def say_widget(self, widget: QWidget) -> None: ...
    def describe(self, widget: QWidget) -> str: ...
    def screen_intro(self) -> str: ...
    def current_screen(self) -> Any: ...
    def start_speech_mode(self) -> None: ...
    def stop_speech_mode(self) -> None: ...
    def change_volume(self, delta: int) -> None: ...
    def change_rate(self, delta: int) -> None: ...
    def switch_language(self) -> None: ...
    def toggle_high_contrast(self) -> None: ...
    def toggle_large_text(self) -> None: ...


class KeypadActions:
    """`perform(action)`: one entry of the table per keypad action."""

    def __init__(self, host: KeypadHost, nav: Navigator, synthetic: SyntheticInput) -> None:
        self.host = host
        self.nav = nav
        self.synthetic = synthetic
        self.table: dict[Action, Callable[[QWidget | None], None]] = {
            Action.PREVIOUS: lambda w: self._up_down(w, -1),
            Action.NEXT: lambda w: self._up_down(w, +1),
            Action.LEFT: lambda w: self._left_right(w, -1),
            Action.RIGHT: lambda w: self._left_right(w, +1),
            Action.ACTIVATE: self.activate,
            Action.CLEAR: self.clear,
            Action.BACK: self._back,
            Action.HELP: lambda _w: self._help(),
            Action.REPEAT: lambda _w: self._repeat(),
            Action.PAUSE: lambda _w: self._pause(),
            Action.VOLUME_DOWN: lambda _w: host.change_volume(-1),
            Action.VOLUME_UP: lambda _w: host.change_volume(+1),
            Action.RATE_DOWN: lambda _w: host.change_rate(-1),
            Action.RATE_UP: lambda _w: host.change_rate(+1),
            Action.LANGUAGE: lambda _w: host.switch_language(),
            Action.SPEECH_MODE: lambda _w: host.stop_speech_mode() if host.speech_mode else host.start_speech_mode(),
            Action.HIGH_CONTRAST: lambda _w: host.toggle_high_contrast(),
            Action.LARGE_TEXT: lambda _w: host.toggle_large_text(),
            Action.KEYBOARD: self._keyboard,
        }

    def perform(self, action: Action) -> None:
        self.table[action](self.nav.focused())

    # -- moving --------------------------------------------------------------------------
    def _up_down(self, focused: QWidget | None, step: int) -> None:
        if isinstance(focused, QAbstractItemView) and self.nav.move_in_list(focused, step):
            return
        self.nav.move(step)

    def _left_right(self, focused: QWidget | None, step: int) -> None:
        if focused is not None and (self.change_value(focused, step) or self.nav.move_in_group(focused, step)):
            return
        self.nav.move(step)

    def _back(self, focused: QWidget | None) -> None:
        if d.is_text_input(focused):
            # Escape in a field leaves the field, not the flow (the keyboard goes with it)
            self.nav.leave_field(focused)
            return
        screen = self.host.current_screen()
        if screen is not None:
            screen.go_back()

    # -- speech ----------------------------------------------------------------------------
    def _help(self) -> None:
        host = self.host
        if not host.speech_mode:
            host.start_speech_mode()
        else:
            intro = host.screen_intro() or phrase(host.language, "no_help")
            host.say(f"{intro} {phrase(host.language, 'speech_on')}")

    def _repeat(self) -> None:
        if self.host.last_spoken:
            text, private, priority, public_text, lang = self.host.last_spoken
            self.host.say(text, private=private, priority=priority, public_text=public_text, lang=lang)

    def _pause(self) -> None:
        host = self.host
        if host.paused:
            host.speech.resume()
        else:
            host.speech.pause()
        host.paused = not host.paused

    def _keyboard(self, focused: QWidget | None) -> None:
        if self.host.kbd.available_for(focused):
            self.host.kbd.enter(focused)
        else:
            self.host.say(phrase(self.host.language, "kbd_no_field"))

    # -- acting on the focused control ------------------------------------------------------
    def activate(self, w: QWidget | None) -> None:
        """Enter / 5: click a button, toggle a check box, open a list item, confirm a field."""
        host = self.host
        if w is None:
            self.nav.move(1)
            return
        if not w.isEnabled():
            host.say(host.describe(w))
            return
        if isinstance(w, QLabel):
            host.say_widget(w)
        elif isinstance(w, QAbstractButton):
            w.click()
        elif isinstance(w, QAbstractItemView):
            index = w.currentIndex()
            if not index.isValid() and w.model() is not None and w.model().rowCount():
                index = w.model().index(0, 0)
                w.setCurrentIndex(index)
            if index.isValid():
                self.synthetic.tap(w.viewport(), w.visualRect(index).center())
        elif isinstance(w, QComboBox):
            self.change_value(w, 1)
        elif host.speech_mode and host.kbd.available_for(w):
            # speech mode: Enter/5 on a text field opens the on-screen keyboard for the keypad
            host.kbd.enter(w)
        elif isinstance(w, (QLineEdit, QTextEdit, QPlainTextEdit)):
            if isinstance(w, QLineEdit):
                self.synthetic.key(w, Qt.Key.Key_Return)
            if QApplication.focusWidget() is w:
                self.nav.move(1)
        else:
            self.nav.move(1)

    @staticmethod
    def change_value(w: QWidget, step: int) -> bool:
        if isinstance(w, QComboBox) and w.count():
            w.setCurrentIndex((w.currentIndex() + step) % w.count())
            return True
        if isinstance(w, QAbstractSpinBox):
            w.stepBy(step)
            return True
        if isinstance(w, QAbstractSlider):
            w.triggerAction(QAbstractSlider.SliderAction.SliderSingleStepAdd if step > 0
                            else QAbstractSlider.SliderAction.SliderSingleStepSub)
            return True
        return False

    def clear(self, w: QWidget | None) -> None:
        if isinstance(w, QLineEdit) and not w.isReadOnly() and w.text():
            self.synthetic.key(w, Qt.Key.Key_Backspace)
        elif isinstance(w, (QTextEdit, QPlainTextEdit)) and not w.isReadOnly() and w.toPlainText():
            self.synthetic.key(w, Qt.Key.Key_Backspace)
        else:
            self.host.say(phrase(self.host.language, "nothing_to_delete"))
