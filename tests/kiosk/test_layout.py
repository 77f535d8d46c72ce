"""Nothing a citizen must read is cut off: every scene of `make screenshots`, under the real
accessibility theme, in both languages, high contrast and large text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

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


# high contrast changes colours, not sizes: the default theme stands for both
@pytest.mark.parametrize("lang, theme, large_text", [
    ("bg", "default", False), ("en", "default", False), ("bg", "default", True), ("en", "default", True)])
def test_no_scene_cuts_off_its_text(qapp, lang, theme, large_text):
    shots = _screenshots()
    problems: dict[str, list[str]] = {}

    def check(name, kiosk):
        bad = clipped(kiosk.window)
        if bad:
            problems[name] = bad

    try:
        shots.render(None, lang, theme, large_text=large_text, on_scene=check)
    finally:
        QApplication.instance().setStyleSheet("")
    assert not problems, "\n".join(f"{name}: {'; '.join(bad)}" for name, bad in problems.items())
