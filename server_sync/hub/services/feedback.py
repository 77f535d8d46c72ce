"""Feedback presses: one bulk INSERT … ON CONFLICT DO NOTHING per batch, idempotent per press_id."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import FeedbackPress
from server_sync.hub.services.terminals import note_event_seq
from server_sync.protocol import FeedbackBatch, FeedbackBatchResult


def ingest(*, session: Session, batch: FeedbackBatch, terminal_id: str,
           terminal_office: str | None = None) -> FeedbackBatchResult:
    """Store a batch. A press counts for the office its terminal was enrolled in, whatever office it
    names (a token carried off a counter box cannot raise alerts or change open data elsewhere). A
    press is never refused for its office: it is the citizen's answer all the same. (A terminal
    enrolled before offices were recorded still names its own.)"""
    now = utcnow()

    def office_of(claimed: str | None) -> str | None:
        return terminal_office if terminal_office is not None else claimed

    rows, seen = [], set()
    for p in batch.presses:
        key = str(p.press_id)
        if key in seen:  # the same press twice in one batch counts as a duplicate
            continue
        seen.add(key)
        rows.append({
            "press_id": key, "terminal_id": terminal_id, "received_at": now, "terminal_time": p.terminal_time,
            "seq": p.seq, "score": p.score, "scale": p.scale, "counter_id": p.counter_id,
            "office_id": office_of(p.office_id), "service_id": p.service_id, "source": p.source, "filtered": p.filtered,
            "filter_reason": p.filter_reason, "outside_hours": p.outside_hours, "reason": p.reason,
        })
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(FeedbackPress).on_conflict_do_nothing(index_elements=["press_id"]).returning(FeedbackPress.press_id)
    accepted = len(session.execute(stmt, rows).all())
    note_event_seq(session=session, terminal_id=terminal_id, seq=max(p.seq for p in batch.presses))
    return FeedbackBatchResult(accepted=accepted, duplicates=len(batch.presses) - accepted)
