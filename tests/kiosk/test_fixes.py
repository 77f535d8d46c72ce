"""Regression tests for the follow-up fixes: late task results, device names, badges, tiles."""

from __future__ import annotations

import hashlib
import io
import logging
import threading

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.app import KioskApp
from kiosk.demo_catalogue import demo_catalogue
from kiosk.simulated_backend import SimulatedBackend
from kiosk.state.kiosk_state import KioskSettings
from server_sync.protocol import PressFields
from tests.kiosk.teardown import dispose_kiosk


class SlowBackend(SimulatedBackend):
    """Consultations and tracking wait until the test lets them answer."""

    def __init__(self) -> None:
        super().__init__(demo_catalogue())
        self.release = threading.Event()

    def consultations(self):
        self.release.wait(10)
        return super().consultations()

    def track(self, reference, code):
        self.release.wait(10)
        return super().track(reference, code)


@pytest.fixture
def slow_kiosk(qtbot):
    backend = SlowBackend()
    kiosk = KioskApp(QApplication.instance(), backend, KioskSettings(office_id="centre", technician_pin="1234"),
                     accessibility=False)
    kiosk.window.resize(1280, 800)
    kiosk.window.show()
    yield kiosk
    backend.release.set()
    dispose_kiosk(qtbot, kiosk)


@pytest.mark.parametrize("deleted", [True, False], ids=["deleted", "awaiting-deletion"])
def test_consultations_result_after_the_citizen_left_is_dropped(slow_kiosk, qtbot, deleted):
    window = slow_kiosk.window
    screen = window.show_screen("consultations")
    spoken = []
    screen.announce.connect(lambda text, private: spoken.append(text))
    window.go_home()
    if deleted:
        QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    else:
        assert screen.isWidgetType()  # still alive, waiting for deferred deletion
    slow_kiosk.backend.release.set()
    qtbot.waitUntil(lambda: not slow_kiosk.state.tasks.busy)
    # the state looks requests up (kiosk.state.tracking); the citizen's leaving dropped the answer
    assert slow_kiosk.state.tracking.latest is None
    assert spoken == [] and window.current_screen_name() == "welcome"


def test_a_result_for_the_current_screen_still_arrives(slow_kiosk, qtbot):
    screen = slow_kiosk.window.show_screen("consultations")
    slow_kiosk.backend.release.set()
    qtbot.waitUntil(lambda: not slow_kiosk.state.tasks.busy)
    assert slow_kiosk.state.tasks.dropped == 0 and screen.support_buttons


def test_tracking_result_after_the_citizen_left_is_dropped(slow_kiosk, qtbot):
    window = slow_kiosk.window
    window.show_screen("track", reference="K01-000001", code="ABCD")  # looks it up at once
    window.go_home()
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    slow_kiosk.backend.release.set()
    qtbot.waitUntil(lambda: not slow_kiosk.state.tasks.busy)
    # the state looks requests up (kiosk.state.tracking); the citizen's leaving dropped the answer
    assert slow_kiosk.state.tracking.latest is None


# -- device health: the right names, in maintenance mode and in the store's heartbeat data --------

from types import SimpleNamespace

from hardware.badge import SimulatedBadgeReader
from hardware.base import DeviceState, Health
from hardware.health import device_health
from hardware.idcard import SimulatedIdReader
from hardware.printer import SimulatedPrinter
from hardware.scanner import SimulatedScanner
from kiosk.bridge import DeviceBridge, device_role
from kiosk.maintenance import badge_checker, hash_badge
from kiosk.store_backend import StoreBackend


@pytest.mark.parametrize("driver, role", [
    ("id_reader_serial", "id_reader"), ("id_reader_evdev", "id_reader"), ("id_reader_simulated", "id_reader"),
    ("scanner_evdev", "scanner"), ("scanner_serial", "scanner"), ("badge_reader_evdev", "badge"),
    ("badge_reader_simulated", "badge"), ("printer", "printer")])
def test_a_health_report_is_named_after_the_device_role(driver, role):
    assert device_role(Health(DeviceState.OFFLINE, "unplugged", {"device": driver})) == role


