"""The `[feedback]` section of a terminal's TOML config, typed; errors name the key and the file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hardware.base import ConfigError
from hardware.buttons import ButtonPanelConfig

__all__ = ["FeedbackConfig", "FollowUp", "FollowUpAnswer", "OpeningSchedule", "load_feedback_config", "ConfigError"]

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


class _Section:
    """Reads keys out of one TOML table, remembering which were used, naming file and key on error."""

    def __init__(self, data: dict[str, Any], prefix: str, source: str) -> None:
        self.data, self.prefix, self.source = data, prefix, source
        self.used: set[str] = set()

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.source, f"{self.prefix}.{key}", message)

    def get(self, key: str, kinds: tuple[type, ...], default: Any = None) -> Any:
        self.used.add(key)
        if key not in self.data:
            return default
        value = self.data[key]
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(key, f"expected {' or '.join(k.__name__ for k in kinds)}, got {value!r}")
        if not isinstance(value, kinds):
            raise self.fail(key, f"expected {' or '.join(k.__name__ for k in kinds)}, got {value!r}")
        return value

    def ident(self, key: str) -> str | None:
        value = self.get(key, (str,))
        if value is not None and not _IDENT.match(value):
            raise self.fail(key, f"{value!r} is not an identifier (lower-case letters, digits, _ . -)")
        return value

    def pins(self, key: str, default: Iterable[int] = ()) -> tuple[int, ...]:
        value = self.get(key, (list,), list(default))
        if not all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 53 for p in value):
            raise self.fail(key, f"expected a list of GPIO numbers 0–53, got {value!r}")
        return tuple(value)

    def pin(self, key: str) -> int | None:
        value = self.get(key, (int,))
        if value is not None and not 0 <= value <= 53:
            raise self.fail(key, f"GPIO {value} is out of range 0–53")
        return value

    def check_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown key")


def _timezone(section: _Section, key: str, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise section.fail(key, f"unknown time zone {value!r}") from None
    return value


def _schedule(section: _Section, table: dict[str, Any], tz: str) -> OpeningSchedule:
    spans = []
    for days, hours in table.items():
        key = f"opening_hours.{days}"
        if days.count("-") > 1 or not all(d in WEEKDAYS for d in days.split("-")):
            raise section.fail(key, "days must be like mon, sat or mon-fri")
        first, _, last = days.partition("-")
        weekdays = range(WEEKDAYS[first], WEEKDAYS[last or first] + 1)
        if not weekdays:
            raise section.fail(key, "day range runs backwards")
        ranges = hours if isinstance(hours, list) else [hours]
        for span in ranges:
            match = _SPAN.match(span) if isinstance(span, str) else None
            if not match:
                raise section.fail(key, f"expected \"HH:MM-HH:MM\" (or a list of them), got {span!r}")
            opens_s, closes_s = span.split("-")
            opens = dtime.fromisoformat(opens_s)
            closes = None if closes_s == "24:00" else dtime.fromisoformat(closes_s)
            if closes is not None and closes <= opens:
                raise section.fail(key, f"{span!r} closes before it opens")
            spans.extend((day, opens, closes) for day in weekdays)
    return OpeningSchedule(tz, tuple(spans))


def _follow_up(section: _Section, table: dict[str, Any], scale: int) -> FollowUp:
    sub = _Section(table, f"{section.prefix}.follow_up", section.source)
    question_bg = sub.get("question_bg", (str,), "Каква беше основната причина?")
    question_en = sub.get("question_en", (str,), "What was the main reason?")
    ask = sub.get("ask_at_or_below", (int,), scale)
    raw_answers = sub.get("answers", (list,), [])
    if not raw_answers:
        raise sub.fail("answers", "needs at least one answer")
    answers = []
    for index, raw in enumerate(raw_answers):
        if not isinstance(raw, dict):
            raise sub.fail(f"answers[{index}]", "expected a table with id, bg, en")
        item = _Section(raw, f"{sub.prefix}.answers[{index}]", section.source)
        answer_id = item.ident("id")
        bg = item.get("bg", (str,))
        if not answer_id or not bg:
            raise item.fail("id" if not answer_id else "bg", "is required")
        answers.append(FollowUpAnswer(answer_id, bg, item.get("en", (str,), bg)))
        item.check_unknown()
    sub.check_unknown()
    return FollowUp(question_bg, question_en, tuple(answers), ask)


def parse_feedback_section(data: dict[str, Any], source: str = "<config>") -> FeedbackConfig:
    section = _Section(data, "feedback", source)
    button_pins = section.pins("button_pins", (17, 27, 22, 23))
    scale = section.get("scale", (int,), len(button_pins))
    if not 3 <= scale <= 5:
        raise section.fail("scale", f"must be 3, 4 or 5, got {scale}")
    if scale != len(button_pins):
        raise section.fail("button_pins", f"scale is {scale} but {len(button_pins)} pins are given")
    led_mode = section.get("led_mode", (str,), "per_button" if "led_pins" in data else
                           ("single" if "ack_led_pin" in data else "none"))
    if led_mode not in ("per_button", "single", "none"):
        raise section.fail("led_mode", f"must be per_button, single or none, got {led_mode!r}")
    led_pins = section.pins("led_pins")
    ack_led_pin = section.pin("ack_led_pin")
    if led_mode == "per_button" and not led_pins:
        raise section.fail("led_pins", "led_mode is per_button but no led_pins are given")
    if led_mode == "single" and ack_led_pin is None:
        raise section.fail("ack_led_pin", "led_mode is single but no ack_led_pin is given")
    interval = section.get("response_interval_s", (int, float), 5)
    if interval < 0:
        raise section.fail("response_interval_s", "must not be negative")
    debounce_ms = section.get("debounce_ms", (int, float), 30)
    stuck_after_s = section.get("stuck_after_s", (int, float), 30)
    try:
        panel = ButtonPanelConfig(
            button_pins=button_pins,
            led_pins=led_pins if led_mode == "per_button" else (),
            ack_led_pin=ack_led_pin if led_mode == "single" else None,
            buzzer_pin=section.pin("buzzer_pin"),
            debounce_s=debounce_ms / 1000,
            stuck_after_s=stuck_after_s,
        )
    except ConfigError as exc:
        raise exc.located(source, "feedback") from None
    pin_factory = section.get("pin_factory", (str,), "lgpio")
    if pin_factory not in ("lgpio", "rpigpio", "native", "mock"):
        raise section.fail("pin_factory", f"must be lgpio, rpigpio, native or mock, got {pin_factory!r}")
    tz = _timezone(section, "timezone", section.get("timezone", (str,), "Europe/Sofia"))
    hours_table = section.get("opening_hours", (dict,))
    follow_table = section.get("follow_up", (dict,))
    config = FeedbackConfig(
        panel=panel,
        pin_factory=pin_factory,
        counter_id=section.ident("counter_id"),
        office_id=section.ident("office_id"),
        service_id=section.ident("service_id"),
        response_interval_s=float(interval),
        timezone=tz,
        opening_hours=_schedule(section, hours_table, tz) if hours_table is not None else None,
        follow_up=_follow_up(section, follow_table, scale) if follow_table is not None else None,
        thanks_s=float(section.get("thanks_s", (int, float), 3)),
    )
    section.check_unknown()
    return config


def load_feedback_config(path: Path | None) -> FeedbackConfig:
    """Read `[feedback]` from the terminal's TOML; defaults when there is no file or no section."""
    if path is None or not Path(path).exists():
        if path is not None and Path(path) != Path("/etc/eobshtina/terminal.toml"):
            raise ConfigError(str(path), None, "no such config file")
        return FeedbackConfig()
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), None, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), None, f"cannot read: {exc.strerror}") from None
    section = data.get("feedback", {})
    if not isinstance(section, dict):
        raise ConfigError(str(path), "feedback", "expected a table")
    return parse_feedback_section(section, str(path))

