"""The serial MRZ reader over a real pty pair: line endings, framing, noise, unplug and replug."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import tty

import pytest
import serial
from mrz_specimens import TODAY, bulgarian_td1, passport_td3

from hardware.base import DeviceState
from hardware.idcard import IdDocument, MrzError, SerialMrzReader


class Recorder:
    """A listener that keeps every call and lets the test wait for one."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self._cond = threading.Condition()

    def _add(self, kind, payload):
        with self._cond:
            self.events.append((kind, payload))
            self._cond.notify_all()

    def on_document(self, document):
        self._add("document", document)

    def on_read_error(self, error):
        self._add("read_error", error)

    def on_state(self, health):
        self._add("state", health)

    def of(self, kind):
        return [payload for k, payload in self.events if k == kind]

    def wait_for(self, predicate, timeout=15.0):
        # A safety net for a hung reader, not a timing assertion: the condition is what is tested.
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"condition not reached; events: {[(k, str(p)[:60]) for k, p in self.events]}")
                self._cond.wait(remaining)


class PtyCable:
    """A pty pair standing in for a USB-CDC reader behind a stable /dev/serial/by-id style link."""

    def __init__(self, link) -> None:
        self.link = link
        self.master = self.slave = None

    def plug(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo or CR translation before the reader configures the port
        tmp = f"{self.link}.new"
        os.symlink(os.ttyname(self.slave), tmp)
        os.replace(tmp, self.link)

    def write(self, data: bytes) -> None:
        # The reader's side is pyserial on the slave; the master fd is the device's own wire.
        os.write(self.master, data)

    def unplug(self) -> None:
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = None


@pytest.fixture
def cable(tmp_path):
    cable = PtyCable(str(tmp_path / "usb-Access_IS_ATOM-if00"))
    cable.plug()
    yield cable
    if cable.master is not None:
        cable.unplug()


@pytest.fixture
def reader_factory():
    readers = []

    def make(port, listener):
        reader = SerialMrzReader(
            listener, port, today=lambda: TODAY, backoff_initial=0.02, backoff_max=0.1, read_timeout=0.05
        )
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.close()


def is_state(state):
    return lambda rec: rec.of("state") and rec.of("state")[-1].state is state


def test_reads_documents_over_a_real_pty(cable, reader_factory):
    rec = Recorder()
    reader_factory(cable.link, rec)
    rec.wait_for(is_state(DeviceState.OK))

    td1 = bulgarian_td1()
    # CRLF, written in pieces that split lines and the CRLF itself.
    blob = "\r\n".join(td1).encode() + b"\r\n"
    for start in range(0, len(blob), 17):
        cable.write(blob[start : start + 17])
    rec.wait_for(lambda r: len(r.of("document")) == 1)

    # STX/ETX framing with CR-separated lines, preceded by line noise and a banner.
    noise = b"\x00\xff\xfe\x7fREADY v1.2\r\n\x13"
    cable.write(noise + b"\x02" + "\r".join(passport_td3()).encode() + b"\x03")
    rec.wait_for(lambda r: len(r.of("document")) == 2)

    # LF-only, lowercase (some readers' OCR mode).
    cable.write(("\n".join(line.lower() for line in bulgarian_td1(number="BB7654321")) + "\n").encode())
    rec.wait_for(lambda r: len(r.of("document")) == 3)

    documents = rec.of("document")
    assert all(isinstance(d, IdDocument) for d in documents)
    assert [d.document_number for d in documents] == ["AA1234567", "L898902C3", "BB7654321"]
    assert documents[0].egn_kind == "egn"
    assert rec.of("read_error") == []


def test_bad_check_digit_is_reported_not_accepted(cable, reader_factory):
    rec = Recorder()
    reader = reader_factory(cable.link, rec)
    rec.wait_for(is_state(DeviceState.OK))
    lines = bulgarian_td1()
    lines[1] = lines[1][:6] + str((int(lines[1][6]) + 1) % 10) + lines[1][7:]
    cable.write(("\r\n".join(lines) + "\r\n").encode())
    rec.wait_for(lambda r: r.of("read_error"))
    error = rec.of("read_error")[0]
    assert isinstance(error, MrzError) and error.code == "check_digit_birth_date"
    assert rec.of("document") == []
    assert [e.kind for e in reader.history if e.kind != "state"] == ["read_error"]


def test_unplug_goes_offline_and_replug_recovers(cable, reader_factory):
    rec = Recorder()
    reader = reader_factory(cable.link, rec)
    rec.wait_for(is_state(DeviceState.OK))

    cable.write(bulgarian_td1()[0].encode() + b"\r\n")  # half a card, then the cable is pulled
    cable.unplug()
    rec.wait_for(is_state(DeviceState.OFFLINE))
    offline = rec.of("state")[-1]
    assert offline.reason and reader.health().state is DeviceState.OFFLINE

    cable.plug()
    rec.wait_for(is_state(DeviceState.OK))
    cable.write(("\r\n".join(bulgarian_td1()) + "\r\n").encode())
    rec.wait_for(lambda r: r.of("document"))
    assert rec.of("document")[0].document_number == "AA1234567"
    assert reader.source.reconnects >= 1
    # The half card from before the unplug never combined with the new read.
    assert all(e.code != "composite" for e in rec.of("read_error"))


def test_absent_port_is_offline_with_reason_and_close_is_idempotent(tmp_path, reader_factory):
    rec = Recorder()
    reader = reader_factory(str(tmp_path / "no-such-reader"), rec)
    rec.wait_for(is_state(DeviceState.OFFLINE))
    assert "no-such-reader" in reader.health().reason
    reader.close()
    reader.close()
    assert not reader.source._thread.is_alive()


def test_serial_port_found_by_usb_id_wherever_it_is_replugged():
    from types import SimpleNamespace

    from hardware.base import DeviceUnavailable
    from hardware.serial_input import resolve_serial_port

    ports = [SimpleNamespace(device="/dev/ttyS0", vid=None, pid=None), SimpleNamespace(device="/dev/ttyACM3", vid=0x0DB5, pid=0x0160)]
    assert resolve_serial_port(None, "0db5:0160", comports=lambda: ports) == "/dev/ttyACM3"
    assert resolve_serial_port("/dev/serial/by-id/x", None) == "/dev/serial/by-id/x"
    with pytest.raises(DeviceUnavailable, match="0db5:9999"):
        resolve_serial_port(None, "0db5:9999", comports=lambda: ports)
    with pytest.raises(DeviceUnavailable, match="VID:PID"):
        resolve_serial_port(None, "reader", comports=lambda: ports)


@pytest.mark.skipif(not os.environ.get("EOBSHTINA_TEST_MRZ_SERIAL"), reason="set EOBSHTINA_TEST_MRZ_SERIAL=/dev/... to test a real reader")
def test_real_serial_reader_opens():
    """On a bench with a reader attached: the named port opens and reports OK (present a card to see it read)."""
    rec = Recorder()
    reader = SerialMrzReader(rec, os.environ["EOBSHTINA_TEST_MRZ_SERIAL"], backoff_initial=0.2)
    try:
        rec.wait_for(lambda r: r.of("state") and r.of("state")[-1].state is not DeviceState.UNKNOWN)
        assert reader.health().state is DeviceState.OK, reader.health().reason
    finally:
        reader.close()


class SocatCable:
    """Two linked ptys from socat, each with a name, so the card reader's end is pyserial too."""

    def __init__(self, tmp_path) -> None:
        self.reader_link = str(tmp_path / "ttyREADER")
        self.device_link = str(tmp_path / "ttyDEVICE")
        self.process: subprocess.Popen | None = None

    def plug(self) -> None:
        self.process = subprocess.Popen(
            ["socat", f"pty,raw,echo=0,link={self.reader_link}", f"pty,raw,echo=0,link={self.device_link}"],
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not (os.path.exists(self.reader_link) and os.path.exists(self.device_link)):
            assert time.monotonic() < deadline, "socat made no pty pair"
            time.sleep(0.01)

    def device(self) -> serial.Serial:
        return serial.Serial(self.device_link, 9600, timeout=1)

    def unplug(self) -> None:
        if self.process is not None:
            self.process.terminate()  # socat closes both ptys and removes its links, like a pulled cable
            self.process.wait(timeout=10)
            self.process = None


@pytest.mark.skipif(shutil.which("socat") is None, reason="socat not installed")
def test_pyserial_on_both_ends_across_a_pulled_cable(tmp_path, reader_factory):
    cable = SocatCable(tmp_path)
    cable.plug()
    try:
        rec = Recorder()
        reader_factory(cable.reader_link, rec)
        rec.wait_for(is_state(DeviceState.OK))
        with cable.device() as device:
            device.write(("\r\n".join(bulgarian_td1()) + "\r\n").encode())
            device.flush()
            rec.wait_for(lambda r: len(r.of("document")) == 1)
            device.write(bulgarian_td1(number="BB7654321")[0].encode() + b"\r\n")  # half a card
            device.flush()
        cable.unplug()
        rec.wait_for(is_state(DeviceState.OFFLINE))

        cable.plug()
        rec.wait_for(is_state(DeviceState.OK))
        with cable.device() as device:
            device.write(b"\x02" + "\r".join(passport_td3()).encode() + b"\x03")
            device.flush()
            rec.wait_for(lambda r: len(r.of("document")) == 2)
    finally:
        cable.unplug()
    assert [d.document_number for d in rec.of("document")] == ["AA1234567", "L898902C3"]
    assert rec.of("read_error") == []


def test_a_port_another_program_holds_is_offline_until_it_lets_go(cable, reader_factory):
    other = serial.Serial(cable.link, 9600, timeout=0.1, exclusive=True)  # e.g. the kiosk, during `read-id`
    try:
        rec = Recorder()
        reader_factory(cable.link, rec)
        rec.wait_for(is_state(DeviceState.OFFLINE))
        assert "in use by another program" in rec.of("state")[-1].reason
    finally:
        other.close()
    rec.wait_for(is_state(DeviceState.OK))
    cable.write(("\r\n".join(bulgarian_td1()) + "\r\n").encode())
    rec.wait_for(lambda r: r.of("document"))
