"""The ID-reader contract: the listener readers call, and the base that keeps health and history."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from hardware.base import Device, DeviceState, Health
from hardware.idcard.mrz import IdDocument, MrzError

__all__ = [
    "LineFedIdReader","IdReaderListener", "IdReaderEvent", "IdReader", "MISREAD_CODES"]

log = logging.getLogger(__name__)

# Error codes that mean the reader did not read the card right (as opposed to a card read right and refused).
MISREAD_CODES = frozenset(
    {
        "not_mrz",
        "length",
        "invalid_character",
        "check_digit_document_number",
        "check_digit_birth_date",
        "check_digit_expiry_date",
        "check_digit_personal_number",
        "composite",
    }
)


@runtime_checkable
class IdReaderListener(Protocol):
    """What a reader calls. Real readers call it from their own thread: a Qt host re-emits as signals.

    A listener may implement only some of the methods; missing ones are skipped.
    """

    def on_document(self, document: IdDocument) -> None: ...

    def on_read_error(self, error: MrzError) -> None: ...

    def on_state(self, health: Health) -> None: ...


@dataclass(frozen=True)
class IdReaderEvent:
    """One entry of a reader's history: kind is "document", "read_error" or "state"."""

    kind: str
    payload: Any
    at: float


class IdReader(Device):
    """Base of every ID reader: reports to the listener, keeps health and a bounded history.

    Readers MUST call `_document`, `_read_error` and `_set_health`; they MAY override `close()`.
    """

    name = "id_reader"
    history_limit = 200
    # This many misreads in a row (not refusals of a good read, like an expired card) mean the
    # optics are dirty or the reader is misplaced: DEGRADED until the next good read.
    degraded_after = 5

    def __init__(self, listener: Any | None = None) -> None:
        self.listener = listener
        self._health = Health(DeviceState.UNKNOWN, "not started")
        self._misreads = 0
        self._lock = threading.Lock()
        self.history: list[IdReaderEvent] = []

    def health(self) -> Health:
        return self._health

    def _record(self, kind: str, payload: Any) -> None:
        with self._lock:
            self.history.append(IdReaderEvent(kind, payload, time.monotonic()))
            del self.history[: -self.history_limit]

    def _call(self, method: str, argument: Any) -> None:
        callback = getattr(self.listener, method, None)
        if callback is None:
            return
        try:
            callback(argument)
        except Exception:  # a listener bug must not kill the reader thread
            log.exception("ID reader listener %s failed", method)

    def _document(self, document: IdDocument) -> None:
        self._misreads = 0
        if self._health.state is DeviceState.DEGRADED:
            self._set_health(Health(DeviceState.OK))
        self._record("document", document)
        self._call("on_document", document)

    def _read_error(self, error: MrzError) -> None:
        log.info("ID read refused: %s", error.code)
        if error.code in MISREAD_CODES:
            self._misreads += 1
            if self._misreads >= self.degraded_after and self._health.state is DeviceState.OK:
                self._set_health(
                    Health(
                        DeviceState.DEGRADED,
                        f"{self._misreads} misreads in a row: clean the reader window or check its position",
                    )
                )
        self._record("read_error", error)
        self._call("on_read_error", error)

    def _set_health(self, health: Health) -> None:
        # Hosts give one listener to several devices; the detail says which one is reporting.
        health = Health(health.state, health.reason, {**health.detail, "device": self.name})
        if health == self._health:
            return
        if health.state is DeviceState.OFFLINE:
            self._misreads = 0  # a reconnected reader starts with a clean slate
        if health.state is not DeviceState.OK:
            log.warning("%s: %s (%s)", self.name, health.state.value, health.reason)
        self._health = health
        self._record("state", health)
        self._call("on_state", health)

    def _deliver(self, result: IdDocument | MrzError | None) -> None:
        if isinstance(result, IdDocument):
            self._document(result)
        elif isinstance(result, MrzError):
            self._read_error(result)


class LineFedIdReader(IdReader):
    """A reader whose transport thread (`self.source`) hands over text lines, assembled into an MRZ.

    Subclasses set `self.source` (start()/close(), calling `_line`, `_idle`, `_state`) and
    `self.assembler` (hardware.idcard.assembler.MrzAssembler) in their constructor.
    """

    source: Any
    assembler: Any

    def start(self) -> None:
        self.source.start()

    def _line(self, line: str) -> None:
        self._deliver(self.assembler.feed_line(line))

    def _idle(self) -> None:
        self._deliver(self.assembler.poll())

    def _state(self, health: Health) -> None:
        # a reader that dropped out mid-card must not glue old lines to the next card's
        if health.state is not DeviceState.OK:
            self.assembler.reset()
        self._set_health(health)

    def close(self) -> None:
        self.source.close()
