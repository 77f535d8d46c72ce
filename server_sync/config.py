"""Terminal TOML configuration: the [terminal], [hub] and [sync] sections and the whole document, typed
(pydantic); a bad key is a ConfigError naming the file and the key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Mapping, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from hardware.base import ConfigError
from hardware.config_file import DEFAULT_CONFIG_PATH, ENV_CONFIG, ConfigFile, read_config_file, resolve_config_path
from hardware.config_model import KeyProblem, Section, between, finite, validate_section

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_DATA_DIR",
    "ENV_CONFIG",
    "ConfigError",
    "TerminalSection",
    "HubSection",
    "SyncSection",
    "TerminalConfig",
    "load_terminal_config",
    "parse_terminal_config",
    "resolve_config_path",
    "resolve_data_dir",
    "terminal_document",
]

DEFAULT_DATA_DIR = Path("/var/lib/eobshtina")
ENV_DATA_DIR = "EOBSHTINA_DATA_DIR"


class TerminalSection(Section):
    data_dir: str | None = None  # overridden by EOBSHTINA_DATA_DIR and --data-dir


Seconds = Annotated[float, finite]


class HubSection(Section):
    url: str | None = None  # normally comes with enrolment; set here to override it
    timeout_s: Seconds = 10.0  # read timeout of every hub call
    connect_timeout_s: Seconds = 5.0
    ca_file: str | None = None  # a municipality's own CA, for a hub behind an internal TLS proxy

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
        return value


class SyncSection(Section):
    heartbeat_interval_s: Annotated[float, between(1, 86400)] = 60.0
    catalogue_interval_s: Annotated[float, between(1, 86400 * 7)] = 300.0
    press_batch: Annotated[int, between(1, 1000)] = 500
    backoff_initial_s: Annotated[float, between(0.01, 3600)] = 1.0
    backoff_max_s: Annotated[float, between(0.01, 86400)] = 300.0
    revoked_recheck_s: Annotated[float, between(1, 86400 * 7)] = 3600.0  # a revoked terminal re-checks this rarely
    immediate_delivery_timeout_s: Annotated[float, between(0.1, 60)] = 3.0
    personal_retention_h: Annotated[float, between(0, 24 * 90)] = 24.0  # sealed blob kept for re-send after a hub restore
    delivered_retention_days: Annotated[float, between(0, 3650)] = 30.0
    idle_poll_s: Annotated[float, between(0.01, 3600)] = 2.0  # how often an idle agent looks for new outbox rows

    @model_validator(mode="after")
    def _backoff_grows(self) -> SyncSection:
        if self.backoff_max_s < self.backoff_initial_s:
            raise KeyProblem("backoff_max_s", "must not be below sync.backoff_initial_s")
        return self


class TerminalConfig(BaseModel):
    """The whole terminal TOML document, validated once. The sections every terminal process
    shares are fields; the others ([hardware.*], [kiosk], [feedback], [updates], …) stay raw
    here (`section(name)`) and are typed by the documents of the processes that own them
    (`kiosk.config.KioskDocument`, `terminal_feedback.config.FeedbackDocument`)."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    path: Path | None = None  # the file read; not a key of the file
    terminal: TerminalSection = Field(default_factory=TerminalSection)
    hub: HubSection = Field(default_factory=HubSection)
    sync: SyncSection = Field(default_factory=SyncSection)

    @model_validator(mode="before")
    @classmethod
    def _the_file_read(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or info.context is None:
            return data
        if "path" in data:
            raise KeyProblem("path", "not a section of the terminal config")
        return {**data, "path": info.context.get("path")}

    @property
    def other(self) -> Mapping[str, Any]:
        """The tables this document does not type, as read."""
        return dict(self.model_extra or {})

    def section(self, name: str) -> Mapping[str, Any]:
        return (self.model_extra or {}).get(name, {})


D = TypeVar("D", bound=TerminalConfig)


def terminal_document(config_file: ConfigFile, model: type[D] = TerminalConfig) -> D:
    """`model` (TerminalConfig or a process's own document) validated from a file already read."""
    return validate_section(model, config_file.data, config_file.source, context={"path": config_file.path})


def parse_terminal_config(document: Mapping[str, Any], source: str = "<config>",
                          path: Path | None = None) -> TerminalConfig:
    """Build the typed config from a parsed TOML document."""
    return validate_section(TerminalConfig, dict(document), source, context={"path": path})


def load_terminal_config(path: str | os.PathLike[str] | None = None, model: type[D] = TerminalConfig) -> D:
    """Read the terminal's TOML file once and validate it. An explicitly named file must exist;
    a missing default file means "all defaults" (a development machine, the demo)."""
    return terminal_document(read_config_file(path), model)


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
