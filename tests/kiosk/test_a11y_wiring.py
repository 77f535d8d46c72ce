"""The accessibility layer wired into the kiosk: the headset detector and the [kiosk] a11y keys."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication

import hardware.headset as headset_mod
from hardware.headset import SimulatedHeadset
from hardware.idcard import SimulatedIdReader
from hardware.speech import RecordingSpeech
from kiosk.a11y import A11yConfig
from kiosk.app import KioskApp, open_headset
from kiosk.bridge import DeviceBridge
from kiosk.config import ConfigError, load_kiosk_settings
from kiosk.demo_catalogue import demo_catalogue
from kiosk.simulated_backend import SimulatedBackend
from tests.kiosk.teardown import dispose_kiosk


@pytest.fixture
def make_app(qtbot):
    made = []

    def make(settings=None, headset="auto", simulated_devices=True):
        bridge = DeviceBridge()
        speech = RecordingSpeech()
        devices = SimpleNamespace(
            id_reader=SimulatedIdReader(bridge) if simulated_devices else None, scanner=None, badge=None,
            printer=None, speech=speech, health=lambda: {}, close=lambda: None)
        app = KioskApp(QApplication.instance(), SimulatedBackend(demo_catalogue()), settings, devices=devices,
                       bridge=bridge, accessibility=True, headset=headset)
        made.append((app, speech))
        return app, speech

    yield make
    qapp = QApplication.instance()
    for app, speech in made:
        dispose_kiosk(qtbot, app)
        speech.close()
    qapp.setStyleSheet("")
    qapp.setPalette(qapp.style().standardPalette())


def test_plugging_the_simulated_headset_starts_speech_mode_through_the_kiosk(make_app, qtbot):
    app, speech = make_app()  # simulated devices (--simulate): a simulated headset jack
    assert isinstance(app.headset, SimulatedHeadset)
    assert not app.a11y.speech_mode
    app.headset.plug()  # from the detector's side, as its thread would
    qtbot.waitUntil(lambda: app.a11y.speech_mode)
    assert app.a11y.headset_plugged and speech.output == "headset"
    speech.wait_until_idle(5)
    assert any("Гласов режим включен" in e.text for e in speech.spoken)
    app.headset.unplug()
    qtbot.waitUntil(lambda: not app.a11y.headset_plugged)
    assert speech.output == "speaker"
    detector = app.headset
    app.close()
    detector.plug()  # after close the kiosk no longer listens
    assert detector._listener is None


def test_a_headset_already_plugged_in_is_reported_at_start(make_app, qtbot):
    app, _speech = make_app(headset=SimulatedHeadset(plugged=True))
    qtbot.waitUntil(lambda: app.a11y.speech_mode)
    assert app.a11y.headset_plugged


def test_no_headset_detector_without_a_jack_or_when_switched_off(make_app, monkeypatch, caplog):
    app, _ = make_app(headset="none")
    assert app.headset is None
    monkeypatch.setattr(headset_mod, "find_headphone_jack", lambda devices=None: None)
    with caplog.at_level("INFO", logger="kiosk.app"):
        detector, owned = open_headset(None, "evdev")
    assert detector is None and not owned
    assert "no plug detection" in caplog.text  # absent: logged, not fatal
    app, _ = make_app(simulated_devices=False)  # unknown devices, no simulation: no detector
    assert app.headset is None and app.a11y is not None
    with pytest.raises(ValueError, match="unknown mode"):
        open_headset(None, "bluetooth")


def test_a11y_keys_of_the_kiosk_section_reach_the_controller(tmp_path, make_app):
    path = tmp_path / "terminal.toml"
    path.write_text("[kiosk]\nscreen_diagonal_in = 15.6\nscreen_width_px = 1920\nscreen_height_px = 1080\n"
                    "viewing_distance_mm = 800\nignore_repeat_seconds = 0.5\n")
    settings = load_kiosk_settings(path)
    assert settings.screen_width_mm == pytest.approx(345.3, abs=0.5)  # touch targets from the same panel
    app, _ = make_app(settings)
    geometry = app.a11y.config.geometry
    assert geometry.diagonal_in == pytest.approx(15.6)
    assert geometry.viewing_distance_mm == 800
    assert app.a11y.config.ignore_repeat_seconds == 0.5
    assert app.a11y.input_filter.guard.window_s == 0.5
    assert app.a11y.config.geometry.min_cap_height_mm == pytest.approx(9.77, abs=0.01)


@pytest.mark.parametrize("body, message", [
    ("screen_diagonal_in = 'big'", r"terminal\.toml: kiosk\.screen_diagonal_in: expected a number, got 'big'"),
    ("viewing_distance_mm = true", r"terminal\.toml: kiosk\.viewing_distance_mm: expected a number, got True"),
    ("ignore_repeat_seconds = 5", r"terminal\.toml: kiosk\.ignore_repeat_seconds: must be between 0 and 2"),
    ("viewing_distance_mm = 6000", r"terminal\.toml: kiosk\.viewing_distance_mm: must be between 200 and 2000"),
    ("screen_diagonal_in = 0", r"terminal\.toml: kiosk\.screen_diagonal_in: must be between 3 and 100"),
    ("screen_diagonal_in = 10.1\nscreen_width_mm = 300",
     r"terminal\.toml: kiosk\.screen_diagonal_in: .*screen_width_mm is 300"),
])
def test_bad_a11y_keys_name_the_key_and_the_file(tmp_path, body, message):
    path = tmp_path / "terminal.toml"
    path.write_text(f"[kiosk]\n{body}\n")
    with pytest.raises(ConfigError, match=message):
        load_kiosk_settings(path)


def test_without_a11y_keys_the_panel_geometry_still_comes_from_the_config(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text("[kiosk]\nscreen_width_mm = 216.96\n")
    config = A11yConfig.from_settings(load_kiosk_settings(path))
    assert config.geometry.diagonal_in == pytest.approx(10.1, abs=0.05)
    assert config.geometry.viewing_distance_mm == 600 and config.ignore_repeat_seconds == 0


def test_the_window_gives_the_accessibility_layer_what_it_needs_and_every_key_has_an_action(make_app):
    from kiosk.a11y.keypad import Action
    from kiosk.a11y.window import A11yWindow

    app, _ = make_app()
    assert isinstance(app.window, A11yWindow)
    assert set(app.a11y.actions.table) == set(Action)


@pytest.mark.parametrize("accessibility", [True, False])
def test_the_header_shows_the_contrast_and_large_text_switches_only_with_the_accessibility_layer(
        qtbot, accessibility):
    app = KioskApp(QApplication.instance(), SimulatedBackend(demo_catalogue()), accessibility=accessibility)
    try:
        app.window.resize(1280, 800)
        app.window.show()
        switches = app.window.a11y_switches
        shown = [w.isVisible() for w in (switches.contrast_button, switches.large_text_button)]
        assert shown == [accessibility, accessibility]
        assert not switches.indicator.isVisible()  # speech mode is off: nothing to mark
    finally:
        dispose_kiosk(qtbot, app)
