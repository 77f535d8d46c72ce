"""Screens that fit, in every mode: every scene of `make screenshots`, under the real
accessibility theme, in both languages × normal/large text × normal/high contrast, on a 10.1"
1280×800 and a 7" 1024×600 panel, with the on-screen keyboard hidden and — where the screen has
a text field — shown (the first field touched, as a citizen would):

- every primary action is on screen whole: inside the window, cut by no scroll area or parent,
  not under the keyboard, and not in a scroll area (it never scrolls away);
- the field being typed into is on screen whole, above the keyboard;
- a screen has at most one scroll area;
- nothing a citizen must read is cut off (button labels, labels);
- on a receipt, the number, the tracking code and the QR code are on screen whole as it opens:
  no scrolling to find them (a citizen whose receipt did not print copies them from the screen).

One window per language, theme, text size and panel; every scene is shown in it in turn."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]


def _screenshots():
    spec = importlib.util.spec_from_file_location("kiosk_screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clipped(window: QWidget) -> list[str]:
    """Visible buttons whose label is wider than the button, and labels whose wrapped text is
    taller (or unwrapped text wider) than the room they were given."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 0:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            lines = widget.text().split("\n")
            metrics = widget.fontMetrics()
            needed = max(metrics.horizontalAdvance(line) for line in lines)
            if needed > widget.contentsRect().width():
                found.append(f"button {widget.text()!r}: {needed} px of text in {widget.contentsRect().width()} px")
        elif isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 1:
                    found.append(f"label {widget.text()[:40]!r}: {needed} px tall in {widget.height()} px")
            elif widget.sizeHint().width() > widget.width() + 1 and not widget.property("elided"):
                found.append(f"label {widget.text()[:40]!r}: {widget.sizeHint().width()} px wide in {widget.width()} px")
    return found


def _rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def shown_whole(widget: QWidget, window: QWidget) -> str | None:
    """None if all of `widget` is on screen: inside the window and every parent (a scroll area's
    viewport cuts what is scrolled away) and not under the keyboard; else what hides it."""
    rect = _rect_in(widget, window)
    parent = widget.parentWidget()
    while parent is not None:
        room = window.rect() if parent is window else _rect_in(parent, window)
        if not room.contains(rect):
            return f"cut by {parent.objectName() or type(parent).__name__} ({rect.getRect()} in {room.getRect()})"
        if parent is window:
            break
        parent = parent.parentWidget()
    keyboard = getattr(window, "keyboard", None)
    if keyboard is not None and keyboard.isVisible() and keyboard is not widget \
            and not keyboard.isAncestorOf(widget) and _rect_in(keyboard, window).intersects(rect):
        return f"under the keyboard ({rect.getRect()}, keyboard at y={keyboard.y()})"
    return None


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def layout_problems(window: QWidget) -> list[str]:
    found = []
    areas = [a for a in window.findChildren(QScrollArea) if a.isVisibleTo(window)]
    if len(areas) > 1:
        found.append(f"{len(areas)} scroll areas: {[a.objectName() or type(a).__name__ for a in areas]}")
    primaries = [b for b in window.findChildren(QAbstractButton)
                 if b.isVisibleTo(window) and b.property("kind") == "primary"]
    for button in primaries:
        name = button.text().replace("\n", " ")
        hidden = shown_whole(button, window)
        if hidden:
            found.append(f"primary {name!r} {hidden}")
        if _in_scroll_area(button):
            found.append(f"primary {name!r} scrolls with the page (not in a fixed footer)")
    keyboard = getattr(window, "keyboard", None)
    focused = QApplication.focusWidget()
    if keyboard is not None and keyboard.isVisible() and focused is not None:
        hidden = shown_whole(focused, window)
        if hidden:
            found.append(f"field being typed into ({focused.accessibleName()!r}) {hidden}")
    return found + clipped(window)


def first_text_field(screen: QWidget) -> QWidget | None:
    for w in screen.findChildren(QWidget):
        if isinstance(w, (QLineEdit, QPlainTextEdit)) and not w.isReadOnly() and w.isEnabled() \
                and w.isVisibleTo(screen) and w.focusPolicy() != Qt.NoFocus:
            return w
    return None


