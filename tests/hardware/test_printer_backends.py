"""Printer backends through python-escpos: Dummy, File, Network (a fake printer on :port), serial over a pty, simulated."""

from __future__ import annotations

import os
import pty
import socket
import threading
import tty

import pytest
from escpos_decoder import decode

from hardware.base import DeviceState, DeviceUnavailable
from hardware.config import PrinterConfig
from hardware.printer import EscposPrinter, PaperState, SimulatedPrinter, open_printer, sample_receipt


def test_dummy_backend_keeps_the_job():
    printer = open_printer(PrinterConfig(backend="dummy", code_page="CP866"))
    printer.print_receipt(sample_receipt())
    decoded = decode(printer.device.output)
    assert "Удостоверение за наследници" in decoded.text
    assert decoded.kinds()[-1] == "cut"
    assert printer.health().state is DeviceState.UNKNOWN  # a dummy cannot answer DLE EOT


def test_file_backend_writes_the_job(tmp_path):
    device = tmp_path / "lp0"
    device.touch()
    with open_printer(PrinterConfig(backend="file", device=str(device))) as printer:
        printer.print_receipt(sample_receipt())
        assert printer.paper_status() is PaperState.UNKNOWN  # no back channel: unknown, not "OK"
    decoded = decode(device.read_bytes())
    assert any(line.startswith("Входящ номер") for line in decoded.lines)
    assert decoded.of("qr")


def test_missing_file_device_is_unavailable(tmp_path):
    printer = open_printer(PrinterConfig(backend="file", device=str(tmp_path / "nope" / "lp0")))
    with pytest.raises(DeviceUnavailable, match="cannot open"):
        printer.print_receipt(sample_receipt())


class FakeNetworkPrinter:
    """A TCP :9100 printer: records what it gets and answers DLE EOT n from a table (or stays silent)."""

    def __init__(self, answers: dict[int, bytes] | None) -> None:
        self.answers = answers
        self.received = bytearray()
        self.disconnected = threading.Event()  # set when a client hangs up: all it sent is in
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                while True:
                    try:
                        data = conn.recv(65536)
                    except OSError:
                        break
                    if not data:
                        break
                    self.received += data
                    for n in (1, 2, 4):
                        if data.endswith(b"\x10\x04" + bytes([n])) and self.answers is not None:
                            conn.sendall(self.answers[n])
            self.disconnected.set()

    def job(self) -> bytes:
        assert self.disconnected.wait(10), "the printer connection was not closed"
        return bytes(self.received)

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def network_printer():
    made = []

    def make(answers):
        fake = FakeNetworkPrinter(answers)
        made.append(fake)
        config = PrinterConfig(backend="network", host="127.0.0.1", port=fake.port, status_timeout_s=0.3)
        printer = EscposPrinter(config)
        made.append(printer)
        return fake, printer

    yield make
    for thing in reversed(made):
        thing.close()


def test_network_printer_prints_when_paper_is_fine(network_printer):
    fake, printer = network_printer({1: b"\x12", 2: b"\x12", 4: b"\x12"})
    assert printer.health().state is DeviceState.OK
    printer.print_receipt(sample_receipt())
    printer.close()
    job = fake.job()
    assert "Удостоверение за наследници" in decode(job).text
    assert decode(job).of("status-query")  # it asked before printing


def test_network_printer_near_end_is_degraded_but_prints(network_printer):
    fake, printer = network_printer({1: b"\x12", 2: b"\x12", 4: b"\x1e"})
    health = printer.health()
    assert health.state is DeviceState.DEGRADED and "near end" in health.reason
    printer.print_receipt(sample_receipt())


def test_network_printer_out_of_paper_refuses_the_job(network_printer):
    fake, printer = network_printer({1: b"\x1a", 2: b"\x32", 4: b"\x72"})
    assert printer.paper_status() is PaperState.OUT
    with pytest.raises(DeviceUnavailable, match="paper out"):
        printer.print_receipt(sample_receipt())
    printer.close()
    assert "Удостоверение" not in decode(fake.job()).text


def test_silent_network_printer_is_unknown_not_ok(network_printer):
    fake, printer = network_printer(None)
    assert printer.paper_status() is PaperState.UNKNOWN
    assert printer.health().state is DeviceState.UNKNOWN


