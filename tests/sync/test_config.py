"""Terminal config loader: typed sections, errors naming key and file, env and CLI precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from server_sync.config import (
    DEFAULT_DATA_DIR,
    ConfigError,
    load_terminal_config,
    resolve_data_dir,
)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_sections_are_typed_and_others_passed_through(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[terminal]
data_dir = "/srv/eob"
[hub]
url = "https://hub.bansko.bg"
timeout_s = 7
[sync]
heartbeat_interval_s = 30
press_batch = 200
[hardware.printer]
backend = "file"
""")
    cfg = load_terminal_config(path)
    assert cfg.hub.url == "https://hub.bansko.bg" and cfg.hub.timeout_s == 7.0
    assert cfg.sync.heartbeat_interval_s == 30.0 and cfg.sync.press_batch == 200
    assert cfg.sync.backoff_max_s == 300.0  # default
    assert cfg.section("hardware") == {"printer": {"backend": "file"}}
    assert resolve_data_dir(cfg) == Path("/srv/eob")


@pytest.mark.parametrize("body, key", [
    ("[sync]\nheartbeat_intervl_s = 5\n", "sync.heartbeat_intervl_s"),
    ("[sync]\nheartbeat_interval_s = \"often\"\n", "sync.heartbeat_interval_s"),
    ("[sync]\npress_batch = 5000\n", "sync.press_batch"),
    ("[sync]\npress_batch = 2.5\n", "sync.press_batch"),
    ("[sync]\nbackoff_initial_s = 10\nbackoff_max_s = 5\n", "sync.backoff_max_s"),
    ("[hub]\nurl = \"hub.bansko.bg\"\n", "hub.url"),
    ("hub = 3\n", "hub"),
])
def test_bad_key_names_the_key_and_the_file(tmp_path: Path, body: str, key: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_terminal_config(path)
    assert err.value.key == key
    assert str(err.value).startswith(f"{path}: {key}: ") and "\n" not in str(err.value)


def test_broken_toml_and_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_terminal_config(_write(tmp_path, "[sync\n"))
    with pytest.raises(ConfigError, match="file not found"):
        load_terminal_config(tmp_path / "absent.toml")


def test_environment_and_cli_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "[terminal]\ndata_dir = \"/from/file\"\n")
    monkeypatch.setenv("EOBSHTINA_CONFIG", str(path))
    monkeypatch.delenv("EOBSHTINA_DATA_DIR", raising=False)
    cfg = load_terminal_config()
    assert cfg.path == path and resolve_data_dir(cfg) == Path("/from/file")
    monkeypatch.setenv("EOBSHTINA_DATA_DIR", "/from/env")
    assert resolve_data_dir(cfg) == Path("/from/env")
    assert resolve_data_dir(cfg, "/from/cli") == Path("/from/cli")
    monkeypatch.delenv("EOBSHTINA_CONFIG")
    monkeypatch.delenv("EOBSHTINA_DATA_DIR")
    assert resolve_data_dir(load_terminal_config()) in (DEFAULT_DATA_DIR, Path("/from/file"))
