"""What every device shares: its health state, the exception root, the context-manager contract."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DeviceState", "Health", "HardwareError", "DeviceUnavailable", "ConfigError", "Device"]


class DeviceState(enum.StrEnum):
    OK = "ok"
    DEGRADED = "degraded"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Health:
    """A device's state with a reason a technician can act on ("paper near end")."""

    state: DeviceState
    reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "reason": self.reason, "detail": dict(self.detail)}


class HardwareError(Exception):
    """Root of every error raised by `hardware`."""


class DeviceUnavailable(HardwareError):
    """The device is not there or stopped answering (unplugged, offline, permission denied)."""


class ConfigError(HardwareError):
    """A device section of the configuration is wrong; the message names the key."""


class Device:
    """Base of every driver: a context manager with an idempotent close() and a health()."""

    name: str = "device"

    def health(self) -> Health:  # pragma: no cover - every driver overrides
        raise NotImplementedError

    def close(self) -> None:
        """Release the device; calling it twice is harmless."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
