"""Keyboard-wedge input through python-evdev: keycode decoding, device matching, and a grabbing line source."""

from __future__ import annotations

import errno
import functools
import logging
import select
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evdev import ecodes

from hardware.base import DeviceState, DeviceUnavailable, Health
from hardware.reconnecting import ReconnectingSource

__all__ = [
    "device_opener",
    "KEYMAP_US",
    "WedgeDecoder",
    "InputDeviceMatch",
    "make_match",
    "parse_usb_id",
    "find_input_device",
    "EvdevLineSource",
]

log = logging.getLogger(__name__)

KEY_UP, KEY_DOWN, KEY_HOLD = 0, 1, 2


def _build_us_keymap() -> dict[int, tuple[str, str]]:
    """keycode -> (plain, shifted) for the US layout that wedge readers and scanners emulate."""
    keymap: dict[int, tuple[str, str]] = {}
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        keymap[getattr(ecodes, f"KEY_{letter}")] = (letter.lower(), letter)
    for digit, shifted in zip("1234567890", "!@#$%^&*()"):
        keymap[getattr(ecodes, f"KEY_{digit}")] = (digit, shifted)
        keymap[getattr(ecodes, f"KEY_KP{digit}")] = (digit, digit)
    for name, plain, shifted in (
        ("MINUS", "-", "_"),
        ("EQUAL", "=", "+"),
        ("LEFTBRACE", "[", "{"),
        ("RIGHTBRACE", "]", "}"),
        ("SEMICOLON", ";", ":"),
        ("APOSTROPHE", "'", '"'),
        ("GRAVE", "`", "~"),
        ("BACKSLASH", "\\", "|"),
        ("COMMA", ",", "<"),
        ("DOT", ".", ">"),
        ("SLASH", "/", "?"),
        ("SPACE", " ", " "),
        ("TAB", "\t", "\t"),
        # The extra ISO key left of Z: '<' plain, '>' shifted. MRZ readers send their fillers with it.
        ("102ND", "<", ">"),
        ("KPDOT", ".", "."),
        ("KPSLASH", "/", "/"),
        ("KPASTERISK", "*", "*"),
        ("KPMINUS", "-", "-"),
        ("KPPLUS", "+", "+"),
    ):
        keymap[getattr(ecodes, f"KEY_{name}")] = (plain, shifted)
    return keymap


KEYMAP_US: dict[int, tuple[str, str]] = _build_us_keymap()
_SHIFT_KEYS = frozenset({ecodes.KEY_LEFTSHIFT, ecodes.KEY_RIGHTSHIFT})
_LINE_END_KEYS = frozenset({ecodes.KEY_ENTER, ecodes.KEY_KPENTER})


class WedgeDecoder:
    """Turns key events of a keyboard-wedge device into text lines (one per Enter).

    Key-down only; autorepeat (value 2) is ignored, since a reader never holds a key and a
    repeat would duplicate a character. Shift is tracked per side; Caps Lock toggles letters.
    """

    def __init__(self, keymap: dict[int, tuple[str, str]] | None = None, *, max_line: int = 512) -> None:
        self.keymap = keymap or KEYMAP_US
        self.max_line = max_line
        self.reset()

    def reset(self) -> None:
        self._shift_down: set[int] = set()
        self._caps = False
        self._chars: list[str] = []
        self._overflow = False

    def feed(self, event: Any) -> str | None:
        """Feed one evdev event; return the completed line when Enter arrives, else None."""
        if event.type != ecodes.EV_KEY:
            return None
        code, value = event.code, event.value
        if code in _SHIFT_KEYS:
            if value == KEY_DOWN:
                self._shift_down.add(code)
            elif value == KEY_UP:
                self._shift_down.discard(code)
            return None
        if value != KEY_DOWN:
            return None
        if code == ecodes.KEY_CAPSLOCK:
            self._caps = not self._caps
            return None
        if code in _LINE_END_KEYS:
            line = "".join(self._chars)
            overflow = self._overflow
            self._chars.clear()
            self._overflow = False
            return None if overflow or not line else line
        if code == ecodes.KEY_BACKSPACE:
            if self._chars:
                self._chars.pop()
            return None
        pair = self.keymap.get(code)
        if pair is None:
            return None  # function keys, Ctrl, Alt: not text
        shifted = bool(self._shift_down)
        char = pair[1] if shifted else pair[0]
        if self._caps and char.isalpha():
            char = char.lower() if shifted else char.upper()
        if len(self._chars) >= self.max_line:
            self._overflow = True
        else:
            self._chars.append(char)
        return None


def parse_usb_id(text: str) -> tuple[int, int]:
    """"0c2e:0b61" -> (0x0C2E, 0x0B61)."""
    vendor, _, product = text.partition(":")
    try:
        return int(vendor, 16), int(product, 16)
    except ValueError as exc:
        raise ValueError(f"USB id {text!r} is not VENDOR:PRODUCT in hex") from exc


