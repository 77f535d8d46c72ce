"""What the accessibility controller needs of the kiosk's window.

`kiosk.views.main_window.MainWindow` implements it (tests use a small stand-in). The window is
a QWidget: the controller walks its focus chain and asks whether a widget is inside it. Nothing
else of the window is reached into.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

__all__ = ["A11yWindow"]


@runtime_checkable
class A11yWindow(Protocol):
    #: (Screen) a screen was put into the window and may announce before it is shown
    screen_added: SignalInstance
    #: (Screen) a screen is shown
    screen_changed: SignalInstance
    #: (int) the session's timeout warning, seconds left (re-emitted every second)
    session_warning: SignalInstance
    #: (int) the citizen asked for more time
    session_extended: SignalInstance
    session_timed_out: SignalInstance
    #: the session's data was wiped (Finish, the timeout)
    session_ended: SignalInstance
    #: (identity or None) a citizen's identity was read, or it ended
    identity_changed: SignalInstance
    #: the welcome screen's big "speech" button
    speech_mode_requested: SignalInstance
    #: the header, whose text is not a reading stop (its buttons are), or None
    header: QWidget | None
    #: kiosk.views.a11y_switches.A11ySwitches: the speech-mode indicator and the contrast and
    #: large-text switches, shown by the window
    a11y_switches: Any
    #: the embedded on-screen keyboard (kiosk.views.keyboard.OnScreenKeyboard), or None
    keyboard: Any

    def language(self) -> str:
        """"bg" or "en": the language the window shows."""

    def session_active(self) -> bool:
        """Whether a citizen's session is open (not the welcome screen after its end)."""

    def shows_timeout_warning(self) -> bool:
        """Whether the window shows the timeout warning itself (with a "More time" button)."""

    def current_screen(self) -> Any:
        """The Screen shown, or None."""

    def toggle_language(self) -> None:
        """Switch between Bulgarian and English."""
