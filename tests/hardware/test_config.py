"""[hardware.*] config: typed values, errors that name the file and the key, and the device factory; health."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hardware.base import ConfigError, DeviceState, Health
from hardware.config import HardwareConfig, load_hardware_config, parse_hardware_config
from hardware.devices import _FailedDevice as _failed
from hardware.devices import open_devices
from hardware.health import device_health, parse_throttled, system_health
from hardware.printer import SimulatedPrinter
from hardware.speech import RecordingSpeech

GOOD = """
[hub]
url = "https://hub.example.bg"

[hardware.printer]
backend = "usb"
vendor_id = "0x04b8"
product_id = 0x0202
profile = "TM-T20II"
code_page = "CP1251"
paper_width_mm = 58
qr_mode = "image"

[hardware.speech]
engine = "espeak"
fallback = ["espeak", "pyttsx3"]
player = ["aplay", "-q", "-D", "{device}"]
devices = { speaker = "hw:0", headset = "hw:1" }
rate_step = 4

[hardware.id_reader]
backend = "serial"
device = "/dev/ttyACM0"
baudrate = 115200
usb_id = "1234:5678"

[hardware.buttons]
button_pins = [5, 6, 13, 19]
pin_factory = "lgpio"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_config_is_typed(tmp_path):
    cfg = load_hardware_config(write(tmp_path, GOOD))
    assert cfg.printer.backend == "usb"
    assert (cfg.printer.vendor_id, cfg.printer.product_id) == (0x04B8, 0x0202)
    assert (cfg.printer.code_page, cfg.printer.paper_width_mm, cfg.printer.qr_mode) == ("CP1251", 58, "image")
    assert cfg.speech.fallback == ("espeak", "pyttsx3")
    assert cfg.speech.devices == {"speaker": "hw:0", "headset": "hw:1"}
    assert cfg.speech.rate_step == 4
    assert cfg.id_reader.baudrate == 115200
    assert cfg.id_reader.options == {"usb_id": "1234:5678"}  # passed through to IDCARD's reader
    assert cfg.buttons["button_pins"] == [5, 6, 13, 19]
    assert cfg.scanner.backend == "none"
    assert str(tmp_path) in cfg.source


@pytest.mark.parametrize(
    "snippet, message",
    [
        ('[hardware.printer]\nbackend = "usbb"', "hardware.printer.backend: unknown backend 'usbb' (expected one of usb, serial"),
        ('[hardware.printer]\nbackend = "usb"\nvendor_id = "epson"', "hardware.printer.vendor_id: expected an integer, got 'epson'"),
        ('[hardware.printer]\nbackend = "usb"', "hardware.printer.vendor_id: required when backend = 'usb'"),
        ('[hardware.printer]\nbackend = "network"', "hardware.printer.host: required when backend = 'network'"),
        ('[hardware.printer]\npaper_width_mm = 57', "hardware.printer.paper_width_mm: 57 (expected one of 58, 80)"),
        ('[hardware.printer]\ncode_page = "CP9999"', "hardware.printer.code_page: 'CP9999'"),
        ('[hardware.printer]\nprofile = "NOPE-1"', "hardware.printer.profile: unknown printer profile 'NOPE-1'"),
        ('[hardware.printer]\nspeed = 3', "hardware.printer.speed: unknown key"),
        ('[hardware.speech]\nengine = "festival"', "hardware.speech.engine: unknown engine 'festival'"),
        ('[hardware.speech]\nfallback = ["espeak", "sam"]', "hardware.speech.fallback: unknown engine 'sam'"),
        ('[hardware.speech]\nrate_step = 9', "hardware.speech.rate_step: must be between 0 and 6, got 9"),
        ('[hardware.speech]\noutput = "hdmi"', "hardware.speech.output: 'hdmi'"),
        ('[hardware.id_reader]\nbackend = "bluetooth"', "hardware.id_reader.backend: unknown backend 'bluetooth'"),
        ('[hardware.printr]\nbackend = "usb"', "hardware.printr: unknown section"),
        ('[hardware]\nprinter = 3', "hardware.printer: expected a table"),
        ('[hardware.id_reader]\nbackend = "serial"\ndevcie = "/dev/ttyACM0"', "hardware.id_reader.devcie: unknown key (this reader takes"),
        ('[hardware.scanner]\nusb_id = "05e0:1200"', "hardware.scanner.usb_id: unknown key for backend 'none'"),
        ('[hardware.badge]\nbackend = "evdev"', "hardware.badge.device: required when backend = 'evdev' (or one of name, phys, usb_id)"),
        ('[hardware.id_reader]\nbackend = "serial"', "hardware.id_reader.device: required when backend = 'serial'"),
    ],
)
def test_errors_name_the_file_and_the_key(tmp_path, snippet, message):
    path = write(tmp_path, snippet + "\n")
    with pytest.raises(ConfigError) as info:
        load_hardware_config(path)
    text = str(info.value)
    assert text.startswith(str(path) + ": "), text
    assert message in text
    assert "\n" not in text


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_hardware_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_hardware_config(write(tmp_path, "[hardware.printer\n"))


