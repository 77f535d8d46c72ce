"""Feedback presses: one bulk INSERT … ON CONFLICT DO NOTHING per batch, idempotent per press_id."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Iterable, Mapping

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import FeedbackPress, FeedbackPressCount
from server_sync.hub.services.terminals import note_event_seq
from server_sync.protocol import PRESS_FIELDS, FeedbackBatch, FeedbackBatchResult, Press

# Terminal clocks. A skew measured from heartbeats smaller than this is noise (network, queueing)
# and left alone; a press further than the tolerance before its terminal's enrolment or after now
# (once corrected) is flagged.
MIN_CORRECTION_S = 5.0
TOLERANCE = timedelta(minutes=2)
CLOCK_FLAGS = ("clock_before_enrolment", "clock_future")


def corrected_time(terminal_time: datetime, skew_s: float | None) -> datetime:
    """A terminal's event time on the hub's clock: shifted by the skew (hub − terminal) that the
    terminal's latest heartbeat measured, when that skew is more than noise."""
    if skew_s is None or abs(skew_s) < MIN_CORRECTION_S:
        return terminal_time
    return terminal_time + timedelta(seconds=skew_s)


def clock_flag(when: datetime, *, enrolled_at: datetime | None, now: datetime) -> str | None:
    """Why a (corrected) event time cannot be right, or None: before the terminal was enrolled, or
    in the future. Such a press is stored filtered, with this reason: kept, shown to staff among the
    filtered presses, and out of the index, the open data and the alerts."""
    if when > now + TOLERANCE:
        return "clock_future"
    if enrolled_at is not None and when < enrolled_at - TOLERANCE:
        return "clock_before_enrolment"
    return None


def press_row(press: Press, *, terminal_id: str, received_at: datetime, terminal_time: datetime,
              office_id: str | None, clock_flag: str | None) -> dict[str, object]:
    """A press's row in `feedback_presses`: every field the terminal's press carries (by the names
    in `PRESS_FIELDS`), then what the hub decides — the time on its clock, the office the terminal
    was enrolled in, and a clock flag filtering a press whose time cannot be right."""
    row: dict[str, object] = {name: getattr(press, name) for name in PRESS_FIELDS}
    row.update(press_id=str(press.press_id), seq=press.seq, terminal_id=terminal_id, received_at=received_at,
               terminal_time=terminal_time, office_id=office_id)
    if clock_flag is not None:
        row.update(filtered=True, filter_reason=clock_flag)
    return row


def ingest(*, session: Session, batch: FeedbackBatch, terminal_id: str,
           terminal_office: str | None = None, clock_skew_s: float | None = None,
           enrolled_at: datetime | None = None) -> FeedbackBatchResult:
    """Store a batch. A press counts for the office its terminal was enrolled in, whatever office it
    names (a token carried off a counter box cannot raise alerts or change open data elsewhere). A
    press is never refused for its office: it is the citizen's answer all the same. (A terminal
    enrolled before offices were recorded still names its own.) Its time is corrected by the
    terminal's measured clock skew and flagged when it still cannot be right (`clock_flag`)."""
    now = utcnow()

    def office_of(claimed: str | None) -> str | None:
        return terminal_office if terminal_office is not None else claimed

    rows, seen = [], set()
    for p in batch.presses:
        key = str(p.press_id)
        if key in seen:  # the same press twice in one batch counts as a duplicate
            continue
        seen.add(key)
        when = corrected_time(p.terminal_time, clock_skew_s)
        flag = clock_flag(when, enrolled_at=enrolled_at, now=now)
        rows.append(press_row(p, terminal_id=terminal_id, received_at=now, terminal_time=when,
                              office_id=office_of(p.office_id), clock_flag=flag))
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(FeedbackPress).on_conflict_do_nothing(index_elements=["press_id"]).returning(FeedbackPress.press_id)
    inserted = {r[0] for r in session.execute(stmt, rows).all()}
    accepted = len(inserted)
    count_presses(session, (row for row in rows if row["press_id"] in inserted))
    # A press sent again with the follow-up answer it did not have (the touch face writes the press
    # first and attaches the answer after): fill in the missing reason, never overwrite one.
    for row in rows:
        if row["reason"] is not None and row["press_id"] not in inserted:
            session.execute(update(FeedbackPress).where(
                FeedbackPress.press_id == row["press_id"], FeedbackPress.terminal_id == terminal_id,
                FeedbackPress.reason.is_(None)).values(reason=row["reason"]))
    note_event_seq(session=session, terminal_id=terminal_id, seq=max(p.seq for p in batch.presses))
    return FeedbackBatchResult(accepted=accepted, duplicates=len(batch.presses) - accepted)


def count_presses(session: Session, rows: Iterable[Mapping[str, object]]) -> None:
    """Add newly inserted presses (their rows) to `feedback_press_counts`, in the caller's
    transaction: one upsert per (terminal, counter, score, filtered), in key order, so two batches
    of one terminal at once take the same rows in the same order (no deadlock)."""
    counts = Counter((row["terminal_id"], row.get("counter_id") or "", row["score"], bool(row.get("filtered")))
                     for row in rows)
    if not counts:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(FeedbackPressCount)
    stmt = stmt.on_conflict_do_update(index_elements=["terminal_id", "counter_id", "score", "filtered"],
                                      set_={"presses": FeedbackPressCount.presses + stmt.excluded.presses})
    session.execute(stmt, [{"terminal_id": terminal_id, "counter_id": counter_id, "score": score,
                            "filtered": filtered, "presses": n}
                           for (terminal_id, counter_id, score, filtered), n in sorted(counts.items())])