def test_the_bridge_names_each_reader_that_reports(qtbot):
    bridge = DeviceBridge()
    seen = []
    bridge.device_state.connect(lambda name, health: seen.append((name, health.state)))
    scanner, badge, reader = SimulatedScanner(bridge), SimulatedBadgeReader(bridge), SimulatedIdReader(bridge)
    scanner.unplug()
    badge.unplug()
    reader.unplug() if hasattr(reader, "unplug") else None
    qtbot.waitUntil(lambda: len(seen) >= 2)
    names = {name for name, _ in seen}
    assert {"scanner", "badge"} <= names and "device" not in names


@pytest.fixture
def device_kiosk(qtbot, tmp_path):
    from server_sync.store import Store

    store = Store(tmp_path / "kiosk")
    bridge = DeviceBridge()
    printer, scanner = SimulatedPrinter(), SimulatedScanner(bridge)
    badge = SimulatedBadgeReader(bridge)
    pairs = [("id_reader", SimulatedIdReader(bridge)), ("scanner", scanner), ("badge", badge), ("printer", printer)]
    devices = SimpleNamespace(id_reader=pairs[0][1], scanner=scanner, badge=badge, printer=printer, speech=None,
                              health=lambda: device_health(pairs), close=lambda: None)
    kiosk = KioskApp(QApplication.instance(), StoreBackend(store), KioskSettings(office_id="centre"),
                     devices=devices, bridge=bridge, accessibility=False)
    yield SimpleNamespace(app=kiosk, store=store, printer=printer, scanner=scanner, badge=badge)
    dispose_kiosk(qtbot, kiosk)


def test_every_device_state_reaches_the_store_for_the_heartbeat(device_kiosk, qtbot):
    store = device_kiosk.store

    def states():
        return {name: (h.state.value, h.reason) for name, h in store.device_states().items()}

    qtbot.waitUntil(lambda: set(states()) == {"id_reader", "scanner", "badge", "printer"})
    assert all(state == "ok" for state, _ in states().values())
    device_kiosk.scanner.unplug("scanner cable out")
    qtbot.waitUntil(lambda: states()["scanner"] == ("offline", "scanner cable out"))
    device_kiosk.printer.set_paper("out")
    device_kiosk.app.state.test_print()  # the print fails; the printer's state is read again at once
    qtbot.waitUntil(lambda: states()["printer"][0] != "ok")
    assert "device" not in states()
    # what the sync agent's next heartbeat carries
    from server_sync.agent.agent import Agent

    beat = Agent(store).build_heartbeat()
    assert beat.devices["scanner"].reason == "scanner cable out" and beat.devices["printer"].state != "ok"
    # the maintenance screen shows the same names
    status = device_kiosk.app.state.maintenance_status()
    assert status["scanner"].startswith("offline") and status["printer"] != "ok"


# -- technician badges: a hashed allow-list -----------------------------------------------------------

@pytest.fixture
def badge_kiosk(qtbot):
    apps = []

    def make(badges):
        app = KioskApp(QApplication.instance(), SimulatedBackend(demo_catalogue()),
                       KioskSettings(badge_uids=tuple(badges)), accessibility=False)
        apps.append(app)
        return app

    yield make
    for app in apps:
        dispose_kiosk(qtbot, app)


def test_a_badge_is_checked_against_argon2id_hashes(badge_kiosk):
    state = badge_kiosk([hash_badge("04A3B2C1")]).state
    assert state.technician_allowed(badge="04:a3:b2:c1")  # the reader's own spelling of the same UID
    assert not state.technician_allowed(badge="04A3B2C2")
    assert not state.technician_allowed(badge=state.settings.badge_uids[0])  # the hash itself opens nothing
    assert not state.technician_allowed(badge="not a uid")


def test_a_raw_uid_or_a_bare_sha256_in_the_config_opens_nothing(badge_kiosk, caplog):
    """A UID has 4-7 bytes: its bare sha256 is found by trying them all. Old entries are dropped,
    with a line saying how to write the new form; the kiosk starts."""
    with caplog.at_level(logging.WARNING, logger="kiosk.maintenance"):
        app = badge_kiosk(["04A3B2C1", hashlib.sha256(b"04A3B2C1").hexdigest(), "junk!"])
    assert app.settings.badge_uids == ()
    assert not app.state.technician_allowed(badge="04a3b2c1")
    assert "entry 2 is a bare sha256 hash" in caplog.text and caplog.text.count("kiosk hash-badge") == 3
    assert "04A3B2C1" not in caplog.text and hashlib.sha256(b"04A3B2C1").hexdigest() not in caplog.text  # nothing of a badge logged


