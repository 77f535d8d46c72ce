"""One configuration layer: every section of the terminal's TOML, read once and validated by the
document of the process that owns it, fails with the one ConfigError naming file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.base import ConfigError, HardwareError
from hardware.config_file import read_config_file
from server_sync.config import ConfigError as SyncConfigError
from server_sync.config import TerminalConfig, load_terminal_config, terminal_document

# (document, TOML body, the key, the problem): one bad key or value in each section
CASES = [
    ("kiosk", "[kiosk]\nidle_secs = 10\n", "kiosk.idle_secs", "unknown key (expected one of badge_uids,"),
    ("kiosk", "[kiosk]\nlanguage = 'fr'\n", "kiosk.language", "must be 'bg' or 'en', got 'fr'"),
    ("kiosk", "[kiosk]\nmax_extensions = 2.5\n", "kiosk.max_extensions", "expected an integer, got 2.5"),
    ("kiosk", "[hardware.printer]\nbackend = 'usbb'\n", "hardware.printer.backend", "unknown backend 'usbb'"),
    ("kiosk", "[hardware.speech]\nvolume_step = 7\n", "hardware.speech.volume_step", "must be between 0 and 6, got 7"),
    ("kiosk", "[hardware.scanner]\nbackend = 'serial'\n", "hardware.scanner.device", "required when backend = 'serial'"),
    ("kiosk", "[hardware.badge]\nbackend = 'evdev'\nname = 'x'\nspeed = 3\n", "hardware.badge.speed", "unknown key (this reader takes"),
    ("kiosk", "[hardware.printr]\n", "hardware.printr", "unknown section"),
    ("terminal", "[hub]\nurl = 'hub.example.bg'\n", "hub.url", "expected an http:// or https:// URL"),
    ("terminal", "[hub]\ntimeout_s = inf\n", "hub.timeout_s", "expected a finite number, got inf"),
    ("terminal", "[sync]\npress_batch = 5000\n", "sync.press_batch", "must be between 1 and 1000, got 5000"),
    ("terminal", "[sync]\nheartbeat_interval_s = '60'\n", "sync.heartbeat_interval_s", "expected a number, got '60'"),
    ("terminal", "[terminal]\ndata_dir = 3\n", "terminal.data_dir", "expected a string, got 3"),
    ("terminal", "sync = 3\n", "sync", "expected a table, got 3"),
    ("feedback", "[feedback]\nscale = 6\nbutton_pins = [1, 2, 3, 4, 5, 6]\n", "feedback.scale", "must be 3, 4 or 5"),
    ("feedback", "[feedback]\nbuzzer_pin = 17\n", "feedback.pins", "GPIO [17] used twice"),
    ("feedback", "[feedback]\nopening_hours = { mon = '17:00-08:00' }\n", "feedback.opening_hours.mon",
     "closes before it opens"),
    ("feedback", "[feedback.follow_up]\nanswers = [{ id = 'x', bg = 'X', colour = 'red' }]\n",
     "feedback.follow_up.answers[0].colour", "unknown key (expected one of bg, en, id)"),
]


def _document(kind: str):
    if kind == "kiosk":
        from kiosk.config_model import KioskDocument

        return KioskDocument
    if kind == "feedback":
        from terminal_feedback.config import FeedbackDocument

        return FeedbackDocument
    return TerminalConfig


@pytest.mark.parametrize("kind, body, key, problem", CASES)
def test_a_bad_key_or_value_names_the_file_the_key_and_the_problem(tmp_path: Path, kind, body, key, problem):
    path = tmp_path / "terminal.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        terminal_document(read_config_file(path), _document(kind))
    error = caught.value
    assert (error.source, error.key) == (str(path), key)
    assert problem in error.problem
    assert str(error) == f"{path}: {key}: {error.problem}" and "\n" not in str(error)


def test_one_error_type_for_every_loader():
    from kiosk.config import ConfigError as KioskConfigError
    from terminal_feedback.config import ConfigError as FeedbackConfigError

    assert ConfigError is SyncConfigError is KioskConfigError is FeedbackConfigError
    assert issubclass(ConfigError, ValueError) and issubclass(ConfigError, HardwareError)


def test_each_process_takes_its_sections_from_one_document(tmp_path: Path):
    from kiosk.config_model import KioskDocument
    from terminal_feedback.config import FeedbackDocument, feedback_config

    path = tmp_path / "terminal.toml"
    path.write_text("[kiosk]\nlanguage = 'en'\n[hub]\nurl = 'https://hub.example.bg'\n[hardware.printer]\n"
                    "backend = 'file'\ndevice = '/dev/usb/lp0'\n[feedback]\ncounter_id = 'grao-3'\n"
                    "[updates]\npublic_key = 'x'\n", encoding="utf-8")
    config = read_config_file(path)
    kiosk = terminal_document(config, KioskDocument)
    assert (kiosk.kiosk.language, kiosk.hardware.printer.device, kiosk.hub.url) == ("en", "/dev/usb/lp0",
                                                                                 "https://hub.example.bg")
    assert kiosk.hardware.source == str(path) and kiosk.path == path
    assert kiosk.section("updates") == {"public_key": "x"}  # the agent's, read later
    feedback = terminal_document(config, FeedbackDocument)
    assert feedback_config(feedback.feedback).counter_id == "grao-3"
    assert load_terminal_config(path).section("kiosk") == {"language": "en"}


def test_a_missing_named_file_is_refused_in_one_line(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("EOBSHTINA_CONFIG", raising=False)
    with pytest.raises(ConfigError) as caught:
        read_config_file(tmp_path / "absent.toml")
    assert str(caught.value) == f"{tmp_path / 'absent.toml'}: file not found"
    monkeypatch.setenv("EOBSHTINA_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match="absent.toml: file not found"):
        read_config_file()


@pytest.mark.parametrize("command", ["kiosk", "feedback-terminal", "sync-agent", "hardware"])
def test_every_command_refuses_a_missing_config_file_in_one_line(tmp_path: Path, capsys, command):
    missing = str(tmp_path / "absent.toml")
    if command == "kiosk":
        from kiosk.__main__ import main

        status = main(["--config", missing, "--simulate"])
        prefix = "kiosk"
    elif command == "feedback-terminal":
        from terminal_feedback.__main__ import main

        status = main(["--config", missing, "--simulate"])
        prefix = "feedback-terminal"
    elif command == "sync-agent":
        from server_sync.agent.__main__ import main

        status = main(["--config", missing, "status"])
        prefix = "sync-agent"
    else:
        from hardware.__main__ import main

        status = main(["--config", missing, "diag"])
        prefix = "config error"
    assert status == 2
    assert capsys.readouterr().err == f"{prefix}: {missing}: file not found\n"
