"""Any touch, click or key anywhere in the kiosk's window counts as activity for the session."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

__all__ = ["ActivityFilter"]


class ActivityFilter(QObject):
    """Installed on the application by the window; `session.touch()` on every release."""

    def __init__(self, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session

    def eventFilter(self, obj, event):
        if event.type() in (QEvent.MouseButtonRelease, QEvent.KeyRelease, QEvent.TouchEnd):
            self._session.touch()
        return False
