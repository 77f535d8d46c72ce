"""The `[feedback]` section of a terminal's TOML config, typed (pydantic); errors name the key and the file."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from typing import Annotated, Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator, model_validator

from hardware.base import ConfigError
from hardware.buttons import ButtonPanelConfig
from hardware.config_file import read_config_file
from hardware.config_model import KeyProblem, Section, finite, validate_section
from server_sync.config import TerminalConfig

__all__ = ["ConfigError", "FeedbackConfig", "FeedbackDocument", "FeedbackSection", "FollowUp", "FollowUpAnswer",
           "OpeningSchedule", "feedback_config", "load_feedback_config", "parse_feedback_section"]

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_IDENT = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$")


@dataclass(frozen=True)
class OpeningSchedule:
    """Weekly opening hours of one office in its own time zone (Monday = 0)."""

    timezone: str
    spans: tuple[tuple[int, dtime, dtime | None], ...]  # (weekday, opens, closes; None = midnight)

    def is_open(self, when: datetime) -> bool:
        local = when.astimezone(ZoneInfo(self.timezone))
        now = local.time().replace(tzinfo=None)
        for weekday, opens, closes in self.spans:
            if weekday == local.weekday() and opens <= now and (closes is None or now < closes):
                return True
        return False

    @classmethod
    def from_catalogue_office(cls, office: Any) -> "OpeningSchedule | None":
        """From the cached catalogue's Office (protocol model); None when it lists no hours."""
        if not office.opening_hours:
            return None
        spans = []
        for entry in office.opening_hours:
            closes = None if entry.closes == "24:00" else dtime.fromisoformat(entry.closes)
            spans.append((entry.weekday, dtime.fromisoformat(entry.opens), closes))
        return cls(office.timezone, tuple(spans))


@dataclass(frozen=True)
class FollowUpAnswer:
    id: str
    bg: str
    en: str


@dataclass(frozen=True)
class FollowUp:
    """The optional question after a smiley on the touch face ("What was the main reason?")."""

    question_bg: str
    question_en: str
    answers: tuple[FollowUpAnswer, ...]
    ask_at_or_below: int  # ask only after scores up to this one (all scores when = scale)


@dataclass(frozen=True)
class FeedbackConfig:
    panel: ButtonPanelConfig = field(default_factory=ButtonPanelConfig)
    pin_factory: str = "lgpio"
    counter_id: str | None = None
    office_id: str | None = None
    service_id: str | None = None
    response_interval_s: float = 5.0
    timezone: str = "Europe/Sofia"
    opening_hours: OpeningSchedule | None = None  # None: take the office's from the catalogue
    follow_up: FollowUp | None = None
    thanks_s: float = 3.0

    @property
    def scale(self) -> int:
        return self.panel.scale


_PIN_FACTORIES = ("lgpio", "rpigpio", "native", "mock")


def _ident(value: str | None) -> str | None:
    if value is not None and not _IDENT.match(value):
        raise ValueError(f"{value!r} is not an identifier (lower-case letters, digits, _ . -)")
    return value


def _pins(value: list[Any] | None) -> list[Any] | None:
    if value is not None and not all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 53 for p in value):
        raise ValueError(f"expected a list of GPIO numbers 0–53, got {value!r}")
    return value


