"""Fakes for evdev tests: synthetic key events for typed text, a selectable fake device, a waiting listener."""

from __future__ import annotations

import os
import threading
import time

import pytest
from evdev import InputEvent, ecodes

from hardware.evdev_input import KEYMAP_US

DOWN, UP, HOLD = 1, 0, 2


def key(code, value):
    return InputEvent(0, 0, ecodes.EV_KEY, code, value)


def syn():
    return InputEvent(0, 0, ecodes.EV_SYN, ecodes.SYN_REPORT, 0)


def press(code, shift_code=None):
    events = []
    if shift_code:
        events += [key(shift_code, DOWN), syn()]
    events += [InputEvent(0, 0, ecodes.EV_MSC, ecodes.MSC_SCAN, 458756), key(code, DOWN), syn(), key(code, UP), syn()]
    if shift_code:
        events += [key(shift_code, UP), syn()]
    return events


def type_line(text, *, filler_key=ecodes.KEY_102ND, shift_code=ecodes.KEY_LEFTSHIFT):
    """Events a US-layout wedge device sends for `text` + Enter."""
    reverse = {}
    for code, (plain, shifted) in KEYMAP_US.items():
        if ecodes.KEY_KP0 <= code <= ecodes.KEY_KPDOT or code in (ecodes.KEY_KPSLASH, ecodes.KEY_KPASTERISK, ecodes.KEY_KPMINUS, ecodes.KEY_KPPLUS):
            continue
        reverse.setdefault(plain, (code, False))
        reverse.setdefault(shifted, (code, True))
    events = []
    for char in text:
        if char == "<" and filler_key == ecodes.KEY_102ND:
            events += press(ecodes.KEY_102ND)
            continue
        code, shifted = reverse[char] if char != "<" else (ecodes.KEY_COMMA, True)
        events += press(code, shift_code if shifted else None)
    return events + press(ecodes.KEY_ENTER)


class FakeDevice:
    """An evdev-like device: a pipe makes it selectable; read() hands out batches, then fails like an unplug."""

    def __init__(self, batches, then=None, grab_error=None):
        self._r, self._w = os.pipe()
        os.write(self._w, b"!")
        self.batches = list(batches)
        self.then = then
        self.grab_error = grab_error
        self.grabbed = False
        self.read_ungrabbed = 0  # batches handed out while not grabbed: keystrokes that leaked to the desktop
        self.closed = False
        self.name = "Fake wedge"

    def fileno(self):
        return self._r

    def grab(self):
        if self.grab_error:
            raise self.grab_error
        self.grabbed = True

    def ungrab(self):
        self.grabbed = False

    def read(self):
        if self.batches:
            self.read_ungrabbed += not self.grabbed
            yield from self.batches.pop(0)
            return
        if self.then is not None:
            raise self.then
        os.read(self._r, 1)  # drained: select now blocks like an idle device
        raise BlockingIOError

    def close(self):
        if not self.closed:
            self.closed = True
            os.close(self._r)
            os.close(self._w)


class Opener:
    """Hands out devices and failures in order, the last one for ever."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class Collector:
    def __init__(self):
        self.events = []
        self.cond = threading.Condition()

    def add(self, kind, payload):
        with self.cond:
            self.events.append((kind, payload))
            self.cond.notify_all()

    def on_document(self, document):
        self.add("document", document)

    def on_read_error(self, error):
        self.add("read_error", error)

    def on_state(self, health):
        self.add("state", health)

    def of(self, kind):
        return [p for k, p in self.events if k == kind]

    def wait_for(self, predicate, timeout=15.0):
        deadline = time.monotonic() + timeout  # a safety net for a hung loop, not a timing assertion
        with self.cond:
            while not predicate(self):
                if not self.cond.wait(max(0.0, deadline - time.monotonic())):
                    pytest.fail(f"condition not reached; events: {[(k, str(p)[:50]) for k, p in self.events]}")




class LiveFakeDevice:
    """An evdev-like device the test types into while the reader runs: push() wakes the reader's select()."""

    def __init__(self):
        self._r, self._w = os.pipe()
        self._batches = []
        self._lock = threading.Lock()
        self.grabbed = False
        self.closed = False
        self.name = "Live fake wedge"

    def push(self, events):
        with self._lock:
            self._batches.append(list(events))
        os.write(self._w, b"!")

    def fileno(self):
        return self._r

    def grab(self):
        self.grabbed = True

    def ungrab(self):
        self.grabbed = False

    def read(self):
        os.read(self._r, 1)
        with self._lock:
            batch = self._batches.pop(0) if self._batches else []
        yield from batch

    def close(self):
        if not self.closed:
            self.closed = True
            os.close(self._r)
            os.close(self._w)
