"""The keypad and explore-by-touch: every key and touch in the kiosk's window passes here first.

A key is looked up in the keypad's table (kiosk.a11y.keypad) and performed; in keyboard mode
the keypad's digits walk the on-screen keyboard instead. In speech mode a first touch on a
control says what it is; a second touch on the same control acts (explore by touch).
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from kiosk.a11y import describe as d
from kiosk.a11y.actions import SyntheticInput
from kiosk.a11y.keypad import Action, RepeatGuard, lookup
from kiosk.a11y.navigation import Navigator

__all__ = ["InputFilter"]

log = logging.getLogger(__name__)


class InputFilter(QObject):
    """Installed on the application; acts only on events for widgets inside the window.

    `perform(action)` runs a keypad action; `speech` is cut off by any key or touch;
    `speech_mode()` turns explore-by-touch on; `say_explored(widget)` speaks a touched control;
    `kbd` is the keyboard mode."""

    def __init__(self, nav: Navigator, synthetic: SyntheticInput, guard: RepeatGuard, kbd: Any, speech: Any,
                 speech_mode: Callable[[], bool], perform: Callable[[Action], None],
                 say_explored: Callable[[QWidget], None]) -> None:
        super().__init__(nav.window)
        self.nav = nav
        self.synthetic = synthetic
        self.guard = guard
        self.kbd = kbd
        self.speech = speech
        self._speech_mode = speech_mode
        self._perform = perform
        self._say_explored = say_explored
        #: the control (and list row) touched once in speech mode: a second touch acts
        self.explored: tuple[int, int] | None = None
        self._swallow_release = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            if self.synthetic.sending or not self.nav.contains(obj):
                return False
            return self._on_key(event)
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):
            if self.synthetic.sending or not self.nav.contains(obj):
                return False
            return self._on_touch(obj, event)
        return False

    def _on_key(self, event: QKeyEvent) -> bool:
        if event.isAutoRepeat():
            return True  # EN 301 549 5.7: a held key acts once
        if self.kbd.active:
            if QApplication.focusWidget() is self.kbd.field:
                return self._act(lookup(event, False), event, self.kbd.perform)
            self.kbd.leave(speak=False)
        return self._act(lookup(event, d.is_text_input(QApplication.focusWidget())), event, self._perform)

    def _act(self, action: Action | None, event: QKeyEvent, perform: Callable[[Action], None]) -> bool:
        if action is not Action.PAUSE:
            self.speech.stop()  # any key cuts speech off (5.1.3.5)
        if action is None:
            return False  # not a keypad key: a real keyboard's letter still types into the field
        if not self.guard.accept(event.key(), int(event.modifiers().value)):
            return True
        try:
            perform(action)
        except Exception:  # a keypad bug must never take the kiosk down
            log.exception("keypad action %s failed", action)
            if self.kbd.active:
                self.kbd.leave(speak=False)
        return True

    def _on_touch(self, obj: QWidget, event: QMouseEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease:
            if self._swallow_release:
                self._swallow_release = False
                return True
            return False
        self.speech.stop()  # a touch cuts speech off too
        if not self._speech_mode():
            return False
        target = d.interactive_ancestor(obj, self.nav.window)
        if target is None:
            return False
        key = (id(target), self._item_row(target, obj, event))
        if key == self.explored:
            return False  # second touch: let the control act on release
        self.explored = key
        self._swallow_release = True
        if target.focusPolicy() & Qt.FocusPolicy.ClickFocus:
            with self.nav.quietly():
                target.setFocus(Qt.FocusReason.MouseFocusReason)
        if isinstance(target, QAbstractItemView) and key[1] >= 0:
            target.setCurrentIndex(target.model().index(key[1], 0))
        self._say_explored(target)
        return True

    @staticmethod
    def _item_row(target: QWidget, obj: QWidget, event: QMouseEvent) -> int:
        if isinstance(target, QAbstractItemView) and obj is target.viewport():
            return target.indexAt(event.position().toPoint()).row()
        return -1
