"""Keyboard mode: the embedded on-screen keyboard operated from the numeric keypad, by ear.

As on an accessible ATM: with a text field focused in speech mode, Enter (or the keypad's
`*`, or F12) opens keyboard mode (5 keeps typing the digit 5 in a field). The field keeps the focus (the keyboard's keys never take
it), so the field's validation and value announcements see ordinary typing; a cursor walks
the keyboard's grid instead:

- Up/Down (8/2, Tab/Backtab) move between rows, Left/Right (4/6) within a row, both wrapping;
  each key is spoken as it is reached ("а", "интервал", "изтрий", "главни", "готово",
  "смяна на подредбата, БДС").
- Enter/5 types the key; the typed character is spoken ("звезда" in a masked field; in a
  private field only through the headset). Shift and the layout keys say the new state.
- Clear deletes the last character (spoken "изтрито а"); F2 reads the whole text so far.
- Back/Escape or the Done key leave keyboard mode: the field is spoken with its value.
- Any other keypad action (volume, rate, pause, language, speech mode) works as usual; a key
  that is no keypad action (a real keyboard's letter) still types into the field. Touching
  another control, a screen change or the session's end leave keyboard mode: never trapped.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from kiosk.a11y import describe as d
from kiosk.a11y.keypad import Action
from kiosk.a11y.strings import char_name, phrase

#: the row the cursor starts on: the first letter row (row 0 is the digits)
START_ROW = 1


def field_text(w: QWidget) -> str:
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, (QPlainTextEdit, QTextEdit)):
        return w.toPlainText()
    return ""


def is_editable_text(w: QWidget | None) -> bool:
    if isinstance(w, QLineEdit):
        return not w.isReadOnly()
    if isinstance(w, (QPlainTextEdit, QTextEdit)):
        return not w.isReadOnly()
    return False


class KeyboardHost(Protocol):
    """What keyboard mode needs of the accessibility controller."""

    window: Any  # kiosk.a11y.window.A11yWindow: its `keyboard`

    @property
    def language(self) -> str: ...
    def say(self, text: str, private: bool = False, public_text: str | None = None) -> None: ...
    def say_widget(self, widget: QWidget, prefix: str = "") -> None: ...
    def perform(self, action: Action) -> None: ...
    def press_keyboard_key(self, button: QWidget) -> None: ...
    def send_key_to(self, target: QWidget, what: str) -> None: ...


class KeyboardMode:
    """The keypad's cursor over `window.keyboard` (kiosk.views.keyboard.OnScreenKeyboard)."""

    def __init__(self, controller: KeyboardHost) -> None:
        self.ctl = controller
        self.field: QWidget | None = None
        self.row = START_ROW
        self.col = 0
        self._connected: Any = None

    # -- state ------------------------------------------------------------------------------
    @property
    def keyboard(self) -> Any:
        return self.ctl.window.keyboard

    @property
    def active(self) -> bool:
        return self.field is not None

    def available_for(self, w: QWidget | None) -> bool:
        kb = self.keyboard
        return kb is not None and is_editable_text(w) and kb.grid() != []

    @property
    def lang(self) -> str:
        return self.ctl.language

    # -- entering and leaving ----------------------------------------------------------------
    def enter(self, field: QWidget) -> None:
        kb = self.keyboard
        self.field = field
        if self._connected is not kb:
            kb.done.connect(self._on_done_touched)
            self._connected = kb
        kb.show()
        self.row, self.col = START_ROW, 0
        self._show_cursor()
        self.ctl.say(f"{phrase(self.lang, 'kbd_on')} {self.key_name(self.current())}")

    def leave(self, speak: bool = True) -> None:
        field, self.field = self.field, None
        kb = self.keyboard
        if kb is not None:
            kb.set_cursor(None)
        if speak and field is not None:
            self.ctl.say_widget(field, prefix=phrase(self.lang, "kbd_off"))

    def _on_done_touched(self) -> None:
        # the Done key touched (explore by touch, second touch): the focus moves on by itself
        if self.active:
            self.leave(speak=False)

    def focus_changed(self, new: QWidget | None) -> None:
        """Focus left the field (a touch elsewhere, a new screen): keyboard mode ends silently."""
        if self.active and new is not self.field:
            self.leave(speak=False)

    # -- the grid ----------------------------------------------------------------------------
    def current(self):
        grid = self.keyboard.grid()
        self.row %= len(grid)
        self.col = min(self.col, len(grid[self.row]) - 1)
        return grid[self.row][self.col]

    def _show_cursor(self) -> None:
        self.keyboard.set_cursor(self.current())

    def key_name(self, button) -> str:
        spec = self.keyboard.spec(button)
        lang = self.lang
        if spec.kind == "char":
            if spec.text.isalpha() and spec.text.isupper():
                return phrase(lang, "capital", letter=spec.text.lower())
            return char_name(lang, spec.text)
        if spec.kind == "space":
            return phrase(lang, "key_space")
        if spec.kind == "backspace":
            return phrase(lang, "key_backspace")
        if spec.kind == "shift":
            return phrase(lang, "key_shift") + (f", {phrase(lang, 'pressed')}" if self.keyboard.shift else "")
        if spec.kind == "layout":
            state = f", {phrase(lang, 'selected')}" if spec.text == self.keyboard.layout_name else ""
            return phrase(lang, "key_layout", name=phrase(lang, f"layout_{spec.text}")) + state
        if spec.kind == "done":
            return phrase(lang, "key_done")
        return button.accessibleName()

    def move(self, rows: int, cols: int) -> None:
        grid = self.keyboard.grid()
        if rows:
            self.row = (self.row + rows) % len(grid)
            self.col = min(self.col, len(grid[self.row]) - 1)
        if cols:
            self.col = (self.col + cols) % len(grid[self.row])
        self._show_cursor()
        self.ctl.say(self.key_name(self.current()))

    # -- acting ------------------------------------------------------------------------------
    def perform(self, action: Action) -> None:
        if action is Action.PREVIOUS:
            self.move(-1, 0)
        elif action is Action.NEXT:
            self.move(+1, 0)
        elif action is Action.LEFT:
            self.move(0, -1)
        elif action is Action.RIGHT:
            self.move(0, +1)
        elif action is Action.ACTIVATE:
            self.type_current()
        elif action is Action.CLEAR:
            self.delete()
        elif action in (Action.BACK, Action.KEYBOARD):
            self.leave()
        elif action is Action.HELP:
            self.ctl.say(f"{phrase(self.lang, 'kbd_on')} {self.key_name(self.current())}")
        elif action is Action.REPEAT:
            self.say_text_so_far()
        else:
            self.ctl.perform(action)

    def type_current(self) -> None:
        kb, field = self.keyboard, self.field
        button = self.current()
        spec = kb.spec(button)
        if spec.kind == "done":
            self.leave()
            return
        before = field_text(field)
        self.ctl.press_keyboard_key(button)
        if spec.kind == "shift":
            self._show_cursor()
            self.ctl.say(phrase(self.lang, "key_shift_on" if kb.shift else "key_shift_off"))
        elif spec.kind == "layout":
            self._show_cursor()
            self.ctl.say(f"{phrase(self.lang, 'layout_now', name=phrase(self.lang, f'layout_{spec.text}'))}. "
                         f"{self.key_name(self.current())}")
        else:
            self._show_cursor()  # a letter typed in capitals rebuilt the keys (shift is off again)
            self._say_change(before, field_text(field))

    def delete(self) -> None:
        field = self.field
        before = field_text(field)
        if not before:
            self.ctl.say(phrase(self.lang, "nothing_to_delete"))
            return
        self.ctl.send_key_to(field, "backspace")
        self._say_change(before, field_text(field))

    def _say_change(self, before: str, after: str) -> None:
        field, lang = self.field, self.lang
        star = phrase(lang, "star")
        if after == before:
            return
        if d.is_masked(field):
            self.ctl.say(star if len(after) > len(before) else phrase(lang, "deleted", what=star))
            return
        private = d.is_private(field)
        if len(after) > len(before):
            added = after[len(before):] if after.startswith(before) else after[-1:]
            text = " ".join(char_name(lang, ch) for ch in added)
            self.ctl.say(text, private=private, public_text=star if private else None)
        else:
            removed = before[len(after):] if before.startswith(after) else before[-1:]
            text = phrase(lang, "deleted", what=" ".join(char_name(lang, ch) for ch in removed))
            self.ctl.say(text, private=private,
                         public_text=phrase(lang, "deleted", what=star) if private else None)

    def say_text_so_far(self) -> None:
        field, lang = self.field, self.lang
        full = phrase(lang, "kbd_text_so_far", text=d.value_text(field, lang, True))
        if d.is_private(field) and not d.is_masked(field):
            public = phrase(lang, "kbd_text_so_far", text=d.value_text(field, lang, False))
            self.ctl.say(full, private=True, public_text=public)
        else:
            self.ctl.say(full)
