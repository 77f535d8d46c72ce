"""The on-screen keyboard, embedded in the main window: Bulgarian phonetic, БДС, and English.

Qt Virtual Keyboard is not shipped in the PySide6 wheels (no QtVirtualKeyboard module, no
bg_BG plugin), and a separate top-level input panel breaks under eglfs and cage, so the
kiosk has its own QWidget keyboard: keys never take focus, they send key events to the
focused field, so the field's validation and A11Y's announcements see ordinary typing.

Without sight the keys are reached from the numeric keypad: the accessibility layer's keyboard
mode (kiosk/a11y/keyboard_mode.py) walks `grid()` with the arrows, shows its cursor with
`set_cursor()` and presses a key with `activate()`; `spec()` says what each key is.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.views.widgets import after_style_change, large_text

LAYOUTS: dict[str, list[str]] = {
    # the traditional phonetic layout (ЯВЕРТЪ) that most Bulgarians type on
    "bg_phonetic": ["явертъуиопчш", "асдфгхйклщю", "зьцжбнм"],
    # БДС 5237:2006 standard layout
    "bg_bds": ["уеишщксдзцб", "ьяаожгтнвмч", "юйъэфхпрл"],
    "en": ["qwertyuiop", "asdfghjkl", "zxcvbnm"],
}
LAYOUT_LABELS = {"bg_phonetic": "БГ фонетична", "bg_bds": "БДС", "en": "EN"}
#: in large text the bottom row has no room for words: the layouts by their short names
LAYOUT_SHORT_LABELS = {"bg_phonetic": "Фон.", "bg_bds": "БДС", "en": "EN"}
DIGITS = "1234567890"
PUNCTUATION = "-.,@/"


@dataclass(frozen=True)
class KeySpec:
    """What a key is: `kind` char | backspace | shift | layout | space | done; `text` is the
    character of a char key and the layout name of a layout key."""

    kind: str
    text: str = ""


class OnScreenKeyboard(QWidget):
    """Keys post QKeyEvents to QApplication.focusWidget(); `layout_name` picks the letters."""

    layout_changed = Signal(str)
    #: the Done key was pressed (by touch it also moves focus on to the next control)
    done = Signal()

    def __init__(self, layout_name: str = "bg_phonetic", key_height: int = 52, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OnScreenKeyboard")
        self.key_height = key_height
        self.shift = False
        self.layout_name = layout_name
        self.configured: str | None = None  # the kiosk's configured layout, if it has one
        self._before: str | None = None  # the layout before a field asked for another (follow_field)
        self._letter_buttons: list[QPushButton] = []
        self._grid: list[list[QPushButton]] = []
        self._specs: dict[QPushButton, KeySpec] = {}
        self._cursor: QPushButton | None = None
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(8, 8, 8, 8)
        self._rows.setSpacing(6)
        self._build()
        after_style_change(self, self._after_style_change)

    def _key(self, label: str, text: str | None = None, key: int = 0, width: int = 1) -> QPushButton:
        button = QPushButton(label)
        button.setFocusPolicy(Qt.NoFocus)  # the field keeps focus while typing
        button.setMinimumHeight(self.key_height)
        button.setMinimumWidth(self.key_height * width)
        button.setAccessibleName(label if label.strip() else "интервал")
        button.setProperty("kind", "key")
        button.clicked.connect(lambda: self.press(text if text is not None else label, key))
        return button

    def _add(self, line: QHBoxLayout, button: QPushButton, spec: KeySpec) -> QPushButton:
        line.addWidget(button)
        self._grid[-1].append(button)
        self._specs[button] = spec
        return button

    def _build(self) -> None:
        from kiosk.views.widgets import clear_layout

        clear_layout(self._rows)
        self._letter_buttons.clear()
        self._grid, self._specs, self._cursor = [], {}, None
        digits = QHBoxLayout()
        self._grid.append([])
        for d in DIGITS:
            self._add(digits, self._key(d), KeySpec("char", d))
        self._add(digits, self._key("⌫", "", Qt.Key_Backspace, 2), KeySpec("backspace"))
        self._rows.addLayout(digits)
        for row in LAYOUTS[self.layout_name]:
            line = QHBoxLayout()
            self._grid.append([])
            for ch in row:
                b = self._key(ch.upper() if self.shift else ch)
                self._letter_buttons.append(b)
                self._add(line, b, KeySpec("char", ch.upper() if self.shift else ch))
            self._rows.addLayout(line)
        bottom = QHBoxLayout()
        self._grid.append([])
        shift = self._key("⇧", "", -1, 2)
        shift.setAccessibleName("Shift")
        shift.setCheckable(True)
        shift.setChecked(self.shift)
        self._add(bottom, shift, KeySpec("shift"))
        self._large = large_text()
        labels = LAYOUT_SHORT_LABELS if self._large else LAYOUT_LABELS
        for name in LAYOUTS:
            b = self._key(labels[name], "", -2, 2)
            b.setAccessibleName(LAYOUT_LABELS[name])
            b.setCheckable(True)
            b.setChecked(name == self.layout_name)
            b.clicked.disconnect()
            b.clicked.connect(lambda _=False, n=name: self.set_layout(n))
            self._add(bottom, b, KeySpec("layout", name))
        space = self._add(bottom, self._key(" ", " ", Qt.Key_Space, 5), KeySpec("space", " "))
        bottom.setStretch(bottom.indexOf(space), 5)
        for ch in PUNCTUATION:
            self._add(bottom, self._key(ch), KeySpec("char", ch))
        done = self._key("✓", "", -3, 2)
        done.setAccessibleName("Готово")
        self._add(bottom, done, KeySpec("done"))
        self._rows.addLayout(bottom)
        if self.isVisible():  # new keys appear at once, not on the next event-loop pass
            self._show_keys()

    def _show_keys(self) -> None:
        for i in range(self._rows.count()):
            row = self._rows.itemAt(i).layout()
            for j in range(row.count()):
                w = row.itemAt(j).widget()
                if w is not None:
                    w.show()

    def _after_style_change(self) -> None:
        # large text switched on or off: the keys' labels are built for one or the other
        if large_text() != self._large:
            self._build()

    # -- the keypad's view of the keys (accessibility keyboard mode) ------------------------
    def grid(self) -> list[list[QPushButton]]:
        """The keys row by row, as shown: digits and ⌫; the letter rows; ⇧, layouts, space,
        punctuation and Done."""
        return [list(row) for row in self._grid]

    def spec(self, button: QPushButton) -> KeySpec:
        return self._specs[button]

    def set_cursor(self, button: QPushButton | None) -> None:
        """Mark the key the keypad is on (a thick outline), or none."""
        if self._cursor is not None and self._cursor in self._specs:
            self._cursor.setProperty("a11yCursor", False)
            self._cursor.setStyleSheet("")
        self._cursor = button
        if button is not None:
            button.setProperty("a11yCursor", True)
            button.setStyleSheet("border: 5px solid #ffbf00;")

    def activate(self, button: QPushButton) -> None:
        """Press a key as a touch would, except Done, which only says so (`done`)."""
        if self._specs.get(button) == KeySpec("done"):
            self.done.emit()
        else:
            button.click()

    def set_layout(self, name: str) -> None:
        if name in LAYOUTS:
            self.layout_name = name
            self._build()
            self.layout_changed.emit(name)

    def follow_field(self, field: QWidget) -> None:
        """A field may ask for its letters (a tracking code is Latin: property `keyboard_layout` =
        "en"); the layout the citizen had comes back at the next field that asks for none."""
        wanted = field.property("keyboard_layout")
        if wanted in LAYOUTS and wanted != self.layout_name:
            self._before = self._before or self.layout_name
            self.set_layout(wanted)
        elif not wanted and self._before is not None:
            before, self._before = self._before, None
            self.set_layout(before)

    def reset(self, language: str) -> None:
        """As the next citizen should find it: the configured layout (else the one for `language`),
        in lower case."""
        self.shift, self._before = False, None
        name = self.configured or keyboard_layout_for(language)
        if name in LAYOUTS and name != self.layout_name:
            self.set_layout(name)
        else:
            self._build()

    def press(self, text: str, key: int = 0) -> None:
        if key == -1:
            self.shift = not self.shift
            self._build()
            return
        if key == -2:
            return
        target = QApplication.focusWidget()
        if target is None:
            return
        if key == -3:  # Done by touch: on to the next control (the keyboard hides for a button)
            self.done.emit()
            nxt = target.nextInFocusChain()
            while nxt is not None and nxt is not target:
                if nxt.isVisible() and nxt.isEnabled() and nxt.focusPolicy() & Qt.TabFocus \
                        and not self.isAncestorOf(nxt):
                    nxt.setFocus(Qt.TabFocusReason)
                    return
                nxt = nxt.nextInFocusChain()
            return
        if text and len(text) == 1 and text.isalpha() and self.shift:
            text = text.upper()
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.NoModifier, text))
        if self.shift and text:
            self.shift = False
            self._build()


def keyboard_layout_for(language: str, current: str | None = None) -> str:
    """The on-screen keyboard's layout for the UI's `language`: English types Latin; Bulgarian
    types Cyrillic — the phonetic layout most Bulgarians use, or БДС if that is the one in use."""
    if language == "en":
        return "en"
    return current if current is not None and current.startswith("bg") else "bg_phonetic"
