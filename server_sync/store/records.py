"""The store's durable writes of presses and submissions: business row and outbox row together."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from server_sync.protocol import Applicant, Location, Press, PressFields, SubmissionKind, SubmissionRequest
from server_sync.protocol.common import new_tracking_code
from server_sync.protocol.sealing import seal_applicant
from server_sync.store.engine import NotEnrolledError, driver, now_local
from server_sync.store.schema import Outbox, SubmissionRow
from server_sync.store.terminal_state import Identity, TerminalState

__all__ = ["PressRecord", "SubmissionRecord", "Records"]

KIND_PRESS = "press"
# The outbox row of every press and submission, as a plain SQLite statement (see record_press);
# its id is its seq (engine.NEXT_EVENT_SQL).
ENQUEUE_SQL = ("INSERT INTO outbox(id, client_id, kind, payload, sealed, terminal_time, created_at, seq, state, "
               "attempts, next_attempt_at, claimed_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1, 'pending', 0, 0.0, 0.0)")


@dataclass(frozen=True)
class PressRecord:
    press_id: uuid.UUID
    seq: int
    terminal_time: datetime
    outbox_id: int


@dataclass(frozen=True)
class SubmissionRecord:
    client_id: uuid.UUID
    provisional_ref: str
    seq: int
    terminal_time: datetime
    outbox_id: int
    tracking_code: str | None = None  # printed on the receipt even before delivery


class Records(TerminalState):
    """Presses and submissions, each written once with its outbox row (a part of `Store`)."""

    # --- presses ----------------------------------------------------------------------

    def record_press(self, press: PressFields) -> PressRecord:
        """Store a press as its outbox row in one transaction; returns once it is on disk. The outbox
        row is the press (nothing else keeps it) and its id is the press's seq: one row per press.
        The wire model validates it here, once, before anything is written."""
        terminal_time = press.terminal_time or now_local()
        press_id = uuid.uuid4()
        with self._press_transaction() as conn:
            seq = self._next_event(conn)
            message = Press.of(press, press_id=press_id, seq=seq, terminal_time=terminal_time)
            # plain statements: building SQLAlchemy constructs per press cost three times the
            # durable commit itself (bench/press_durable.py)
            self._enqueue(conn, press_id, KIND_PRESS, message.model_dump(mode="json"), None, terminal_time, seq)
        return PressRecord(press_id, seq, terminal_time, seq)

    def attach_press_reason(self, press_id: uuid.UUID | str, reason: str) -> bool | None:
        """Add the follow-up answer to a press already stored (the touch face writes the press when
        it is pressed, then asks why). A press the hub already has is sent again with its reason:
        the hub fills in a reason it lacks. True: stored, and it will reach the hub; None: the press
        is being sent right now (without it) — try again once that settles; False: no such press."""
        with self._write() as conn:
            row = conn.execute(select(Outbox.payload, Outbox.state, Outbox.claimed_until).where(
                Outbox.client_id == str(press_id), Outbox.kind == KIND_PRESS)).first()
            if row is None:
                return False
            if row.state == "pending" and row.claimed_until > time.time():
                return None  # its delivery would be recorded after ours and hide the answer
            payload = Press.model_validate({**json.loads(row.payload), "reason": reason}).model_dump(mode="json")
            values: dict[str, Any] = {"payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))}
            if row.state == "delivered":
                values.update(state="pending", attempts=0, next_attempt_at=0.0, delivered_at=None)
            conn.execute(update(Outbox).where(Outbox.client_id == str(press_id)).values(**values))
        return True

    @staticmethod
    def _enqueue(conn: Connection, client_id: uuid.UUID, kind: str, payload: dict[str, Any],
                 sealed: str | None, terminal_time: datetime, seq: int) -> int:
        driver(conn).execute(ENQUEUE_SQL, (
            seq, str(client_id), kind, json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            sealed, terminal_time.isoformat(), time.time()))
        return seq

    # --- submissions ------------------------------------------------------------------

    def submit(self, kind: SubmissionKind | str, *, service_id: str | None = None,
               tier: str | None = None, signal_category_id: str | None = None,
               signal_type: str | None = None, description: str | None = None,
               location: Location | dict | None = None, form: dict[str, Any] | None = None,
               anonymous: bool = False, applicant: Applicant | None = None,
               language: str = "bg") -> SubmissionRecord:
        """File a service request or signal: business row + outbox row in one transaction.

        The applicant, and any form field the cached catalogue marks `personal`, is sealed
        to the hub's public key before it touches the disk. Raises `NotEnrolledError`
        before enrolment (no key to seal to, no terminal id for the reference) and
        `pydantic.ValidationError` for a message the hub would refuse.
        """
        identity = self._require_identity()
        form = dict(form or {})
        kind = SubmissionKind(kind)
        if kind == SubmissionKind.SERVICE_REQUEST and service_id:
            applicant = self._move_personal_fields(service_id, form, applicant)
        client_id = uuid.uuid4()
        terminal_time = now_local()
        sealed = seal_applicant(applicant, identity.hub_public_key) if applicant else None
        with self._write() as conn:
            seq = self._next_event(conn)
            ref = f"{identity.terminal_id}-{self._next(conn, 'ref') % 1_000_000:06d}"
            code = new_tracking_code()
            message = SubmissionRequest(
                client_id=client_id, kind=kind, terminal_time=terminal_time, seq=seq,
                provisional_ref=ref, tracking_code=code, language=language, service_id=service_id, tier=tier,
                signal_category_id=signal_category_id, signal_type=signal_type,
                description=description, location=location, form=form, anonymous=anonymous,
                sealed_applicant=sealed)
            payload = message.model_dump(mode="json", exclude={"sealed_applicant"})
            subject = service_id if kind == SubmissionKind.SERVICE_REQUEST else signal_category_id
            conn.execute(insert(SubmissionRow).values(
                client_id=str(client_id), provisional_ref=ref, kind=kind.value,
                subject_id=subject, seq=seq, terminal_time=terminal_time.isoformat(),
                tracking_code=code))
            outbox_id = self._enqueue(conn, client_id, kind.value, payload, sealed, terminal_time, seq)
        return SubmissionRecord(client_id, ref, seq, terminal_time, outbox_id, code)

    def _require_identity(self) -> Identity:
        identity = self.identity()
        if identity is None:
            raise NotEnrolledError(
                "the terminal is not enrolled with a hub: requests cannot be accepted yet "
                "(run `sync-agent enroll`)")
        return identity

    def _move_personal_fields(self, service_id: str, form: dict[str, Any],
                              applicant: Applicant | None) -> Applicant | None:
        catalogue = self.catalogue()
        service = next((s for s in catalogue.services if s.id == service_id), None) if catalogue else None
        personal = {f.name for f in service.form_fields if f.is_personal} if service else set()
        moved = {name: str(form.pop(name)) for name in list(form) if name in personal
                 and form[name] is not None}
        if not moved:
            return applicant
        base = applicant or Applicant()
        return base.model_copy(update={"personal_fields": {**base.personal_fields, **moved}})

    def submission(self, ref_or_client_id: str) -> dict[str, Any] | None:
        """The business row of a submission by provisional reference or client id."""
        s = SubmissionRow.__table__
        with self._read() as conn:
            row = conn.execute(select(s).where(
                (s.c.provisional_ref == ref_or_client_id) | (s.c.client_id == ref_or_client_id)
            )).mappings().first()
        return dict(row) if row else None
