"""Runs `kiosk --simulate` as on the appliance and reports, once the window is up, what the
compositor made of it: one JSON line on stdout per report (geometry, state, screen, a pixel).

Used by test_cage.py; not part of the product."""

from __future__ import annotations

import json
import runpy
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import kiosk.views.main_window as main_window

_show_full_screen = main_window.MainWindow.showFullScreen


def _report(window: main_window.MainWindow) -> None:
    screen = window.screen().geometry()
    image = window.grab().toImage()
    pixel = image.pixelColor(5, 5) if not image.isNull() else None
    print(json.dumps({
        "window": [window.x(), window.y(), window.width(), window.height()],
        "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
        "full_screen": bool(window.windowState() & (window.windowState().WindowFullScreen | window.windowState().WindowMaximized)),
        "active": window.isActiveWindow(),
        "screen_name": window.current_screen_name(),
        "pixel": [pixel.red(), pixel.green(), pixel.blue()] if pixel else None,
        "platform": QApplication.platformName(),
    }), flush=True)


def _show_and_report(self: main_window.MainWindow) -> None:
    _show_full_screen(self)
    timer = QTimer(self)
    timer.timeout.connect(lambda: _report(self))
    timer.start(1000)


main_window.MainWindow.showFullScreen = _show_and_report
sys.argv = ["kiosk", "--simulate", *sys.argv[1:]]
runpy.run_module("kiosk", run_name="__main__")