def test_kiosk_hash_badge_prints_a_hash_that_verifies(monkeypatch, capsys):
    from nacl import pwhash

    from kiosk.__main__ import main

    monkeypatch.setattr("sys.stdin", io.StringIO("04:a3:b2:c1\n"))
    assert main(["hash-badge"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("$argon2id$") and pwhash.verify(printed.encode(), b"04A3B2C1")
    assert badge_checker([printed])("04A3B2C1")
    monkeypatch.setattr("sys.stdin", io.StringIO("not a uid\n"))
    assert main(["hash-badge"]) == 2
    assert "kiosk hash-badge: not a badge UID" in capsys.readouterr().err


def test_a_badge_unlocks_maintenance_mode(badge_kiosk, qtbot):
    """Checked on a worker (Argon2id, ~85 ms an entry here): the screen waits for the answer."""
    app = badge_kiosk([hash_badge("04A3B2C9"), hash_badge("04A3B2C1")])
    screen = app.window.show_screen("maintenance")
    access = app.state.maintenance
    app.state.badge_presented.emit("04A3B2C2")
    qtbot.waitUntil(lambda: access.lock.failures == 1)
    assert not screen.exit_button.isEnabled()
    app.state.badge_presented.emit("04A3B2C1")
    assert access.checking  # the GUI thread goes on meanwhile
    qtbot.waitUntil(screen.exit_button.isEnabled)
    qtbot.waitUntil(lambda: screen.refresh_button.isEnabled() and "Чакат изпращане:" in screen.status.text())


# -- welcome tiles: the spoken name is the visible label; one column in large text ---------------

@pytest.fixture
def welcome_kiosk(qtbot):
    app = KioskApp(QApplication.instance(), SimulatedBackend(demo_catalogue()), KioskSettings(office_id="centre"),
                   accessibility=False)
    yield app
    dispose_kiosk(qtbot, app)


@pytest.fixture
def a11y_kiosk(qtbot):
    """The real accessibility layer (themes, large text) on a 10.1" 1280×800 panel."""
    app = KioskApp(QApplication.instance(), SimulatedBackend(demo_catalogue()), KioskSettings(office_id="centre"))
    assert app.a11y is not None
    app.window.resize(1280, 800)
    app.window.show()
    qtbot.waitExposed(app.window)
    yield app
    if app.a11y.large_text:
        app.a11y.toggle_large_text()
    dispose_kiosk(qtbot, app)
    from kiosk.views.style import DEFAULT_QSS

    QApplication.instance().setStyleSheet(DEFAULT_QSS)


def _clipped_tiles(screen):
    """Buttons whose label is wider than the button: Qt cuts such a label off at both sides."""
    buttons = {**screen.tiles, "speech": screen.speech_button, "language": screen.language_button}
    return {name: (b.sizeHint().width(), b.width()) for name, b in buttons.items()
            if b.sizeHint().width() > b.width()}


def _assert_even_tiles(screen):
    """One height for every tile, and room above and below the tallest label."""
    tiles = screen.tiles.values()
    assert len({tile.height() for tile in tiles}) == 1, {t.text(): t.height() for t in tiles}
    for tile in tiles:
        needed = tile.fontMetrics().boundingRect(0, 0, tile.width(), 1000, 0, tile.text()).height()
        assert tile.height() >= needed + 16, (tile.text(), tile.height(), needed)


def _columns(screen):
    return len({tile.x() for tile in screen.tiles.values()})


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_large_text_welcome_tiles_stand_in_one_column_and_are_not_cut(a11y_kiosk, qtbot, lang):
    a11y_kiosk.state.set_language(lang)
    screen = a11y_kiosk.window.current_screen()
    qtbot.waitUntil(lambda: screen.tiles["hotlines"].width() > 0)
    assert _columns(screen) == 2 and not _clipped_tiles(screen)
    _assert_even_tiles(screen)
    a11y_kiosk.a11y.toggle_large_text()
    assert QApplication.instance().property("a11y_large_text") is True
    screen = a11y_kiosk.window.current_screen()
    qtbot.waitUntil(lambda: _columns(screen) == 1)
    assert not _clipped_tiles(screen), _clipped_tiles(screen)
    _assert_even_tiles(screen)
    # the last tile can be scrolled to (the page's body scrolls in large text)
    last = screen.tiles["consultations"]
    assert last.isVisibleTo(a11y_kiosk.window)
    a11y_kiosk.a11y.toggle_large_text()
    qtbot.waitUntil(lambda: _columns(a11y_kiosk.window.current_screen()) == 2)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_each_welcome_tile_is_spoken_as_it_reads(welcome_kiosk, lang):
    welcome_kiosk.state.set_language(lang)
    tiles = welcome_kiosk.window.current_screen().tiles
    for tile in tiles.values():  # WCAG 2.5.3: a voice user says what they see
        assert tile.accessibleName() == " ".join(tile.text().split())
    # a tile is named like the page it opens
    hotlines = welcome_kiosk.window.show_screen("hotlines")
    assert tiles["hotlines"].accessibleName() == hotlines.title_text()



_COLD_START = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.app import KioskApp
from kiosk.demo_catalogue import demo_catalogue
from kiosk.simulated_backend import SimulatedBackend
from kiosk.state.kiosk_state import KioskSettings
KioskApp(app, SimulatedBackend(demo_catalogue()), KioskSettings(badge_uids=("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",)), accessibility=False)
print("hardware.badge" in sys.modules)
"""


def test_the_badge_check_costs_nothing_before_the_first_frame():
    """hardware.badge (evdev, scanner) is imported at the first badge, not on every cold start."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    out = subprocess.run([sys.executable, "-c", _COLD_START], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_a_state_change_during_a_slow_health_read_is_read_again(qtbot):
    """Paper runs out while the periodic poll is still asking the printer: a second read follows."""
    from kiosk.maintenance import DeviceHealthReporter
    from kiosk.state.tasks import TaskRunner

    gate, answered, printer, reported = threading.Event(), threading.Event(), SimulatedPrinter(), []

    def health():
        state = printer.health()  # the printer answers, then the read is slow to come back
        answered.set()
        gate.wait(10)
        return {"printer": state}

    tasks = TaskRunner()
    reporter = DeviceHealthReporter(SimpleNamespace(health=health), lambda n, h: reported.append((n, h.state)), tasks)
    reporter.poll()
    assert answered.wait(10)
    printer.set_paper("out")
    reporter.poll()  # arrives while the first read is still waiting
    gate.set()
    qtbot.waitUntil(lambda: not tasks.busy and reported and reported[-1][1] is not DeviceState.OK)
    assert [state for _, state in reported][0] is DeviceState.OK


def test_maintenance_shows_a_revoked_terminal_and_the_oldest_item(device_kiosk, qtbot):
    """A technician sees at a glance why nothing leaves the terminal."""
    import time

    store = device_kiosk.store
    store.record_press(PressFields(2))
    store.update_sync_state(revoked=True, revoked_reason="token revoked by the hub", last_contact_at=time.time() - 600)
    screen = device_kiosk.app.window.show_screen("maintenance")
    device_kiosk.app.state.badge_presented.emit("no-badge")  # refused: nothing is read
    assert "Чакат изпращане" not in screen.status.text()
    status = device_kiosk.app.state.maintenance_status()
    assert status["hub"].startswith("REVOKED — token revoked by the hub")
    assert status["queue_depth"] == "1" and "s ago" in status["oldest_undelivered"]
    store.update_sync_state(revoked=False, revoked_reason=None)
    assert "last contact" in device_kiosk.app.state.maintenance_status()["hub"]
    assert "10 min ago" in device_kiosk.app.state.maintenance_status()["hub"]


@pytest.mark.parametrize("screen_name", ["hotlines", "dossier", "maintenance", "track", "catalogue"])
def test_a_page_opens_without_the_keyboard_over_it(a11y_kiosk, qtbot, screen_name):
    """With the accessibility layer on (a real kiosk), a page whose first control is a text field
    must not open with the keyboard covering half of it: focus starts on a button."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    window = a11y_kiosk.window
    window.show_screen(screen_name)
    qtbot.wait(50)
    focused = QApplication.focusWidget()
    assert not isinstance(focused, (QLineEdit, QPlainTextEdit)), focused
    assert not window.keyboard.isVisible()