def test_no_hardware_section_means_nothing_configured():
    cfg = parse_hardware_config(None)
    assert cfg == HardwareConfig(source="<config>")
    assert cfg.printer.backend == "none"


def test_simulate_opens_every_kind_with_simulated_backends():
    cfg = parse_hardware_config({"printer": {"backend": "usb", "vendor_id": 1, "product_id": 2}})
    with open_devices(cfg, listener=None, simulate=True) as devices:
        assert isinstance(devices.printer, SimulatedPrinter)
        assert isinstance(devices.speech, RecordingSpeech)
        assert type(devices.id_reader).__name__ == "SimulatedIdReader"
        assert type(devices.scanner).__name__ == "SimulatedScanner"
        assert type(devices.badge).__name__ == "SimulatedBadgeReader"
        health = devices.health()
    assert set(health) == {"id_reader", "scanner", "badge", "printer", "speech", "buttons"}
    assert health["printer"].state is DeviceState.OK


def test_real_backends_are_not_replaced_by_simulations(tmp_path):
    cfg = parse_hardware_config(
        {
            "printer": {"backend": "file", "device": str(tmp_path / "missing" / "lp0")},
            "speech": {"engine": "simulated"},
            "id_reader": {"backend": "serial", "device": str(tmp_path / "ttyNONE")},
        }
    )
    offline = threading.Event()

    class Listener:
        def on_state(self, health):
            if health.state is DeviceState.OFFLINE:
                offline.set()

    with open_devices(cfg, listener=Listener()) as devices:
        assert not isinstance(devices.printer, SimulatedPrinter)
        assert type(devices.id_reader).__name__ == "SerialMrzReader"
        assert offline.wait(10)  # the reader's own thread finds the port missing
        health = devices.health()
    assert health["id_reader"].state is DeviceState.OFFLINE and "ttyNONE" in health["id_reader"].reason
    assert health["printer"].state is DeviceState.UNKNOWN  # a file printer cannot say; it is not "ok"
    assert health["speech"].state is DeviceState.OK  # named explicitly in the config
    assert "scanner" not in health


def test_device_health_survives_a_broken_driver():
    class Broken:
        def health(self):
            raise RuntimeError("driver bug")

    class Fine:
        def health(self):
            return Health(DeviceState.OK)

    out = device_health([("a", Broken()), ("b", Fine())])
    assert out["a"].state is DeviceState.OFFLINE and "driver bug" in out["a"].reason
    assert out["b"].state is DeviceState.OK


@pytest.mark.parametrize(
    "text, value", [("throttled=0x50005", 0x50005), ("0\n", 0), ("50000", 0x50000), ("garbage", None)]
)
def test_parse_throttled(text, value):
    assert parse_throttled(text) == value


def test_system_health_from_board_files(tmp_path):
    zone = tmp_path / "temp"
    zone.write_text("83500\n")
    throttled = tmp_path / "get_throttled"
    throttled.write_text("50005\n")
    s = system_health(tmp_path, thermal_zone=zone, throttled_sysfs=throttled, vcgencmd=None)
    assert s.cpu_temp_c == 83.5
    assert s.under_voltage is True and s.under_voltage_occurred is True and s.throttled is True
    assert s.disk_free_bytes and s.disk_free_bytes > 0
    assert s.as_health().state is DeviceState.DEGRADED and "under-voltage" in s.as_health().reason


def test_system_health_without_board_files_is_none_not_false(tmp_path):
    s = system_health(tmp_path, thermal_zone=tmp_path / "no", throttled_sysfs=tmp_path / "no", vcgencmd=None)
    assert s.cpu_temp_c is None and s.under_voltage is None and s.throttled is None
    assert s.as_health().state is DeviceState.OK


def test_unopenable_devices_fail_loudly_not_silently(tmp_path, caplog):
    cfg = parse_hardware_config(
        {
            "speech": {"engine": "speechd", "fallback": ["speechd"]},
        }
    )
    try:
        import speechd  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("speechd is importable here")
    from hardware.base import DeviceUnavailable

    with open_devices(cfg) as devices:
        devices.id_reader = _failed("id_reader", "no_such_option: unexpected keyword")
        assert devices.speech.health().state is DeviceState.OFFLINE
        assert "speechd" in devices.speech.health().reason
        devices.speech.say("Здравейте")  # the kiosk keeps running; the log says why it is mute
        assert devices.speech.wait_until_idle(5)
        assert any("failed to start" in r.getMessage() for r in caplog.records)
        with pytest.raises(DeviceUnavailable, match="no_such_option"):
            devices.id_reader.insert_card("x")
