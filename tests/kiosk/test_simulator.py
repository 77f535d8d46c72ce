"""`kiosk --simulate`'s demo controls work with the accessibility layer on and never steal keypad keys."""

from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication

from hardware.config import parse_hardware_config
from hardware.devices import open_devices
from kiosk.a11y.keypad import KEY_MAP
from kiosk.app import KioskApp
from kiosk.bridge import DeviceBridge
from kiosk.simulated_backend import SimulatedBackend
from kiosk.simulator import install_shortcuts
from kiosk.state.kiosk_state import KioskSettings


def test_demo_controls_insert_cards_and_plug_the_headset(qtbot):
    bridge = DeviceBridge()
    devices = open_devices(parse_hardware_config({}), listener=bridge, simulate=True)
    app = KioskApp(QApplication.instance(), SimulatedBackend(None), KioskSettings(office_id="centre"),
                   devices=devices, bridge=bridge)
    qtbot.addWidget(app.window)
    install_shortcuts(app)
    shortcuts = {sc.key().toString(): sc for sc in app.window.findChildren(QShortcut)}
    assert {"Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "Ctrl+6", "Ctrl+0"} <= set(shortcuts)
    try:
        shortcuts["Ctrl+1"].activated.emit()
        qtbot.waitUntil(lambda: len(devices.id_reader.documents) == 1)
        assert app.headset is not None and not app.headset.plugged
        shortcuts["Ctrl+6"].activated.emit()
        qtbot.waitUntil(lambda: app.headset.plugged)
        qtbot.waitUntil(lambda: app.a11y.speech_mode)  # the plug reaches the GUI thread queued
        shortcuts["Ctrl+6"].activated.emit()
        qtbot.waitUntil(lambda: app.headset.plugged is False)
    finally:
        app.close()


def test_demo_controls_use_no_key_of_the_accessible_keypad():
    import inspect

    import kiosk.simulator

    source = inspect.getsource(kiosk.simulator.install_shortcuts)
    keypad_f_keys = {b.key.name.removeprefix("Key_") for b in KEY_MAP if b.key.name.startswith("Key_F")}
    assert keypad_f_keys, "the keypad map binds F-keys"
    for f_key in keypad_f_keys:
        assert f'"{f_key}"' not in source, f"the simulator binds {f_key}, a keypad key"
