"""The press path: classify (response interval, opening hours), write durably, only then acknowledge."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Literal, Protocol

from hardware.base import DeviceState, Health
from server_sync.protocol import PressFields
from terminal_feedback.config import FeedbackConfig, OpeningSchedule

__all__ = ["PressSink", "FeedbackTerminal", "PressOutcome"]

log = logging.getLogger(__name__)


class PressSink(Protocol):
    """Where presses go: `server_sync.store.Store` (press + outbox row in one FULL-synchronous
    transaction; it assigns the press UUID and the event sequence number)."""

    def record_press(self, press: PressFields) -> Any:
        """Return only once the press is durable; raise if it is not."""

    def attach_press_reason(self, press_id: Any, reason: str) -> bool:
        """Add the follow-up answer to a stored press; durable on return."""


@dataclass(frozen=True)
class PressOutcome:
    press: PressFields
    durable: bool  # False: kept in memory, to be retried
    record: Any = None  # what the store returned (PressRecord: press_id, seq, …)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class FeedbackTerminal:
    """Takes scores from buttons or the touch face and turns them into durable, classified presses.

    Every press is kept. A press within `response_interval_s` of the last *counted* press is
    marked filtered ("response_interval"); a press outside opening hours is marked
    `outside_hours` and filtered too, so neither skews the index while both remain countable.
    The acknowledgement callback (given the PressOutcome) runs only after `sink.record_press`
    returned. When the write
    fails (disk full, I/O error) there is no acknowledgement: the press stays in an in-memory
    queue, is retried before the next press and by `retry_pending()`, and the error is
    reported through `on_error` and `health()`.
    """

    def __init__(
        self,
        config: FeedbackConfig,
        sink: PressSink,
        *,
        acknowledge: Callable[["PressOutcome"], None] = lambda outcome: None,
        on_error: Callable[[Exception], None] | None = None,
        schedule: OpeningSchedule | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.config = config
        self._sink = sink
        self._acknowledge = acknowledge
        self._on_error = on_error
        self.schedule = schedule if schedule is not None else config.opening_hours
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._last_counted: float | None = None
        self.pending: deque[PressFields] = deque()
        self.pending_reasons: deque[tuple[Any, str]] = deque()  # (press id, follow-up answer)
        self.last_error: str | None = None
        self.failures = 0
        self.recorded = 0
        self._last_record: Any = None

    # ButtonListener
    def on_press(self, score: int) -> None:
        self.press(score)

    def press(
        self,
        score: int,
        *,
        source: Literal["button", "touch", "kiosk"] = "button",
        reason: str | None = None,
    ) -> PressOutcome:
        if not 1 <= score <= self.config.scale:
            raise ValueError(f"score {score} is not on the 1–{self.config.scale} scale")
        with self._lock:
            press = self._classify(score, source, reason)
            self.pending.append(press)
            durable = self._flush()
            if not durable:
                return PressOutcome(press, False)
            record = self._last_record
        outcome = PressOutcome(press, True, record)
        # Outside the lock: the ack (LED blink, face update) must not delay the next write.
        try:
            self._acknowledge(outcome)
        except Exception:
            log.exception("acknowledgement failed for score %d", score)
        return outcome

    def attach_reason(self, outcome: PressOutcome, reason: str) -> bool:
        """The follow-up answer to a press already written (the touch face asks after the write, so
        a power cut during the question loses only the answer). False when it could not be stored."""
        if not outcome.durable or outcome.record is None:
            return False
        with self._lock:
            self.pending_reasons.append((outcome.record.press_id, reason))
            self._flush_reasons()
        return True

    def retry_pending(self) -> bool:
        """Write queued presses and answers now (called by a timer); True when no press is left."""
        with self._lock:
            self._flush_reasons()
            return self._flush()

    def _flush_reasons(self) -> None:
        """Attach queued follow-up answers; one whose press is being sent right now waits for the
        next retry (the answer is kept in memory only: a power cut loses it, never the press)."""
        waiting: deque[tuple[Any, str]] = deque()
        while self.pending_reasons:
            press_id, reason = self.pending_reasons.popleft()
            try:
                done = self._sink.attach_press_reason(press_id, reason)
            except Exception as exc:  # keep it for the next retry, say so
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.error("follow-up answer %r not saved: %s", reason, self.last_error)
                done = None
            if done is None:
                waiting.append((press_id, reason))
        self.pending_reasons = waiting

    def _classify(self, score: int, source: str, reason: str | None) -> PressFields:
        mono, wall = self._clock(), self._wall_clock()
        outside = self.schedule is not None and not self.schedule.is_open(wall)
        in_interval = (
            self._last_counted is not None and mono - self._last_counted < self.config.response_interval_s
        )
        filter_reason = "outside_hours" if outside else ("response_interval" if in_interval else None)
        if filter_reason is None:
            self._last_counted = mono
        return PressFields(
            score=score,
            scale=self.config.scale,
            counter_id=self.config.counter_id,
            office_id=self.config.office_id,
            service_id=self.config.service_id,
            source=source,
            filtered=filter_reason is not None,
            filter_reason=filter_reason,
            outside_hours=outside,
            reason=reason,
            terminal_time=wall,
        )

    def _flush(self) -> bool:
        while self.pending:
            press = self.pending[0]
            try:
                self._last_record = self._sink.record_press(press)
            except Exception as exc:  # disk full, I/O error, locked database: keep it, say so
                self.failures += 1
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.error("press (score %d) not saved, %d queued: %s", press.score, len(self.pending),
                          self.last_error)
                if self._on_error is not None:
                    try:
                        self._on_error(exc)
                    except Exception:
                        log.exception("error callback failed")
                return False
            self.pending.popleft()
            self.recorded += 1
        self.last_error = None
        return True

    def health(self) -> Health:
        detail = {"recorded": self.recorded, "queued": len(self.pending), "failures": self.failures}
        if self.pending:
            return Health(DeviceState.DEGRADED, f"presses not saved: {self.last_error}", detail)
        return Health(DeviceState.OK, None, detail)
