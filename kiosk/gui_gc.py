"""Keep Python's cyclic garbage collector on the GUI thread.

CPython runs a collection in whichever thread happens to cross the allocation threshold —
in the kiosk that is often a worker of the thread pool (a hub call, a printer query). A
collection there can destroy widgets and timers caught in reference cycles from the wrong
thread, which crashes Qt at random (the same pattern calibre and pyqtgraph guard against).
So automatic collection is switched off, and a GUI-thread timer collects with the same
generation thresholds Python would have used.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_installed: "GuiThreadCollector | None" = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 250) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> int:
        """Collect the generations whose counters crossed Python's thresholds; returns what was freed."""
        count0, count1, count2 = gc.get_count()
        if count0 <= self.threshold[0]:
            return 0
        if count1 > self.threshold[1]:
            return gc.collect(2 if count2 > self.threshold[2] else 1)
        return gc.collect(0)


def pin_gc_to_gui_thread() -> GuiThreadCollector | None:
    """Install the collector once per process, owned by the application object."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return None
    if _installed is None:
        _installed = GuiThreadCollector(app)
    return _installed


def collect_if_due() -> int:
    """For code that runs without an event loop for a while (tests): collect here, on this thread."""
    return _installed.check() if _installed is not None else 0
