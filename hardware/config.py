"""Typed configuration of the [hardware.*] sections and the factory that opens the configured devices."""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from hardware.base import ConfigError, Device, DeviceState, DeviceUnavailable, HardwareError, Health

__all__ = [
    "IdReaderConfig",
    "ScannerConfig",
    "BadgeConfig",
    "PrinterConfig",
    "SpeechConfig",
    "HardwareConfig",
    "load_hardware_config",
    "parse_hardware_config",
    "Devices",
    "open_devices",
]

log = logging.getLogger(__name__)

_SECTIONS = ("id_reader", "scanner", "badge", "printer", "speech", "buttons")


@dataclass(frozen=True)
class IdReaderConfig:
    backend: str = "none"  # serial | evdev | simulated | none
    device: str | None = None  # /dev/ttyACM0 or /dev/input/by-id/...
    baudrate: int = 9600
    options: dict[str, Any] = field(default_factory=dict)

    BACKENDS = ("serial", "evdev", "simulated", "none")


@dataclass(frozen=True)
class ScannerConfig:
    backend: str = "none"  # serial | evdev | simulated | none
    device: str | None = None
    baudrate: int = 9600
    options: dict[str, Any] = field(default_factory=dict)

    BACKENDS = ("serial", "evdev", "simulated", "none")


@dataclass(frozen=True)
class BadgeConfig:
    backend: str = "none"  # evdev | simulated | none
    device: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    BACKENDS = ("evdev", "simulated", "none")


@dataclass(frozen=True)
class PrinterConfig:
    backend: str = "none"  # usb | serial | network | file | dummy | simulated | none
    profile: str = "default"  # python-escpos capabilities profile, e.g. "TM-T20II"
    code_page: str = "CP866"
    paper_width_mm: int = 80  # 58 or 80
    qr_mode: str = "native"  # native (GS ( k) | image (raster)
    vendor_id: int | None = None  # usb
    product_id: int | None = None
    in_ep: int = 0x82
    out_ep: int = 0x01
    device: str | None = None  # serial: /dev/ttyUSB0; file: /dev/usb/lp0
    baudrate: int = 9600
    host: str | None = None  # network
    port: int = 9100
    timeout_s: float = 5.0
    status_timeout_s: float = 0.5

    BACKENDS = ("usb", "serial", "network", "file", "dummy", "simulated", "none")


@dataclass(frozen=True)
class SpeechConfig:
    engine: str = "auto"  # auto | speechd | espeak | pyttsx3 | simulated | none
    fallback: tuple[str, ...] = ("speechd", "espeak", "pyttsx3")
    voices: dict[str, str] = field(default_factory=lambda: {"bg": "bg", "en": "en"})
    player: tuple[str, ...] | None = None  # e.g. ["aplay", "-q", "-D", "{device}"]; None = auto
    devices: dict[str, str] = field(default_factory=dict)  # output -> ALSA/Pulse device name
    output: str = "speaker"
    rate_step: int = 3
    volume_step: int = 3

    ENGINES = ("auto", "speechd", "espeak", "pyttsx3", "simulated", "none")


