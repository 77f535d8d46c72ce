"""The tactile keypad: one table from key events (as a USB keypad sends them) to actions."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

K = Qt.Key
KP = Qt.KeyboardModifier.KeypadModifier


class Action(enum.StrEnum):
    PREVIOUS = "previous"
    NEXT = "next"
    LEFT = "left"  # previous, or a smaller value on a value control
    RIGHT = "right"  # next, or a bigger value on a value control
    ACTIVATE = "activate"
    CLEAR = "clear"
    BACK = "back"
    HELP = "help"
    REPEAT = "repeat"
    PAUSE = "pause"
    VOLUME_DOWN = "volume_down"
    VOLUME_UP = "volume_up"
    RATE_DOWN = "rate_down"
    RATE_UP = "rate_up"
    LANGUAGE = "language"
    SPEECH_MODE = "speech_mode"
    HIGH_CONTRAST = "high_contrast"
    LARGE_TEXT = "large_text"
    KEYBOARD = "keyboard"


@dataclass(frozen=True)
class KeyBinding:
    key: Qt.Key
    keypad: bool | None  # True: only with KeypadModifier, False: only without, None: either
    action: Action
    #: digits of the numeric pad type into a text field instead of acting there
    types_in_text_field: bool = False


#: THE key map (docs/keypad.md renders this table). A NumLock-on numeric pad sends digits
#: with KeypadModifier; NumLock-off sends arrows/Clear with KeypadModifier, hence both rows.
KEY_MAP: tuple[KeyBinding, ...] = (
    KeyBinding(K.Key_Up, None, Action.PREVIOUS),
    KeyBinding(K.Key_8, True, Action.PREVIOUS, types_in_text_field=True),
    KeyBinding(K.Key_Down, None, Action.NEXT),
    KeyBinding(K.Key_2, True, Action.NEXT, types_in_text_field=True),
    KeyBinding(K.Key_Left, None, Action.LEFT),
    KeyBinding(K.Key_4, True, Action.LEFT, types_in_text_field=True),
    KeyBinding(K.Key_Right, None, Action.RIGHT),
    KeyBinding(K.Key_6, True, Action.RIGHT, types_in_text_field=True),
    KeyBinding(K.Key_Tab, None, Action.NEXT),
    KeyBinding(K.Key_Backtab, None, Action.PREVIOUS),
    KeyBinding(K.Key_Return, None, Action.ACTIVATE),
    KeyBinding(K.Key_Enter, None, Action.ACTIVATE),
    KeyBinding(K.Key_5, True, Action.ACTIVATE, types_in_text_field=True),
    KeyBinding(K.Key_Clear, True, Action.ACTIVATE),  # NumLock-off "5"
    KeyBinding(K.Key_Select, None, Action.ACTIVATE),
    KeyBinding(K.Key_Backspace, None, Action.CLEAR),
    KeyBinding(K.Key_Clear, False, Action.CLEAR),
    KeyBinding(K.Key_Delete, None, Action.CLEAR),
    KeyBinding(K.Key_Escape, None, Action.BACK),
    KeyBinding(K.Key_Back, None, Action.BACK),
    KeyBinding(K.Key_Cancel, None, Action.BACK),
    KeyBinding(K.Key_F1, None, Action.HELP),
    KeyBinding(K.Key_Help, None, Action.HELP),
    KeyBinding(K.Key_F2, None, Action.REPEAT),
    KeyBinding(K.Key_F3, None, Action.PAUSE),
    KeyBinding(K.Key_MediaPause, None, Action.PAUSE),
    KeyBinding(K.Key_MediaTogglePlayPause, None, Action.PAUSE),
    KeyBinding(K.Key_F4, None, Action.SPEECH_MODE),
    KeyBinding(K.Key_F5, None, Action.VOLUME_DOWN),
    KeyBinding(K.Key_VolumeDown, None, Action.VOLUME_DOWN),
    KeyBinding(K.Key_Minus, True, Action.VOLUME_DOWN, types_in_text_field=True),
    KeyBinding(K.Key_F6, None, Action.VOLUME_UP),
    KeyBinding(K.Key_VolumeUp, None, Action.VOLUME_UP),
    KeyBinding(K.Key_Plus, True, Action.VOLUME_UP, types_in_text_field=True),
    KeyBinding(K.Key_F7, None, Action.RATE_DOWN),
    KeyBinding(K.Key_F8, None, Action.RATE_UP),
    KeyBinding(K.Key_F9, None, Action.LANGUAGE),
    KeyBinding(K.Key_F10, None, Action.HIGH_CONTRAST),
    KeyBinding(K.Key_F11, None, Action.LARGE_TEXT),
    KeyBinding(K.Key_Asterisk, True, Action.KEYBOARD),
    KeyBinding(K.Key_F12, None, Action.KEYBOARD),
)

#: modifiers that make a key a chord; we act on no chords (EN 301 549 5.9)
CHORD_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def lookup(event: QKeyEvent, in_text_field: bool) -> Action | None:
    """The action a key press stands for, or None (then the key goes to the widget)."""
    modifiers = event.modifiers()
    if modifiers & CHORD_MODIFIERS:
        return None
    keypad = bool(modifiers & KP)
    key = event.key()
    for binding in KEY_MAP:
        if binding.key != key:
            continue
        if binding.keypad is not None and binding.keypad != keypad:
            continue
        if in_text_field and binding.types_in_text_field:
            return None
        return binding.action
    return None


class RepeatGuard:
    """EN 301 549 5.8: ignore the same key pressed again within `window_s` (0 = off).

    The clock is injected so tests step time instead of sleeping.
    """

    def __init__(self, window_s: float = 0.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._last: tuple[int, int] | None = None
        self._last_at = float("-inf")

    def accept(self, key: int, modifiers: int) -> bool:
        now = self._clock()
        signature = (int(key), int(modifiers))
        if self.window_s > 0 and signature == self._last and now - self._last_at < self.window_s:
            return False
        self._last, self._last_at = signature, now
        return True


def key_name(binding: KeyBinding) -> str:
    """A readable key name for docs/keypad.md."""
    name = binding.key.name.removeprefix("Key_")
    if binding.keypad:
        return f"Keypad {name}"
    return name
