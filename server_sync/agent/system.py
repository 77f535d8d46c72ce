"""Facts about the terminal's own machine for heartbeats: uptime, disk, CPU temperature, under-voltage."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

__all__ = ["uptime_s", "disk_free_bytes", "cpu_temp_c", "under_voltage", "SYS"]

SYS = Path("/sys")
_START = time.monotonic()


def uptime_s(proc: Path = Path("/proc/uptime")) -> float:
    """The machine's uptime (a reboot loop shows up); the process's if /proc is unreadable."""
    try:
        return float(proc.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _START


def disk_free_bytes(path: str | os.PathLike[str]) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def cpu_temp_c(sys_root: Path = SYS) -> float | None:
    """The SoC temperature from the first thermal zone (millidegrees in sysfs), if any."""
    zones = sorted((sys_root / "class" / "thermal").glob("thermal_zone*/temp"))
    for zone in zones:
        try:
            return int(zone.read_text().strip()) / 1000.0
        except (OSError, ValueError):
            continue
    return None


def under_voltage(sys_root: Path = SYS) -> bool | None:
    """True while the Pi's supply is below spec; None where the board does not say.

    Raspberry Pi kernels expose it as a hwmon "rpi_volt" device with in0_lcrit_alarm
    (Pi 4/5); older firmware as a get_throttled bitmask (bit 0: under-voltage now,
    bit 16: has occurred since boot — we report "now")."""
    for hwmon in sorted((sys_root / "class" / "hwmon").glob("hwmon*")):
        try:
            if (hwmon / "name").read_text().strip() == "rpi_volt":
                return (hwmon / "in0_lcrit_alarm").read_text().strip() == "1"
        except OSError:
            continue
    throttled = sys_root / "devices" / "platform" / "soc" / "soc:firmware" / "get_throttled"
    try:
        return bool(int(throttled.read_text().strip(), 16) & 0x1)
    except (OSError, ValueError):
        return None
