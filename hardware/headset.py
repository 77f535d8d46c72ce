"""Headset plug detection: the sound card's jack switch (evdev SW_HEADPHONE_INSERT) or a simulation.

Plugging a headset in is one of the ways a blind citizen starts speech mode without sight
(EN 301 549 5.2), and private data is spoken only through a headset (5.1.3.9). Many sound
cards report the jack as an input device named "... Headphone Jack" (HDA codecs, some USB
cards); the Raspberry Pi's own 3.5 mm jack does not report it, so the detector is optional
and the kiosk also works from the keypad's Audio key.

Contract of a detector (must): take a listener with ``on_headset(plugged: bool)``, report
every change exactly once, expose ``plugged`` (``None`` while unknown), ``health()`` and an
idempotent ``close()``. Callbacks arrive on the detector's own thread; the kiosk's bridge
re-emits them as Qt signals.
"""

from __future__ import annotations

import logging
import os
import select
import threading
from typing import Any, Iterable, Protocol

from hardware.base import Device, DeviceState, DeviceUnavailable, Health

__all__ = [
    "HeadsetListener",
    "HeadsetDetector",
    "EvdevHeadsetDetector",
    "SimulatedHeadset",
    "find_headphone_jack",
]

log = logging.getLogger(__name__)

# Values of linux/input-event-codes.h; kept here so the module imports without evdev.
EV_SW = 0x05
SW_HEADPHONE_INSERT = 0x02


class HeadsetListener(Protocol):
    def on_headset(self, plugged: bool) -> None: ...


class HeadsetDetector(Device):
    """Base: remembers the last state and tells the listener only about real changes."""

    name = "headset"

    def __init__(self, listener: HeadsetListener | None = None) -> None:
        self._listener = listener
        self._plugged: bool | None = None
        self._lock = threading.Lock()

    @property
    def plugged(self) -> bool | None:
        return self._plugged

    def set_listener(self, listener: HeadsetListener | None) -> None:
        """Attach the listener later (the kiosk opens devices before its accessibility layer);
        a state already known is reported to it at once."""
        self._listener = listener
        if listener is not None and self._plugged is not None:
            listener.on_headset(self._plugged)

    def _report(self, plugged: bool) -> None:
        with self._lock:
            if plugged == self._plugged:
                return
            self._plugged = plugged
        if self._listener is not None:
            try:
                self._listener.on_headset(plugged)
            except Exception:  # a listener bug must not kill the reader thread
                log.exception("headset listener failed")

    def health(self) -> Health:
        if self._plugged is None:
            return Health(DeviceState.UNKNOWN, "headset state not reported")
        return Health(DeviceState.OK, None, {"plugged": self._plugged})


class SimulatedHeadset(HeadsetDetector):
    """For tests and the demo: ``plug()`` / ``unplug()`` stand for the physical act."""

    def __init__(self, listener: HeadsetListener | None = None, plugged: bool = False) -> None:
        super().__init__(listener)
        self._plugged = plugged

    def plug(self) -> None:
        self._report(True)

    def unplug(self) -> None:
        self._report(False)


def _has_headphone_switch(device: Any) -> bool:
    try:
        caps = device.capabilities()
    except OSError:
        return False
    return SW_HEADPHONE_INSERT in caps.get(EV_SW, [])


def find_headphone_jack(devices: Iterable[Any] | None = None) -> Any | None:
    """The first input device that reports SW_HEADPHONE_INSERT, preferring one named "Headphone"."""
    if devices is None:
        import evdev

        devices = []
        for path in evdev.list_devices():
            try:
                devices.append(evdev.InputDevice(path))
            except OSError:
                continue
    candidates = [d for d in devices if _has_headphone_switch(d)]
    candidates.sort(key=lambda d: "headphone" not in (getattr(d, "name", "") or "").lower())
    for extra in candidates[1:]:
        close = getattr(extra, "close", None)
        if close:
            close()
    return candidates[0] if candidates else None


class EvdevHeadsetDetector(HeadsetDetector):
    """Reads jack switch events from an evdev input device on a background thread.

    ``device`` is an ``evdev.InputDevice`` (or anything with ``fd``, ``read()`` and
    ``capabilities()``); by default the sound card's jack device is looked up. The initial
    state comes from the EVIOCGSW ioctl so a headset already plugged in at boot counts.
    """

    def __init__(self, listener: HeadsetListener | None = None, device: Any | None = None) -> None:
        super().__init__(listener)
        if device is None:
            device = find_headphone_jack()
            if device is None:
                raise DeviceUnavailable("no input device reports SW_HEADPHONE_INSERT (headphone jack detection)")
        elif not _has_headphone_switch(device):
            raise DeviceUnavailable(f"{getattr(device, 'path', device)} does not report SW_HEADPHONE_INSERT")
        self._device = device
        self._error: str | None = None
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()
        initial = self._read_initial_state()
        if initial is not None:
            self._report(initial)
        self._thread = threading.Thread(target=self._run, name="headset-evdev", daemon=True)
        self._thread.start()

    def _read_initial_state(self) -> bool | None:
        try:
            from evdev import _input

            return SW_HEADPHONE_INSERT in _input.ioctl_EVIOCG_bits(self._device.fd, EV_SW)
        except Exception:  # not a real device, or the kernel refused: learn it from the first event
            return None

    def handle_event(self, event: Any) -> None:
        """One input_event; public so tests can feed synthetic events without a kernel device."""
        if event.type == EV_SW and event.code == SW_HEADPHONE_INSERT:
            self._report(bool(event.value))

    def _run(self) -> None:
        fd = self._device.fd
        while not self._closed:
            try:
                ready, _, _ = select.select([fd, self._wake_r], [], [])
            except (OSError, ValueError):
                break
            if self._wake_r in ready:
                break
            try:
                for event in self._device.read():
                    self.handle_event(event)
            except BlockingIOError:
                continue
            except OSError as exc:  # unplugged USB sound card
                self._error = f"headphone jack device lost: {exc}"
                log.warning(self._error)
                break

    def health(self) -> Health:
        if self._error:
            return Health(DeviceState.OFFLINE, self._error)
        return super().health()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass
        close = getattr(self._device, "close", None)
        if close:
            close()
