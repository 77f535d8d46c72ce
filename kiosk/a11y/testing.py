"""Test helpers for the accessibility layer: keypad key presses delivered like a USB keypad's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["press", "settle", "spoken_text"]


def settle(speech, timeout: float = 5.0) -> None:
    """Wait (on events, not a sleep) until the speech worker has taken everything said so far."""
    wait = getattr(speech, "wait_until_idle", None)
    if wait is not None and not wait(timeout):
        raise AssertionError("speech did not become idle")


def spoken_text(speech) -> list[str]:
    """What a RecordingSpeech actually said, in order (public text where private went to the speaker)."""
    return [item.text for item in speech.spoken]


def press(key: Qt.Key, keypad: bool = False, auto_repeat: bool = False, text: str = "",
          target: QWidget | None = None, speech=None) -> None:
    """One key press + release, delivered to the focused widget as a USB keypad's would be."""
    widget = target or QApplication.focusWidget() or QApplication.activeWindow()
    if widget is None:
        raise AssertionError("no widget to receive the key: is the window active?")
    modifiers = Qt.KeyboardModifier.KeypadModifier if keypad else Qt.KeyboardModifier.NoModifier
    for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text, auto_repeat))
    if speech is not None:
        settle(speech)
