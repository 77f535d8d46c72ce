"""Headset plug detection from evdev switch events (synthetic events over a pipe) and the simulation."""

from __future__ import annotations

import os
import threading
from types import SimpleNamespace

import pytest

from hardware.base import DeviceState, DeviceUnavailable
from hardware.headset import (
    EV_SW,
    SW_HEADPHONE_INSERT,
    EvdevHeadsetDetector,
    SimulatedHeadset,
    find_headphone_jack,
)


class Recorder:
    def __init__(self):
        self.events = []
        self.changed = threading.Event()

    def on_headset(self, plugged):
        self.events.append(plugged)
        self.changed.set()


class FakeJackDevice:
    """Stands in for evdev.InputDevice: a readable fd, read() of queued events, capabilities()."""

    def __init__(self, name="HDA Intel PCH Headphone", switches=(SW_HEADPHONE_INSERT,)):
        self.name = name
        self.path = "/dev/input/event-fake"
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        self._events = []
        self._switches = list(switches)
        self.closed = False

    @property
    def fd(self):
        return self._r

    def capabilities(self):
        return {EV_SW: self._switches}

    def send(self, type_, code, value):
        self._events.append(SimpleNamespace(type=type_, code=code, value=value))
        os.write(self._w, b"e")

    def read(self):
        try:
            os.read(self._r, 64)
        except BlockingIOError:
            raise
        events, self._events = self._events, []
        return events

    def close(self):
        if not self.closed:
            self.closed = True
            os.close(self._r)
            os.close(self._w)


def wait_for(recorder, count):
    while len(recorder.events) < count:
        assert recorder.changed.wait(5), recorder.events
        recorder.changed.clear()


def test_switch_events_report_plug_and_unplug_once_each():
    device = FakeJackDevice()
    rec = Recorder()
    with EvdevHeadsetDetector(rec, device=device) as det:
        assert det.plugged is None and det.health().state is DeviceState.UNKNOWN
        device.send(EV_SW, SW_HEADPHONE_INSERT, 1)
        device.send(0, 0, 0)  # SYN_REPORT is ignored
        wait_for(rec, 1)
        device.send(EV_SW, SW_HEADPHONE_INSERT, 1)  # a repeated state is not a change
        device.send(EV_SW, 4, 1)  # SW_MICROPHONE_INSERT: not ours
        device.send(EV_SW, SW_HEADPHONE_INSERT, 0)
        wait_for(rec, 2)
        assert rec.events == [True, False]
        assert det.plugged is False and det.health().state is DeviceState.OK
    assert device.closed


def test_a_device_without_the_jack_switch_is_refused():
    device = FakeJackDevice(switches=())
    with pytest.raises(DeviceUnavailable, match="SW_HEADPHONE_INSERT"):
        EvdevHeadsetDetector(Recorder(), device=device)
    device.close()


def test_find_prefers_the_headphone_device():
    other = FakeJackDevice(name="USB Audio Line Out")
    jack = FakeJackDevice(name="HDA Intel PCH Headphone")
    none = FakeJackDevice(name="Power Button", switches=())
    assert find_headphone_jack([other, none, jack]) is jack
    assert other.closed
    jack.close()
    none.close()


def test_lost_device_is_reported_in_health():
    device = FakeJackDevice()
    rec = Recorder()
    det = EvdevHeadsetDetector(rec, device=device)
    lost = threading.Event()

    def broken_read():
        lost.set()
        raise OSError(19, "No such device")

    device.read = broken_read
    os.write(device._w, b"e")
    assert lost.wait(5)
    det._thread.join(5)
    assert det.health().state is DeviceState.OFFLINE
    det.close()


def test_a_failing_listener_does_not_stop_detection():
    class Broken:
        def on_headset(self, plugged):
            raise RuntimeError("bug")

    sim = SimulatedHeadset(Broken())
    sim.plug()
    assert sim.plugged is True


def test_simulated_headset_reports_changes():
    rec = Recorder()
    sim = SimulatedHeadset(rec)
    sim.plug()
    sim.plug()
    sim.unplug()
    assert rec.events == [True, False]
