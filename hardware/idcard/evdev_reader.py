"""MRZ readers that type like a keyboard (HID keyboard wedge), read through evdev with the device grabbed."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from hardware.evdev_input import InputDeviceMatch
from hardware.idcard.assembler import MrzAssembler
from hardware.idcard.base import LineFedIdReader
from hardware.line_devices import LineSourceDevice

__all__ = ["EvdevMrzReader"]


class EvdevMrzReader(LineSourceDevice, LineFedIdReader):
    """A keyboard-wedge MRZ reader: each MRZ line arrives as keystrokes ending in Enter.

    Give `match` (found again by name/phys/vendor:product after a replug) or, for tests and
    unusual setups, `open_device` (a callable returning an evdev-like device).
    """

    name = "id_reader_evdev"

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
        window: float = 2.0,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Callable[[], float] = time.monotonic,
        poll_interval: float = 0.2,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        start: bool = True,
    ) -> None:
        super().__init__(listener)
        self.assembler = MrzAssembler(window=window, today=today, clock=clock)
        self._open_evdev(match, open_device, device=device, name=name, phys=phys, usb_id=usb_id, max_line=None,
                         poll_interval=poll_interval, backoff_initial=backoff_initial, backoff_max=backoff_max,
                         start=start)
