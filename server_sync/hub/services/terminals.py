"""Terminal enrolment, bearer-token auth, revocation and heartbeats."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Boolean, Connection, Engine, bindparam, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from server_sync.hub.db import utcnow
from server_sync.hub.errors import ApiError
from server_sync.hub.models import CatalogueRevision, CitizenSession, EnrollmentCode, Heartbeat, TechnicianCredential, Terminal
from server_sync.hub.security import new_enrollment_code, new_token, normalise_code, token_hash
from server_sync.hub.services.technicians import active_list, visible_to
from server_sync.protocol import EnrollRequest, EnrollResponse, HeartbeatRequest, TerminalKind
from server_sync.protocol.common import nfc
from server_sync.protocol.messages import TechnicianCredentialWire

PREFIX = {TerminalKind.KIOSK: "K", TerminalKind.FEEDBACK: "F"}
PROBLEM_DEVICE_STATES = ("degraded", "offline")  # a device in one of these flags its terminal on the fleet page


def create_enrollment_code(*, session: Session, kind: TerminalKind | str, name: str,
                           location: str | None = None, ttl_hours: float = 24, office_id: str | None = None,
                           created_by: str | None = None) -> str:
    kind = TerminalKind(kind)
    # Typed by an operator in any terminal: normalised like every text on the wire (NFC, trimmed).
    name = nfc(name).strip()
    location = (nfc(location).strip() or None) if location is not None else None
    if not name or len(name) > 120 or "\x00" in name:
        raise ValueError("name: 1–120 characters")
    if location is not None and (len(location) > 300 or "\x00" in location):
        raise ValueError("location: at most 300 characters")
    code = new_enrollment_code()
    now = utcnow()
    session.add(EnrollmentCode(code_hash=token_hash(normalise_code(code)), kind=kind.value, name=name,
                               location=location, created_at=now, expires_at=now + timedelta(hours=ttl_hours),
                               office_id=office_id, created_by=created_by))
    session.flush()
    return code


def _next_terminal_id(session: Session, kind: TerminalKind) -> str:
    prefix = PREFIX[kind]
    count = session.scalar(select(func.count()).select_from(Terminal).where(Terminal.kind == kind.value))
    return f"{prefix}{count + 1:02d}"


def enroll(*, session: Session, request: EnrollRequest, hub_public_key: str, hub_epoch: str) -> EnrollResponse:
    now = utcnow()
    row = session.scalars(
        select(EnrollmentCode).where(EnrollmentCode.code_hash == token_hash(normalise_code(request.code)))
        .with_for_update()
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        # One answer for an unknown, a used and an expired code: a guesser learns nothing from it.
        raise ApiError(403, "enrollment_code_invalid", "unknown, used or expired enrolment code", "code")
    kind = TerminalKind(row.kind)
    token = new_token()
    for _attempt in range(5):
        terminal_id = _next_terminal_id(session, kind)
        try:
            with session.begin_nested():
                session.add(Terminal(id=terminal_id, kind=kind.value, name=row.name, location=row.location,
                                     token_hash=token_hash(token), enrolled_at=now, hostname=request.hostname,
                                     software_version=request.software_version, office_id=row.office_id))
            break
        except IntegrityError:  # a concurrent enrolment took this id
            continue
    else:
        raise ApiError(503, "busy", "could not allocate a terminal id, retry")
    row.used_at, row.terminal_id = now, terminal_id
    return EnrollResponse(terminal_id=terminal_id, token=token, kind=kind, name=row.name,
                          location=row.location, hub_public_key=hub_public_key, hub_epoch=hub_epoch)


def authenticate(*, session: Session, token: str) -> Terminal:
    terminal = session.scalars(select(Terminal).where(Terminal.token_hash == token_hash(token))).first()
    if terminal is None or terminal.revoked_at is not None:
        raise ApiError(401, "unauthorized", "unknown or revoked terminal token", "Authorization",
                       headers={"WWW-Authenticate": "Bearer"})
    return terminal


def revoke(*, session: Session, terminal_id: str) -> bool:
    """Revoke a terminal's token; False when no such (unrevoked) terminal. The citizen sessions it
    opened die with it (they also need its token, which no longer authenticates)."""
    result = session.execute(update(Terminal).where(Terminal.id == terminal_id, Terminal.revoked_at.is_(None))
                             .values(revoked_at=utcnow()))
    session.execute(delete(CitizenSession).where(CitizenSession.terminal_id == terminal_id))
    return result.rowcount == 1


@dataclass(frozen=True)
class Reporter:
    """What a heartbeat's statements returned: its terminal, the catalogue version, and (when asked
    for a kiosk) the active technicians as the answer carries them, with what identifies that list
    (technicians.ListVersion: read in the heartbeat's statement; the list from technicians.active_list,
    cached per version)."""

    id: str
    kind: str
    last_event_seq: int | None
    catalogue_version: str
    technicians: list[TechnicianCredentialWire] | None = None
    technicians_version: tuple[int, int] | None = None
    office_id: str | None = None  # whose technicians' list it is


# History older than the retention is pruned by one DELETE (by `received_at`, indexed) at most this
# often per hub process, not by every heartbeat: a per-report DELETE was a tenth of a heartbeat's time.
PRUNE_INTERVAL_S = 60.0
_next_prune: dict[int, float] = {}  # per engine: time.monotonic() of the next prune


def prune_due_now(engine: Engine | None = None) -> None:
    """Make the next heartbeat prune the history (tests; an operator's tool could call it too)."""
    if engine is None:
        _next_prune.clear()
    else:
        _next_prune.pop(id(engine), None)


LATEST = ("last_heartbeat_at", "clock_skew_s", "software_version", "last_heartbeat", "queue_depth",
          "device_problems")
HISTORY = ("received_at", "terminal_time", "clock_skew_s", "seq", "software_version", "uptime_s", "queue_depth",
           "oldest_undelivered_age_s", "last_sync_at", "disk_free_bytes", "cpu_temp_c", "under_voltage",
           "catalogue_version", "devices", "last_errors", "update", "rejected_items", "last_rejection")


@cache
def _statements() -> dict[str, Executable]:
    """The heartbeat's statements, built once with bind parameters: building a statement and its cache
    key on every request cost more than running it (profile in server_sync/hub/README.md)."""
    t, h = Terminal.__table__, Heartbeat.__table__
    who = (update(t).where(t.c.token_hash == bindparam("auth_token_hash"), t.c.revoked_at.is_(None))
           .values({c: bindparam(f"l_{c}", type_=t.c[c].type) for c in LATEST})
           .returning(t.c.id, t.c.kind, t.c.last_event_seq, t.c.office_id))
    history = [bindparam(f"h_{c}", type_=h.c[c].type) for c in HISTORY]
    newest = select(CatalogueRevision.version).order_by(CatalogueRevision.id.desc()).limit(1)
    # What identifies the technicians' list (technicians.ListVersion): two small aggregates,
    # not the list — with hundreds of technicians, building it on every heartbeat cost two thirds
    # of the hub's heartbeats (server_sync/hub/README.md, "Technicians at national scale").
    # Of the technicians the kiosk's office receives (its own and every office's).
    tc = TechnicianCredential.__table__

    def version_of(office):
        last_added = select(func.max(tc.c.id)).where(visible_to(office)).scalar_subquery()
        active = (select(func.count()).select_from(tc).where(tc.c.disabled_at.is_(None), visible_to(office))
                  .scalar_subquery())
        return func.coalesce(last_added, 0), active

    # PostgreSQL: all of it in one statement.
    found = who.cte("reporter")
    stored = insert(h).from_select(["terminal_id", *HISTORY], select(found.c.id, *history)).cte("stored")
    want = bindparam("want_technicians", type_=Boolean) & (found.c.kind == TerminalKind.KIOSK.value)
    added, active = version_of(found.c.office_id)
    one = select(found.c.id, found.c.kind, found.c.last_event_seq, found.c.office_id,
                 newest.scalar_subquery().label("catalogue_version"),
                 case((want, added), else_=None).label("techs_added"),
                 case((want, active), else_=None).label("techs_active")).add_cte(stored)
    return {"one": one, "who": who, "newest": newest,
            "techs_version": select(*version_of(bindparam("office_id", type_=tc.c.office_id.type))),
            "store": insert(h).values(terminal_id=bindparam("h_terminal_id"),
                                      **{c: p for c, p in zip(HISTORY, history)})}


def record_heartbeat(*, conn: Connection, token: str, report: HeartbeatRequest, received_at: datetime | None = None,
                     retention_days: float = 30, technicians: bool = False) -> Reporter | None:
    """Store a report as its terminal's latest state and in the history; None when the token is unknown
    or revoked. With `technicians`, a kiosk's answer also gets the active technicians.

    The hot path of the hub (10,000 terminals a minute). Authentication and the latest state are one
    `UPDATE terminals … WHERE token_hash = … AND revoked_at IS NULL RETURNING …` — a revoked token
    matches no row and is refused at once, with no token cache to go stale — and the history one
    Core INSERT. On PostgreSQL the UPDATE, the INSERT, the catalogue version and the technicians are
    one statement (data-modifying CTEs): one round trip. SQLite (no DML in CTEs, no network) runs them
    one after the other in the caller's IMMEDIATE transaction."""
    received_at = received_at or utcnow()
    terminal_time = report.terminal_time
    if terminal_time.tzinfo is None:
        raise ApiError(422, "validation_error", "terminal_time: needs a UTC offset", "terminal_time")
    skew = (received_at - terminal_time).total_seconds()
    problems = sum(1 for d in report.devices.values() if d.state.value in PROBLEM_DEVICE_STATES) \
        + (1 if report.under_voltage else 0) + (1 if report.rejected_items else 0)
    params = {"auth_token_hash": token_hash(token), "l_last_heartbeat_at": received_at, "l_clock_skew_s": skew,
              "l_software_version": report.software_version, "l_last_heartbeat": report.model_dump(mode="json"),
              "l_queue_depth": report.queue_depth, "l_device_problems": problems}
    wire = params["l_last_heartbeat"]
    params.update({f"h_{c}": wire.get(c) for c in HISTORY})
    params.update(h_received_at=received_at, h_terminal_time=terminal_time, h_clock_skew_s=skew,
                  h_last_sync_at=report.last_sync_at, h_devices=wire.get("devices", {}),
                  h_last_errors=list(report.last_errors))
    statements = _statements()
    if conn.dialect.name == "postgresql":
        row = conn.execute(statements["one"], {**params, "want_technicians": technicians}).first()
        if row is None:
            return None
        version = (row.techs_added, row.techs_active) if row.techs_added is not None else None
        catalogue_version = row.catalogue_version
    else:
        row = conn.execute(statements["who"], params).first()
        if row is None:
            return None
        conn.execute(statements["store"], {**params, "h_terminal_id": row.id})
        version = None
        if technicians and row.kind == TerminalKind.KIOSK.value:
            version = tuple(conn.execute(statements["techs_version"], {"office_id": row.office_id}).one())
        catalogue_version = conn.execute(statements["newest"]).scalar()
    listed = None
    if version is not None:
        version, listed = active_list(conn, version, row.office_id)
    reporter = Reporter(row.id, row.kind, row.last_event_seq, catalogue_version or "", listed, version,
                        row.office_id)
    now = time.monotonic()
    key = id(conn.engine)
    if _next_prune.get(key, 0.0) <= now:
        _next_prune[key] = now + PRUNE_INTERVAL_S
        # Keep the history bounded: every report older than the retention goes.
        conn.execute(delete(Heartbeat).where(Heartbeat.received_at < received_at - timedelta(days=retention_days)))
    return reporter


def note_event_seq(*, session: Session, terminal_id: str, seq: int) -> None:
    """Remember the highest event sequence number delivered by a terminal (atomic max)."""
    session.execute(update(Terminal).where(Terminal.id == terminal_id)
                    .where((Terminal.last_event_seq.is_(None)) | (Terminal.last_event_seq < seq))
                    .values(last_event_seq=seq))


def list_terminals(*, session: Session) -> list[dict]:
    out = []
    for t in session.scalars(select(Terminal).order_by(Terminal.id)):
        out.append({
            "terminal_id": t.id, "kind": t.kind, "name": t.name, "location": t.location, "office_id": t.office_id,
            "enrolled_at": t.enrolled_at.isoformat(), "revoked": t.revoked_at is not None,
            "software_version": t.software_version,
            "last_heartbeat_at": t.last_heartbeat_at.isoformat() if t.last_heartbeat_at else None,
            "clock_skew_s": t.clock_skew_s, "last_event_seq": t.last_event_seq,
        })
    return out
