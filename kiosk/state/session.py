"""The citizen's session: identity from the ID card, personal fields, inactivity timeout, wipe."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

#: EN 301 549 11.2.2.1: at least 20 s to react to a timeout warning, at least 10 extensions
MIN_WARNING_SECONDS = 20.0
MIN_EXTENSIONS = 10


@dataclass(frozen=True)
class SessionTimeouts:
    idle_seconds: float = 90.0
    warning_seconds: float = 30.0
    max_extensions: int = 20

    def __post_init__(self) -> None:
        if self.warning_seconds < MIN_WARNING_SECONDS:
            raise ValueError(
                f"session.warning_seconds must be at least {MIN_WARNING_SECONDS:g} (EN 301 549 11.2.2.1)"
            )
        if self.max_extensions < MIN_EXTENSIONS:
            raise ValueError(f"session.max_extensions must be at least {MIN_EXTENSIONS}")
        if self.idle_seconds <= 0:
            raise ValueError("session.idle_seconds must be positive")


@dataclass(frozen=True)
class Identity:
    """What the ID card gave us, kept only for the session."""

    egn: str
    given_names: str
    surname: str
    document_number: str
    birth_date: Any = None
    expiry_date: Any = None
    nationality: str = "BGR"
    # The machine-readable zone as read (lines joined by "\n"): sent sealed with requests and
    # supports, so the hub can link them to this person's dossier (server_sync.hub.identity_proof).
    mrz: str = field(default="", repr=False)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()


class Session(QObject):
    """Inactivity timing and the personal data of one citizen.

    The clock is injectable so tests can step time instead of sleeping; in the app a
    1 s QTimer calls `tick()`. Idle → warning (shown and spoken) → timeout → wipe.
    """

    warning = Signal(int)  # seconds left; emitted when the warning starts and each tick
    extended = Signal(int)  # extensions used so far
    timed_out = Signal()
    wiped = Signal()
    identity_changed = Signal(object)  # Identity or None

    def __init__(
        self,
        timeouts: SessionTimeouts | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.timeouts = timeouts or SessionTimeouts()
        self._clock = clock
        self._last_activity = clock()
        self._warning_since: float | None = None
        self.extensions = 0
        self.active = False
        self.identity: Identity | None = None
        self.personal: dict[str, Any] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)

    # -- activity -------------------------------------------------------------
    def start(self) -> None:
        """A citizen has begun to use the kiosk (anything but the attract screen)."""
        if not self.active:
            self.active = True
            self.extensions = 0
            self._last_activity = self._clock()
            self._warning_since = None
            self._timer.start()

    def touch(self) -> None:
        """User activity: restart the idle clock; during a warning this is the one-touch extension."""
        if self._warning_since is not None:
            self.extend()
            return
        self._last_activity = self._clock()

    @property
    def warning_active(self) -> bool:
        return self._warning_since is not None

    @property
    def can_extend(self) -> bool:
        return self.extensions < self.timeouts.max_extensions

    def extend(self) -> bool:
        if not self.active or not self.can_extend:
            return False
        self.extensions += 1
        self._warning_since = None
        self._last_activity = self._clock()
        self.extended.emit(self.extensions)
        return True

    def seconds_left(self) -> int:
        if self._warning_since is None:
            return int(self.timeouts.warning_seconds)
        left = self.timeouts.warning_seconds - (self._clock() - self._warning_since)
        return max(0, int(left + 0.999))

    def tick(self) -> None:
        if not self.active:
            return
        now = self._clock()
        if self._warning_since is None:
            if now - self._last_activity >= self.timeouts.idle_seconds:
                self._warning_since = now
                self.warning.emit(self.seconds_left())
            return
        if now - self._warning_since >= self.timeouts.warning_seconds:
            self.timed_out.emit()
            self.end()
        else:
            self.warning.emit(self.seconds_left())

    # -- personal data ----------------------------------------------------------
    def set_identity(self, identity: Identity | None) -> None:
        self.identity = identity
        self.identity_changed.emit(identity)

    def clear_identity(self) -> None:
        """The citizen's identity and personal values go; the session (its clock) goes on.
        `identity_changed(None)` is emitted even when no card was read, so listeners forget what
        an anonymous citizen left too (the accessibility layer's "repeat")."""
        self.identity = None
        self.personal.clear()
        self.identity_changed.emit(None)

    def end(self) -> None:
        """Finish or timeout: forget everything personal."""
        self._timer.stop()
        self.active = False
        self._warning_since = None
        self.extensions = 0
        self.identity = None
        self.personal.clear()
        self.identity_changed.emit(None)
        self.wiped.emit()
