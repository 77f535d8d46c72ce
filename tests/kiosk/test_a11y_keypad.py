"""The keypad map: lookups, chords, text fields, the repeat window, and the doc that lists it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from kiosk.a11y.keypad import KEY_MAP, Action, RepeatGuard, key_name, lookup

K = Qt.Key
KP = Qt.KeyboardModifier.KeypadModifier
NONE = Qt.KeyboardModifier.NoModifier


def event(key, modifiers=NONE):
    return QKeyEvent(QKeyEvent.Type.KeyPress, key, modifiers)


def test_numlock_on_and_off_give_the_same_actions():
    assert lookup(event(K.Key_8, KP), False) is lookup(event(K.Key_Up, KP), False) is Action.PREVIOUS
    assert lookup(event(K.Key_2, KP), False) is lookup(event(K.Key_Down, KP), False) is Action.NEXT
    assert lookup(event(K.Key_5, KP), False) is lookup(event(K.Key_Clear, KP), False) is Action.ACTIVATE


def test_digits_type_in_a_text_field_but_arrows_still_move():
    assert lookup(event(K.Key_2, KP), True) is None
    assert lookup(event(K.Key_Minus, KP), True) is None
    assert lookup(event(K.Key_Down, KP), True) is Action.NEXT
    assert lookup(event(K.Key_Return), True) is Action.ACTIVATE
    # the main keyboard's digits are never navigation
    assert lookup(event(K.Key_2), False) is None


def test_no_chords():
    assert lookup(event(K.Key_F1, Qt.KeyboardModifier.ControlModifier), False) is None
    assert lookup(event(K.Key_Down, Qt.KeyboardModifier.AltModifier), False) is None


def test_repeat_window_ignores_only_the_same_key_within_it():
    now = [0.0]
    guard = RepeatGuard(0.5, clock=lambda: now[0])
    assert guard.accept(K.Key_Down, 0)
    now[0] = 0.3
    assert not guard.accept(K.Key_Down, 0)
    assert guard.accept(K.Key_Up, 0)  # another key is fine
    now[0] = 0.31
    assert guard.accept(K.Key_Down, 0)
    off = RepeatGuard(0.0, clock=lambda: 0.0)
    assert off.accept(K.Key_Down, 0) and off.accept(K.Key_Down, 0)


def test_every_binding_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "keypad.md").read_text(encoding="utf-8")
    missing = [f"{key_name(b)} → {b.action.value}" for b in KEY_MAP
               if f"| `{key_name(b)}` | {b.action.value} |" not in doc]
    assert not missing, missing
    assert {b.action for b in KEY_MAP} == set(Action)
