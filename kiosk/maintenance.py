"""The local technician badge list (Argon2id hashes) and device health for maintenance mode and for
the sync agent's heartbeats (through the store)."""

from __future__ import annotations

import logging
import re
from typing import Any, Callable, Iterable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
#: libsodium's string form of an Argon2id hash (what `kiosk hash-badge` prints)
ARGON2ID_PREFIX = "$argon2id$"
_HOW = "write the Argon2id form instead: `kiosk hash-badge` prints it (the UID is read from stdin)"


def hash_badge(uid: str) -> str:
    """An Argon2id hash of a badge UID, normalised first (`hardware.badge.normalize_uid`: "04:a3:b2:c1"
    and "04A3B2C1" are one badge), for `[kiosk].badge_uids`. A UID has 4 to 7 bytes: a bare hash of
    one is found by trying them all, an Argon2id hash costs ~85 ms and 64 MiB a guess."""
    from nacl import pwhash

    from hardware.badge import normalize_uid

    return pwhash.argon2id.str(normalize_uid(uid).encode("ascii"), opslimit=pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                               memlimit=pwhash.argon2id.MEMLIMIT_INTERACTIVE).decode("ascii")


def badge_entries(entries: Iterable[str]) -> tuple[str, ...]:
    """The configured allow-list's Argon2id hashes. Anything else is ignored, with a warning that
    says how to write it (a kiosk with an old config starts, and no old entry opens it): a bare
    sha256 hash (the form before 2026-12-04) or a UID in clear. Neither is logged."""
    kept = []
    for position, entry in enumerate(entries, 1):
        text = str(entry).strip()
        if text.startswith(ARGON2ID_PREFIX):
            kept.append(text)
        elif _SHA256_HEX.fullmatch(text):
            log.warning("[kiosk].badge_uids: entry %d is a bare sha256 hash, which no longer opens maintenance "
                        "mode (a badge UID is short enough to find from it); ignored — %s", position, _HOW)
        else:
            log.warning("[kiosk].badge_uids: entry %d is not an Argon2id hash (a UID in clear?); ignored — %s",
                        position, _HOW)
    return tuple(kept)


def badge_matches(uid: str, hashes: Iterable[str]) -> bool:
    """Is this UID one of the Argon2id hashes? Slow on purpose (~85 ms an entry on a desktop CPU, the
    kiosk's is slower): call it on a worker (`MaintenanceAccess.attempt_later`)."""
    from nacl import exceptions, pwhash

    from hardware.badge import normalize_uid  # imported at the first badge, not before the first frame

    try:
        presented = normalize_uid(uid).encode("ascii")
    except ValueError:
        return False
    for entry in hashes:
        try:
            if pwhash.verify(entry.encode("ascii"), presented):
                return True
        except (exceptions.InvalidkeyError, exceptions.CryptoError, ValueError, UnicodeError):
            continue
    return False


def badge_checker(entries: Iterable[str]) -> Callable[[str], bool]:
    """uid → allowed?, against the configured Argon2id hashes (`badge_entries`)."""
    hashes = badge_entries(entries)
    return lambda uid: badge_matches(uid, hashes)


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
