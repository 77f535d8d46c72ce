"""The kiosk under systemd: READY=1 after the first frame, WATCHDOG=1 from the GUI thread (a hung
event loop stops it), STATUS= with the screen or the device problem — over a real NOTIFY_SOCKET."""

from __future__ import annotations

import socket
import time
from types import SimpleNamespace

import pytest

from hardware.base import DeviceState, Health


@pytest.fixture
def notify_socket(tmp_path, monkeypatch):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "400000")  # WatchdogSec=0.4: pets every 0.2 s
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    received: list[tuple[float, str]] = []

    def drain() -> list[tuple[float, str]]:
        while True:
            try:
                received.append((time.monotonic(), sock.recv(4096).decode()))
            except BlockingIOError:
                return received

    yield drain
    sock.close()


def test_ready_watchdog_and_status_reach_a_real_notify_socket(notify_socket, qtbot):
    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskApp
    from kiosk.demo_catalogue import demo_catalogue
    from kiosk.simulated_backend import SimulatedBackend
    from kiosk.state.kiosk_state import KioskSettings
    from tests.kiosk.teardown import dispose_kiosk

    app = KioskApp(QApplication.instance(), SimulatedBackend(demo_catalogue()), KioskSettings(), accessibility=False)
    try:
        app.window.resize(1280, 800)
        app.window.show()
        qtbot.waitUntil(lambda: any(m == "READY=1" for _t, m in notify_socket()))
        qtbot.waitUntil(lambda: sum(m == "WATCHDOG=1" for _t, m in notify_socket()) >= 2, timeout=3000)
        assert any(m == "STATUS=screen: welcome" for _t, m in notify_socket())
        app.window.show_screen("hotlines")
        qtbot.waitUntil(lambda: any(m == "STATUS=screen: hotlines" for _t, m in notify_socket()))
        # a device problem is what STATUS= says
        app.health_reporter = SimpleNamespace(last={"printer": Health(DeviceState.OFFLINE, "paper out")}, stop=lambda: None)
        qtbot.waitUntil(lambda: any(m == "STATUS=printer: offline — paper out" for _t, m in notify_socket()),
                        timeout=3000)
        # the GUI thread hangs for 1.5 s (a slot that never returns in time): no pings meanwhile
        notify_socket()
        qtbot.wait(300)
        hang_start = time.monotonic()
        time.sleep(1.5)  # on the GUI thread: the event loop does not turn
        hang_end = time.monotonic()
        pings = [t for t, m in notify_socket() if m == "WATCHDOG=1"]
        assert not [t for t in pings if hang_start < t < hang_end]
        qtbot.waitUntil(lambda: any(t > hang_end and m == "WATCHDOG=1" for t, m in notify_socket()), timeout=3000)
    finally:
        dispose_kiosk(qtbot, app)
    assert any(m == "STOPPING=1" for _t, m in notify_socket())
