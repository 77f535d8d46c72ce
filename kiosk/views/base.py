"""Base class of every kiosk screen: title, spoken instructions, announcements, back, and the
citizen's input (what a screen holds, kept across a language switch and a step back)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

#: widget property: what is typed here is no data of the citizen's (a search field): leaving the
#: screen with it filled in asks nothing
PROP_DISCARDABLE = "discardable"


def input_widgets(root: QWidget) -> list[QWidget]:
    """The controls of `root` a citizen types into or chooses with, in a stable order."""
    found = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit):
            if w.isReadOnly() or isinstance(w.parentWidget(), QComboBox):
                continue
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            if w.isReadOnly():
                continue
        elif isinstance(w, QAbstractButton):
            if not w.isCheckable():
                continue
        elif not isinstance(w, QComboBox):
            continue
        found.append(w)
    return found


def _value(w: QWidget) -> Any:
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, (QPlainTextEdit, QTextEdit)):
        return w.toPlainText()
    if isinstance(w, QAbstractButton):
        return w.isChecked()
    return w.currentIndex()


def _is_secret(w: QWidget) -> bool:
    return isinstance(w, QLineEdit) and w.echoMode() != QLineEdit.EchoMode.Normal


class Screen(QWidget):
    """One full-window page of the kiosk.

    A11Y reads `title_text()` and `instructions_text()` when the screen opens and
    speaks whatever the screen emits on `announce` (text, private). Private text
    (ЕГН, address) goes to the headset only.

    The window asks `holds_input()` before Back leaves a screen (a filled form is not lost
    without a question), and carries `input_state()` over when it rebuilds the screen (a
    language switch) or returns to it (Back from the next step): every screen's fields and
    choices, with no code of its own.
    """

    announce = Signal(str, bool)
    #: text the citizen asked to hear ("Read the number aloud"): said even outside speech mode
    read_aloud = Signal(str)
    back_requested = Signal()
    #: a screen asks the window to open another one by name with keyword arguments
    navigate = Signal(str, dict)

    screen_name = "screen"
    #: False after a binding step (the receipt): "Back" must not lead to a second submission
    allow_back = True

    def title_text(self) -> str:
        return ""

    def instructions_text(self) -> str:
        return ""

    def go_back(self) -> None:
        self.back_requested.emit()

    def retranslate(self) -> None:
        """Re-read every visible string after a language change."""

    def wipe(self) -> None:
        """Forget every personal value this screen holds; the window calls it as the screen goes."""

    def clear_all_text(self) -> None:
        """Blank every text on this screen at once, so nothing personal waits for deferred deletion."""
        from PySide6.QtWidgets import QLabel

        for w in self.findChildren(QLineEdit):
            w.clear()
        for w in self.findChildren(QPlainTextEdit):
            w.clear()
        for w in self.findChildren(QLabel):
            w.clear()

    # -- the citizen's input ---------------------------------------------------------------
    def _values(self) -> list[tuple[str, Any]]:
        return [(type(w).__name__, _value(w)) for w in input_widgets(self)]

    def mark_pristine(self) -> None:
        """What the screen holds as built: the window calls it once the screen is made."""
        self._pristine = [(kind, v) for (kind, v), w in zip(self._values(), input_widgets(self))
                          if not w.property(PROP_DISCARDABLE)]

    def holds_input(self) -> bool:
        """Whether the citizen has typed or chosen anything here that Back would throw away."""
        pristine = getattr(self, "_pristine", None)
        if pristine is None:
            return False
        now = [(kind, v) for (kind, v), w in zip(self._values(), input_widgets(self))
               if not w.property(PROP_DISCARDABLE)]
        return now != pristine

    def input_state(self) -> list[tuple[str, Any]] | None:
        """The values of the screen's fields and choices (never a masked code), for `restore_input`."""
        widgets = input_widgets(self)
        if not widgets:
            return None
        return [(type(w).__name__, None if _is_secret(w) else _value(w)) for w in widgets]

    def restore_input(self, saved: list[tuple[str, Any]] | None) -> bool:
        """Put back what `input_state()` gave, on a screen built the same way (the same fields in
        the same order: same screen, same arguments); False, and nothing touched, otherwise.
        Choices are made as a touch makes them (a click), so the screen reacts as it would."""
        widgets = input_widgets(self)
        if not saved or [kind for kind, _ in saved] != [type(w).__name__ for w in widgets]:
            return False
        for w, (_kind, value) in zip(widgets, saved):
            if value is None:
                continue
            if isinstance(w, QLineEdit):
                if w.text() != value:
                    w.setText(value)
            elif isinstance(w, (QPlainTextEdit, QTextEdit)):
                if w.toPlainText() != value:
                    w.setPlainText(value)
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(value)
        # choices after text (a choice may enable or disable a field); chosen ones first, so an
        # exclusive group's choice moves, then the free check boxes that must be unticked
        # (a discardable choice is a way to another page, as the catalogue's "by unit": not clicked)
        buttons = [(w, v) for w, (_k, v) in zip(widgets, saved)
                   if isinstance(w, QAbstractButton) and v is not None and not w.property(PROP_DISCARDABLE)]
        for w, wanted in buttons:
            if wanted and not w.isChecked() and w.isEnabled():
                w.click()
        for w, wanted in buttons:
            group = w.group()
            exclusive = (group is not None and group.exclusive()) or w.autoExclusive()
            if not wanted and w.isChecked() and not exclusive and w.isEnabled():
                w.click()
        return True
