"""Turns driver-thread callbacks (ID reader, scanner, badge, printer health) into Qt signals."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

#: the kiosk's device roles, as `hardware.config.Devices` and the heartbeat's device_health name them
DEVICE_ROLES = ("id_reader", "scanner", "badge", "printer", "speech", "buttons")


def device_role(health) -> str:
    """Which device a health report is from: drivers sharing one listener put their own name
    ("id_reader_serial", "scanner_evdev", "badge_reader_simulated") in `health.detail["device"]`."""
    name = str((getattr(health, "detail", None) or {}).get("device", ""))
    role = next((r for r in DEVICE_ROLES if name.startswith(r)), None)
    if role is None:
        log.warning("health report from an unknown device %r", name)
        return "device"
    return role


class DeviceBridge(QObject):
    """A listener for every kiosk device; each `on_*` may be called from any thread.

    Signals emitted from a driver thread reach slots on the GUI thread queued, because
    this object lives on the GUI thread; so widgets are never touched from a driver.
    """

    document = Signal(object)
    read_error = Signal(object)
    scanned = Signal(str)
    badge = Signal(str)
    device_state = Signal(str, object)  # device name, health

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    # ID reader listener
    def on_document(self, doc) -> None:
        self.document.emit(doc)

    def on_read_error(self, error) -> None:
        self.read_error.emit(error)

    def on_state(self, health) -> None:
        self.device_state.emit(device_role(health), health)

    # scanner and badge listeners
    def on_scan(self, text: str) -> None:
        self.scanned.emit(text)

    def on_badge(self, uid: str) -> None:
        self.badge.emit(uid)

    def connect_state(self, state) -> None:
        """Route the devices into the kiosk state (on the GUI thread)."""
        self.document.connect(state.accept_document)
        self.read_error.connect(state.reject_document)
        self.scanned.connect(state.code_scanned.emit)
        self.badge.connect(self._badge_to(state))

    @staticmethod
    def _badge_to(state):
        def handle(uid: str) -> None:
            state.badge_presented.emit(uid)

        return handle
