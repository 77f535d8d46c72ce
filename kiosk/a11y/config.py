"""The accessibility settings, and the stand-in speech of a terminal without a speech device."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from hardware.speech import STEPS
from kiosk.a11y.themes import THEMES, ScreenGeometry

__all__ = ["A11yConfig", "NoSpeech"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class A11yConfig:
    """What the accessibility controller starts with and returns to at each session's end.

    The kiosk builds it one way, `from_settings` (the [kiosk] table's panel geometry, viewing
    distance and repeat guard); the other fields keep their defaults there and exist for tests
    and embedding."""

    #: EN 301 549 5.8: ignore an identical key pressed again within this many seconds (0 = off)
    ignore_repeat_seconds: float = 0.0
    default_volume_step: int = 4  # of 7
    default_rate_step: int = 4
    theme: str = "default"
    large_text: bool = False
    geometry: ScreenGeometry = field(default_factory=ScreenGeometry)
    #: a municipality may let private data be read aloud on the speaker by default (not advised)
    private_aloud: bool = False
    #: the theme is applied to the QApplication by the controller (off for embedding tests)
    manage_theme: bool = True

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"kiosk.theme: unknown theme {self.theme!r}; known: {', '.join(THEMES)}")
        for name in ("default_volume_step", "default_rate_step"):
            value = getattr(self, name)
            if not 1 <= value <= STEPS:
                raise ValueError(f"kiosk.{name}: must be 1..{STEPS}, got {value}")
        if not 0 <= self.ignore_repeat_seconds <= 2:
            raise ValueError("kiosk.ignore_repeat_seconds: must be between 0 and 2 seconds")

    @classmethod
    def from_settings(cls, settings: Any) -> "A11yConfig":
        """From the kiosk's settings (kiosk.state.kiosk_state.KioskSettings): the panel's size in
        millimetres and pixels, the viewing distance and the repeat guard."""
        geometry = ScreenGeometry.from_width_mm(settings.screen_width_mm, settings.screen_width_px,
                                                settings.screen_height_px, settings.viewing_distance_mm)
        return cls(geometry=geometry, ignore_repeat_seconds=settings.ignore_repeat_seconds)


class NoSpeech:
    """Stands in when the terminal has no speech device: the keypad and themes still work."""

    paused = False
    is_speaking = False

    def say(self, *args, **kwargs) -> None:
        log.debug("no speech device: not said: %s", args[:1])

    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def reset(self) -> None: ...
    def set_output(self, output: str) -> None: ...

    def set_volume_step(self, step: int) -> int:
        return max(0, min(STEPS - 1, step))

    set_rate_step = set_volume_step
