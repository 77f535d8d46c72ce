"""Technician badges: an RFID reader in keyboard mode (evdev) giving a UID, and the hashed allow-list check."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from hardware.base import DeviceState, Health
from hardware.evdev_input import InputDeviceMatch
from hardware.line_devices import LineSourceDevice
from hardware.scanner import LineInputDevice

__all__ = [
    "BadgeListener",
    "BadgeReader",
    "EvdevBadgeReader",
    "SimulatedBadgeReader",
    "normalize_uid",
]

log = logging.getLogger(__name__)

_UID = re.compile(r"^[0-9A-F]{4,40}$")
_SEPARATORS = re.compile(r"[\s:\-]")


def normalize_uid(raw: str) -> str:
    """The canonical form of a badge UID: hex or decimal digits, uppercase, no separators.

    Readers print "04:a3:b2:c1", "04A3B2C1" or "0004097139"; separators and case vary, the digits
    do not. Decimal and hex forms of one card are NOT unified (a reader is configured for one).
    Raises ValueError for anything else.
    """
    uid = _SEPARATORS.sub("", str(raw)).upper()
    if not _UID.match(uid):
        raise ValueError("not a badge UID (4-40 hex or decimal digits)")
    return uid


@runtime_checkable
class BadgeListener(Protocol):
    """Called from the reader's own thread (a Qt host re-emits as signals); methods may be missing."""

    def on_badge(self, uid: str) -> None: ...

    def on_state(self, health: Health) -> None: ...


class BadgeReader(LineInputDevice):
    """Base of badge readers: each line that is a UID becomes on_badge(normalised uid)."""

    name = "badge_reader"

    @property
    def badges(self) -> list[str]:
        return [value for kind, value, _at in self.history if kind == "on_badge"]

    def _line(self, line: str) -> None:
        try:
            uid = normalize_uid(line)
        except ValueError:
            log.info("%s: ignored a line that is not a UID (%d characters)", self.name, len(line))
            return
        self._emit("on_badge", uid)


class EvdevBadgeReader(LineSourceDevice, BadgeReader):
    """A USB RFID reader that types the UID and Enter, grabbed so it never types into the kiosk."""

    name = "badge_reader_evdev"

    def __init__(
        self,
        listener: Any | None,
        match: InputDeviceMatch | None = None,
        *,
        device: str | None = None,
        name: str | None = None,
        phys: str | None = None,
        usb_id: str | None = None,
        open_device: Callable[[], Any] | None = None,
        poll_interval: float = 0.2,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        start: bool = True,
    ) -> None:
        super().__init__(listener)
        self._open_evdev(match, open_device, device=device, name=name, phys=phys, usb_id=usb_id, max_line=64,
                         poll_interval=poll_interval, backoff_initial=backoff_initial, backoff_max=backoff_max,
                         start=start)


class SimulatedBadgeReader(BadgeReader):
    """A badge reader for tests and the demo: `present(uid)` reports synchronously."""

    name = "badge_reader_simulated"

    def __init__(self, listener: Any | None = None) -> None:
        super().__init__(listener)
        self._set_health(Health(DeviceState.OK, None, {"simulated": True}))

    def present(self, uid: str) -> None:
        if self._health.state is DeviceState.OK:
            self._line(uid)

    def unplug(self, reason: str = "badge reader disconnected (simulated)") -> None:
        self._set_health(Health(DeviceState.OFFLINE, reason, {"simulated": True}))

    def replug(self) -> None:
        self._set_health(Health(DeviceState.OK, None, {"simulated": True}))
