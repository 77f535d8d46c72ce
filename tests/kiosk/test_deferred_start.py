"""The kiosk paints its welcome frame before it loads the store: names from the cache, touches kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.app import KioskApp, store_loader, welcome_cache_path
from kiosk.demo_catalogue import demo_catalogue
from kiosk.state.kiosk_state import KioskSettings
from kiosk.state.welcome_cache import FILE_NAME, WelcomeNames, read_welcome_names, write_welcome_names
from server_sync.store import Store
from tests.kiosk.teardown import dispose_kiosk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path):
    """A terminal store holding the demo catalogue ("Община Примерна", office "centre")."""
    with Store(tmp_path) as store:
        store.save_catalogue(demo_catalogue())
    return tmp_path


@pytest.fixture
def deferred(qtbot, data_dir):
    """Build a kiosk the way kiosk.__main__ does; `loads` counts the deferred loads."""
    made = []

    def make(cache: Path | None = welcome_cache_path(data_dir), language: str = "bg") -> KioskApp:
        inner = store_loader(data_dir, simulate=False)
        loads = []

        def load():
            loads.append(True)
            return inner()

        kiosk = KioskApp(QApplication.instance(), None, KioskSettings(office_id="centre", language=language),
                         accessibility=False, load=load, welcome_cache=cache)
        kiosk.loads = loads
        kiosk.window.resize(1280, 800)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        dispose_kiosk(qtbot, kiosk)


def _names(kiosk) -> tuple[str, str]:
    welcome = kiosk.window.current_screen()
    return welcome.name_label.text(), welcome.office_label.text()


def test_the_welcome_frame_shows_the_cached_names_and_loads_the_store_after_it(deferred, data_dir, qtbot):
    write_welcome_names(data_dir / FILE_NAME, WelcomeNames(
        {"bg": "Община Кеш", "en": "Municipality of Cache"}, {"centre": {"bg": "Фоайе (кеш)", "en": "Lobby (cache)"}}, "centre"))
    kiosk = deferred()
    assert not kiosk.state.is_ready and kiosk.loads == []  # nothing loaded to build the window
    assert kiosk.window.current_screen_name() == "welcome"
    assert _names(kiosk) == ("Община Кеш", "Фоайе (кеш)")
    kiosk.window.show()  # the first frame starts the load
    qtbot.waitUntil(lambda: kiosk.state.is_ready, timeout=10000)
    assert kiosk.loads == [True] and kiosk.state.catalogue is not None
    # the catalogue's names replace the stale cache, on screen and in the file
    qtbot.waitUntil(lambda: _names(kiosk) == ("Община Примерна", "Център за услуги — фоайе"))
    cached = read_welcome_names(data_dir / FILE_NAME)
    assert cached.municipality == {"bg": "Община Примерна", "en": "Municipality of Primerna"}
    assert cached.office("centre") == {"bg": "Център за услуги — фоайе", "en": "Service centre — lobby"}
    assert kiosk.finish_loading() is False  # loads once


def test_an_up_to_date_cache_means_the_welcome_page_is_not_rebuilt(deferred, data_dir, qtbot):
    write_welcome_names(data_dir / FILE_NAME, WelcomeNames.from_catalogue(demo_catalogue()))
    kiosk = deferred(language="en")
    first = kiosk.window.current_screen()
    assert _names(kiosk) == ("Municipality of Primerna", "Service centre — lobby")
    kiosk.window.show()
    qtbot.waitUntil(lambda: kiosk.state.is_ready, timeout=10000)
    assert kiosk.window.current_screen() is first  # no flicker: the same page stays


def test_a_tile_touched_before_the_store_is_loaded_opens_its_page_once_it_is(deferred, qtbot):
    kiosk = deferred()
    tiles = kiosk.window.current_screen().tiles
    tiles["catalogue"].click()
    tiles["track"].click()  # a second touch before the load: the last one wins
    assert kiosk.window.current_screen_name() == "welcome"  # waiting, not lost, no crash
    assert not kiosk.state.session.active
    kiosk.window.show()
    qtbot.waitUntil(lambda: kiosk.state.is_ready, timeout=10000)
    qtbot.waitUntil(lambda: kiosk.window.current_screen_name() == "track")
    kiosk.window.go_back()
    assert kiosk.window.current_screen_name() == "welcome"  # only one page was opened


def test_a_tile_touched_after_the_load_opens_at_once(deferred, qtbot):
    kiosk = deferred()
    assert kiosk.finish_loading() is True
    kiosk.window.current_screen().tiles["hotlines"].click()
    assert kiosk.window.current_screen_name() == "hotlines"


def test_first_boot_without_a_cache_file_shows_placeholders_then_the_names(deferred, data_dir, qtbot):
    assert not (data_dir / FILE_NAME).exists()
    kiosk = deferred()
    assert _names(kiosk) == ("Община", "")
    # no "services not loaded" notice while the store is merely loading: it would only flash
    assert "не е зареден" not in " ".join(label.text() for label in kiosk.window.current_screen().findChildren(type(kiosk.window.title_label)))
    kiosk.window.show()
    qtbot.waitUntil(lambda: kiosk.state.is_ready, timeout=10000)
    qtbot.waitUntil(lambda: _names(kiosk) == ("Община Примерна", "Център за услуги — фоайе"))
    assert json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))["municipality"]["bg"] == "Община Примерна"


def test_a_damaged_cache_is_ignored(deferred, data_dir, qtbot):
    (data_dir / FILE_NAME).write_text("{not json", encoding="utf-8")
    kiosk = deferred()
    assert _names(kiosk) == ("Община", "")
    assert kiosk.finish_loading() is True
    assert _names(kiosk) == ("Община Примерна", "Център за услуги — фоайе")
    assert read_welcome_names(data_dir / FILE_NAME) == WelcomeNames.from_catalogue(demo_catalogue())


def test_a_load_that_fails_is_reported_not_swallowed(qtbot, tmp_path):
    def broken():
        raise RuntimeError("store damaged")

    kiosk = KioskApp(QApplication.instance(), None, KioskSettings(), accessibility=False, load=broken)
    qtbot.addWidget(kiosk.window)
    exits = []
    # the real QApplication.exit() would end the test session's later event loops too
    kiosk.app = SimpleNamespace(exit=exits.append)
    tiles = kiosk.window.current_screen().tiles
    tiles["track"].click()
    assert kiosk.finish_loading() is False
    assert isinstance(kiosk.load_error, RuntimeError) and exits == [2]  # `kiosk` exits with status 2
    assert kiosk.window.current_screen_name() == "welcome" and not kiosk.state.is_ready
    kiosk.close()


def test_a_backend_or_a_load_function(qtbot):
    with pytest.raises(ValueError):
        KioskApp(QApplication.instance(), None, KioskSettings(), accessibility=False)


def test_the_welcome_frame_imports_neither_pydantic_nor_the_store(data_dir):
    """In a fresh interpreter, as `kiosk` starts: the first frame needs Qt and the light state only."""
    write_welcome_names(data_dir / FILE_NAME, WelcomeNames.from_catalogue(demo_catalogue()))
    script = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from kiosk.app import KioskApp, store_loader, welcome_cache_path
from kiosk.state.kiosk_state import KioskSettings

app = QApplication([])
data = Path({str(data_dir)!r})
kiosk = KioskApp(app, None, KioskSettings(office_id="centre"), accessibility=False,
                 load=store_loader(data, False), welcome_cache=welcome_cache_path(data))
heavy = sorted(m for m in ("pydantic", "sqlalchemy", "server_sync.store", "server_sync.protocol", "hardware.config")
               if m in sys.modules)
name = kiosk.window.current_screen().name_label.text()
kiosk.window.show()
while not kiosk.state.is_ready:
    app.processEvents()
print(heavy, name, "sqlalchemy" in sys.modules)
kiosk.close()
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    lines = out.stdout.strip().splitlines()
    assert lines and lines[-1] == "[] Община Примерна True", out.stderr[-2000:]


def test_the_printed_receipts_kept_in_memory_are_bounded(qtbot):
    from datetime import datetime, timezone

    from kiosk.simulated_backend import SimulatedBackend
    from kiosk.state.kiosk_state import PRINTED_KEPT, KioskState, ReceiptData

    state = KioskState(SimulatedBackend(demo_catalogue()), KioskSettings(), printer=lambda receipt: None)
    receipts = [ReceiptData(reference=f"K01-{i:06d}", official=True, title="t", created_at=datetime.now(timezone.utc),
                            office="", tracking_code=None, tracking_url=None) for i in range(PRINTED_KEPT * 4)]
    for receipt in receipts:
        state.print_receipt(receipt)
        qtbot.waitUntil(lambda r=receipt: bool(state.printed) and state.printed[-1] is r)
    assert list(state.printed) == receipts[-PRINTED_KEPT:]


def test_the_kiosks_hub_calls_follow_the_terminal_config(tmp_path):
    """`[hub] url` and `[sync] immediate_delivery_timeout_s` apply to the kiosk as to the agent."""
    import time

    from kiosk.app import make_backend
    from server_sync.config import load_terminal_config
    from server_sync.store import Identity, Store

    data = tmp_path / "kiosk"
    store = Store(data)
    store.save_identity(Identity(terminal_id="K01", kind="kiosk", name="Фоайе", location=None, token="t" * 32,
                                 hub_url="http://enrolled.invalid", hub_public_key="A" * 44, hub_epoch="e-1",
                                 enrolled_at=time.time()))
    store.close()
    config = tmp_path / "terminal.toml"
    config.write_text('[hub]\nurl = "http://hub.example.invalid:8080"\n\n[sync]\nimmediate_delivery_timeout_s = 1.5\n')
    backend = make_backend(data, False, load_terminal_config(config))
    try:
        assert backend.deliver_timeout_s == 1.5
        client = backend.client_factory(backend.store)
        assert client.base_url == "http://hub.example.invalid:8080"
        client.close()
    finally:
        backend.close()
