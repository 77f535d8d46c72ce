"""Moved to `server_sync.sdnotify` (the kiosk and the feedback terminal use it too); kept for imports."""

from server_sync.sdnotify import notify, watchdog_interval_s

__all__ = ["notify", "watchdog_interval_s"]
