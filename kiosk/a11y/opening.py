"""A screen between being added to the window and being shown: what it announced meanwhile.

The window adds a screen, makes it current, removes the old one and focuses the new one's first
button, then emits screen_changed. In between, the screen may announce (the receipt's result), and
Qt hands the focus on as pages swap (a footer switch, the new page's button). The controller says
the screen's title first, then what it announced; the focus moves in between are not said.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot

__all__ = ["ScreenOpening"]


class ScreenOpening(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._said: list[tuple[str, bool]] = []
        self._screen: Any = None

    @property
    def in_progress(self) -> bool:
        """A screen is being put in place: focus moves now are Qt's, not the citizen's."""
        return self._screen is not None

    def begin(self, screen) -> None:
        if screen is None or not hasattr(screen, "announce"):
            return
        self.finish(None)
        self._said, self._screen = [], screen
        screen.announce.connect(self._on_announce)
        # screen_changed follows in the same call; should a screen fail to open, focus moves are
        # heard again once control returns to the event loop
        QTimer.singleShot(0, self, lambda: self.finish(None) if self._screen is screen else None)

    @Slot(str, bool)
    def _on_announce(self, text: str, private: bool) -> None:
        self._said.append((text, private))

    def finish(self, screen) -> list[tuple[str, bool]]:
        """The announcements `screen` made while it opened ([] for another screen); opening ends."""
        if self._screen is None:
            return []
        try:
            self._screen.announce.disconnect(self._on_announce)
        except (RuntimeError, TypeError):
            pass
        said = self._said if self._screen is screen else []
        self._said, self._screen = [], None
        return said
