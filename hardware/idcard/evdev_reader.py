"""MRZ readers that type like a keyboard (HID keyboard wedge), read through evdev with the device grabbed."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from hardware.evdev_input import EvdevLineSource, InputDeviceMatch, WedgeDecoder, device_opener
from hardware.idcard.assembler import MrzAssembler
from hardware.idcard.base import LineFedIdReader

__all__ = ["EvdevMrzReader"]


class EvdevMrzReader(LineFedIdReader):
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
        open_device = device_opener("EvdevMrzReader", match, open_device, device=device, name=name, phys=phys, usb_id=usb_id)
        self.assembler = MrzAssembler(window=window, today=today, clock=clock)
        self.source = EvdevLineSource(
            open_device,
            on_line=self._line,
            on_state=self._state,
            on_idle=self._idle,
            decoder=WedgeDecoder(),
            poll_interval=poll_interval,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            name=self.name,
        )
        if start:
            self.source.start()
