"""The [feedback] config section: defaults, opening hours, follow-up answers, and errors naming key and file."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hardware.base import ConfigError
from terminal_feedback.config import load_feedback_config, parse_feedback_section


def test_defaults_without_a_file(tmp_path):
    config = load_feedback_config(None)
    assert config.scale == 4 and config.response_interval_s == 5.0
    assert config.opening_hours is None and config.follow_up is None
    with pytest.raises(ConfigError, match="missing.toml: file not found"):
        load_feedback_config(tmp_path / "missing.toml")


def test_full_section_from_a_file(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text("""
[terminal]
name = "ignored here"

[feedback]
button_pins = [5, 6, 13, 19, 26]
led_mode = "single"
ack_led_pin = 21
buzzer_pin = 20
pin_factory = "mock"
counter_id = "grao-3"
office_id = "center"
service_id = "address-registration"
response_interval_s = 7.5
timezone = "Europe/Sofia"
opening_hours = { "mon-thu" = "08:30-17:00", "fri" = ["08:30-12:00", "13:00-16:00"] }

[feedback.follow_up]
answers = [{ id = "waiting", bg = "Чакане", en = "Waiting" }, { id = "other", bg = "Друго" }]
""", encoding="utf-8")
    config = load_feedback_config(path)
    assert config.scale == 5
    assert config.panel.ack_led_pin == 21 and config.panel.led_pins == ()
    assert config.response_interval_s == 7.5
    assert config.follow_up.answers[1].en == "Друго"  # falls back to Bulgarian
    assert config.follow_up.ask_at_or_below == 5
    hours = config.opening_hours
    friday_lunch = datetime(2026, 3, 13, 10, 30, tzinfo=timezone.utc)  # Fri 12:30 Sofia
    friday_afternoon = datetime(2026, 3, 13, 11, 30, tzinfo=timezone.utc)  # Fri 13:30 Sofia
    assert not hours.is_open(friday_lunch) and hours.is_open(friday_afternoon)
    assert hours.is_open(datetime(2026, 3, 12, 14, 59, tzinfo=timezone.utc))  # Thu 16:59
    assert not hours.is_open(datetime(2026, 3, 12, 15, 0, tzinfo=timezone.utc))  # Thu 17:00 closes


@pytest.mark.parametrize("section, key", [
    ({"scale": 6, "button_pins": [1, 2, 3, 4, 5, 6]}, "feedback.scale"),
    ({"scale": 3}, "feedback.button_pins"),
    ({"button_pins": [5, "six", 13]}, "feedback.button_pins"),
    ({"led_mode": "disco"}, "feedback.led_mode"),
    ({"led_mode": "per_button"}, "feedback.led_pins"),
    ({"led_pins": [1, 2]}, "feedback.led_pins"),
    ({"buzzer_pin": 99}, "feedback.buzzer_pin"),
    ({"buzzer_pin": 17}, "GPIO [17]"),
    ({"response_interval_s": "5"}, "feedback.response_interval_s"),
    ({"response_interval_s": -1}, "feedback.response_interval_s"),
    ({"counter_id": "Гише 3"}, "feedback.counter_id"),
    ({"timezone": "Europe/Smolyan"}, "feedback.timezone"),
    ({"opening_hours": {"weekdays": "08:00-17:00"}}, "feedback.opening_hours.weekdays"),
    ({"opening_hours": {"mon": "17:00-08:00"}}, "feedback.opening_hours.mon"),
    ({"opening_hours": {"mon": "8-17"}}, "feedback.opening_hours.mon"),
    ({"follow_up": {"answers": []}}, "feedback.follow_up.answers"),
    ({"follow_up": {"answers": [{"id": "x", "bg": "X", "colour": "red"}]}}, "feedback.follow_up.answers[0].colour"),
    ({"pin_factory": "pigpio"}, "feedback.pin_factory"),
    ({"response_intervall_s": 5}, "feedback.response_intervall_s"),
])
def test_errors_name_the_key_and_the_file(tmp_path, section, key):
    with pytest.raises(ConfigError) as caught:
        parse_feedback_section(section, str(tmp_path / "terminal.toml"))
    message = str(caught.value)
    assert key in message
    assert str(tmp_path / "terminal.toml") in message
    assert "\n" not in message


def test_broken_toml_names_the_file(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text("[feedback\nscale = 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="terminal.toml: not valid TOML"):
        load_feedback_config(path)
