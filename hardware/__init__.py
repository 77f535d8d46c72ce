"""Device drivers behind small interfaces: real backends and simulated ones. No Qt, no database."""

from hardware.base import DeviceState, Health, HardwareError, DeviceUnavailable  # noqa: F401
