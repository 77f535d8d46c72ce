"""The [hardware.*] sections of the terminal config, typed (pydantic); `hardware.devices` opens them.

A bad key or value is a `ConfigError` naming the file and the dotted key
(`/etc/eobshtina/terminal.toml: hardware.printer.backend: unknown backend 'usbb' (…)`).
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from hardware.base import ConfigError
from hardware.config_file import ConfigFile, read_config_file
from hardware.config_model import KeyProblem, Section, between, validate_section

__all__ = [
    "IdReaderConfig",
    "ScannerConfig",
    "BadgeConfig",
    "PrinterConfig",
    "SpeechConfig",
    "HardwareConfig",
    "SECTIONS",
    "hardware_config",
    "load_hardware_config",
    "parse_hardware_config",
    "reader_class",
]

#: the [hardware.*] tables, in the order devices are opened and reported
SECTIONS = ("id_reader", "scanner", "badge", "printer", "speech", "buttons")


def _int_from_text(value: Any) -> Any:
    """USB ids and endpoints may be written as TOML strings: "0x04b8"."""
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            return value  # refused below as "expected an integer, got 'epson'"
    return value


Int = Annotated[int, BeforeValidator(_int_from_text)]
#: a list in TOML, a tuple here
Strings = Annotated[tuple[str, ...], Field(strict=False)]

_READER_CLASSES = {
    "id_reader": ("hardware.idcard", {"serial": "SerialMrzReader", "evdev": "EvdevMrzReader", "simulated": "SimulatedIdReader"}),
    "scanner": ("hardware.scanner", {"serial": "SerialScanner", "evdev": "EvdevScanner", "simulated": "SimulatedScanner"}),
    "badge": ("hardware.badge", {"evdev": "EvdevBadgeReader", "simulated": "SimulatedBadgeReader"}),
}


def reader_class(kind: str, backend: str) -> Any:
    """The driver class of a line reader (ID reader, scanner, badge), imported on demand; None if absent."""
    module_name, names = _READER_CLASSES[kind]
    return getattr(importlib.import_module(module_name), names[backend], None)


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r} (expected one of {', '.join(allowed)})")
    return value


class _ReaderConfig(Section):
    """A line reader: keys the section does not define pass through to the driver (`options`),
    checked against what that driver takes, so a typo ("devcie") is named at load time."""

    KIND: ClassVar[str] = ""
    BACKENDS: ClassVar[tuple[str, ...]] = ()

    backend: str = "none"
    device: str | None = None  # /dev/ttyACM0 or /dev/input/by-id/...
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _gather_options(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        own = set(cls.model_fields) - {"options"}
        options = {k: v for k, v in data.items() if k not in own}
        values = {k: v for k, v in data.items() if k in own}
        if options:
            values["options"] = options
        return values

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        return _choice(value, cls.BACKENDS, "backend")

    @model_validator(mode="after")
    def _options_the_driver_takes(self) -> Any:
        if self.options:
            first = sorted(self.options)[0]
            if self.backend in ("none", "simulated"):
                raise KeyProblem(first, f"unknown key for backend {self.backend!r}")
            try:
                parameters = inspect.signature(reader_class(self.KIND, self.backend).__init__).parameters
            except Exception:
                parameters = {}
            if parameters and not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
                accepted = sorted(n for n in parameters if n not in ("self", "listener"))
                for key in sorted(self.options):
                    if key not in accepted:
                        raise KeyProblem(key, f"unknown key (this reader takes {', '.join(accepted)})")
        finders = {"evdev": ("device", "name", "phys", "usb_id"), "serial": ("device", "port", "usb_id")}.get(self.backend)
        if finders and not (self.device or any(self.options.get(k) for k in finders)):
            raise KeyProblem("device", f"required when backend = {self.backend!r} (or one of {', '.join(finders[1:])})")
        return self


class IdReaderConfig(_ReaderConfig):
    KIND: ClassVar[str] = "id_reader"
    BACKENDS: ClassVar[tuple[str, ...]] = ("serial", "evdev", "simulated", "none")

    baudrate: Int = 9600


class ScannerConfig(_ReaderConfig):
    KIND: ClassVar[str] = "scanner"
    BACKENDS: ClassVar[tuple[str, ...]] = ("serial", "evdev", "simulated", "none")

    baudrate: Int = 9600


class BadgeConfig(_ReaderConfig):
    KIND: ClassVar[str] = "badge"
    BACKENDS: ClassVar[tuple[str, ...]] = ("evdev", "simulated", "none")


class PrinterConfig(Section):
    BACKENDS: ClassVar[tuple[str, ...]] = ("usb", "serial", "network", "file", "dummy", "simulated", "none")

    backend: str = "none"
    profile: str = "default"  # python-escpos capabilities profile, e.g. "TM-T20II"
    code_page: str = "CP866"
    paper_width_mm: Int = 80  # 58 or 80
    qr_mode: str = "native"  # native (GS ( k) | image (raster)
    vendor_id: Int | None = None  # usb
    product_id: Int | None = None
    in_ep: Int = 0x82
    out_ep: Int = 0x01
    device: str | None = None  # serial: /dev/ttyUSB0; file: /dev/usb/lp0
    baudrate: Int = 9600
    host: str | None = None  # network
    port: Int = 9100
    timeout_s: float = 5.0
    status_timeout_s: float = 0.5

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        return _choice(value, cls.BACKENDS, "backend")

    @field_validator("paper_width_mm")
    @classmethod
    def _paper(cls, value: int) -> int:
        if value not in (58, 80):
            raise ValueError(f"{value} (expected one of 58, 80)")
        return value

    @field_validator("qr_mode")
    @classmethod
    def _qr(cls, value: str) -> str:
        if value not in ("native", "image"):
            raise ValueError(f"{value!r} (expected 'native' or 'image')")
        return value

    @model_validator(mode="after")
    def _printable(self) -> PrinterConfig:
        from hardware.printer.escpos_render import resolve_code_page

        try:
            resolve_code_page(self.profile, self.code_page)
        except ConfigError as exc:
            raise KeyProblem((exc.key or "").removeprefix("hardware.printer."), exc.problem) from None
        required = {"usb": ("vendor_id", "product_id"), "serial": ("device",), "file": ("device",), "network": ("host",)}
        for key in required.get(self.backend, ()):
            if getattr(self, key) is None:
                raise KeyProblem(key, f"required when backend = {self.backend!r}")
        return self


class SpeechConfig(Section):
    ENGINES: ClassVar[tuple[str, ...]] = ("auto", "speechd", "espeak", "pyttsx3", "simulated", "none")

    engine: str = "auto"
    fallback: Strings = ("speechd", "espeak", "pyttsx3")
    voices: dict[str, str] = Field(default_factory=lambda: {"bg": "bg", "en": "en"})
    player: Strings | None = None  # e.g. ["aplay", "-q", "-D", "{device}"]; None = auto
    devices: dict[str, str] = Field(default_factory=dict)  # output -> ALSA/Pulse device name
    output: str = "speaker"
    rate_step: Annotated[int, between(0, 6)] = 3
    volume_step: Annotated[int, between(0, 6)] = 3

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        return _choice(value, cls.ENGINES, "engine")

    @field_validator("fallback")
    @classmethod
    def _known_fallbacks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for engine in value:
            if engine not in ("speechd", "espeak", "pyttsx3"):
                raise ValueError(f"unknown engine {engine!r} (expected speechd, espeak, pyttsx3)")
        return value

    @field_validator("output")
    @classmethod
    def _known_output(cls, value: str) -> str:
        if value not in ("speaker", "headset"):
            raise ValueError(f"{value!r} (expected 'speaker' or 'headset')")
        return value


class HardwareConfig(Section):
    id_reader: IdReaderConfig = Field(default_factory=IdReaderConfig)
    scanner: ScannerConfig = Field(default_factory=ScannerConfig)
    badge: BadgeConfig = Field(default_factory=BadgeConfig)
    printer: PrinterConfig = Field(default_factory=PrinterConfig)
    speech: SpeechConfig = Field(default_factory=SpeechConfig)
    buttons: dict[str, Any] = Field(default_factory=dict)  # the feedback panel's ButtonPanelConfig fields
    source: str = "<defaults>"  # the file, for messages; not a key of the file

    @model_validator(mode="before")
    @classmethod
    def _known_sections(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or info.context is None:
            return data  # built in code: HardwareConfig(printer=...)
        for key in data:
            if key not in SECTIONS:
                raise KeyProblem(key, f"unknown section (expected one of {', '.join(SECTIONS)})")
        return {**data, "source": info.context["source"]}


def parse_hardware_config(data: Any, source: str = "<config>") -> HardwareConfig:
    """The typed config from the `hardware` table of a terminal TOML file (None: nothing configured)."""
    return validate_section(HardwareConfig, data, source, "hardware")


def hardware_config(config: ConfigFile) -> HardwareConfig:
    """The [hardware.*] sections of a file already read."""
    return parse_hardware_config(config.table("hardware"), config.source)


def load_hardware_config(path: str | Path) -> HardwareConfig:
    """Read the [hardware.*] sections of a terminal TOML file (the `hardware` tools; the
    terminal apps read the whole file once and take their sections from it)."""
    return hardware_config(read_config_file(path))
