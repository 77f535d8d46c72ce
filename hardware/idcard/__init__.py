"""ID-card reading: ICAO 9303 MRZ parsing and the serial, keyboard-wedge and simulated readers."""

from hardware.idcard.base import IdReader, IdReaderEvent, IdReaderListener
from hardware.idcard.evdev_reader import EvdevMrzReader
from hardware.idcard.mrz import IdCardError, IdDocument, MrzError, check_digit, parse_mrz
from hardware.idcard.serial_reader import SerialMrzReader
from hardware.idcard.simulated import SimulatedIdReader

__all__ = [
    "EvdevMrzReader",
    "IdCardError",
    "IdDocument",
    "IdReader",
    "IdReaderEvent",
    "IdReaderListener",
    "MrzError",
    "SerialMrzReader",
    "SimulatedIdReader",
    "check_digit",
    "parse_mrz",
]