def test_unreachable_network_printer_is_offline():
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    printer = EscposPrinter(PrinterConfig(backend="network", host="127.0.0.1", port=port, timeout_s=1))
    health = printer.health()
    assert health.state is DeviceState.OFFLINE
    assert "\n" not in health.reason and "refused" in health.reason  # one line in diag and on the fleet page
    with pytest.raises(DeviceUnavailable):
        printer.print_receipt(sample_receipt())


def test_serial_printer_over_a_pty_answers_status():
    master, slave = pty.openpty()
    tty.setraw(master)
    stop = threading.Event()
    got_cut = threading.Event()
    received = bytearray()

    def fake_printer():
        while not stop.is_set():
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            received.extend(data)
            if b"\x1dV" in received:
                got_cut.set()
            for n, answer in ((1, b"\x12"), (2, b"\x12"), (4, b"\x1e")):
                if data.endswith(b"\x10\x04" + bytes([n])):
                    os.write(master, answer)

    thread = threading.Thread(target=fake_printer, daemon=True)
    thread.start()
    printer = EscposPrinter(PrinterConfig(backend="serial", device=os.ttyname(slave), status_timeout_s=1.0))
    try:
        assert printer.paper_status() is PaperState.NEAR_END
        printer.print_receipt(sample_receipt())
        assert got_cut.wait(10), "the job did not reach the printer"
    finally:
        printer.close()
        stop.set()
        os.close(slave)
        os.close(master)
        thread.join(timeout=5)
    assert "Удостоверение за наследници" in decode(bytes(received)).text


def test_simulated_printer_keeps_receipts_and_runs_out_of_paper():
    printer = SimulatedPrinter()
    receipt = sample_receipt()
    printer.print_receipt(receipt)
    assert printer.receipts == [receipt]
    assert "Входящ номер" in decode(printer.jobs[0]).text
    printer.set_paper("near_end")
    assert printer.health().state is DeviceState.DEGRADED
    printer.set_paper("out")
    with pytest.raises(DeviceUnavailable, match="paper out"):
        printer.print_receipt(receipt)
    assert len(printer.receipts) == 1
    printer.set_paper("ok")
    printer.set_offline()
    assert printer.health().state is DeviceState.OFFLINE
    with pytest.raises(DeviceUnavailable):
        printer.print_receipt(receipt)


def test_submit_prints_off_the_callers_thread():
    printer = SimulatedPrinter()
    caller = threading.get_ident()
    seen = []
    original = printer.print_receipt
    printer.print_receipt = lambda r: (seen.append(threading.get_ident()), original(r))  # type: ignore[method-assign]
    future = printer.submit(sample_receipt())
    future.result(timeout=10)
    assert printer.wait_for_receipts(1)
    assert seen and seen[0] != caller
    printer.set_paper("out")
    with pytest.raises(DeviceUnavailable):
        printer.submit(sample_receipt()).result(timeout=10)
    printer.close()


def test_usb_backend_is_built_from_config_and_offline_without_the_device():
    from escpos.printer import Usb

    from hardware.printer import make_escpos_device

    config = PrinterConfig(backend="usb", vendor_id=0x04B8, product_id=0x0202, profile="TM-T20II")
    device = make_escpos_device(config)
    assert isinstance(device, Usb)
    assert (device.usb_args["idVendor"], device.usb_args["idProduct"]) == (0x04B8, 0x0202)
    printer = EscposPrinter(config)
    health = printer.health()
    assert health.state is DeviceState.OFFLINE and "cannot open" in health.reason
    with pytest.raises(DeviceUnavailable):
        printer.print_receipt(sample_receipt())


def test_simulated_printer_without_a_back_channel_is_unknown_but_prints():
    printer = SimulatedPrinter()
    printer.answers = False
    assert printer.paper_status() is PaperState.UNKNOWN
    assert printer.health().state is DeviceState.UNKNOWN
    printer.print_receipt(sample_receipt())  # unknown is not a reason to refuse
    assert len(printer.receipts) == 1


def test_a_silent_printer_is_not_asked_before_every_receipt(network_printer):
    fake, printer = network_printer(None)
    printer.print_receipt(sample_receipt())
    printer.print_receipt(sample_receipt())
    printer.close()
    decoded = decode(fake.job())
    assert len(decoded.of("status-query")) == 3  # one round (DLE EOT 1, 2, 4), not two
    assert decoded.text.count("Удостоверение за наследници") == 2
