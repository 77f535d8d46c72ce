"""Lines from a serial / USB-CDC port on a thread of their own, reconnecting when the port comes
back: the transport of the serial ID-card readers, badge readers and barcode scanners
(`hardware.line_devices.LineSourceDevice._open_serial`), beside `hardware.evdev_input` for
keyboard-wedge devices."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import serial
from serial.tools import list_ports

from hardware.base import DeviceState, DeviceUnavailable, Health
from hardware.reconnecting import ReconnectingSource

__all__ = ["LineFramer", "SerialLineSource", "resolve_serial_port"]

log = logging.getLogger(__name__)

STX = 0x02
ETX = 0x03
_CR = 0x0D
_LF = 0x0A


class LineFramer:
    """Split a byte stream into text lines: CR, LF or CRLF; optional STX/ETX frames; noise dropped.

    Resynchronises on its own: STX starts afresh, an overlong line is thrown away up to the next
    terminator, and a partial line left hanging longer than `stale_after` seconds (a card pulled
    mid-read) is dropped before new bytes are added.
    """

    def __init__(
        self,
        *,
        max_line: int = 256,
        stale_after: float = 1.0,
        utf8: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_line = max_line
        # MRZ readers send ASCII, so 8-bit bytes are noise; a QR scanner may send UTF-8 (Cyrillic).
        self.utf8 = utf8
        self.stale_after = stale_after
        self._clock = clock
        self._buffer = bytearray()
        self._overflow = False
        self._last_byte_at = 0.0
        self.dropped_bytes = 0  # noise and thrown-away partial lines, for diagnostics

    def reset(self) -> None:
        self.dropped_bytes += len(self._buffer)
        self._buffer.clear()
        self._overflow = False

    def feed(self, data: bytes) -> list[str]:
        now = self._clock()
        if self._buffer and now - self._last_byte_at > self.stale_after:
            self.reset()
        if data:
            self._last_byte_at = now
        lines: list[str] = []
        for byte in data:
            if byte == STX:
                self.reset()
            elif byte in (_CR, _LF, ETX):
                self._end_line(lines)
            elif 0x20 <= byte < 0x7F or (self.utf8 and byte >= 0x80):
                if self._overflow:
                    self.dropped_bytes += 1
                elif len(self._buffer) >= self.max_line:
                    self.reset()
                    self._overflow = True
                else:
                    self._buffer.append(byte)
            else:
                self.dropped_bytes += 1  # line noise, NUL padding, 8-bit garbage
        return lines

    def _end_line(self, lines: list[str]) -> None:
        if self._overflow:
            self._overflow = False
        elif self._buffer:
            text = self._buffer.decode("utf-8", errors="replace") if self.utf8 else self._buffer.decode("ascii")
            lines.append(text)
        self._buffer.clear()


def resolve_serial_port(
    port: str | None, usb_id: str | None = None, *, comports: Callable[[], list[Any]] = list_ports.comports
) -> str:
    """The device path to open: the first port whose USB "VID:PID" (hex) matches `usb_id` (found
    again wherever it is replugged), else `port` as given (a /dev/serial/by-id link survives too)."""
    if usb_id:
        try:
            vid_text, pid_text = usb_id.split(":")
            vid, pid = int(vid_text, 16), int(pid_text, 16)
        except ValueError as exc:
            raise DeviceUnavailable(f"usb_id {usb_id!r} is not VID:PID in hex") from exc
        for info in comports():
            if info.vid == vid and info.pid == pid:
                return info.device
        if not port:
            raise DeviceUnavailable(f"no serial port with USB id {usb_id}")
    if not port:
        raise DeviceUnavailable("no serial port configured")
    return port


class SerialLineSource(ReconnectingSource):
    """Reads lines from a serial port on its own thread; reconnects with backoff when the port goes away.

    Calls `on_line(text)` for each complete line and `on_state(health)` on every state change
    (OK when open, OFFLINE with the reason when unplugged or absent). `on_idle()` is called about
    every `read_timeout` seconds so owners can expire half-read documents without a timer.
    """

    def __init__(
        self,
        port: str | None,
        *,
        on_line: Callable[[str], None],
        on_state: Callable[[Health], None],
        on_idle: Callable[[], None] | None = None,
        baudrate: int = 9600,
        usb_id: str | None = None,
        read_timeout: float = 0.2,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        framer: LineFramer | None = None,
        serial_factory: Callable[..., Any] = serial.Serial,
        name: str = "serial",
    ) -> None:
        super().__init__(on_state=on_state, backoff_initial=backoff_initial, backoff_max=backoff_max, name=name)
        self.port = port
        self.usb_id = usb_id
        self.baudrate = baudrate
        self.read_timeout = read_timeout
        self.framer = framer or LineFramer()
        self._on_line = on_line
        self._on_idle = on_idle or (lambda: None)
        self._serial_factory = serial_factory
        self._conn: Any = None
        self._conn_lock = threading.Lock()

    def close(self) -> None:
        """Stop the thread and release the port; calling it twice is harmless."""
        self._stop.set()
        with self._conn_lock:
            conn = self._conn
        if conn is not None:
            try:
                conn.cancel_read()  # wakes a blocked read() at once
            except Exception:
                pass
        self._join()

    def _open(self) -> Any:
        path = resolve_serial_port(self.port, self.usb_id)
        try:
            # Exclusive (flock), as evdev devices are grabbed: two readers of one port would each
            # get half the bytes of every card (e.g. `read-id` run while the kiosk is up).
            return self._serial_factory(path, baudrate=self.baudrate, timeout=self.read_timeout, exclusive=True)
        except (serial.SerialException, OSError, ValueError) as exc:
            if "exclusively lock" in str(exc):
                raise DeviceUnavailable(f"{path} is in use by another program") from exc
            raise DeviceUnavailable(f"cannot open {path}: {_reason(exc)}") from exc

    def _absent_detail(self) -> dict[str, Any]:
        return {"port": self.port}

    def _opened(self, conn: Any) -> dict[str, Any]:
        with self._conn_lock:
            self._conn = conn
        self.framer.reset()
        return {"port": getattr(conn, "port", self.port)}

    def _lost(self, exc: Exception) -> Health:
        if not isinstance(exc, (serial.SerialException, OSError)):
            log.exception("%s: reader loop failed", self._thread.name)
        return Health(DeviceState.OFFLINE, f"reader disconnected: {_reason(exc)}", {"port": self.port})

    def _release(self, conn: Any) -> None:
        with self._conn_lock:
            self._conn = None
        try:
            conn.close()
        except Exception:
            pass

    def _pump(self, conn: Any) -> None:
        while not self._stop.is_set():
            data = conn.read(max(1, getattr(conn, "in_waiting", 0) or 1))
            if data:
                for line in self.framer.feed(data):
                    self._on_line(line)
            else:
                self.framer.feed(b"")  # lets a stale partial line expire
                self._on_idle()
            path = getattr(conn, "port", None)
            if not data and isinstance(path, str) and os.path.isabs(path) and not os.path.exists(path):
                # A silent port whose device node vanished was unplugged, even if reads still time out quietly.
                raise serial.SerialException(f"{path} disappeared")


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]
