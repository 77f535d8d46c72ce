"""The store's outbox: claims, the hub's answers, requeues after a restored hub, purges."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import delete, func, or_, select, update

from server_sync.protocol import Press, SubmissionRequest
from server_sync.store.engine import EVENT_FLOOR_SQL, driver
from server_sync.store.schema import Outbox, SubmissionRow, SyncStateRow
from server_sync.store.terminal_state import TerminalState

__all__ = ["OutboxItem", "QueueStats", "OutboxQueue"]

CHUNK_ROWS = 2000  # rows per transaction of a bulk purge or requeue (~10 ms on a desktop)
_o = Outbox.__table__


@dataclass(frozen=True)
class OutboxItem:
    id: int
    client_id: uuid.UUID
    kind: str
    payload_json: str  # the stored non-personal JSON, validated when it was written
    sealed: str | None
    seq: int
    attempts: int
    # The number the hub gave when this row was delivered before; set on a row requeued after a hub
    # restore, and sent along so the restored hub keeps (or maps) the number on the receipt.
    hub_number: str | None = None

    @cached_property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.payload_json)

    def submission(self) -> SubmissionRequest:
        """The wire message for a service request or signal (sealed applicant re-attached, and the
        number given before a hub restore)."""
        return SubmissionRequest.model_validate({**self.payload, "sealed_applicant": self.sealed,
                                                 "number": self.hub_number})

    def press(self) -> Press:
        return Press.model_validate(self.payload)


@dataclass(frozen=True)
class QueueStats:
    depth: int  # pending rows
    oldest_created_at: float | None  # epoch seconds of the oldest pending row
    rejected: int  # rows the hub refused for good (kept for a technician)
    delivered_kept: int
    # The hub's reason for the newest refusal ("422 validation_error: form.copies: …"): names the
    # field, never its value; heartbeats carry it to the fleet page.
    last_rejection: str | None = None

    def oldest_age_s(self, now: float | None = None) -> float | None:
        if self.oldest_created_at is None:
            return None
        return max(0.0, (now or time.time()) - self.oldest_created_at)


class OutboxQueue(TerminalState):
    """The outbox's states, for the sync agent and the kiosk's immediate delivery (`server_sync.delivery`);
    a part of `Store`."""

    def claim(self, kinds: Sequence[str], limit: int, *, owner: str, lease_s: float = 60.0,
              now: float | None = None) -> list[OutboxItem]:
        """Claim up to `limit` due pending rows of `kinds`, oldest seq first, for `lease_s`.

        A claimed row is skipped by every other claimer until delivered, released or its
        lease runs out (a killed process's claim expires by itself).
        """
        now = time.time() if now is None else now
        due = (select(_o.c.id).where(_o.c.state == "pending", _o.c.kind.in_(list(kinds)),
                                     _o.c.next_attempt_at <= now, _o.c.claimed_until <= now)
               .order_by(_o.c.seq).limit(limit))
        with self._write() as conn:
            rows = conn.execute(
                update(_o).where(_o.c.id.in_(due.scalar_subquery()))
                .values(claimed_by=owner, claimed_until=now + lease_s)
                .returning(_o.c.id, _o.c.client_id, _o.c.kind, _o.c.payload, _o.c.sealed,
                           _o.c.seq, _o.c.attempts, _o.c.hub_number)
            ).all()
        items = [OutboxItem(r.id, uuid.UUID(r.client_id), r.kind, r.payload, r.sealed,
                            r.seq, r.attempts, r.hub_number) for r in rows]
        items.sort(key=lambda i: i.seq)
        return items

    def claim_one(self, client_id: uuid.UUID | str, *, owner: str, lease_s: float = 10.0) -> OutboxItem | None:
        """Claim one pending row by client id (the kiosk's immediate delivery), or None if
        it is delivered already or someone else holds it."""
        now = time.time()
        with self._write() as conn:
            r = conn.execute(
                update(_o).where(_o.c.client_id == str(client_id), _o.c.state == "pending",
                                 _o.c.claimed_until <= now)
                .values(claimed_by=owner, claimed_until=now + lease_s)
                .returning(_o.c.id, _o.c.client_id, _o.c.kind, _o.c.payload, _o.c.sealed,
                           _o.c.seq, _o.c.attempts, _o.c.hub_number)
            ).first()
        if r is None:
            return None
        return OutboxItem(r.id, uuid.UUID(r.client_id), r.kind, r.payload, r.sealed,
                          r.seq, r.attempts, r.hub_number)

    def outbox_row(self, client_id: uuid.UUID | str) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(select(_o).where(_o.c.client_id == str(client_id))).mappings().first()
        return dict(row) if row else None

    def mark_delivered(self, deliveries: Iterable[tuple[int, str | None, str | None]], *,
                       hub_epoch: str | None = None) -> None:
        """Mark rows delivered: (outbox id, hub number, tracking code) each, in one transaction.

        With no personal retention window the sealed blob is purged here; otherwise
        `purge()` drops it once the window has passed.
        """
        now = time.time()
        s = SubmissionRow.__table__
        deliveries = list(deliveries)
        if not deliveries:
            return
        values: dict[str, Any] = {"state": "delivered", "delivered_at": now, "delivered_epoch": hub_epoch,
                                  "claimed_by": None, "claimed_until": 0.0, "last_error": None}
        with self._write() as conn:
            if self._personal_retention(conn) <= 0:
                values["sealed"] = None
            plain = [d[0] for d in deliveries if d[1] is None and d[2] is None]
            if plain:
                conn.execute(update(_o).where(_o.c.id.in_(plain)).values(**values))
            for outbox_id, number, code in deliveries:
                if number is None and code is None:
                    continue
                client_id = conn.execute(
                    update(_o).where(_o.c.id == outbox_id)
                    .values(**values, hub_number=number, hub_tracking_code=code)
                    .returning(_o.c.client_id)).scalar()
                if client_id:
                    conn.execute(update(s).where(s.c.client_id == client_id)
                                 .values(number=number, tracking_code=code))
            self._ensure_sync_row(conn)
            conn.execute(update(SyncStateRow.__table__).values(last_sync_at=now, last_contact_at=now))

    def mark_failed(self, ids: Sequence[int], error: str, *, retry_at: float) -> None:
        """Record a failed attempt and when the row may be tried again; releases the claim."""
        if not ids:
            return
        with self._write() as conn:
            conn.execute(update(_o).where(_o.c.id.in_(list(ids)), _o.c.state == "pending").values(
                attempts=_o.c.attempts + 1, last_error=error[:500], next_attempt_at=retry_at,
                claimed_by=None, claimed_until=0.0))

    def mark_rejected(self, outbox_id: int, error: str) -> None:
        """The hub refused the row for good (validation, 409 conflict): stop retrying, keep it."""
        with self._write() as conn:
            conn.execute(update(_o).where(_o.c.id == outbox_id).values(
                state="rejected", last_error=error[:500], claimed_by=None, claimed_until=0.0))

    def release(self, ids: Sequence[int]) -> None:
        """Give claimed rows back untouched (e.g. the agent is shutting down)."""
        if not ids:
            return
        with self._write() as conn:
            conn.execute(update(_o).where(_o.c.id.in_(list(ids)), _o.c.state == "pending")
                         .values(claimed_by=None, claimed_until=0.0))

    def release_claims_of(self, owner_prefix: str) -> int:
        """Drop the leases of a dead process family (the agent calls it at start: a killed
        agent's claims would otherwise wait out their lease)."""
        with self._write() as conn:
            return conn.execute(update(_o).where(_o.c.state == "pending",
                                                 _o.c.claimed_by.like(f"{owner_prefix}%"))
                                .values(claimed_by=None, claimed_until=0.0)).rowcount

    def queue_stats(self) -> QueueStats:
        with self._read() as conn:
            depth, oldest = conn.execute(
                select(func.count(), func.min(_o.c.created_at)).where(_o.c.state == "pending")).one()
            rejected = conn.execute(select(func.count()).where(_o.c.state == "rejected")).scalar_one()
            kept = conn.execute(select(func.count()).where(_o.c.state == "delivered")).scalar_one()
            reason = conn.execute(select(_o.c.last_error).where(_o.c.state == "rejected")
                                  .order_by(_o.c.id.desc()).limit(1)).scalar() if rejected else None
        return QueueStats(depth, oldest, rejected, kept, reason)

    def max_delivered_seq(self) -> int | None:
        """The highest seq delivered (what the hub's `last_seq` is compared with)."""
        with self._read() as conn:
            return conn.execute(select(func.max(_o.c.seq)).where(_o.c.state == "delivered")).scalar()

    def requeue_lost(self, *, new_epoch: str | None = None, above_seq: int | None = None) -> int:
        """The hub lost data (restored from a backup): make delivered rows it may not hold
        pending again. Rows delivered under another epoch, or above `above_seq`, go back.

        Returns how many rows were requeued. The hub's idempotency on client id makes
        re-sending rows it does still hold harmless.
        """
        cond = []
        if new_epoch is not None:
            cond.append((_o.c.delivered_epoch != new_epoch) | _o.c.delivered_epoch.is_(None))
        if above_seq is not None:
            cond.append(_o.c.seq > above_seq)
        if not cond:
            return 0
        return self._in_chunks(lambda: update(_o).where(_o.c.id.in_(
            select(_o.c.id).where(_o.c.state == "delivered", or_(*cond)).limit(CHUNK_ROWS).scalar_subquery()
        )).values(state="pending", attempts=0, next_attempt_at=0.0, delivered_at=None,
                  claimed_by=None, claimed_until=0.0))

    def purge(self, now: float | None = None) -> tuple[int, int]:
        """Drop sealed blobs past the personal retention window and delivered rows past the
        delivered retention window. Returns (blobs purged, rows deleted)."""
        now = time.time() if now is None else now
        retention = self.personal_retention_s

        def chunk(*where):
            return _o.c.id.in_(select(_o.c.id).where(*where).limit(CHUNK_ROWS).scalar_subquery())

        blobs = self._in_chunks(lambda: update(_o).where(chunk(
            _o.c.state == "delivered", _o.c.sealed.is_not(None),
            _o.c.delivered_at <= now - retention)).values(sealed=None))
        # A row the hub refused for good keeps its non-personal part for a technician,
        # but its sealed applicant goes after the same window.
        blobs += self._in_chunks(lambda: update(_o).where(chunk(
            _o.c.state == "rejected", _o.c.sealed.is_not(None),
            _o.c.created_at <= now - retention)).values(sealed=None))
        with self._write() as conn:  # the newest rows may go: seqs must not come again (NEXT_EVENT_SQL)
            driver(conn).execute(EVENT_FLOOR_SQL)
        rows = self._in_chunks(lambda: delete(_o).where(chunk(
            _o.c.state == "delivered", _o.c.delivered_at <= now - self.delivered_retention_s)))
        return blobs, rows

    def _in_chunks(self, statement: Callable[[], Any]) -> int:
        """Run a bulk UPDATE/DELETE that touches at most CHUNK_ROWS rows, one short
        transaction per chunk, until it touches none: a month of delivered rows (or a
        requeue after a hub restore) never holds the write lock for seconds while the
        kiosk or the buttons wait to store a press."""
        total = 0
        while True:
            started = time.monotonic()
            with self._write() as conn:
                count = conn.execute(statement()).rowcount
            total += count
            if count < CHUNK_ROWS:
                return total
            # Leave the lock free as long as we held it: a waiting writer polls (SQLite's
            # busy handler sleeps up to 100 ms) and would otherwise lose every race to us.
            time.sleep(min(0.1, max(0.005, time.monotonic() - started)))

    def has_pending(self) -> bool:
        """Cheap (index probe, not a count): is anything left to deliver?"""
        with self._read() as conn:
            return conn.execute(select(_o.c.id).where(_o.c.state == "pending").limit(1)).first() is not None
