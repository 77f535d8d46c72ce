"""Tell the sync agent when the kiosk is in use (a citizen's session, a receipt printing), so that a
software update switches only at a quiet moment (server_sync.activity, server_sync.agent.updates).

A GUI-thread timer looks at the session; the printer call (made off the GUI thread) is wrapped to
count prints under way. The file is written only when the answer changes.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer

from server_sync.activity import mark_activity

log = logging.getLogger("kiosk.activity")


class ActivityReporter(QObject):
    def __init__(self, state: Any, data_dir: Path, parent: QObject | None = None, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self.state = state
        self.data_dir = Path(data_dir)
        self._printing = 0
        self._lock = threading.Lock()
        self._written: tuple[bool, bool] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    def _session_active(self) -> bool:
        session = getattr(self.state, "session", None)
        return bool(getattr(session, "active", False))

    def _write(self, session: bool) -> None:
        with self._lock:
            now = (session, self._printing > 0)
            if now == self._written:
                return
            try:
                mark_activity(self.data_dir, session=now[0], printing=now[1])
                self._written = now
            except OSError as exc:  # a full disk: the agent then sees the old mark, never a wrong "quiet"
                log.warning("activity mark not written: %s", exc)

    def poll(self) -> None:
        self._write(self._session_active())

    def wrap_printer(self, printer: Callable[..., Any]) -> Callable[..., Any]:
        """The same printer call, marked busy while it runs."""
        def printing(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self._printing += 1
            self._write(True)  # a print belongs to a session: no switch until both are over
            try:
                return printer(*args, **kwargs)
            finally:
                with self._lock:
                    self._printing -= 1
        return printing
