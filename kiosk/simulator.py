"""Keyboard shortcuts of `kiosk --simulate`: demo ID cards, scan the last receipt, show receipts."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

DEMO_TOML = Path(__file__).resolve().parents[1] / "server_sync" / "hub" / "data" / "demo.toml"


def demo_cards(path: Path = DEMO_TOML) -> dict[str, str]:
    """kind → MRZ text of the first card of that kind in CATALOGUE's demo.toml (valid, expired, …)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cards: dict[str, str] = {}
    for card in data.get("id_cards", []):
        cards.setdefault(card["kind"], "\n".join(card["mrz"]))
    return cards


def install_shortcuts(kiosk) -> None:
    """Demo controls on Ctrl+digits, clear of the accessible keypad's F-keys (docs/keypad.md).

    Ctrl+1 valid card, Ctrl+2 expired card, Ctrl+3 scan the last receipt's QR, Ctrl+4 printed
    receipts, Ctrl+5 paper out/in, Ctrl+6 plug/unplug the headset, Ctrl+0 maintenance mode.
    A citizen never needs a chord: these exist only under `kiosk --simulate`.
    """
    window, state = kiosk.window, kiosk.state
    cards = demo_cards()
    # the devices open right after the first frame (KioskApp.finish_loading): read them at each key

    def insert(kind: str) -> None:
        devices = kiosk.devices
        if devices is not None and devices.id_reader is not None and kind in cards:
            devices.id_reader.insert_card(cards[kind])

    def scan_last() -> None:
        from kiosk.state.tracking import tracking_qr_text

        receipt = state.last_receipt or (state.printed[-1] if state.printed else None)
        devices = kiosk.devices
        if receipt is not None and devices is not None and devices.scanner is not None:
            devices.scanner.scan(tracking_qr_text(state, receipt))

    def show_receipts() -> None:
        printer = getattr(kiosk.devices, "printer", None)
        texts = [r.plain_text() for r in getattr(printer, "receipts", [])] or ["—"]
        QMessageBox.information(window, "Printed receipts", "\n\n".join(texts[-3:]))

    def toggle_paper() -> None:
        printer = getattr(kiosk.devices, "printer", None)
        if printer is not None and hasattr(printer, "set_paper"):
            printer.set_paper("ok" if str(printer.paper.value) == "out" else "out")

    def toggle_headset() -> None:
        headset = getattr(kiosk, "headset", None)
        if headset is not None and hasattr(headset, "plug"):
            headset.unplug() if headset.plugged else headset.plug()

    for key, action in (("Ctrl+1", lambda: insert("valid")), ("Ctrl+2", lambda: insert("expired")),
                        ("Ctrl+3", scan_last), ("Ctrl+4", show_receipts), ("Ctrl+5", toggle_paper),
                        ("Ctrl+6", toggle_headset),
                        ("Ctrl+0", lambda: window.show_screen("maintenance"))):
        QShortcut(QKeySequence(key), window, activated=action)
