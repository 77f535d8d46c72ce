"""Tearing a KioskApp down in a fixture, in the only safe order.

pytest-qt's `qtbot.addWidget(w)` closes `w` and calls `w.deleteLater()` *before* any fixture
teardown runs. A fixture that then spins an event loop (`qtbot.waitUntil` for the kiosk's
background tasks) lets Qt delete the window, and the kiosk's own `close()` afterwards
touches deleted widgets — a RuntimeError at best, a segfault at worst. So kiosk fixtures
do not hand the window to pytest-qt; they call `dispose_kiosk` instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent


def dispose_kiosk(qtbot, app, *, timeout: int = 10000) -> None:
    """Let the kiosk's background tasks finish, close the kiosk, then delete its window."""
    qtbot.waitUntil(lambda: not app.state.tasks.busy, timeout=timeout)
    app.close()
    window = app.window
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
