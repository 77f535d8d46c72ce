"""Terminal TOML configuration: the [terminal], [hub] and [sync] sections, typed; errors name key and file."""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_DATA_DIR",
    "ConfigError",
    "TerminalSection",
    "HubSection",
    "SyncSection",
    "TerminalConfig",
    "load_terminal_config",
    "parse_terminal_config",
    "resolve_config_path",
    "resolve_data_dir",
]

DEFAULT_CONFIG_PATH = Path("/etc/eobshtina/terminal.toml")
DEFAULT_DATA_DIR = Path("/var/lib/eobshtina")
ENV_CONFIG = "EOBSHTINA_CONFIG"
ENV_DATA_DIR = "EOBSHTINA_DATA_DIR"


class ConfigError(ValueError):
    """The configuration is wrong; the one-line message names the file and the key."""

    def __init__(self, source: str, key: str | None, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(f"{source}: {key}: {problem}" if key else f"{source}: {problem}")


@dataclass(frozen=True)
class TerminalSection:
    data_dir: str | None = None  # overridden by EOBSHTINA_DATA_DIR and --data-dir


@dataclass(frozen=True)
class HubSection:
    url: str | None = None  # normally comes with enrolment; set here to override it
    timeout_s: float = 10.0  # read timeout of every hub call
    connect_timeout_s: float = 5.0
    ca_file: str | None = None  # a municipality's own CA, for a hub behind an internal TLS proxy


@dataclass(frozen=True)
class SyncSection:
    heartbeat_interval_s: float = 60.0
    catalogue_interval_s: float = 300.0
    press_batch: int = 500
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 300.0
    revoked_recheck_s: float = 3600.0  # a revoked terminal re-checks this rarely, not in a loop
    immediate_delivery_timeout_s: float = 3.0
    personal_retention_h: float = 24.0  # sealed blob kept after delivery for re-send after a hub restore
    delivered_retention_days: float = 30.0
    idle_poll_s: float = 2.0  # how often an idle agent looks for new outbox rows

    _LIMITS = {
        "heartbeat_interval_s": (1, 86400),
        "catalogue_interval_s": (1, 86400 * 7),
        "press_batch": (1, 1000),
        "backoff_initial_s": (0.01, 3600),
        "backoff_max_s": (0.01, 86400),
        "revoked_recheck_s": (1, 86400 * 7),
        "immediate_delivery_timeout_s": (0.1, 60),
        "personal_retention_h": (0, 24 * 90),
        "delivered_retention_days": (0, 3650),
        "idle_poll_s": (0.01, 3600),
    }


@dataclass(frozen=True)
class TerminalConfig:
    path: Path | None
    terminal: TerminalSection = TerminalSection()
    hub: HubSection = HubSection()
    sync: SyncSection = SyncSection()
    # Sections owned by other parts ([hardware.*], [kiosk], [feedback], …) as raw tables.
    other: Mapping[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        return self.other.get(name, {})


_OURS = {"terminal": TerminalSection, "hub": HubSection, "sync": SyncSection}


def _coerce(source: str, key: str, value: Any, kind: type, limits: tuple[float, float] | None) -> Any:
    if value is None:
        return None
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(source, key, f"expected true or false, got {value!r}")
        return value
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                kind is int and not isinstance(value, int)):
            raise ConfigError(source, key, f"expected a number, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(source, key, f"expected a finite number, got {value!r}")
        if limits and not limits[0] <= value <= limits[1]:
            raise ConfigError(source, key, f"{value!r} is outside {limits[0]}…{limits[1]}")
        return kind(value)
    if not isinstance(value, str):
        raise ConfigError(source, key, f"expected a string, got {value!r}")
    return value


def _section(cls: type, data: Any, source: str, name: str) -> Any:
    if data is None:
        return cls()
    if not isinstance(data, Mapping):
        raise ConfigError(source, name, "expected a table")
    known = {f.name: f for f in fields(cls)}
    limits = getattr(cls, "_LIMITS", {})
    values = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(source, f"{name}.{key}",
                              f"unknown key (expected one of {', '.join(sorted(known))})")
        annotation = str(known[key].type)
        kind = int if annotation == "int" else float if annotation == "float" else str
        values[key] = _coerce(source, f"{name}.{key}", value, kind, limits.get(key))
    obj = cls(**values)
    if cls is HubSection and obj.url is not None and not obj.url.startswith(("http://", "https://")):
        raise ConfigError(source, f"{name}.url", f"expected an http:// or https:// URL, got {obj.url!r}")
    if cls is SyncSection and obj.backoff_max_s < obj.backoff_initial_s:
        raise ConfigError(source, f"{name}.backoff_max_s", "must not be below sync.backoff_initial_s")
    return obj


def parse_terminal_config(document: Mapping[str, Any], source: str = "<config>",
                          path: Path | None = None) -> TerminalConfig:
    """Build the typed config from a parsed TOML document."""
    ours = {name: _section(cls, document.get(name), source, name) for name, cls in _OURS.items()}
    other = {k: v for k, v in document.items() if k not in _OURS}
    return TerminalConfig(path=path, other=other, **ours)


def resolve_config_path(cli_value: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """(path, explicit): --config, else $EOBSHTINA_CONFIG, else the default path."""
    if cli_value:
        return Path(cli_value), True
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]), True
    return DEFAULT_CONFIG_PATH, False


def load_terminal_config(path: str | os.PathLike[str] | None = None) -> TerminalConfig:
    """Read the terminal's TOML file. An explicitly named file must exist; a missing default
    file means "all defaults" (a development machine, the demo)."""
    resolved, explicit = resolve_config_path(path)
    try:
        with resolved.open("rb") as fh:
            document = tomllib.load(fh)
    except FileNotFoundError:
        if explicit:
            raise ConfigError(str(resolved), None, "file not found") from None
        return TerminalConfig(path=None)
    except PermissionError:
        raise ConfigError(str(resolved), None, "permission denied") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(resolved), None, f"not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(str(resolved), None, "not UTF-8 text") from None
    return parse_terminal_config(document, str(resolved), resolved)


def resolve_data_dir(config: TerminalConfig | None = None,
                     cli_value: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $EOBSHTINA_DATA_DIR, else [terminal].data_dir, else /var/lib/eobshtina."""
    if cli_value:
        return Path(cli_value)
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR])
    if config is not None and config.terminal.data_dir:
        return Path(config.terminal.data_dir)
    return DEFAULT_DATA_DIR
