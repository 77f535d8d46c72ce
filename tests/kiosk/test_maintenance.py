"""Maintenance mode as a technician meets it: entry with a lockout, the state in Bulgarian words, the
test page, confirmations, the idle timeout and the audit trail."""

from __future__ import annotations

from datetime import datetime

import pytest

from hardware.base import DeviceState, Health
from kiosk.state.maintenance import FIRST_LOCK_S, hash_pin

PIN = "2468"


def open_maintenance(kiosk):
    kiosk.window.show_screen("maintenance")
    screen = kiosk.screen()
    assert kiosk.screen_name() == "maintenance"
    return screen


def enter(kiosk, screen, pin: str) -> None:
    kiosk.type_into(screen.pin, pin)
    kiosk.tap("Отключи")


def audit_lines(store) -> list[str]:
    return [message for _at, source, message in store.recent_errors() if source == "maintenance"]


def test_wrong_pins_lock_entry_with_a_growing_delay_shown_and_spoken(kiosk):
    now = [1000.0]
    kiosk.state.maintenance.lock._clock = lambda: now[0]
    screen = open_maintenance(kiosk)
    spoken = []
    screen.announce.connect(lambda text, _polite: spoken.append(text))
    for _ in range(4):
        enter(kiosk, screen, "1111")
        assert kiosk.sees("Нямате достъп.")
    enter(kiosk, screen, "1111")
    assert kiosk.sees("Входът е заключен за 1 мин. 0 сек.")
    assert any("заключен" in text for text in spoken)
    assert not screen.unlock_button.isEnabled()
    # even the right PIN opens nothing while locked (the field is disabled; the state refuses too)
    screen.unlock(pin=PIN)
    assert not screen.exit_button.isEnabled()
    now[0] += FIRST_LOCK_S + 1
    screen._show_lock()
    assert screen.unlock_button.isEnabled() and kiosk.sees("Може да опитате отново.")
    enter(kiosk, screen, "1111")  # the sixth wrong PIN: two minutes
    assert kiosk.sees("Входът е заключен за 2 мин. 0 сек.")
    now[0] += 2 * FIRST_LOCK_S + 1
    screen._show_lock()
    enter(kiosk, screen, PIN)
    assert screen.exit_button.isEnabled()
    kiosk.qtbot.waitUntil(lambda: any(line.startswith("entry: PIN") for line in audit_lines(kiosk.store)))
    lines = audit_lines(kiosk.store)
    assert any("entry locked for 120 s" in line for line in lines)
    assert any("wrong PIN" in line for line in lines)


