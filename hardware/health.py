"""Aggregate health: every configured device's state plus the board's temperature, power and disk."""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from hardware.base import DeviceState, Health

__all__ = [
    "device_health",
    "cpu_temperature_c",
    "throttled_bits",
    "parse_throttled",
    "disk_free_bytes",
    "SystemHealth",
    "system_health",
]

log = logging.getLogger(__name__)

THERMAL_ZONE = Path("/sys/class/thermal/thermal_zone0/temp")
FIRMWARE_THROTTLED = Path("/sys/devices/platform/soc/soc:firmware/get_throttled")

# Raspberry Pi firmware get_throttled bits.
UNDER_VOLTAGE_NOW = 1 << 0
THROTTLED_NOW = 1 << 2
UNDER_VOLTAGE_OCCURRED = 1 << 16

HOT_C = 80.0
LOW_DISK_BYTES = 200 * 1024 * 1024


def device_health(devices: Any) -> dict[str, Health]:
    """name → Health for every open device (a `Devices` or an iterable of (name, device) pairs)."""
    items: Iterable[tuple[str, Any]] = devices.items() if hasattr(devices, "items") else devices
    out: dict[str, Health] = {}
    for name, device in items:
        try:
            health = device.health()
        except Exception as exc:
            log.exception("health of %s failed", name)
            health = Health(DeviceState.OFFLINE, f"health check failed: {exc}")
        out[name] = health
    return out


def cpu_temperature_c(path: Path = THERMAL_ZONE) -> float | None:
    try:
        return int(path.read_text().strip()) / 1000.0
    except (OSError, ValueError):
        return None


def parse_throttled(text: str) -> int | None:
    """'throttled=0x50005' (vcgencmd) or '50005' (sysfs, hex) → the bit field."""
    value = text.strip().split("=")[-1].strip()
    try:
        return int(value, 16)
    except ValueError:
        return None


def throttled_bits(sysfs: Path = FIRMWARE_THROTTLED, vcgencmd: str | None = "vcgencmd") -> int | None:
    """The firmware's throttling flags where the board exposes them, None elsewhere."""
    try:
        return parse_throttled(sysfs.read_text())
    except OSError:
        pass
    if vcgencmd and shutil.which(vcgencmd):
        try:
            result = subprocess.run([vcgencmd, "get_throttled"], capture_output=True, text=True, timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if result.returncode == 0:
            return parse_throttled(result.stdout)
    return None


def disk_free_bytes(path: str | Path = "/") -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


@dataclass(frozen=True)
class SystemHealth:
    cpu_temp_c: float | None
    under_voltage: bool | None  # now
    under_voltage_occurred: bool | None  # since boot
    throttled: bool | None
    disk_free_bytes: int | None

    def as_health(self) -> Health:
        detail = {k: v for k, v in self.__dict__.items()}
        if self.under_voltage:
            return Health(DeviceState.DEGRADED, "ниско захранващо напрежение / under-voltage", detail)
        if self.cpu_temp_c is not None and self.cpu_temp_c >= HOT_C:
            return Health(DeviceState.DEGRADED, f"процесорът е горещ / CPU at {self.cpu_temp_c:.0f} °C", detail)
        if self.disk_free_bytes is not None and self.disk_free_bytes < LOW_DISK_BYTES:
            return Health(DeviceState.DEGRADED, "малко свободно място / low disk space", detail)
        return Health(DeviceState.OK, None, detail)


def system_health(
    data_dir: str | Path = "/",
    *,
    thermal_zone: Path = THERMAL_ZONE,
    throttled_sysfs: Path = FIRMWARE_THROTTLED,
    vcgencmd: str | None = "vcgencmd",
) -> SystemHealth:
    bits = throttled_bits(throttled_sysfs, vcgencmd)
    return SystemHealth(
        cpu_temp_c=cpu_temperature_c(thermal_zone),
        under_voltage=None if bits is None else bool(bits & UNDER_VOLTAGE_NOW),
        under_voltage_occurred=None if bits is None else bool(bits & UNDER_VOLTAGE_OCCURRED),
        throttled=None if bits is None else bool(bits & THROTTLED_NOW),
        disk_free_bytes=disk_free_bytes(data_dir),
    )
