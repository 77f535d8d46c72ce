"""One base for every device fed by a line-reading thread: the badge reader, the barcode scanner
and the ID-card readers, over evdev (a keyboard-wedge USB device, grabbed) or a serial port.

A subclass keeps its own public constructor (its defaults and documented keywords) and hands
the transport to `_open_evdev` / `_open_serial`, which build `self.source`, wire it to the
device's `_line` (and `_state`, `_idle` where the device has them) and start it; `close()` stops it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["LineSourceDevice"]


class LineSourceDevice:
    """Mixin: list it before the device's own base so its `close()` is the one used."""

    source: Any
    name: str

    def _callbacks(self) -> dict[str, Callable[..., Any]]:
        callbacks: dict[str, Callable[..., Any]] = {"on_line": self._line}  # type: ignore[attr-defined]
        callbacks["on_state"] = getattr(self, "_state", None) or self._set_health  # type: ignore[attr-defined]
        if hasattr(self, "_idle"):
            callbacks["on_idle"] = self._idle
        return callbacks

    def _open_evdev(self, match: Any, open_device: Callable[[], Any] | None, *, device: str | None,
                    name: str | None, phys: str | None, usb_id: str | None, max_line: int | None,
                    poll_interval: float, backoff_initial: float, backoff_max: float, start: bool) -> None:
        from hardware.evdev_input import EvdevLineSource, WedgeDecoder, device_opener

        opener = device_opener(type(self).__name__, match, open_device, device=device, name=name, phys=phys,
                               usb_id=usb_id)
        self.source = EvdevLineSource(
            opener, **self._callbacks(),
            decoder=WedgeDecoder() if max_line is None else WedgeDecoder(max_line=max_line),
            poll_interval=poll_interval, backoff_initial=backoff_initial, backoff_max=backoff_max,
            name=self.name,
        )
        if start:
            self.source.start()

    def _open_serial(self, port: str | None, *, baudrate: int, usb_id: str | None, read_timeout: float,
                     backoff_initial: float, backoff_max: float, framer: Any,
                     serial_factory: Callable[..., Any], start: bool) -> None:
        from hardware.serial_input import SerialLineSource

        self.source = SerialLineSource(
            port, **self._callbacks(),
            baudrate=baudrate, usb_id=usb_id, read_timeout=read_timeout,
            backoff_initial=backoff_initial, backoff_max=backoff_max,
            framer=framer, serial_factory=serial_factory, name=self.name,
        )
        if start:
            self.source.start()

    def close(self) -> None:
        self.source.close()
