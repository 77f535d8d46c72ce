"""Turning consecutive lines from a reader into a verified MRZ document (the lines come from
`hardware.serial_input.LineFramer` or a keyboard wedge)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

from hardware.idcard.mrz import MRZ_LINE_LENGTHS, IdDocument, MrzError, parse_mrz

__all__ = ["MrzAssembler"]

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