SCREENS = _screenshots()
MATRIX = [(lang, theme, large, panel)
          for panel in SCREENS.PANELS for large in (False, True)
          for theme in ("default", "high_contrast") for lang in ("bg", "en")]
over_the_matrix = pytest.mark.parametrize(
    "lang, theme, large_text, panel", MATRIX,
    ids=[f"{p}-{lang}-{t}-{'large' if lg else 'normal'}" for lang, t, lg, p in MATRIX])


@over_the_matrix
def test_every_scene_fits_with_and_without_the_keyboard(qapp, lang, theme, large_text, panel):
    problems: dict[str, list[str]] = {}
    typed_into = []

    def check(name, kiosk):
        window = kiosk.window
        keyboard_up = window.keyboard is not None and window.keyboard.isVisible()
        bad = layout_problems(window)
        if bad:
            problems[f"{name} (keyboard {'shown' if keyboard_up else 'hidden'})"] = bad
        if keyboard_up or window.asking_to_leave:
            return
        field = first_text_field(window.current_screen())
        if field is None:
            return
        # a touch on the first field (scrolled to, as a finger would) brings the keyboard up
        parent = field.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(field)
        # (QScrollArea shows a text field's first line: the touch goes there)
        target = field.viewport() if isinstance(field, QPlainTextEdit) else field
        QTest.mouseClick(target, Qt.LeftButton, Qt.NoModifier, QPoint(12, min(12, target.height() // 2)))
        SCREENS.settle(QApplication.instance(), kiosk)
        if not (window.keyboard.isVisible() and QApplication.focusWidget() is field):
            problems[f"{name} (keyboard)"] = [f"a touch on {field.accessibleName()!r} did not reach it"]
            return
        typed_into.append(name)
        bad = layout_problems(window)
        if bad:
            problems[f"{name} (keyboard shown)"] = bad

    try:
        SCREENS.render(None, lang, theme, large_text=large_text, on_scene=check, panel=panel)
    finally:
        QApplication.instance().setStyleSheet("")
    assert not problems, "\n".join(f"{name}: {'; '.join(bad)}" for name, bad in problems.items())
    # the walk did type somewhere: the forms, the signal, tracking, search
    assert {"request-form", "signal", "track", "hotlines"} <= set(typed_into), typed_into


RECEIPT_SCENES = {"receipt", "receipt-offline-printer-out", "receipt-printer-out-large-number"}


def receipt_out_of_view(window: QWidget) -> list[str]:
    """The receipt's number, tracking code and QR code that are not whole in the visible part of
    the body's scroll area (scrolled away, under the footer, cut by the window)."""
    screen = window.current_screen()
    scroll = screen.body_scroll
    viewport = scroll.viewport()
    found = []
    for what, widget in (("number", screen.number_label), ("tracking code", screen.code_label),
                         ("QR code", screen.qr_label)):
        if widget is None or not widget.isVisibleTo(window):
            found.append(f"{what}: not shown")
            continue
        rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        if not viewport.rect().contains(rect):
            found.append(f"{what} {rect.getRect()} outside the body's visible {viewport.rect().getRect()} "
                         f"(scrolled by {scroll.verticalScrollBar().value()} px)")
        hidden = shown_whole(widget, window)
        if hidden:
            found.append(f"{what} {hidden}")
    return found


@over_the_matrix
def test_the_receipt_shows_its_number_code_and_qr_without_scrolling(qapp, lang, theme, large_text, panel):
    problems: dict[str, list[str]] = {}
    seen = []

    def check(name, kiosk):
        assert kiosk.window.current_screen().screen_name == "receipt", name
        seen.append(name)
        bad = receipt_out_of_view(kiosk.window)
        if bad:
            problems[name] = bad

    try:
        SCREENS.render(None, lang, theme, RECEIPT_SCENES, large_text=large_text, on_scene=check, panel=panel)
    finally:
        QApplication.instance().setStyleSheet("")
    assert set(seen) == RECEIPT_SCENES, seen
    assert not problems, "\n".join(f"{name}: {'; '.join(bad)}" for name, bad in problems.items())