def _pin(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 53:
        raise ValueError(f"GPIO {value} is out of range 0–53")
    return value


Ident = Annotated[str, AfterValidator(_ident)]
Pins = Annotated[list[Any], AfterValidator(_pins)]
Pin = Annotated[int, AfterValidator(_pin)]
Number = Annotated[float, finite]


class FollowUpAnswerSection(Section):
    id: Ident
    bg: str
    en: str | None = None  # Bulgarian when not given

    @field_validator("bg")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value:
            raise ValueError("is required")
        return value


class FollowUpSection(Section):
    question_bg: str = "Каква беше основната причина?"
    question_en: str = "What was the main reason?"
    ask_at_or_below: int | None = None  # the scale when not given: ask after every score
    answers: list[FollowUpAnswerSection] = Field(default_factory=list)

    @model_validator(mode="after")
    def _answers_given(self) -> FollowUpSection:
        if not self.answers:
            raise KeyProblem("answers", "needs at least one answer")
        return self


class FeedbackSection(Section):
    """[feedback] as written; `feedback_config` builds the terminal's FeedbackConfig from it."""

    button_pins: Pins = Field(default_factory=lambda: [17, 27, 22, 23])
    scale: int | None = None  # the number of buttons when not given
    led_mode: str | None = None  # per_button if led_pins are given, single if ack_led_pin is, else none
    led_pins: Pins = Field(default_factory=list)
    ack_led_pin: Pin | None = None
    buzzer_pin: Pin | None = None
    debounce_ms: Number = 30
    stuck_after_s: Number = 30
    pin_factory: str = "lgpio"
    counter_id: Ident | None = None
    office_id: Ident | None = None
    service_id: Ident | None = None
    response_interval_s: Number = 5.0
    timezone: str = "Europe/Sofia"
    opening_hours: dict[str, Any] | None = None
    follow_up: FollowUpSection | None = None
    thanks_s: Number = 3.0

    @field_validator("led_mode")
    @classmethod
    def _led_mode(cls, value: str | None) -> str | None:
        if value is not None and value not in ("per_button", "single", "none"):
            raise ValueError(f"must be per_button, single or none, got {value!r}")
        return value

    @field_validator("response_interval_s")
    @classmethod
    def _not_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError("must not be negative")
        return value

    @field_validator("pin_factory")
    @classmethod
    def _pin_factory(cls, value: str) -> str:
        if value not in _PIN_FACTORIES:
            raise ValueError(f"must be {', '.join(_PIN_FACTORIES[:-1])} or {_PIN_FACTORIES[-1]}, got {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def effective_scale(self) -> int:
        return self.scale if self.scale is not None else len(self.button_pins)

    @property
    def effective_led_mode(self) -> str:
        if self.led_mode is not None:
            return self.led_mode
        given = self.model_fields_set
        return "per_button" if "led_pins" in given else ("single" if "ack_led_pin" in given else "none")

    @model_validator(mode="after")
    def _consistent(self) -> FeedbackSection:
        scale = self.effective_scale
        if not 3 <= scale <= 5:
            raise KeyProblem("scale", f"must be 3, 4 or 5, got {scale}")
        if scale != len(self.button_pins):
            raise KeyProblem("button_pins", f"scale is {scale} but {len(self.button_pins)} pins are given")
        mode = self.effective_led_mode
        if mode == "per_button" and not self.led_pins:
            raise KeyProblem("led_pins", "led_mode is per_button but no led_pins are given")
        if mode == "single" and self.ack_led_pin is None:
            raise KeyProblem("ack_led_pin", "led_mode is single but no ack_led_pin is given")
        try:
            self.panel()
        except ConfigError as exc:  # the panel's own checks: one LED per button, a GPIO used twice
            raise KeyProblem(exc.key or "button_pins", exc.problem) from None
        if self.opening_hours is not None:
            self.schedule()
        return self

    def panel(self) -> ButtonPanelConfig:
        mode = self.effective_led_mode
        return ButtonPanelConfig(
            button_pins=tuple(self.button_pins),
            led_pins=tuple(self.led_pins) if mode == "per_button" else (),
            ack_led_pin=self.ack_led_pin if mode == "single" else None,
            buzzer_pin=self.buzzer_pin,
            debounce_s=self.debounce_ms / 1000,
            stuck_after_s=self.stuck_after_s,
        )

    def schedule(self) -> OpeningSchedule:
        """The opening hours as written: {"mon-fri": "08:30-17:00", "sat": ["09:00-12:00", …]}."""
        spans = []
        for days, hours in (self.opening_hours or {}).items():
            key = f"opening_hours.{days}"
            if days.count("-") > 1 or not all(d in WEEKDAYS for d in days.split("-")):
                raise KeyProblem(key, "days must be like mon, sat or mon-fri")
            first, _, last = days.partition("-")
            weekdays = range(WEEKDAYS[first], WEEKDAYS[last or first] + 1)
            if not weekdays:
                raise KeyProblem(key, "day range runs backwards")
            for span in hours if isinstance(hours, list) else [hours]:
                if not (isinstance(span, str) and _SPAN.match(span)):
                    raise KeyProblem(key, f"expected \"HH:MM-HH:MM\" (or a list of them), got {span!r}")
                opens_s, closes_s = span.split("-")
                opens = dtime.fromisoformat(opens_s)
                closes = None if closes_s == "24:00" else dtime.fromisoformat(closes_s)
                if closes is not None and closes <= opens:
                    raise KeyProblem(key, f"{span!r} closes before it opens")
                spans.extend((day, opens, closes) for day in weekdays)
        return OpeningSchedule(self.timezone, tuple(spans))


def feedback_config(section: FeedbackSection) -> FeedbackConfig:
    """The feedback terminal's settings from its validated [feedback] section."""
    follow = section.follow_up
    return FeedbackConfig(
        panel=section.panel(),
        pin_factory=section.pin_factory,
        counter_id=section.counter_id,
        office_id=section.office_id,
        service_id=section.service_id,
        response_interval_s=float(section.response_interval_s),
        timezone=section.timezone,
        opening_hours=section.schedule() if section.opening_hours is not None else None,
        follow_up=None if follow is None else FollowUp(
            follow.question_bg, follow.question_en,
            tuple(FollowUpAnswer(a.id, a.bg, a.en if a.en is not None else a.bg) for a in follow.answers),
            follow.ask_at_or_below if follow.ask_at_or_below is not None else section.effective_scale),
        thanks_s=float(section.thanks_s),
    )


class FeedbackDocument(TerminalConfig):
    """The terminal config as the feedback terminal reads it: its own [feedback] typed too."""

    feedback: FeedbackSection = Field(default_factory=FeedbackSection)


def parse_feedback_section(data: Mapping[str, Any] | None, source: str = "<config>") -> FeedbackConfig:
    """FeedbackConfig from a [feedback] table; a ConfigError names the file and the key."""
    return feedback_config(validate_section(FeedbackSection, data, source, "feedback"))


def load_feedback_config(path: str | os.PathLike[str] | None = None) -> FeedbackConfig:
    """Read `[feedback]` alone from the terminal's TOML (tools, tests; `feedback-terminal` validates
    the whole file as a FeedbackDocument); defaults when the default file is absent or has no such
    section. A file named by --config or $EOBSHTINA_CONFIG must exist."""
    config = read_config_file(path)
    return parse_feedback_section(config.table("feedback"), config.source)
