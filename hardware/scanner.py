"""Barcode/QR scanners (keyboard wedge through evdev, or serial) reporting each scan to a listener."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import serial

from hardware.base import Device, DeviceState, Health
from hardware.evdev_input import InputDeviceMatch
from hardware.line_devices import LineSourceDevice
from hardware.serial_input import LineFramer

__all__ = [
    "ScannerListener",
    "LineInputDevice",
    "Scanner",
    "EvdevScanner",
    "SerialScanner",
    "SimulatedScanner",
    "MAX_SCAN_LENGTH",
]

log = logging.getLogger(__name__)

MAX_SCAN_LENGTH = 4096  # a QR code holds at most ~3 KB; longer is a stuck key or line noise


@runtime_checkable
class ScannerListener(Protocol):
    """Called from the scanner's own thread (a Qt host re-emits as signals); methods may be missing."""

    def on_scan(self, text: str) -> None: ...

    def on_state(self, health: Health) -> None: ...


class LineInputDevice(Device):
    """Shared base of line-producing input devices: listener calls, health, a bounded history.

    Subclasses MUST turn each line into `_emit(method, value)` and report `_set_health`.
    """

    history_limit = 200

    def __init__(self, listener: Any | None) -> None:
        self.listener = listener
        self._health = Health(DeviceState.UNKNOWN, "not started")
        self._lock = threading.Lock()
        self.history: list[tuple[str, Any, float]] = []

    def health(self) -> Health:
        return self._health

    def _record(self, kind: str, value: Any) -> None:
        with self._lock:
            self.history.append((kind, value, time.monotonic()))
            del self.history[: -self.history_limit]

    def _emit(self, method: str, value: Any) -> None:
        self._record(method, value)
        callback = getattr(self.listener, method, None)
        if callback is None:
            return
        try:
            callback(value)
        except Exception:  # a listener bug must not kill the reader thread
            log.exception("%s listener %s failed", self.name, method)

    def _set_health(self, health: Health) -> None:
        # Hosts give one listener to several devices; the detail says which one is reporting.
        health = Health(health.state, health.reason, {**health.detail, "device": self.name})
        if health == self._health:
            return
        if health.state is not DeviceState.OK:
            log.warning("%s: %s (%s)", self.name, health.state.value, health.reason)
        self._health = health
        self._emit("on_state", health)


class Scanner(LineInputDevice):
    """Base of scanners: each non-empty line is one scan, surrounding whitespace removed."""

    name = "scanner"

    @property
    def scans(self) -> list[str]:
        return [value for kind, value, _at in self.history if kind == "on_scan"]

    def _line(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if len(text) > MAX_SCAN_LENGTH:
            log.warning("%s: ignored a %d-character scan", self.name, len(text))
            return
        self._emit("on_scan", text)


class EvdevScanner(LineSourceDevice, Scanner):
    """A USB HID scanner in keyboard mode, grabbed so scans never type into the kiosk's widgets."""

    name = "scanner_evdev"

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
        self._open_evdev(match, open_device, device=device, name=name, phys=phys, usb_id=usb_id,
                         max_line=MAX_SCAN_LENGTH, poll_interval=poll_interval, backoff_initial=backoff_initial,
                         backoff_max=backoff_max, start=start)


class SerialScanner(LineSourceDevice, Scanner):
    """A scanner in serial / USB-CDC mode: one scan per line (CR, LF or CRLF), UTF-8 allowed."""

    name = "scanner_serial"

    def __init__(
        self,
        listener: Any | None,
        port: str | None = None,
        *,
        device: str | None = None,
        baudrate: int = 9600,
        usb_id: str | None = None,
        read_timeout: float = 0.2,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        serial_factory: Callable[..., Any] = serial.Serial,
        start: bool = True,
    ) -> None:
        super().__init__(listener)
        self._open_serial(port or device, baudrate=baudrate, usb_id=usb_id, read_timeout=read_timeout,
                          backoff_initial=backoff_initial, backoff_max=backoff_max,
                          framer=LineFramer(max_line=MAX_SCAN_LENGTH, utf8=True), serial_factory=serial_factory,
                          start=start)


class SimulatedScanner(Scanner):
    """A scanner for tests and the demo: `scan(text)` reports synchronously on the caller's thread."""

    name = "scanner_simulated"

    def __init__(self, listener: Any | None = None) -> None:
        super().__init__(listener)
        self._set_health(Health(DeviceState.OK, None, {"simulated": True}))

    def scan(self, text: str) -> None:
        if self._health.state is DeviceState.OK:
            self._line(text)

    def unplug(self, reason: str = "scanner disconnected (simulated)") -> None:
        self._set_health(Health(DeviceState.OFFLINE, reason, {"simulated": True}))

    def replug(self) -> None:
        self._set_health(Health(DeviceState.OK, None, {"simulated": True}))
