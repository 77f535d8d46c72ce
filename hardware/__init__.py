"""Device drivers behind small interfaces: real backends and simulated ones. No Qt, no database."""

from hardware.base import DeviceState, DeviceUnavailable, HardwareError, Health  # noqa: F401
