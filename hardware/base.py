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


class ConfigError(HardwareError, ValueError):
    """The terminal's configuration is wrong: the one error of every config loader.

    Its one-line message names the file (`source`), the dotted key (`hardware.printer.backend`,
    `feedback.follow_up.answers[0].id`) and what is wrong. It lives here, at the bottom of the
    import graph, so that drivers, the kiosk, the feedback terminal and the sync agent raise
    and catch the same type."""

    def __init__(self, source: str | None, key: str | None, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(": ".join(part for part in (source, key, problem) if part))

    def located(self, source: str | None, prefix: str | None = None) -> "ConfigError":
        """The same error, said of `source` and with `prefix` before its key (a section read
        by a driver that does not know the file or where its table sits)."""
        key = ".".join(part for part in (prefix, self.key) if part) or None
        return ConfigError(source if source is not None else self.source, key, self.problem)


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
