"""Base class of every kiosk screen: title, spoken instructions, announcements, back."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class Screen(QWidget):
    """One full-window page of the kiosk.

    A11Y reads `title_text()` and `instructions_text()` when the screen opens and
    speaks whatever the screen emits on `announce` (text, private). Private text
    (ЕГН, address) goes to the headset only.
    """

    announce = Signal(str, bool)
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
        from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

        for w in self.findChildren(QLineEdit):
            w.clear()
        for w in self.findChildren(QPlainTextEdit):
            w.clear()
        for w in self.findChildren(QLabel):
            w.clear()