@dataclass(frozen=True)
class HardwareConfig:
    id_reader: IdReaderConfig = field(default_factory=IdReaderConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    badge: BadgeConfig = field(default_factory=BadgeConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    buttons: dict[str, Any] = field(default_factory=dict)  # FEEDBACK's ButtonPanelConfig fields
    source: str = "<defaults>"


def _error(source: str, key: str, message: str) -> ConfigError:
    return ConfigError(f"{source}: {key}: {message}")


def _coerce(source: str, key: str, value: Any, annotation: str) -> Any:
    """Check one value against the field's annotation; hex strings are accepted for USB ids."""
    kinds = annotation.replace(" ", "").split("|")
    if value is None and "None" in kinds:
        return None
    if "int" in kinds:
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            return value
        elif isinstance(value, str):
            try:
                return int(value, 0)
            except ValueError:
                pass
        if "float" not in kinds:
            raise _error(source, key, f"expected an integer, got {value!r}")
    if "float" in kinds and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if "str" in kinds and isinstance(value, str):
        return value
    if annotation.startswith("tuple") and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    if annotation.startswith("dict") and isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    expected = {"str": "a string", "float": "a number"}.get(kinds[0], annotation)
    raise _error(source, key, f"expected {expected}, got {value!r}")


def _section(cls: type, data: Any, source: str, prefix: str) -> Any:
    if data is None:
        return cls()
    if not isinstance(data, Mapping):
        raise _error(source, prefix, f"expected a table, got {data!r}")
    names = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names or key == "options":
            if "options" in names:
                options[key] = value  # reader-specific settings pass through to the driver
                continue
            raise _error(source, f"{prefix}.{key}", f"unknown key (expected one of {', '.join(sorted(names))})")
        values[key] = _coerce(source, f"{prefix}.{key}", value, str(names[key].type))
    if options:
        values["options"] = options
    obj = cls(**values)
    allowed = getattr(cls, "BACKENDS", None) or getattr(cls, "ENGINES", None)
    choice_key = "backend" if hasattr(obj, "backend") else "engine"
    choice = getattr(obj, choice_key)
    if allowed and choice not in allowed:
        raise _error(
            source, f"{prefix}.{choice_key}", f"unknown {choice_key} {choice!r} (expected one of {', '.join(allowed)})"
        )
    return obj


def _validate_printer(cfg: PrinterConfig, source: str) -> None:
    from hardware.printer.escpos_render import PAPER_DOTS, resolve_code_page

    p = "hardware.printer"
    if cfg.paper_width_mm not in PAPER_DOTS:
        raise _error(source, f"{p}.paper_width_mm", f"{cfg.paper_width_mm} (expected one of 58, 80)")
    if cfg.qr_mode not in ("native", "image"):
        raise _error(source, f"{p}.qr_mode", f"{cfg.qr_mode!r} (expected 'native' or 'image')")
    try:
        resolve_code_page(cfg.profile, cfg.code_page)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    required = {"usb": ("vendor_id", "product_id"), "serial": ("device",), "file": ("device",), "network": ("host",)}
    for key in required.get(cfg.backend, ()):
        if getattr(cfg, key) is None:
            raise _error(source, f"{p}.{key}", f"required when backend = {cfg.backend!r}")


def _validate_speech(cfg: SpeechConfig, source: str) -> None:
    p = "hardware.speech"
    for engine in cfg.fallback:
        if engine not in ("speechd", "espeak", "pyttsx3"):
            raise _error(source, f"{p}.fallback", f"unknown engine {engine!r} (expected speechd, espeak, pyttsx3)")
    if cfg.output not in ("speaker", "headset"):
        raise _error(source, f"{p}.output", f"{cfg.output!r} (expected 'speaker' or 'headset')")
    for key in ("rate_step", "volume_step"):
        if not 0 <= getattr(cfg, key) <= 6:
            raise _error(source, f"{p}.{key}", f"{getattr(cfg, key)} (expected 0..6)")


_READER_CLASSES = {
    "id_reader": ("hardware.idcard", {"serial": "SerialMrzReader", "evdev": "EvdevMrzReader", "simulated": "SimulatedIdReader"}),
    "scanner": ("hardware.scanner", {"serial": "SerialScanner", "evdev": "EvdevScanner", "simulated": "SimulatedScanner"}),
    "badge": ("hardware.badge", {"evdev": "EvdevBadgeReader", "simulated": "SimulatedBadgeReader"}),
}


def _reader_class(kind: str, backend: str) -> Any:
    import importlib

    module_name, names = _READER_CLASSES[kind]
    return getattr(importlib.import_module(module_name), names[backend], None)


def _require_finder(kind: str, cfg: Any, source: str) -> None:
    finders = {"evdev": ("device", "name", "phys", "usb_id"), "serial": ("device", "port", "usb_id")}.get(cfg.backend)
    if finders and not (cfg.device or any(cfg.options.get(k) for k in finders)):
        raise _error(source, f"hardware.{kind}.device", f"required when backend = {cfg.backend!r} "
                     f"(or one of {', '.join(finders[1:])})")


def _validate_reader_options(kind: str, cfg: Any, source: str) -> None:
    """Keys the section does not define pass through to IDCARD's driver; check it takes them,
    so a typo ("devcie") is named at load time instead of silently ignored."""
    import inspect

    if not cfg.options:
        _require_finder(kind, cfg, source)
        return
    first = sorted(cfg.options)[0]
    if cfg.backend in ("none", "simulated"):
        raise _error(source, f"hardware.{kind}.{first}", f"unknown key for backend {cfg.backend!r}")
    try:
        cls = _reader_class(kind, cfg.backend)
        parameters = inspect.signature(cls.__init__).parameters
    except Exception:
        parameters = {}
    if not parameters or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        _require_finder(kind, cfg, source)
        return
    for key in sorted(cfg.options):
        if key not in parameters or key in ("self", "listener"):
            accepted = sorted(n for n in parameters if n not in ("self", "listener"))
            raise _error(source, f"hardware.{kind}.{key}", f"unknown key (this reader takes {', '.join(accepted)})")
    _require_finder(kind, cfg, source)


def parse_hardware_config(data: Mapping[str, Any] | None, source: str = "<config>") -> HardwareConfig:
    """Build the typed config from the `hardware` table of a terminal TOML file."""
    data = data or {}
    if not isinstance(data, Mapping):
        raise _error(source, "hardware", "expected a table")
    for key in data:
        if key not in _SECTIONS:
            raise _error(source, f"hardware.{key}", f"unknown section (expected one of {', '.join(_SECTIONS)})")
    buttons = data.get("buttons") or {}
    if not isinstance(buttons, Mapping):
        raise _error(source, "hardware.buttons", "expected a table")
    cfg = HardwareConfig(
        id_reader=_section(IdReaderConfig, data.get("id_reader"), source, "hardware.id_reader"),
        scanner=_section(ScannerConfig, data.get("scanner"), source, "hardware.scanner"),
        badge=_section(BadgeConfig, data.get("badge"), source, "hardware.badge"),
        printer=_section(PrinterConfig, data.get("printer"), source, "hardware.printer"),
        speech=_section(SpeechConfig, data.get("speech"), source, "hardware.speech"),
        buttons=dict(buttons),
        source=source,
    )
    for kind in ("id_reader", "scanner", "badge"):
        _validate_reader_options(kind, getattr(cfg, kind), source)
    _validate_printer(cfg.printer, source)
    _validate_speech(cfg.speech, source)
    return cfg


def load_hardware_config(path: str | Path) -> HardwareConfig:
    """Read the [hardware.*] sections of a terminal TOML file; errors name the file and the key."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            document = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return parse_hardware_config(document.get("hardware"), source=str(path))


@dataclass
class Devices:
    """The open devices of one terminal; absent ones are None."""

    config: HardwareConfig
    id_reader: Any = None
    scanner: Any = None
    badge: Any = None
    printer: Any = None
    speech: Any = None
    buttons: Any = None
    errors: dict[str, str] = field(default_factory=dict)

    def items(self) -> list[tuple[str, Any]]:
        return [(n, getattr(self, n)) for n in _SECTIONS if getattr(self, n) is not None]

    def health(self) -> dict[str, Health]:
        from hardware.health import device_health

        return device_health(self)

    def close(self) -> None:
        for _, device in self.items():
            try:
                device.close()
            except Exception:  # closing one device must not keep the others open
                log.exception("closing %r failed", device)

    def __enter__(self) -> "Devices":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _FailedDevice(Device):
    """Stands in for a configured device that could not be opened, so diag and heartbeats show why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason

    def health(self) -> Health:
        return Health(DeviceState.OFFLINE, self.reason)

    def __getattr__(self, attribute: str) -> Any:
        # print_receipt(), insert_card()...: the caller gets the DeviceUnavailable it already handles.
        if attribute.startswith("_"):
            raise AttributeError(attribute)

        def unavailable(*args: Any, **kwargs: Any) -> Any:
            raise DeviceUnavailable(f"{self.name}: {self.reason}")

        return unavailable


def _open_reader(kind: str, cfg: Any, listener: Any, simulate: bool) -> Any:
    """ID reader, scanner and badge drivers belong to IDCARD; imported lazily so a missing one names itself."""
    backend = "simulated" if simulate else cfg.backend
    if backend == "none":
        return None
    options = dict(cfg.options)
    module_name, names = _READER_CLASSES[kind]
    cls = _reader_class(kind, backend)
    if cls is None:
        raise HardwareError(f"hardware.{kind}: backend {backend!r} is not available ({module_name}.{names[backend]})")
    if backend == "simulated":
        return cls(listener)
    kwargs: dict[str, Any] = {"device": cfg.device, **options}
    if backend == "serial":
        kwargs["baudrate"] = cfg.baudrate
    try:
        return cls(listener, **kwargs)
    except TypeError as exc:  # an option the driver does not take: name it rather than guess
        raise ConfigError(f"hardware.{kind}: {exc}") from exc


def open_devices(config: HardwareConfig, listener: Any = None, simulate: bool = False) -> Devices:
    """Open every configured device. `simulate=True` swaps in the simulated backends (demo, tests);
    otherwise a simulated backend is used only where the config names it. A device that fails to
    open is reported through health(), never replaced by a simulation."""
    from hardware.printer import open_printer
    from hardware.speech import open_speech

    devices = Devices(config=config)
    for kind in ("id_reader", "scanner", "badge"):
        cfg = getattr(config, kind)
        if cfg.backend == "none" and not simulate:
            continue
        try:
            setattr(devices, kind, _open_reader(kind, cfg, listener, simulate))
        except Exception as exc:
            log.error("hardware.%s: cannot open: %s", kind, exc)
            devices.errors[kind] = str(exc)
            setattr(devices, kind, _FailedDevice(kind, str(exc)))
    printer_cfg = dataclasses.replace(config.printer, backend="simulated") if simulate else config.printer
    if printer_cfg.backend != "none":
        try:
            devices.printer = open_printer(printer_cfg)
        except HardwareError as exc:
            devices.errors["printer"] = str(exc)
            devices.printer = _FailedDevice("printer", str(exc))
    speech_cfg = dataclasses.replace(config.speech, engine="simulated") if simulate else config.speech
    if speech_cfg.engine != "none":
        try:
            devices.speech = open_speech(speech_cfg)
        except HardwareError as exc:
            # A Speech that reports OFFLINE and logs each utterance it cannot say: callers keep
            # working, and diag/heartbeats show why the terminal is mute.
            from hardware.speech import Speech, UnavailableEngine

            devices.errors["speech"] = str(exc)
            devices.speech = Speech(UnavailableEngine(str(exc)), output=speech_cfg.output)
    if config.buttons or simulate:
        try:
            from hardware import buttons as buttons_mod

            fields = {f.name for f in dataclasses.fields(buttons_mod.ButtonPanelConfig)}
            panel_kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in config.buttons.items() if k in fields}
            panel_cfg = buttons_mod.ButtonPanelConfig(**panel_kwargs)
            if simulate:
                devices.buttons = buttons_mod.SimulatedButtonPanel(panel_cfg, listener)
            else:
                factory = buttons_mod.make_pin_factory(str(config.buttons.get("pin_factory", "lgpio")))
                devices.buttons = buttons_mod.ButtonPanel(panel_cfg, listener, pin_factory=factory)
        except Exception as exc:
            log.error("hardware.buttons: cannot open: %s", exc)
            devices.errors["buttons"] = str(exc)
            devices.buttons = _FailedDevice("buttons", str(exc))
    return devices
