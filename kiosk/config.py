"""The [kiosk] section of the terminal config; a bad key names the key and the file."""

from __future__ import annotations

import logging
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.state.kiosk_state import KioskSettings
from kiosk.state.session import SessionTimeouts

log = logging.getLogger(__name__)


class KioskConfigError(ValueError):
    pass


@dataclass
class KioskConfig(KioskSettings):
    """KioskSettings plus the accessibility settings of the same [kiosk] section, which the
    app hands to the accessibility controller (`kiosk.a11y.A11yConfig`)."""

    a11y: Any = None


_KEYS = {
    "office_id": str, "terminal_name": str, "language": str, "technician_pin": str, "technician_pin_hash": str,
    "badge_uids": list, "idle_seconds": (int, float), "warning_seconds": (int, float),
    "max_extensions": int, "screen_width_mm": (int, float), "screen_width_px": int, "screen_height_px": int,
    # accessibility (kiosk/a11y, docs/keypad.md): the large-text arithmetic and the repeat window
    "screen_diagonal_in": (int, float), "viewing_distance_mm": (int, float), "ignore_repeat_seconds": (int, float),
}

#: (lowest, highest) a sane value may be; a typo like 6000 mm is caught at start, naming the key
_RANGES = {
    "screen_diagonal_in": (3.0, 100.0), "viewing_distance_mm": (200.0, 2000.0),
    "ignore_repeat_seconds": (0.0, 2.0), "screen_width_mm": (50.0, 2500.0),
}


def load_kiosk_settings(path: Path | None) -> KioskSettings:
    if path is None or not Path(path).exists():
        return KioskSettings()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KioskConfigError(f"{path}: not valid TOML: {exc}") from None
    section = data.get("kiosk", {})
    for key, value in section.items():
        if key not in _KEYS:
            raise KioskConfigError(f"{path}: [kiosk].{key}: unknown key")
        if not isinstance(value, _KEYS[key]) or isinstance(value, bool):
            raise KioskConfigError(f"{path}: [kiosk].{key}: wrong type {type(value).__name__}")
    for key, (low, high) in _RANGES.items():
        if key in section and not low <= section[key] <= high:
            raise KioskConfigError(f"{path}: [kiosk].{key}: must be between {low:g} and {high:g}, got {section[key]}")
    if section.get("language", "bg") not in ("bg", "en"):
        raise KioskConfigError(f"{path}: [kiosk].language: must be 'bg' or 'en'")
    try:
        timeouts = SessionTimeouts(
            idle_seconds=float(section.get("idle_seconds", 90)),
            warning_seconds=float(section.get("warning_seconds", 30)),
            max_extensions=int(section.get("max_extensions", 20)),
        )
    except ValueError as exc:
        raise KioskConfigError(f"{path}: [kiosk].{exc}") from None
    width_px = int(section.get("screen_width_px", 1280))
    height_px = int(section.get("screen_height_px", 800))
    width_mm = float(section.get("screen_width_mm", 216.96))
    if "screen_diagonal_in" in section:
        # the panel's width follows from its diagonal (square pixels): touch targets and large
        # text then agree; both given must describe the same panel
        derived = float(section["screen_diagonal_in"]) * 25.4 * width_px / math.hypot(width_px, height_px)
        if "screen_width_mm" in section and abs(derived - width_mm) > 0.03 * width_mm:
            raise KioskConfigError(
                f"{path}: [kiosk].screen_diagonal_in: {section['screen_diagonal_in']}\" gives a panel "
                f"{derived:.0f} mm wide, but screen_width_mm is {width_mm:g}; give one of them")
        width_mm = derived
    try:
        a11y = _a11y_config(section, width_mm, width_px, height_px)
    except ValueError as exc:
        raise KioskConfigError(f"{path}: [kiosk].{str(exc).removeprefix('kiosk.')}") from None
    pin_hash = section.get("technician_pin_hash")
    if pin_hash is not None and not pin_hash.startswith("$argon2id$"):
        raise KioskConfigError(f"{path}: [kiosk].technician_pin_hash: not an Argon2id hash "
                               "(make one with: kiosk hash-pin)")
    if "technician_pin" in section:
        log.warning("%s: [kiosk].technician_pin holds the PIN in clear; write technician_pin_hash "
                    "instead (kiosk hash-pin)", path)
    return KioskConfig(
        a11y=a11y,
        technician_pin_hash=pin_hash,
        office_id=section.get("office_id"),
        terminal_name=section.get("terminal_name", ""),
        language=section.get("language", "bg"),
        timeouts=timeouts,
        technician_pin=section.get("technician_pin"),
        badge_uids=tuple(section.get("badge_uids", ())),
        screen_width_mm=width_mm,
        screen_width_px=width_px,
        screen_height_px=height_px,
    )


def _a11y_config(section: dict, width_mm: float, width_px: int, height_px: int):
    from kiosk.a11y.controller import A11yConfig
    from kiosk.a11y.themes import ScreenGeometry

    geometry = ScreenGeometry.from_width_mm(width_mm, width_px, height_px,
                                            float(section.get("viewing_distance_mm", 600.0)))
    return A11yConfig(geometry=geometry, ignore_repeat_seconds=float(section.get("ignore_repeat_seconds", 0.0)))
