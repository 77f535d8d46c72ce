"""Turning a reader's raw bytes into lines and consecutive lines into a verified MRZ document."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

from hardware.idcard.mrz import MRZ_LINE_LENGTHS, IdDocument, MrzError, parse_mrz

__all__ = ["LineFramer", "MrzAssembler"]

STX = 0x02
ETX = 0x03
_CR = 0x0D
_LF = 0x0A


class LineFramer:
    """Split a byte stream into text lines: CR, LF or CRLF; optional STX/ETX frames; noise dropped.

    Resynchronises on its own: STX starts afresh, an overlong line is thrown away up to the next
    terminator, and a partial line left hanging longer than `stale_after` seconds (a card pulled
    mid-read) is dropped before new bytes are added.
    """

    def __init__(
        self,
        *,
        max_line: int = 256,
        stale_after: float = 1.0,
        utf8: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_line = max_line
        # MRZ readers send ASCII, so 8-bit bytes are noise; a QR scanner may send UTF-8 (Cyrillic).
        self.utf8 = utf8
        self.stale_after = stale_after
        self._clock = clock
        self._buffer = bytearray()
        self._overflow = False
        self._last_byte_at = 0.0
        self.dropped_bytes = 0  # noise and thrown-away partial lines, for diagnostics

    def reset(self) -> None:
        self.dropped_bytes += len(self._buffer)
        self._buffer.clear()
        self._overflow = False

    def feed(self, data: bytes) -> list[str]:
        now = self._clock()
        if self._buffer and now - self._last_byte_at > self.stale_after:
            self.reset()
        if data:
            self._last_byte_at = now
        lines: list[str] = []
        for byte in data:
            if byte == STX:
                self.reset()
            elif byte in (_CR, _LF, ETX):
                self._end_line(lines)
            elif 0x20 <= byte < 0x7F or (self.utf8 and byte >= 0x80):
                if self._overflow:
                    self.dropped_bytes += 1
                elif len(self._buffer) >= self.max_line:
                    self.reset()
                    self._overflow = True
                else:
                    self._buffer.append(byte)
            else:
                self.dropped_bytes += 1  # line noise, NUL padding, 8-bit garbage
        return lines

    def _end_line(self, lines: list[str]) -> None:
        if self._overflow:
            self._overflow = False
        elif self._buffer:
            text = self._buffer.decode("utf-8", errors="replace") if self.utf8 else self._buffer.decode("ascii")
            lines.append(text)
        self._buffer.clear()


_MRZ_ISH = re.compile(r"^[A-Za-z0-9< ]+$")


class MrzAssembler:
    """Collect consecutive MRZ lines (2 or 3, within `window` seconds) and parse them into a document.

    `feed_line()` returns an IdDocument, an MrzError to report, or None (need more lines / noise).
    `poll()` reports an incomplete read once its window has passed.
    """

    def __init__(
        self,
        *,
        window: float = 2.0,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self._today = today
        self._clock = clock
        self._pending: list[str] = []
        self._started_at = 0.0

    @property
    def pending_lines(self) -> int:
        return len(self._pending)

    def reset(self) -> None:
        self._pending.clear()

    def poll(self) -> MrzError | None:
        if self._pending and self._clock() - self._started_at > self.window:
            count = len(self._pending)
            self._pending.clear()
            return MrzError("length", f"incomplete read: {count} line(s)")
        return None

    def feed_line(self, line: str) -> IdDocument | MrzError | None:
        now = self._clock()
        expired = self.poll()
        text = "".join(line.split()).upper()
        if not text:
            return expired
        if len(text) in {length * count for length, (_f, count) in MRZ_LINE_LENGTHS.items()}:
            self._pending.clear()
            return self._parse(text)
        if len(text) not in MRZ_LINE_LENGTHS:
            self._pending.clear()
            if "<" in text and len(text) >= 20 and _MRZ_ISH.match(text):
                return MrzError("length", f"line of {len(text)} characters")
            return expired  # noise (a barcode, a greeting banner): not a read attempt
        if self._pending and (len(self._pending[0]) != len(text) or self._looks_like_first_line(text)):
            self._pending.clear()
        if not self._pending:
            self._started_at = now
        self._pending.append(text)
        _fmt, count = MRZ_LINE_LENGTHS[len(text)]
        if len(self._pending) < count:
            return expired
        lines, self._pending = self._pending, []
        return self._parse("\n".join(lines))

    def _looks_like_first_line(self, text: str) -> bool:
        # Only a TD1 third line (the name) could be mistaken for a first line, and it is never
        # at index 1; a second line starts with a date (TD1) or a document number (TD2/TD3).
        if len(self._pending) != 1 or len(text) != 30:
            return False
        return text[0] in "IAC" and not text[:6].isdigit() and text[1:2] in ("<", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    def _parse(self, text: str) -> IdDocument | MrzError:
        try:
            return parse_mrz(text, today=self._today())
        except MrzError as error:
            return error
