"""Kiosk test harness: a real hub in-process, an enrolled terminal store, simulated devices."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QWidget

from hardware.idcard import SimulatedIdReader
from hardware.printer import SimulatedPrinter
from hardware.scanner import SimulatedScanner
from kiosk.app import KioskApp
from kiosk.bridge import DeviceBridge
from kiosk.simulator import demo_cards
from kiosk.state.kiosk_state import KioskSettings
from kiosk.state.session import SessionTimeouts
from kiosk.store_backend import StoreBackend
from server_sync.client import HubClient
from server_sync.connect import client_for_store
from server_sync.hub.testing import free_port, running_hub
from server_sync.store import Identity, Store
from tests.kiosk.teardown import dispose_kiosk


@pytest.fixture
def hub(tmp_path):
    with running_hub(tmp_path) as running:
        yield running


@pytest.fixture
def store(tmp_path, hub):
    """A kiosk's terminal store, enrolled with the test hub, with the hub's catalogue cached."""
    answer = hub.enroll("kiosk", "Киоск — фоайе")
    s = Store(tmp_path / "kiosk")
    s.save_identity(Identity(
        terminal_id=answer.terminal_id, kind=answer.kind.value, name=answer.name, location=answer.location,
        token=answer.token, hub_url=hub.base_url, hub_public_key=answer.hub_public_key,
        hub_epoch=answer.hub_epoch, enrolled_at=time.time()))
    with client_for_store(s) as client:
        catalogue, etag = client.catalogue()
    s.save_catalogue(catalogue, etag)
    yield s
    s.close()


class Network:
    """The kiosk's network cable: unplugged, the hub client talks to a port nobody listens on."""

    def __init__(self) -> None:
        self.online = True
        self.dead_url = f"http://127.0.0.1:{free_port()}"

    def client(self, store: Store) -> HubClient:
        return self.agent_client(store.identity())

    def agent_client(self, ident: Identity) -> HubClient:
        url = ident.hub_url if self.online else self.dead_url
        return HubClient(url, ident.token, timeout_s=5.0, connect_timeout_s=1.0)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Kiosk(SimpleNamespace):
    """What a test drives: the window, the devices, and helpers that act like a citizen."""

    def screen(self):
        return self.window.current_screen()

    def screen_name(self) -> str:
        return self.window.current_screen_name()

    def visible_texts(self, widget: QWidget | None = None) -> list[str]:
        root = widget or self.window
        texts = []
        for w in root.findChildren(QWidget):
            if not w.isVisibleTo(root):
                continue
            if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
                texts.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                texts.append(w.toPlainText())
        return texts

    def all_texts(self) -> list[str]:
        """Every string any widget of the window holds, visible or not (for privacy checks)."""
        texts = []
        for w in self.window.findChildren(QWidget):
            if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
                texts.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                texts.append(w.toPlainText())
            texts.append(w.accessibleName())
            texts.append(w.accessibleDescription())
        return texts

    def sees(self, fragment: str) -> bool:
        return any(fragment in t for t in self.visible_texts())

    def _buttons(self, text: str) -> list[QAbstractButton]:
        return [b for b in self.window.findChildren(QAbstractButton)
                if b.isVisibleTo(self.window) and (b.text() == text or b.text().replace("\n", " ") == text)]

    def button(self, text: str) -> QAbstractButton:
        # new rows are shown by Qt on the next event-loop pass; wait for it, never sleep
        try:
            self.qtbot.waitUntil(lambda: bool(self._buttons(text)), timeout=3000)
        except Exception:
            pass
        matches = self._buttons(text)
        assert matches, f"no visible button {text!r}; visible: {[t for t in self.visible_texts() if t]}"
        return matches[0]

    def tap(self, text_or_button) -> None:
        button = self.button(text_or_button) if isinstance(text_or_button, str) else text_or_button
        assert button.isEnabled(), f"button {button.text()!r} is disabled"
        # a finger can only touch what is on screen: scroll it into view first, as a citizen would
        parent = button.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(button)
        self.qtbot.mouseClick(button, Qt.LeftButton)

    def go(self, name: str) -> None:
        self.qtbot.waitUntil(lambda: self.screen_name() == name, timeout=10000)

    def type_into(self, widget, text: str) -> None:
        widget.setFocus()
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.clear()
            for ch in text:
                if ch.isascii():
                    self.qtbot.keyClicks(widget, ch)
                else:  # QTest only types ASCII; Cyrillic goes through our on-screen keyboard's path
                    self.window.keyboard.press(ch)

    def insert_card(self, kind: str = "valid") -> None:
        self.reader.insert_card(self.cards[kind])


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def network():
    return Network()


@pytest.fixture
def kiosk(qtbot, store, hub, network, clock):
    bridge = DeviceBridge()
    devices = SimpleNamespace(
        id_reader=SimulatedIdReader(bridge), scanner=SimulatedScanner(bridge), badge=None,
        printer=SimulatedPrinter(), speech=None, health=lambda: {}, close=lambda: None)
    backend = StoreBackend(store, client_factory=network.client)
    settings = KioskSettings(office_id="centre", technician_pin="2468",
                             timeouts=SessionTimeouts(idle_seconds=60, warning_seconds=30, max_extensions=10))
    app = KioskApp(QApplication.instance(), backend, settings, devices=devices, bridge=bridge,
                   accessibility=False, clock=clock)
    app.window.resize(1280, 800)
    app.window.show()
    k = Kiosk(app=app, window=app.window, state=app.state, qtbot=qtbot, hub=hub, store=store,
              network=network, clock=clock, reader=devices.id_reader, scanner=devices.scanner,
              printer=devices.printer, cards=demo_cards())
    yield k
    dispose_kiosk(qtbot, app)
