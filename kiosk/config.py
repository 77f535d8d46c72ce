"""The kiosk's settings from the terminal config, read once (`hardware.config_file`).

Two steps, so the first frame does not wait for pydantic: `first_frame_settings` builds the
[kiosk] settings from the table as read (tomllib only); right after that frame the kiosk
validates the whole document (`kiosk_document`: [kiosk], [hardware.*], [hub], [sync] …, see
`kiosk.config_model`), and a bad key or value stops it with a ConfigError naming the file and
the key. Settings the table cannot even be built into are validated at once, for the same error.
"""

from __future__ import annotations

import logging
import math
import os
from typing import TYPE_CHECKING, Any, Mapping

from hardware.base import ConfigError
from hardware.config_file import ConfigFile, read_config_file
from kiosk.state.kiosk_state import KioskSettings
from kiosk.state.session import SessionTimeouts

if TYPE_CHECKING:
    from kiosk.config_model import KioskDocument

__all__ = ["ConfigError", "first_frame_settings", "kiosk_document", "kiosk_settings",
           "load_kiosk_settings"]

log = logging.getLogger(__name__)


def kiosk_settings(section: Mapping[str, Any], source: str = "<config>") -> KioskSettings:
    """The kiosk's settings from a [kiosk] table; keys not given keep their defaults. The table
    is taken as valid: `kiosk_document` says what is wrong with one that is not."""
    width_px = int(section.get("screen_width_px", 1280))
    height_px = int(section.get("screen_height_px", 800))
    width_mm = float(section.get("screen_width_mm", 216.96))
    if "screen_diagonal_in" in section:
        # the panel's width follows from its diagonal (square pixels): touch targets and large text agree
        width_mm = float(section["screen_diagonal_in"]) * 25.4 * width_px / math.hypot(width_px, height_px)
    if "technician_pin" in section:
        log.warning("%s: kiosk.technician_pin holds the PIN in clear; write technician_pin_hash "
                    "instead (kiosk hash-pin)", source)
    return KioskSettings(
        technician_pin_hash=section.get("technician_pin_hash"),
        office_id=section.get("office_id"),
        terminal_name=section.get("terminal_name", ""),
        language=section.get("language", "bg"),
        timeouts=SessionTimeouts(
            idle_seconds=float(section.get("idle_seconds", 90)),
            warning_seconds=float(section.get("warning_seconds", 30)),
            max_extensions=int(section.get("max_extensions", 20)),
        ),
        technician_pin=section.get("technician_pin"),
        badge_uids=tuple(section.get("badge_uids", ())),
        screen_width_mm=width_mm,
        screen_width_px=width_px,
        screen_height_px=height_px,
        viewing_distance_mm=float(section.get("viewing_distance_mm", 600.0)),
        ignore_repeat_seconds=float(section.get("ignore_repeat_seconds", 0.0)),
    )


def kiosk_document(config: ConfigFile) -> KioskDocument:
    """Every section the kiosk uses, validated (pydantic); a ConfigError names file and key."""
    from kiosk.config_model import KioskDocument
    from server_sync.config import terminal_document

    return terminal_document(config, KioskDocument)


def first_frame_settings(config: ConfigFile) -> KioskSettings:
    """The settings the kiosk starts with, from the [kiosk] table as read (no pydantic before the
    first frame). A table that cannot be built into settings is validated at once, so the
    error names the key; `kiosk_document` validates the rest right after the first frame."""
    table = config.table("kiosk")
    try:
        if table is not None and not isinstance(table, dict):
            raise TypeError("[kiosk] is not a table")
        return kiosk_settings(table or {}, config.source)
    except (TypeError, ValueError, AttributeError):
        kiosk_document(config)  # raises the ConfigError naming the key
        raise


def load_kiosk_settings(path: str | os.PathLike[str] | None = None) -> KioskSettings:
    """Read the terminal config, validate it and build the kiosk's settings (tools, tests)."""
    config = read_config_file(path)
    document = kiosk_document(config)
    return kiosk_settings(document.kiosk.model_dump(exclude_none=True), config.source)
