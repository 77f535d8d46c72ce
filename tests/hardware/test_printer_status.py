"""DLE EOT status bytes → printer status → health, from tables; no answer is unknown, never "paper OK"."""

from __future__ import annotations

import pytest

from hardware.base import DeviceState
from hardware.printer.status import (
    PaperState,
    PrinterStatus,
    combine_status,
    parse_offline_byte,
    parse_paper_byte,
    parse_printer_byte,
    status_to_health,
)


@pytest.mark.parametrize(
    "answer, online",
    [
        (b"\x12", True),  # fixed bits only
        (b"\x16", True),  # drawer pin high: still online
        (b"\x1a", False),  # bit 3: offline
        (b"", None),  # no answer
        (None, None),
        (b"\xff", None),  # bits 0 and 7 set: not a status byte
        (b"\x00", None),  # fixed bits missing
        (b"\x1a\x12", True),  # a stale byte before the fresh answer
    ],
)
def test_printer_status_byte(answer, online):
    assert parse_printer_byte(answer) is online


@pytest.mark.parametrize(
    "answer, expected",
    [
        (b"\x12", (False, False, False)),
        (b"\x16", (True, False, False)),  # cover open
        (b"\x32", (False, True, False)),  # stopped: paper end
        (b"\x52", (False, False, True)),  # error
        (b"", (None, None, None)),
    ],
)
def test_offline_cause_byte(answer, expected):
    assert parse_offline_byte(answer) == expected


@pytest.mark.parametrize(
    "answer, paper",
    [
        (b"\x12", PaperState.OK),
        (b"\x1e", PaperState.NEAR_END),  # bits 2-3
        (b"\x72", PaperState.OUT),  # bits 5-6
        (b"\x7e", PaperState.OUT),  # out wins over near end
        (b"", PaperState.UNKNOWN),
        (b"\x80", PaperState.UNKNOWN),
    ],
)
def test_paper_sensor_byte(answer, paper):
    assert parse_paper_byte(answer) is paper


@pytest.mark.parametrize(
    "printer, offline, paper, state, reason_part",
    [
        (b"\x12", b"\x12", b"\x12", DeviceState.OK, None),
        (b"\x12", b"\x12", b"\x1e", DeviceState.DEGRADED, "paper near end"),
        (b"\x1a", b"\x32", b"\x72", DeviceState.OFFLINE, "paper out"),
        (b"\x1a", b"\x16", b"\x12", DeviceState.OFFLINE, "cover open"),
        (b"\x1a", b"\x52", b"\x12", DeviceState.OFFLINE, "offline"),
        (b"", b"", b"", DeviceState.UNKNOWN, "no status answer"),
        (b"\x12", b"\x12", b"", DeviceState.UNKNOWN, "paper state unknown"),
        (b"\x1a", b"\x32", b"", DeviceState.OFFLINE, "paper out"),  # paper-end stop without a paper answer
    ],
)
def test_health_mapping(printer, offline, paper, state, reason_part):
    health = status_to_health(combine_status(printer, offline, paper))
    assert health.state is state
    if reason_part is None:
        assert health.reason is None
    else:
        assert reason_part in health.reason


def test_silence_is_not_paper_ok():
    status = combine_status(b"", b"", b"")
    assert status == PrinterStatus()
    assert status.paper is PaperState.UNKNOWN
    assert status_to_health(status).state is DeviceState.UNKNOWN
