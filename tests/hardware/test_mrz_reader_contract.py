"""One contract, every ID-reader backend: the same cards give the same listener calls (simulated, serial pty, evdev)."""

from __future__ import annotations

import os
import tty

import pytest
from evdev_fakes import Collector, LiveFakeDevice, type_line
from mrz_specimens import TODAY, bulgarian_td1, passport_td3

from hardware.base import DeviceState
from hardware.idcard import EvdevMrzReader, IdDocument, MrzError, SerialMrzReader, SimulatedIdReader


class Backend:
    def __init__(self, kind):
        self.kind = kind
        self.listener = Collector()
        self._cleanup = []
        if kind == "simulated":
            self.reader = SimulatedIdReader(self.listener, today=lambda: TODAY)
        elif kind == "serial":
            master, slave = os.openpty()
            tty.setraw(slave)
            self._master = master
            self.reader = SerialMrzReader(
                self.listener, os.ttyname(slave), today=lambda: TODAY, read_timeout=0.05, backoff_initial=0.02
            )
            self._cleanup += [lambda: os.close(master), lambda: os.close(slave)]
        else:
            self.device = LiveFakeDevice()
            self.reader = EvdevMrzReader(
                self.listener, open_device=lambda: self.device, today=lambda: TODAY, poll_interval=0.05
            )
        self.listener.wait_for(lambda s: s.of("state") and s.of("state")[-1].state is DeviceState.OK)

    def insert(self, lines):
        if self.kind == "simulated":
            self.reader.insert_card("\n".join(lines))
        elif self.kind == "serial":
            os.write(self._master, ("\r\n".join(lines) + "\r\n").encode())
        else:
            self.device.push([event for line in lines for event in type_line(line)])

    def close(self):
        self.reader.close()
        for step in self._cleanup:
            step()


@pytest.fixture(params=["simulated", "serial", "evdev"])
def backend(request):
    backend = Backend(request.param)
    yield backend
    backend.close()


def reported(listener):
    return [(kind, payload) for kind, payload in listener.events if kind != "state"]


def test_every_backend_reports_the_same_for_the_same_cards(backend):
    expired = bulgarian_td1(number="CC1111111", expiry="251231")
    misread = bulgarian_td1()
    misread[0] = misread[0][:14] + str((int(misread[0][14]) + 1) % 10) + misread[0][15:]
    for lines in (bulgarian_td1(), expired, misread, passport_td3()):
        count = len(reported(backend.listener)) + 1
        backend.insert(lines)
        backend.listener.wait_for(lambda s, count=count: len(reported(s)) >= count)

    events = reported(backend.listener)
    kinds = [kind for kind, _ in events]
    assert kinds == ["document", "read_error", "read_error", "document"]
    first, expired_error, misread_error, passport = (payload for _, payload in events)
    assert isinstance(first, IdDocument) and first.egn_kind == "egn"
    assert isinstance(expired_error, MrzError) and expired_error.code == "expired"
    assert expired_error.message_bg == "Картата е с изтекъл срок на валидност (31.12.2025)."
    assert misread_error.code == "check_digit_document_number"
    assert passport.format == "TD3"
    assert [event.kind for event in backend.reader.history if event.kind != "state"] == kinds
    assert backend.reader.health().state is DeviceState.OK
    assert backend.reader.health().detail["device"] == backend.reader.name
