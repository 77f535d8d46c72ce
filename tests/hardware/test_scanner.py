"""Barcode/QR scanners: simulated, keyboard wedge over a fake evdev device, and serial over a real pty."""

from __future__ import annotations

import errno
import os
import tty

import pytest
from evdev_fakes import Collector, FakeDevice, Opener, type_line

from hardware.base import DeviceState
from hardware.scanner import MAX_SCAN_LENGTH, EvdevScanner, SerialScanner, SimulatedScanner

TRACKING_URL = "https://e-obshtina.example/track/K07-000123"


class ScanCollector(Collector):
    def on_scan(self, text):
        self.add("scan", text)


def test_simulated_scanner_reports_trimmed_scans_and_nothing_when_offline():
    seen = ScanCollector()
    scanner = SimulatedScanner(seen)
    scanner.scan(f"  {TRACKING_URL}\t")
    scanner.scan("   ")
    scanner.unplug()
    scanner.scan("LOST")
    scanner.replug()
    scanner.scan("K07-000124")
    assert seen.of("scan") == [TRACKING_URL, "K07-000124"]
    assert scanner.scans == [TRACKING_URL, "K07-000124"]
    assert [h.state for h in seen.of("state")] == [DeviceState.OK, DeviceState.OFFLINE, DeviceState.OK]


def test_absurdly_long_scans_are_ignored():
    scanner = SimulatedScanner()
    scanner.scan("9" * (MAX_SCAN_LENGTH + 1))
    assert scanner.scans == []


def test_evdev_scanner_decodes_and_survives_unplug():
    first = FakeDevice([type_line(TRACKING_URL)], then=OSError(errno.ENODEV, "No such device"))
    second = FakeDevice([type_line("K07-000124")])
    seen = ScanCollector()
    scanner = EvdevScanner(seen, open_device=Opener(first, second), poll_interval=0.05, backoff_initial=0.01)
    try:
        seen.wait_for(lambda s: len(s.of("scan")) == 2)
    finally:
        scanner.close()
        scanner.close()
    assert seen.of("scan") == [TRACKING_URL, "K07-000124"]
    assert [h.state for h in seen.of("state")][:3] == [DeviceState.OK, DeviceState.OFFLINE, DeviceState.OK]
    assert first.closed and second.closed


def test_serial_scanner_over_a_pty_keeps_utf8_payloads():
    master, slave = os.openpty()
    tty.setraw(slave)
    seen = ScanCollector()
    scanner = SerialScanner(seen, os.ttyname(slave), read_timeout=0.05, backoff_initial=0.02)
    try:
        seen.wait_for(lambda s: s.of("state") and s.of("state")[-1].state is DeviceState.OK)
        payload = "Сигнал №K07-000123"
        data = b"\x00" + TRACKING_URL.encode() + b"\r\n" + payload.encode("utf-8") + b"\n"
        os.write(master, data[:20])
        os.write(master, data[20:])
        seen.wait_for(lambda s: len(s.of("scan")) == 2)
    finally:
        scanner.close()
        os.close(master)
        os.close(slave)
    assert seen.of("scan") == [TRACKING_URL, payload]


def test_evdev_scanner_needs_a_device():
    with pytest.raises(ValueError):
        EvdevScanner(None)
