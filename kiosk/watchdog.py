"""The kiosk under systemd (Type=notify, WatchdogSec=): READY, the watchdog and STATUS from the GUI thread.

The watchdog is petted by a QTimer, so only a turning event loop pets it: a GUI thread stuck in a
slot (a hung driver call, a deadlock) stops the pings and systemd restarts the unit, where a crash
alone would have been caught by Restart=always. READY=1 goes once the first screen is painted;
STATUS= names the current screen, or the device problem when there is one.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from server_sync import sdnotify

log = logging.getLogger(__name__)


class SystemdNotifier(QObject):
    """Attach to the kiosk's main window; does nothing outside systemd (no $NOTIFY_SOCKET)."""

    def __init__(self, window, *, problem: Callable[[], str | None] | None = None,
                 watchdog: sdnotify.Watchdog | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.problem = problem or (lambda: None)
        self.watchdog = watchdog or sdnotify.Watchdog()
        self.ready = False
        self._status: str | None = None
        self.timer = QTimer(self)
        # ping four times per WatchdogSec (sdnotify pets at most twice): a late timer still makes it
        interval = self.watchdog.interval_s
        self.timer.setInterval(int(interval * 500) if interval else 5_000)
        self.timer.timeout.connect(self.tick)
        window.installEventFilter(self)
        stack = getattr(window, "stack", None)
        if stack is not None:
            stack.currentChanged.connect(lambda _i: self.update_status())

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if event.type() == QEvent.Paint and obj is self.window and not self.ready:
            self.window.removeEventFilter(self)
            # the frame is being painted: READY once it is done, from the event loop
            QTimer.singleShot(0, self, self._on_first_frame)
        return False

    def _on_first_frame(self) -> None:
        self.ready = True
        sdnotify.notify("READY=1")
        self.update_status()
        self.watchdog.pet()
        self.timer.start()

    def tick(self) -> None:
        self.watchdog.pet()
        self.update_status()

    def status_text(self) -> str:
        try:
            problem = self.problem()
        except Exception as exc:
            problem = f"device state unreadable: {exc}"
        if problem:
            return problem
        name = self.window.current_screen_name() if hasattr(self.window, "current_screen_name") else ""
        return f"screen: {name or 'starting'}"

    def update_status(self) -> None:
        if not self.ready:
            return
        status = self.status_text().replace("\n", " ")[:200]
        if status != self._status:
            self._status = status
            sdnotify.notify(f"STATUS={status}")

    def stop(self) -> None:
        self.timer.stop()
        if self.ready:
            sdnotify.notify("STOPPING=1")
