"""The terminal's TOML file, read once per process: where it is, and its parsed tables.

The one reader every terminal process uses (kiosk, feedback terminal, sync agent, `hardware`
tools). It needs only `tomllib`, so the kiosk can read what its first frame needs before the
validating models (`hardware.config_model`, pydantic) are imported. It sits in `hardware`,
the bottom of the import graph, because every other terminal package may import from it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from hardware.base import ConfigError

__all__ = ["DEFAULT_CONFIG_PATH", "ENV_CONFIG", "ConfigFile", "read_config_file", "resolve_config_path"]

DEFAULT_CONFIG_PATH = Path("/etc/eobshtina/terminal.toml")
ENV_CONFIG = "EOBSHTINA_CONFIG"


@dataclass(frozen=True)
class ConfigFile:
    """One parsed terminal TOML file; `path` is None when the default file is absent (all defaults)."""

    path: Path | None
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """How errors name the file."""
        return str(self.path) if self.path is not None else "<defaults>"

    def table(self, name: str) -> Any:
        """The raw value of a top-level key (a section), or None."""
        return self.data.get(name)


def resolve_config_path(cli_value: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """(path, explicit): --config, else $EOBSHTINA_CONFIG, else the default path."""
    if cli_value:
        return Path(cli_value), True
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]), True
    return DEFAULT_CONFIG_PATH, False


def read_config_file(path: str | os.PathLike[str] | None = None) -> ConfigFile:
    """Read and parse the terminal's TOML file once. A file named by --config or
    $EOBSHTINA_CONFIG must exist; a missing default file means "all defaults" (a development
    machine, the demo). Every failure is a ConfigError naming the path."""
    resolved, explicit = resolve_config_path(path)
    try:
        with resolved.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        if explicit:
            raise ConfigError(str(resolved), None, "file not found") from None
        return ConfigFile(None)
    except PermissionError:
        raise ConfigError(str(resolved), None, "permission denied") from None
    except IsADirectoryError:
        raise ConfigError(str(resolved), None, "is a directory, not a file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(resolved), None, f"not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(str(resolved), None, "not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(str(resolved), None, f"cannot read: {exc.strerror or exc}") from None
    return ConfigFile(resolved, data)