@dataclass(frozen=True)
class InputDeviceMatch:
    """Which input device is ours, by what survives replugging: name, phys, USB vendor:product, or a path.

    Unset criteria are ignored; a name matches as a case-insensitive substring.
    """

    path: str | None = None
    name: str | None = None
    phys: str | None = None
    vendor: int | None = None
    product: int | None = None

    @classmethod
    def from_usb_id(cls, usb_id: str, **kwargs: Any) -> InputDeviceMatch:
        vendor, product = parse_usb_id(usb_id)
        return cls(vendor=vendor, product=product, **kwargs)

    def matches(self, device: Any) -> bool:
        if self.path and device.path != self.path:
            return False
        if self.name and self.name.lower() not in (device.name or "").lower():
            return False
        if self.phys and device.phys != self.phys:
            return False
        info = getattr(device, "info", None)
        if self.vendor is not None and getattr(info, "vendor", None) != self.vendor:
            return False
        if self.product is not None and getattr(info, "product", None) != self.product:
            return False
        return True

    def describe(self) -> str:
        parts = []
        for key, value in vars(self).items():
            if value is not None:
                parts.append(f"{key}={value:04x}" if isinstance(value, int) else f"{key}={value!r}")
        return ", ".join(parts) or "any device"


def make_match(
    match: InputDeviceMatch | None = None,
    *,
    device: str | None = None,
    name: str | None = None,
    phys: str | None = None,
    usb_id: str | None = None,
) -> InputDeviceMatch | None:
    """An InputDeviceMatch from config keys: `device` (a /dev/input/by-id/... path), name, phys, usb_id."""
    if match is not None:
        return match
    if not (device or name or phys or usb_id):
        return None
    vendor, product = parse_usb_id(usb_id) if usb_id else (None, None)
    return InputDeviceMatch(path=device, name=name, phys=phys, vendor=vendor, product=product)


def find_input_device(
    match: InputDeviceMatch,
    *,
    list_devices: Callable[[], list[str]] | None = None,
    open_device: Callable[[str], Any] | None = None,
) -> Any:
    """Open the first /dev/input/event* device that `match` accepts; DeviceUnavailable if none."""
    import evdev

    list_devices = list_devices or evdev.list_devices
    open_device = open_device or evdev.InputDevice
    denied: list[str] = []
    for path in ([match.path] if match.path else list_devices()):
        try:
            device = open_device(path)
        except PermissionError:
            denied.append(path)
            continue
        except OSError:
            continue  # vanished between listing and opening
        if match.matches(device):
            return device
        device.close()
    if denied:
        raise DeviceUnavailable(
            f"no permission to open {', '.join(denied)} (is the service user in group 'input'?)"
        )
    raise DeviceUnavailable(f"no input device matching {match.describe()}")


def device_opener(
    owner: str,
    match: InputDeviceMatch | None = None,
    open_device: Callable[[], Any] | None = None,
    **where: str | None,
) -> Callable[[], Any]:
    """How a wedge device is (re)opened after a replug: `open_device` as given (tests, unusual
    set-ups), else found by its match built from config keys (device, name, phys, usb_id)."""
    if open_device is not None:
        return open_device
    match = make_match(match, **where)
    if match is None:
        raise ValueError(f"{owner} needs device, name, phys or usb_id to find its input device")
    return functools.partial(find_input_device, match)


class EvdevLineSource(ReconnectingSource):
    """Reads a grabbed keyboard-wedge device on its own thread and calls `on_line(text)` per Enter.

    The device is grabbed exclusively so scanned text never reaches the kiosk's focused widget.
    When it disappears (OSError ENODEV on unplug) the state goes OFFLINE and `open_device()` is
    retried with backoff until it is found again. `open_device` is any callable returning an
    object with fileno(), read(), grab(), ungrab(), close() (python-evdev's InputDevice).
    """

    def __init__(
        self,
        open_device: Callable[[], Any],
        *,
        on_line: Callable[[str], None],
        on_state: Callable[[Health], None],
        on_idle: Callable[[], None] | None = None,
        decoder: WedgeDecoder | None = None,
        grab: bool = True,
        poll_interval: float = 0.2,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        name: str = "evdev",
    ) -> None:
        super().__init__(on_state=on_state, backoff_initial=backoff_initial, backoff_max=backoff_max, name=name)
        self._open_device = open_device
        self._on_line = on_line
        self._on_idle = on_idle or (lambda: None)
        self.decoder = decoder or WedgeDecoder()
        self.grab = grab
        self.poll_interval = poll_interval

    def close(self) -> None:
        """Stop the thread and release (ungrab) the device; calling it twice is harmless."""
        self._stop.set()
        self._join()

    def _open(self) -> Any:
        device = self._open_device()
        if self.grab:
            try:
                device.grab()
            except OSError as exc:
                _close_quietly(device)
                if exc.errno == errno.EBUSY:
                    raise DeviceUnavailable("device is grabbed by another program") from exc
                raise DeviceUnavailable(f"cannot grab device: {exc}") from exc
        return device

    def _opened(self, device: Any) -> dict[str, Any]:
        self.decoder.reset()  # a Shift held at unplug time must not stick
        return {"device": str(getattr(device, "name", ""))}

    def _lost(self, exc: Exception) -> Health:
        if isinstance(exc, OSError) and exc.errno == errno.ENODEV:
            return Health(DeviceState.OFFLINE, "device unplugged")
        return super()._lost(exc)

    def _release(self, device: Any) -> None:
        if self.grab:
            try:
                device.ungrab()
            except Exception:
                pass  # gone devices cannot be ungrabbed; the kernel drops the grab with the fd
        _close_quietly(device)

    def _pump(self, device: Any) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([device], [], [], self.poll_interval)
            if not ready:
                self._on_idle()
                continue
            try:
                for event in device.read():
                    line = self.decoder.feed(event)
                    if line is not None:
                        self._on_line(line)
            except BlockingIOError:
                continue  # woken without a full event


def _close_quietly(device: Any) -> None:
    try:
        device.close()
    except Exception:
        pass
