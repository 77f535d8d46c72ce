"""The line-reading devices share one base: one place builds and starts their reading thread."""

from __future__ import annotations

import re
from pathlib import Path

from hardware.badge import EvdevBadgeReader
from hardware.idcard.evdev_reader import EvdevMrzReader
from hardware.idcard.serial_reader import SerialMrzReader
from hardware.line_devices import LineSourceDevice
from hardware.scanner import EvdevScanner, SerialScanner

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"


def test_every_line_reading_device_uses_the_shared_base():
    for cls in (EvdevBadgeReader, EvdevScanner, SerialScanner, EvdevMrzReader, SerialMrzReader):
        assert issubclass(cls, LineSourceDevice), cls
        assert cls.close is LineSourceDevice.close, cls


def test_only_the_base_builds_a_line_source():
    builders = {p.relative_to(HARDWARE).as_posix() for p in HARDWARE.rglob("*.py")
                if re.search(r"(?<!class )\b(EvdevLineSource|SerialLineSource)\(", p.read_text(encoding="utf-8"))}
    assert builders == {"line_devices.py"}