def test_the_local_pin_is_an_argon2id_hash_in_the_config(kiosk, tmp_path, caplog):
    from kiosk.config import ConfigError, load_kiosk_settings

    config = tmp_path / "terminal.toml"
    config.write_text(f'[kiosk]\ntechnician_pin_hash = "{hash_pin("9753")}"\n', encoding="utf-8")
    settings = load_kiosk_settings(config)
    assert settings.technician_pin_hash.startswith("$argon2id$") and settings.technician_pin is None
    kiosk.state.settings.technician_pin = None
    kiosk.state.settings.technician_pin_hash = settings.technician_pin_hash
    screen = open_maintenance(kiosk)
    enter(kiosk, screen, PIN)
    assert not screen.exit_button.isEnabled()
    enter(kiosk, screen, "9753")
    assert screen.exit_button.isEnabled()
    # an old config with the PIN in clear still works, with a warning
    config.write_text('[kiosk]\ntechnician_pin = "1357"\n', encoding="utf-8")
    assert load_kiosk_settings(config).technician_pin == "1357"
    assert "technician_pin_hash" in caplog.text
    config.write_text('[kiosk]\ntechnician_pin_hash = "1357"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="kiosk.technician_pin_hash: not an Argon2id hash"):
        load_kiosk_settings(config)


def test_kiosk_hash_pin_prints_a_hash_that_verifies(monkeypatch, capsys):
    import io

    from nacl import pwhash

    from kiosk.__main__ import main

    monkeypatch.setattr("sys.stdin", io.StringIO("4321\n"))
    assert main(["hash-pin"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("$argon2id$") and pwhash.verify(printed.encode(), b"4321")


def test_the_state_in_bulgarian_words_and_the_last_error_until_it_recovers(kiosk):
    healths = {"printer": Health(DeviceState.OFFLINE, "няма хартия / paper out"),
               "id_reader": Health(DeviceState.OK)}
    kiosk.state.device_healths = lambda: dict(healths)
    screen = open_maintenance(kiosk)
    enter(kiosk, screen, PIN)
    kiosk.qtbot.waitUntil(lambda: "Чакат изпращане: 0" in screen.status.text())
    text = screen.status.text()
    assert "Принтер: няма хартия — грешка от " in text
    assert "Четец за лични карти: свързан, още нищо не е прочетено" in text
    assert "queue_depth" not in text and "last_error" not in text and "paper out" not in text
    kiosk.insert_card()
    kiosk.qtbot.waitUntil(lambda: kiosk.state.maintenance.devices.story("id_reader").last_read_at is not None)
    healths["printer"] = Health(DeviceState.OK)
    kiosk.tap("Обнови")
    hhmm = datetime.now().strftime("%H:%M")
    kiosk.qtbot.waitUntil(lambda: f"последно четене {hhmm}" in screen.status.text())
    assert "Принтер: работи" in screen.status.text() and "грешка от" not in screen.status.text()


def test_a_devices_bilingual_reason_in_the_kiosks_language(kiosk):
    """A driver's "на български / in English" reason: the half the Qt catalogue picks."""
    from hardware.base import DeviceState as State
    from kiosk.state.maintenance import DeviceStory

    screen = open_maintenance(kiosk)
    story = DeviceStory("printer", State.OFFLINE.value, "капакът е отворен / cover open")
    assert screen.device_line(story) == "Принтер: капакът е отворен"
    kiosk.state.set_language("en")
    assert kiosk.state.language == "en"
    assert kiosk.screen().device_line(story) == "Printer: cover open"


def test_the_test_print_prints_what_its_screen_says(kiosk):
    screen = open_maintenance(kiosk)
    enter(kiosk, screen, PIN)
    kiosk.tap("Пробен печат")
    kiosk.qtbot.waitUntil(lambda: len(kiosk.printer.receipts) == 1)
    shown = screen.test_page.text()
    printed = kiosk.printer.receipts[0].plain_text()
    assert "Пробната страница отпечатва:" in shown
    for _key, value in kiosk.state.check_page()[0][:4]:  # code page, Cyrillic, €, terminal (time may tick)
        assert value in shown and value in printed
    assert "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ" in printed and "€" in printed
    qr = shown.rsplit("и QR код: ", 1)[1]
    assert qr in printed and screen.qr.isVisible()
    kiosk.qtbot.waitUntil(lambda: "test print" in audit_lines(kiosk.store))


def test_leaving_restarting_and_rebooting_ask_first(kiosk):
    screen = open_maintenance(kiosk)
    enter(kiosk, screen, PIN)
    exits, reboots = [], []
    kiosk.state.exit_requested.disconnect()
    kiosk.state.reboot_requested.disconnect()
    kiosk.state.exit_requested.connect(lambda: exits.append(1))
    kiosk.state.reboot_requested.connect(lambda: reboots.append(1))
    kiosk.tap("Рестартиране на приложението")
    assert kiosk.sees("Да се рестартира ли приложението сега?") and not exits
    kiosk.tap("Не")
    assert not exits and not kiosk.sees("Да се рестартира ли приложението сега?")
    kiosk.tap("Рестартиране на терминала")
    kiosk.tap("Да")
    assert reboots == [1] and not exits
    kiosk.tap("Рестартиране на приложението")
    kiosk.tap("Да")
    assert exits == [1]
    kiosk.tap("Изход от поддръжката")
    assert kiosk.screen_name() == "maintenance"
    kiosk.tap("Да")
    assert kiosk.screen_name() == "welcome"
    kiosk.qtbot.waitUntil(lambda: "left maintenance mode" in audit_lines(kiosk.store))


def test_maintenance_times_out_back_to_the_citizen_screens_with_nothing_of_a_session(kiosk):
    kiosk.insert_card()
    kiosk.qtbot.waitUntil(lambda: kiosk.state.session.identity is not None)
    screen = open_maintenance(kiosk)
    assert kiosk.state.session.identity is None and kiosk.state.last_receipt is None
    enter(kiosk, screen, PIN)
    assert screen.exit_button.isEnabled()
    screen.idle.setInterval(50)
    screen.idle.start()
    kiosk.qtbot.waitUntil(lambda: kiosk.screen_name() == "welcome")
    assert kiosk.state.session.identity is None and not kiosk.state.session.active
    kiosk.qtbot.waitUntil(lambda: "maintenance mode timed out" in audit_lines(kiosk.store))
    # back in, the technician starts from the PIN again
    screen = open_maintenance(kiosk)
    assert not screen.exit_button.isEnabled()


def test_maintenance_mode_speaks_english_when_the_kiosk_does(kiosk):
    kiosk.state.set_language("en")
    screen = open_maintenance(kiosk)
    kiosk.type_into(screen.pin, PIN)
    kiosk.tap("Unlock")
    kiosk.qtbot.waitUntil(lambda: "Waiting to be sent: 0" in screen.status.text())


def test_the_entry_lock_survives_a_restart_of_the_kiosk(kiosk, qtbot):
    """Pulling the plug after five wrong PINs must not give a sixth free try."""
    from types import SimpleNamespace

    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskApp
    from kiosk.state.kiosk_state import KioskSettings
    from kiosk.store_backend import StoreBackend
    from tests.kiosk.teardown import dispose_kiosk

    screen = open_maintenance(kiosk)
    for _ in range(5):
        enter(kiosk, screen, "1111")
    assert kiosk.sees("Входът е заключен за 1 мин. 0 сек.")
    kiosk.qtbot.waitUntil(lambda: '"failures": 5' in (kiosk.store.setting(StoreBackend.MAINTENANCE_LOCK_KEY) or ""))

    # the kiosk starts again on the same store (a power cut, a restart by the watchdog)
    devices = SimpleNamespace(id_reader=None, scanner=None, badge=None, printer=None, speech=None,
                              health=lambda: {}, close=lambda: None)
    again = KioskApp(QApplication.instance(), StoreBackend(kiosk.store), KioskSettings(technician_pin=PIN),
                     devices=devices, accessibility=False)
    try:
        again.window.resize(1280, 800)
        again.window.show()
        assert 0 < again.state.maintenance.lock.remaining_s() <= FIRST_LOCK_S, again.state.maintenance.lock.as_dict()
        again.window.show_screen("maintenance")
        again.window.current_screen().unlock(pin=PIN)  # the right PIN, still locked out
        assert not again.window.current_screen().exit_button.isEnabled()
        assert again.state.maintenance.lock.failures == 5
    finally:
        dispose_kiosk(qtbot, again)


def test_a_kept_lock_that_is_garbage_counts_as_none(caplog):
    from kiosk.state.maintenance import EntryLock

    lock = EntryLock(clock=lambda: 1000.0)
    lock.restore({"failures": "many", "locked_until": None, "wait": 3})
    assert lock.failures == 0 and lock.remaining_s() == 0
    assert "unreadable" in caplog.text
    # a clock set back by a year never makes the wait longer than it was given
    lock.restore({"failures": 5, "locked_until": 1060.0, "wait": 60.0})
    lock._clock = lambda: 1000.0 - 365 * 86400
    assert lock.remaining_s() == 60.0
