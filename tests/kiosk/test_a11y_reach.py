"""The keypad reaches every control: on every screen of `make screenshots`, in speech mode,
"next" from the first control visits every showing, enabled control once before it wraps — every
option of every group of choices included — each spoken with a name; "previous" the same backwards."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from kiosk.a11y import testing
from kiosk.a11y.strings import phrase

ROOT = Path(__file__).resolve().parents[2]
K = Qt.Key
CONTROLS = (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractSlider,
            QAbstractItemView, QTabBar)
ROLES = ("button", "toggle_button", "radio", "checkbox", "text_field", "password_field", "combo", "list", "spin",
         "slider", "tab", "link")


def _screenshots():
    spec = importlib.util.spec_from_file_location("kiosk_screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def showing_controls(window: QWidget) -> set[QWidget]:
    """What a sighted citizen could act on now: shown, enabled, focusable controls of the window
    (a control inside a combo box is part of it; a scroll bar is part of its scroll area)."""
    found = set()
    for w in window.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or isinstance(w, QScrollBar):
            continue
        if not (w.isVisible() and w.isEnabled()) or w.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        parent = w.parentWidget()
        while parent is not None and not isinstance(parent, QComboBox):
            parent = parent.parentWidget()
        if parent is None:
            found.add(w)
    return found


def walk(kiosk, key: Qt.Key, start: QWidget, limit: int = 600) -> list[tuple[QWidget, str]]:
    """Press `key` until the focus is back on `start`: the stops reached, each with what was said."""
    speech = kiosk.a11y.speech
    stops = []
    for _ in range(limit):
        before = len(speech.spoken)
        testing.press(key, speech=speech)
        focused = QApplication.focusWidget()
        said = " | ".join(u.text for u in speech.spoken[before:])
        if focused is start:
            return stops
        stops.append((focused, said))
    raise AssertionError(f"focus never came back to where it started after {limit} presses; "
                         f"last stops: {[s for _, s in stops[-5:]]}")


def check_scene(name: str, kiosk, lang: str, problems: list[str]) -> None:
    a11y = kiosk.a11y
    window = kiosk.window
    window.activateWindow()
    if not a11y.speech_mode:
        a11y.start_speech_mode(announce_screen=False)
    # one step first: a key ends a timeout warning and puts the on-screen keyboard away,
    # after that the screen holds still; the walk starts on the control reached
    testing.press(K.Key_Up, speech=a11y.speech)
    testing.press(K.Key_Down, speech=a11y.speech)
    start = QApplication.focusWidget()
    if start is None or not window.isAncestorOf(start):
        problems.append(f"{name}: no control has the focus")
        return
    forward = walk(kiosk, K.Key_Down, start)
    expected = showing_controls(window)
    reached = [w for w, _ in forward if isinstance(w, CONTROLS)] + ([start] if isinstance(start, CONTROLS) else [])
    missing = expected - set(reached)
    if missing:
        problems.append(f"{name}: next never reaches {sorted(_name(w) for w in missing)}")
    extra = set(reached) - expected
    if extra:
        problems.append(f"{name}: next stops on controls that are not showing or enabled: {sorted(_name(w) for w in extra)}")
    if len(reached) != len(set(reached)):
        problems.append(f"{name}: a control is reached twice in one round")
    roles = {phrase(lang, role) for role in ROLES}
    for w, said in forward:
        if isinstance(w, CONTROLS):
            spoken_name = said.split(",")[0].strip()
            if not spoken_name or spoken_name in roles:
                problems.append(f"{name}: {_name(w)} is spoken without a name: {said!r}")
    backward = walk(kiosk, K.Key_Up, start)
    if [w for w, _ in backward] != [w for w, _ in reversed(forward)]:
        problems.append(f"{name}: previous does not visit the stops of next in reverse")


def _name(w: QWidget) -> str:
    text = w.accessibleName() or (w.text() if hasattr(w, "text") and callable(w.text) else "")
    return f"{type(w).__name__} {text!r}"


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_next_and_previous_reach_every_control_of_every_screen(qapp, lang):
    problems: list[str] = []
    visited: list[str] = []

    def check(name, kiosk):
        visited.append(name)
        check_scene(name, kiosk, lang, problems)

    try:
        _screenshots().render(None, lang, "default", on_scene=check)
    finally:
        QApplication.instance().setStyleSheet("")
    assert len(visited) >= 20, visited
    assert not problems, "\n".join(problems)
