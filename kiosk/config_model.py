"""The [kiosk] section (pydantic) and the kiosk's whole config document: [kiosk], [hardware.*],
[terminal], [hub], [sync]. Imported only after the first frame (`kiosk.config.kiosk_document`):
pydantic costs the first frame about a tenth of a second (docs/DESIGN.md)."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from hardware.config import HardwareConfig
from hardware.config_model import KeyProblem, Section, between, finite
from kiosk.state.session import SessionTimeouts
from server_sync.config import TerminalConfig

__all__ = ["KioskSection", "KioskDocument"]

Seconds = Annotated[float, finite]


class KioskSection(Section):
    """[kiosk]. Every key is optional: what is not given keeps the kiosk's own default
    (`KioskSettings`, `SessionTimeouts`), as `kiosk.config.kiosk_settings` builds them."""

    office_id: str | None = None
    terminal_name: str | None = None
    language: str | None = None
    technician_pin: str | None = None
    technician_pin_hash: str | None = None
    badge_uids: list[str] | None = None
    idle_seconds: Seconds | None = None
    warning_seconds: Seconds | None = None
    max_extensions: int | None = None
    screen_width_mm: Annotated[float, between(50.0, 2500.0)] | None = None
    screen_width_px: Annotated[int, between(1, 100_000)] | None = None
    screen_height_px: Annotated[int, between(1, 100_000)] | None = None
    # accessibility (kiosk/a11y, docs/keypad.md): the large-text arithmetic and the repeat window
    screen_diagonal_in: Annotated[float, between(3.0, 100.0)] | None = None
    viewing_distance_mm: Annotated[float, between(200.0, 2000.0)] | None = None
    ignore_repeat_seconds: Annotated[float, between(0.0, 2.0)] | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and value not in ("bg", "en"):
            raise ValueError(f"must be 'bg' or 'en', got {value!r}")
        return value

    @field_validator("technician_pin_hash")
    @classmethod
    def _argon2id(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("$argon2id$"):
            raise ValueError("not an Argon2id hash (make one with: kiosk hash-pin)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> KioskSection:
        given = {k: v for k, v in (("idle_seconds", self.idle_seconds), ("warning_seconds", self.warning_seconds),
                                   ("max_extensions", self.max_extensions)) if v is not None}
        try:
            SessionTimeouts(**given)
        except ValueError as exc:  # "session.warning_seconds must be at least 20 (…)"
            key, _, problem = str(exc).removeprefix("session.").partition(" ")
            raise KeyProblem(key, problem) from None
        if self.screen_diagonal_in is not None and self.screen_width_mm is not None:
            # the panel's width follows from its diagonal (square pixels): both given must agree
            width_px, height_px = self.screen_width_px or 1280, self.screen_height_px or 800
            derived = self.screen_diagonal_in * 25.4 * width_px / math.hypot(width_px, height_px)
            if abs(derived - self.screen_width_mm) > 0.03 * self.screen_width_mm:
                raise KeyProblem("screen_diagonal_in", f"{self.screen_diagonal_in:g}\" gives a panel {derived:.0f} mm "
                                 f"wide, but screen_width_mm is {self.screen_width_mm:g}; give one of them")
        return self


class KioskDocument(TerminalConfig):
    """The terminal config as the kiosk reads it: its own [kiosk] and [hardware.*] typed too."""

    kiosk: KioskSection = Field(default_factory=KioskSection)
    hardware: HardwareConfig = Field(default_factory=HardwareConfig)
