"""DLE EOT real-time status: pure parsing of the printer's answer bytes, and the mapping to Health."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from hardware.base import DeviceState, Health

__all__ = [
    "DLE_EOT",
    "PaperState",
    "PrinterStatus",
    "parse_printer_byte",
    "parse_offline_byte",
    "parse_paper_byte",
    "combine_status",
    "status_to_health",
]

DLE_EOT = {1: b"\x10\x04\x01", 2: b"\x10\x04\x02", 4: b"\x10\x04\x04"}


class PaperState(enum.StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer told us; None means it did not say (no answer or a garbled byte)."""

    online: bool | None = None
    cover_open: bool | None = None
    paper: PaperState = PaperState.UNKNOWN
    error: bool | None = None

    @property
    def answered(self) -> bool:
        return self.online is not None or self.paper is not PaperState.UNKNOWN


def _valid(answer: bytes | None) -> int | None:
    """Every DLE EOT status byte has bit 1 and bit 4 set and bits 0 and 7 clear; anything else is noise."""
    if not answer:
        return None
    b = answer[-1]  # the freshest byte, if a stale answer is still buffered before it
    if b & 0b1001_0011 != 0b0001_0010:
        return None
    return b


def parse_printer_byte(answer: bytes | None) -> bool | None:
    """DLE EOT 1: bit 3 set means offline. Returns online, or None without a valid answer."""
    b = _valid(answer)
    return None if b is None else not (b & 0x08)


def parse_offline_byte(answer: bytes | None) -> tuple[bool | None, bool | None, bool | None]:
    """DLE EOT 2: (cover_open bit 2, paper_end_stop bit 5, error bit 6)."""
    b = _valid(answer)
    if b is None:
        return None, None, None
    return bool(b & 0x04), bool(b & 0x20), bool(b & 0x40)


def parse_paper_byte(answer: bytes | None) -> PaperState:
    """DLE EOT 4: bits 5-6 paper end, bits 2-3 near end."""
    b = _valid(answer)
    if b is None:
        return PaperState.UNKNOWN
    if b & 0x60:
        return PaperState.OUT
    if b & 0x0C:
        return PaperState.NEAR_END
    return PaperState.OK


def combine_status(printer: bytes | None, offline: bytes | None, paper: bytes | None) -> PrinterStatus:
    online = parse_printer_byte(printer)
    cover_open, paper_end_stop, error = parse_offline_byte(offline)
    paper_state = parse_paper_byte(paper)
    if paper_state is PaperState.UNKNOWN and paper_end_stop:
        paper_state = PaperState.OUT
    return PrinterStatus(online=online, cover_open=cover_open, paper=paper_state, error=error)


def status_to_health(status: PrinterStatus) -> Health:
    detail = {
        "online": status.online,
        "cover_open": status.cover_open,
        "paper": status.paper.value,
        "error": status.error,
    }
    if not status.answered:
        return Health(DeviceState.UNKNOWN, "принтерът не отговаря на запитване за състояние / no status answer", detail)
    if status.cover_open:
        return Health(DeviceState.OFFLINE, "капакът е отворен / cover open", detail)
    if status.paper is PaperState.OUT:
        return Health(DeviceState.OFFLINE, "няма хартия / paper out", detail)
    if status.online is False or status.error:
        return Health(DeviceState.OFFLINE, "принтерът е офлайн / printer offline", detail)
    if status.paper is PaperState.NEAR_END:
        return Health(DeviceState.DEGRADED, "хартията свършва / paper near end", detail)
    if status.paper is PaperState.UNKNOWN:
        return Health(DeviceState.UNKNOWN, "неизвестно състояние на хартията / paper state unknown", detail)
    return Health(DeviceState.OK, None, detail)
