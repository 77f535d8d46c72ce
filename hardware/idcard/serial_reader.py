"""The MRZ reader on a serial / USB-CDC port, over `hardware.serial_input`'s line source."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import serial

from hardware.idcard.assembler import MrzAssembler
from hardware.idcard.base import LineFedIdReader
from hardware.line_devices import LineSourceDevice
from hardware.serial_input import LineFramer

__all__ = ["SerialMrzReader"]


class SerialMrzReader(LineSourceDevice, LineFedIdReader):
    """An MRZ reader on a serial / USB-CDC port (Access IS, Desko, 3M…): lines in, documents out."""

    name = "id_reader_serial"

    def __init__(
        self,
        listener: Any | None,
        port: str | None = None,
        *,
        device: str | None = None,
        baudrate: int = 9600,
        usb_id: str | None = None,
        window: float = 2.0,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Callable[[], float] = time.monotonic,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        read_timeout: float = 0.2,
        serial_factory: Callable[..., Any] = serial.Serial,
        start: bool = True,
    ) -> None:
        super().__init__(listener)
        self.assembler = MrzAssembler(window=window, today=today, clock=clock)
        self._open_serial(port or device, baudrate=baudrate, usb_id=usb_id, read_timeout=read_timeout,
                          backoff_initial=backoff_initial, backoff_max=backoff_max, framer=LineFramer(clock=clock),
                          serial_factory=serial_factory, start=start)
