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


# [kiosk] keys → (KioskSettings field, conversion); the defaults are the dataclasses' own.
_SETTINGS = {
    "technician_pin_hash": str, "technician_pin": str, "office_id": str, "terminal_name": str, "language": str,
    "badge_uids": tuple, "screen_width_mm": float, "screen_width_px": int, "screen_height_px": int,
    "viewing_distance_mm": float, "ignore_repeat_seconds": float,
}
_TIMEOUTS = {"idle_seconds": float, "warning_seconds": float, "max_extensions": int}


def kiosk_settings(section: Mapping[str, Any], source: str = "<config>") -> KioskSettings:
    """The kiosk's settings from a [kiosk] table; keys not given keep the defaults of `KioskSettings`
    and `SessionTimeouts` (written there only). The table is taken as valid: `kiosk_document` says
    what is wrong with one that is not."""
    given = {key: convert(section[key]) for key, convert in _SETTINGS.items() if section.get(key) is not None}
    timeouts = {key: convert(section[key]) for key, convert in _TIMEOUTS.items() if section.get(key) is not None}
    if "screen_diagonal_in" in section:
        # the panel's width follows from its diagonal (square pixels): touch targets and large text agree
        width_px = given.get("screen_width_px", KioskSettings.screen_width_px)
        height_px = given.get("screen_height_px", KioskSettings.screen_height_px)
        given["screen_width_mm"] = float(section["screen_diagonal_in"]) * 25.4 * width_px / math.hypot(width_px,
                                                                                                      height_px)
    if "technician_pin" in section:
        log.warning("%s: kiosk.technician_pin holds the PIN in clear; write technician_pin_hash "
                    "instead (kiosk hash-pin)", source)
    return KioskSettings(**given, timeouts=SessionTimeouts(**timeouts))


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
