"""Technician badges: UID normalisation, the hashed allow-list, and the evdev and simulated readers."""

from __future__ import annotations

import errno

import pytest
from evdev_fakes import Collector, FakeDevice, Opener, type_line

from hardware.badge import EvdevBadgeReader, SimulatedBadgeReader, normalize_uid
from hardware.base import DeviceState


@pytest.mark.parametrize(
    ("raw", "uid"),
    [
        ("04a3b2c1", "04A3B2C1"),
        ("04:A3:B2:C1", "04A3B2C1"),
        (" 04-a3-b2-c1\n", "04A3B2C1"),
        ("0004097139", "0004097139"),
    ],
)
def test_uid_normalisation(raw, uid):
    assert normalize_uid(raw) == uid


@pytest.mark.parametrize("raw", ["", "04", "hello", "04A3B2C1G", "1" * 41, "04;A3"])
def test_non_uids_are_rejected(raw):
    with pytest.raises(ValueError):
        normalize_uid(raw)


class BadgeCollector(Collector):
    def on_badge(self, uid):
        self.add("badge", uid)


def test_simulated_badge_reader():
    seen = BadgeCollector()
    reader = SimulatedBadgeReader(seen)
    reader.present("04:a3:b2:c1")
    reader.present("garbage!")
    assert seen.of("badge") == ["04A3B2C1"]
    assert reader.badges == ["04A3B2C1"]


def test_evdev_badge_reader_reads_uids_and_recovers_from_unplug():
    first = FakeDevice([type_line("04a3b2c1"), type_line("noise?")], then=OSError(errno.ENODEV, "No such device"))
    second = FakeDevice([type_line("0004097139")])
    seen = BadgeCollector()
    reader = EvdevBadgeReader(seen, open_device=Opener(first, second), poll_interval=0.05, backoff_initial=0.01)
    try:
        seen.wait_for(lambda s: len(s.of("badge")) == 2)
    finally:
        reader.close()
    assert seen.of("badge") == ["04A3B2C1", "0004097139"]
    assert DeviceState.OFFLINE in [h.state for h in seen.of("state")]
