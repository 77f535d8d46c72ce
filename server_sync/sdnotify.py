"""systemd notification (READY, WATCHDOG, STATUS, STOPPING) over $NOTIFY_SOCKET, with a plain socket.

The documented sd_notify protocol (sd_notify(3)): one datagram of newline-separated KEY=VALUE lines
to the unix socket named by $NOTIFY_SOCKET ("@" = abstract namespace). Shared by the sync agent,
the kiosk (kiosk.watchdog) and the feedback terminal; no Qt, no store."""

from __future__ import annotations

import os
import socket

__all__ = ["Watchdog", "notify", "watchdog_interval_s"]


def notify(state: str) -> bool:
    """Send one sd_notify message; False (and nothing happens) outside systemd."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(state.encode())
        return True
    except OSError:
        return False


def watchdog_interval_s() -> float | None:
    """Half the WatchdogSec systemd gave us (ping twice per period), or None."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return int(usec) / 2_000_000
    except ValueError:
        return None


class Watchdog:
    """Pets systemd's watchdog from whatever loop proves the process is alive.

    `pet()` may be called as often as the loop turns; it sends WATCHDOG=1 at most twice per
    WatchdogSec (the interval `watchdog_interval_s` gives). Outside systemd it does nothing."""

    def __init__(self, clock=None) -> None:
        import time

        self._clock = clock or time.monotonic
        self.interval_s = watchdog_interval_s()
        self._last: float | None = None
        self.sent = 0

    @property
    def enabled(self) -> bool:
        return self.interval_s is not None

    def pet(self) -> bool:
        if self.interval_s is None:
            return False
        now = self._clock()
        if self._last is not None and now - self._last < self.interval_s:
            return False
        self._last = now
        if notify("WATCHDOG=1"):
            self.sent += 1
            return True
        return False
