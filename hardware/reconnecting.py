"""A device read on its own thread that comes back by itself: open it, read until it fails
(unplugged, gone), close it, wait with a growing backoff, open it again.

The serial line source (serial_input.py) and the keyboard-wedge source (evdev_input.py) are
two of these; each says how to open, read, and let go of its device.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from hardware.base import DeviceState, Health

__all__ = ["ReconnectingSource"]

log = logging.getLogger(__name__)


class ReconnectingSource:
    """Calls `on_state(health)` on every change: OK once open, OFFLINE with the reason when it
    cannot be opened or stops. `reconnects` counts the openings after the first."""

    def __init__(self, *, on_state: Callable[[Health], None], backoff_initial: float, backoff_max: float,
                 name: str) -> None:
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.reconnects = 0
        self._on_state = on_state
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{name}-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _join(self) -> None:
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    # -- what each device says -----------------------------------------------------------
    def _open(self) -> Any:
        """The open device, or an exception saying why not (its text is the OFFLINE reason)."""
        raise NotImplementedError

    def _opened(self, device: Any) -> dict[str, Any]:
        """Just opened: reset what a half-read line left; the OK state's detail."""
        return {}

    def _absent_detail(self) -> dict[str, Any]:
        """The OFFLINE state's detail when the device cannot be opened."""
        return {}

    def _pump(self, device: Any) -> None:
        """Read until stopped (return) or the device fails (raise)."""
        raise NotImplementedError

    def _lost(self, exc: Exception) -> Health:
        """The OFFLINE state after reading failed with `exc` (an unexpected one is logged)."""
        log.exception("%s: reader loop failed", self._thread.name)
        return Health(DeviceState.OFFLINE, f"device error: {exc}")

    def _release(self, device: Any) -> None:
        """Let go of the device, gone or not; never raises."""

    # -- the loop --------------------------------------------------------------------------
    def _run(self) -> None:
        delay = self.backoff_initial
        first = True
        while not self._stop.is_set():
            try:
                device = self._open()
            except Exception as exc:
                self._on_state(Health(DeviceState.OFFLINE, str(exc) or type(exc).__name__, self._absent_detail()))
                self._stop.wait(delay)
                delay = min(delay * 2, self.backoff_max)
                continue
            if not first:
                self.reconnects += 1
            first = False
            delay = self.backoff_initial
            self._on_state(Health(DeviceState.OK, None, self._opened(device)))
            try:
                self._pump(device)
            except Exception as exc:
                if not self._stop.is_set():
                    self._on_state(self._lost(exc))
            finally:
                self._release(device)
            if not self._stop.is_set():
                self._stop.wait(delay)
