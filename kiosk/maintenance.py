"""Device health for maintenance mode and for the sync agent's heartbeats (through the store)."""

from __future__ import annotations

import logging
import re
from typing import Any, Callable, Iterable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def badge_hashes(entries: Iterable[str]) -> tuple[str, ...]:
    """The configured allow-list as sha256 hashes (`hardware.badge.hash_uid`).

    An entry of 64 hex digits is a hash (a UID has 4-40 digits); a raw UID is hashed here, at
    once, with a warning, so that only hashes are ever compared or kept."""
    hashes = []
    for entry in entries:
        entry = str(entry).strip().lower()
        if _SHA256_HEX.fullmatch(entry):
            hashes.append(entry)
            continue
        from hardware.badge import hash_uid  # only for a misconfigured entry: not on every start

        try:
            hashes.append(hash_uid(entry))
        except ValueError:
            log.warning("[kiosk].badge_uids: an entry is neither a sha256 hash nor a badge UID; ignored")
            continue
        log.warning("[kiosk].badge_uids: a raw badge UID is configured; write its sha256 instead "
                    "(python -c \"from hardware.badge import hash_uid; print(hash_uid('UID'))\")")
    return tuple(hashes)


def badge_checker(entries: Iterable[str]) -> Callable[[str], bool]:
    """uid → allowed?, against the hashed allow-list, in constant time (`hardware.badge.uid_allowed`)."""
    hashes = badge_hashes(entries)

    def allowed(uid: str) -> bool:
        from hardware.badge import uid_allowed  # imported at the first badge, not before the first frame

        return uid_allowed(uid, hashes)

    return allowed


class DeviceHealthReporter(QObject):
    """Writes every device's state change to the store, whence `sync-agent` heartbeats send it.

    Readers push their changes (the bridge's `device_state`); the printer and speech have no
    listener, so all devices are also polled — off the GUI thread, since a printer status
    query is USB I/O — every `poll_ms`, after each print, and once right after start.
    Only changes are written. `report(name, health)` is the backend's `report_device`.
    """

    def __init__(self, devices: Any, report: Callable[[str, Any], None], tasks, *,
                 poll_ms: int = 30_000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.devices, self._report, self._tasks = devices, report, tasks
        self.last: dict[str, Any] = {}
        self._polling = self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self, self.poll)

    def stop(self) -> None:
        self.timer.stop()

    def on_device_state(self, name: str, health: Any) -> None:
        """A reader's pushed state change (GUI thread)."""
        self._record({name: health})

    def poll(self) -> None:
        if self._polling:  # a slow printer query is still running: read again once it is done
            self._again = True
            return
        self._polling, self._again = True, False

        def finished() -> None:
            self._polling = False
            if self._again:
                self.poll()

        def done(healths: dict[str, Any]) -> None:
            self._record(healths)
            finished()

        def failed(exc: Exception) -> None:
            log.error("reading device health failed: %s", exc)
            finished()

        self._tasks.run(self.devices.health, done, failed, owner=self)

    def _record(self, healths: dict[str, Any]) -> None:
        changed = {name: h for name, h in healths.items() if self.last.get(name) != h}
        if not changed:
            return
        self.last.update(changed)

        def write() -> None:  # a database write: off the GUI thread, like every slow call
            for name, health in changed.items():
                try:
                    self._report(name, health)
                except Exception as exc:  # a full disk must not take the kiosk down; the log says why
                    log.error("cannot record %s health: %s", name, exc)

        self._tasks.run(write, lambda _: None, lambda exc: None, owner=self)
