"""Opening the devices a terminal's [hardware.*] sections name (`hardware.config` holds the types).

`open_devices(config)` opens every configured device; one that fails to open is reported through
its health (`_FailedDevice`, an unavailable Speech), never replaced by a simulation.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any

from hardware.base import ConfigError, Device, DeviceState, DeviceUnavailable, HardwareError, Health
from hardware.config import _READER_CLASSES, SECTIONS, HardwareConfig, reader_class
from hardware.printer import open_printer
from hardware.speech import Speech, UnavailableEngine, open_speech

__all__ = ["Devices", "open_devices"]

log = logging.getLogger(__name__)


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
        return [(n, getattr(self, n)) for n in SECTIONS if getattr(self, n) is not None]

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
    cls = reader_class(kind, backend)
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
        raise ConfigError(None, f"hardware.{kind}", str(exc)) from exc


def open_devices(config: HardwareConfig, listener: Any = None, simulate: bool = False) -> Devices:
    """Open every configured device. `simulate=True` swaps in the simulated backends (demo, tests);
    otherwise a simulated backend is used only where the config names it. A device that fails to
    open is reported through health(), never replaced by a simulation."""
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
    printer_cfg = config.printer.model_copy(update={"backend": "simulated"}) if simulate else config.printer
    if printer_cfg.backend != "none":
        try:
            devices.printer = open_printer(printer_cfg)
        except HardwareError as exc:  # ConfigError too
            devices.errors["printer"] = str(exc)
            devices.printer = _FailedDevice("printer", str(exc))
    speech_cfg = config.speech.model_copy(update={"engine": "simulated"}) if simulate else config.speech
    if speech_cfg.engine != "none":
        try:
            devices.speech = open_speech(speech_cfg)
        except HardwareError as exc:
            # A Speech that reports OFFLINE and logs each utterance it cannot say: callers keep
            # working, and diag/heartbeats show why the terminal is mute.
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
