"""Store: the terminal's SQLite database, its transactional outbox and the state the processes share."""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from sqlalchemy import delete, event, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError

from server_sync.protocol import (
    Applicant,
    Catalogue,
    DeviceHealth,
    Location,
    Press,
    SubmissionKind,
    SubmissionRequest,
    SupportRequest,
)
from server_sync.protocol.sealing import seal_applicant
from server_sync.protocol.common import new_tracking_code
from server_sync.store.schema import (
    CatalogueCache,
    Counter,
    DeviceHealthRow,
    ErrorLog,
    IdentityRow,
    Outbox,
    Setting,
    SubmissionRow,
    SyncStateRow,
)

__all__ = [
    "DB_FILENAME",
    "StoreError",
    "StoreWriteError",
    "StoreFullError",
    "NotEnrolledError",
    "Identity",
    "PressRecord",
    "SubmissionRecord",
    "OutboxItem",
    "QueueStats",
    "SyncState",
    "Store",
]

log = logging.getLogger(__name__)
# The newest migration in server_sync/store/migrations (tests/sync/test_store.py checks it).
SCHEMA_HEAD = "0001"

DB_FILENAME = "terminal.sqlite3"
DEFAULT_PERSONAL_RETENTION_S = 24 * 3600.0
# The personal retention window lives in the database, not in each process: the kiosk's
# immediate delivery marks rows delivered too, and must purge (or keep) the sealed blob
# exactly as `[sync] personal_retention_h` says, although only the agent reads that key.
PERSONAL_RETENTION_KEY = "personal_retention_s"
BUSY_TIMEOUT_MS = 15_000  # three processes share the file; a writer holds it for milliseconds
MAX_ERRORS_KEPT = 20
CHUNK_ROWS = 2000  # rows per transaction of a bulk purge or requeue (~10 ms on a desktop)
KIND_PRESS = "press"
KIND_SUPPORT = "support"
SUBMISSION_KINDS = (SubmissionKind.SERVICE_REQUEST.value, SubmissionKind.SIGNAL.value, KIND_SUPPORT)

_DEVICE_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_o = Outbox.__table__
_c = Counter.__table__


class StoreError(Exception):
    """Root of the store's errors."""


class StoreWriteError(StoreError):
    """A write did not happen (the transaction was rolled back): I/O error, lock timeout."""


class StoreFullError(StoreWriteError):
    """The disk (or the database's size limit) is full."""


class NotEnrolledError(StoreError):
    """Personal data cannot be accepted before the terminal holds the hub's public key."""


# The durable path of every press and submission, as plain SQLite statements (see record_press).
_NEXT_SQL = ("INSERT INTO counters(name, value) VALUES (?, 1) "
             "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value")
_PRESS_SQL = ("INSERT INTO presses(press_id, seq, terminal_time, score, scale, counter_id, filtered) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
_ENQUEUE_SQL = ("INSERT INTO outbox(client_id, kind, payload, sealed, terminal_time, created_at, seq, state, "
                "attempts, next_attempt_at, claimed_until) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0.0, 0.0) "
                "RETURNING id")


def _driver(conn: Connection | sqlite3.Connection) -> sqlite3.Connection:
    """The sqlite3 connection under an SQLAlchemy one (in the same transaction), or itself."""
    return conn if isinstance(conn, sqlite3.Connection) else conn.connection.driver_connection

@dataclass(frozen=True)
class Identity:
    terminal_id: str
    kind: str
    name: str
    location: str | None
    token: str
    hub_url: str
    hub_public_key: str
    hub_epoch: str
    enrolled_at: float


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


@dataclass(frozen=True)
class OutboxItem:
    id: int
    client_id: uuid.UUID
    kind: str
    payload_json: str  # the stored non-personal JSON, validated when it was written
    sealed: str | None
    seq: int
    attempts: int

    @cached_property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.payload_json)

    def submission(self) -> SubmissionRequest:
        """The wire message for a service request or signal (sealed applicant re-attached)."""
        return SubmissionRequest.model_validate({**self.payload, "sealed_applicant": self.sealed})

    def support(self) -> tuple[str, SupportRequest]:
        """(consultation id, wire message) for a consultation support."""
        body = dict(self.payload)
        consultation_id = body.pop("consultation_id")
        return consultation_id, SupportRequest.model_validate({**body, "sealed_applicant": self.sealed})

    def press(self) -> Press:
        return Press.model_validate(self.payload)


@dataclass(frozen=True)
class QueueStats:
    depth: int  # pending rows
    oldest_created_at: float | None  # epoch seconds of the oldest pending row
    rejected: int  # rows the hub refused for good (kept for a technician)
    delivered_kept: int

    def oldest_age_s(self, now: float | None = None) -> float | None:
        if self.oldest_created_at is None:
            return None
        return max(0.0, (now or time.time()) - self.oldest_created_at)


@dataclass(frozen=True)
class SyncState:
    last_contact_at: float | None
    last_sync_at: float | None
    last_heartbeat_at: float | None
    last_error: str | None
    last_error_at: float | None
    revoked: bool
    revoked_reason: str | None
    hub_last_seq: int | None


def _now_local() -> datetime:
    # Aware local time: the hub computes the terminal's skew from it (Pis have no RTC).
    return datetime.now().astimezone()


def _apply_pragmas(dbapi_conn: sqlite3.Connection) -> None:
    # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE is ours.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a press or submission is on disk when the commit returns, even on power loss.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Purged sealed blobs are overwritten, not left in free pages of a stolen SD card.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def _install_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        _apply_pragmas(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock at BEGIN, so two processes never deadlock upgrading a read
        # lock; readers use a deferred BEGIN and never wait for a writer (WAL).
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Store:
    """The terminal's database under `data_dir`, opened (and migrated) on construction.

    Safe to use from several threads and from several processes at once. Every public
    method is one short transaction; none holds a lock across anything slow.
    """

    def __init__(self, data_dir: str | os.PathLike[str], *, personal_retention_s: float | None = None,
                 delivered_retention_s: float = 30 * 24 * 3600) -> None:
        self.data_dir = Path(data_dir)
        # Group-shared (kiosk, feedback terminal and agent may run as different users of
        # one group); never world-readable: the file holds the terminal's hub token.
        self.data_dir.mkdir(mode=0o770, parents=True, exist_ok=True)
        self.path = self.data_dir / DB_FILENAME
        if not self.path.exists():
            self.path.touch(mode=0o660)
        self.delivered_retention_s = delivered_retention_s
        # Why this process's last write failed, until one succeeds (the agent reports it).
        self.write_error: str | None = None
        self.engine = create_engine(f"sqlite:///{self.path}", future=True)
        _install_pragmas(self.engine)
        self._catalogue_lock = threading.Lock()
        self._catalogue_cached: tuple[str, Catalogue] | None = None
        # the press path's own connection (see _press_transaction), opened at the first press
        self._press_lock = threading.Lock()
        self._press_conn: Any = None  # a pooled DBAPI connection, held
        event.listen(self.engine, "engine_disposed", lambda _engine: self._drop_press_connection())
        self._migrate()
        if personal_retention_s is not None:
            # Whoever opens the store with an explicit window (the agent, from the config)
            # sets it for every process; the others (kiosk, feedback terminal) follow it.
            try:
                self.set_personal_retention(personal_retention_s)
            except StoreWriteError as exc:  # a full disk must not keep the store closed
                log.error("could not record the personal retention window: %s", exc)

    @property
    def personal_retention_s(self) -> float:
        """Seconds a delivered row keeps its sealed applicant (0: purged at delivery)."""
        with self._read() as conn:
            return self._personal_retention(conn)

    @staticmethod
    def _personal_retention(conn: Connection) -> float:
        value = conn.execute(select(Setting.value).where(Setting.key == PERSONAL_RETENTION_KEY)).scalar()
        try:
            return max(0.0, float(value)) if value is not None else DEFAULT_PERSONAL_RETENTION_S
        except ValueError:
            return DEFAULT_PERSONAL_RETENTION_S

    def set_personal_retention(self, seconds: float) -> None:
        if not seconds >= 0:
            raise ValueError(f"personal retention: expected seconds >= 0, got {seconds!r}")
        if self.setting(PERSONAL_RETENTION_KEY) != repr(float(seconds)):
            self.set_setting(PERSONAL_RETENTION_KEY, repr(float(seconds)))

    # --- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()  # drops the press connection too (engine_disposed)

    def _drop_press_connection(self) -> None:
        with self._press_lock:
            if self._press_conn is not None:
                try:
                    self._press_conn.close()
                finally:
                    self._press_conn = None

    @contextmanager
    def _press_transaction(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE … COMMIT on a sqlite3 connection this store keeps for presses.

        A button press is the terminal's hottest write: SQLAlchemy's connection checkout,
        events and result objects cost as much as the durable commit itself on a fast disk
        (bench/press_durable.py). Same file, same pragmas, same errors as `_write`."""
        with self._press_lock:
            try:
                if self._press_conn is None:
                    # from the engine's pool, so it gets the same pragmas (the connect event)
                    self._press_conn = self.engine.raw_connection()
                db = self._press_conn.driver_connection
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                raise self._write_failed(exc) from exc
        self.write_error = None

    def _write_failed(self, error: sqlite3.OperationalError) -> StoreWriteError:
        """Full disk, read-only or broken SD card, a lock held too long: the caller (the
        feedback terminal, the kiosk) keeps the item and says so; nothing half-written."""
        message = str(error)
        self.write_error = f"the terminal's store {self.path} cannot be written: {message}"
        return (StoreFullError if "full" in message else StoreWriteError)(self.write_error)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except (DBAPIError, sqlite3.OperationalError) as exc:
            # (statements run on the driver's connection, `_next` and `_enqueue`, raise unwrapped)
            orig = exc.orig if isinstance(exc, DBAPIError) else exc
            if not isinstance(orig, sqlite3.OperationalError):
                raise
            raise self._write_failed(orig) from exc
        self.write_error = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="DEFERRED")
            with conn.begin():
                yield conn

    def _migrate(self) -> None:
        # The common case — the schema is at head — is answered with one plain query:
        # importing Alembic (which pulls in SQLAlchemy's PostgreSQL dialect) costs the
        # kiosk a quarter of a second on every start. A test keeps SCHEMA_HEAD honest.
        with self.engine.connect() as conn:
            try:
                current = {row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}
            except DBAPIError:
                current = set()  # a new file: no version table yet
            conn.rollback()
        if current == {SCHEMA_HEAD}:
            return
        from alembic.script import ScriptDirectory

        heads = set(ScriptDirectory(str(Path(__file__).parent / "migrations")).get_heads())
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        # BEGIN IMMEDIATE: a second process opening at the same moment waits, then finds
        # the schema at head and does nothing.
        with self._write() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        log.info("store %s migrated to %s", self.path, ",".join(sorted(heads)))

    @staticmethod
    def _next(conn: Connection, name: str) -> int:
        # one statement on the driver's own connection (inside SQLAlchemy's transaction):
        # it runs in every press's transaction
        return _driver(conn).execute(_NEXT_SQL, (name,)).fetchone()[0]

    # --- presses ----------------------------------------------------------------------

    def record_press(self, score: int, *, scale: int = 4, counter_id: str | None = None,
                     office_id: str | None = None, service_id: str | None = None,
                     source: str = "button", filtered: bool = False,
                     filter_reason: str | None = None, outside_hours: bool = False,
                     reason: str | None = None, at: datetime | None = None) -> PressRecord:
        """Store a press and its outbox row in one transaction; returns once it is on disk."""
        terminal_time = at or _now_local()
        press_id = uuid.uuid4()
        with self._press_transaction() as conn:
            seq = self._next(conn, "event")
            press = Press(press_id=press_id, terminal_time=terminal_time, seq=seq, score=score,
                          scale=scale, counter_id=counter_id, office_id=office_id,
                          service_id=service_id, source=source, filtered=filtered,
                          filter_reason=filter_reason, outside_hours=outside_hours, reason=reason)
            # plain statements: building SQLAlchemy constructs per press cost three times the
            # durable commit itself (bench/press_durable.py)
            _driver(conn).execute(_PRESS_SQL, (str(press_id), seq, terminal_time.isoformat(), score, scale,
                                               counter_id, 1 if filtered else 0))
            outbox_id = self._enqueue(conn, press_id, KIND_PRESS, press.model_dump(mode="json"),
                                      None, terminal_time, seq)
        return PressRecord(press_id, seq, terminal_time, outbox_id)

    @staticmethod
    def _enqueue(conn: Connection, client_id: uuid.UUID, kind: str, payload: dict[str, Any],
                 sealed: str | None, terminal_time: datetime, seq: int) -> int:
        return _driver(conn).execute(_ENQUEUE_SQL, (
            str(client_id), kind, json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            sealed, terminal_time.isoformat(), time.time(), seq)).fetchone()[0]

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
        terminal_time = _now_local()
        sealed = seal_applicant(applicant, identity.hub_public_key) if applicant else None
        with self._write() as conn:
            seq = self._next(conn, "event")
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

    def submit_support(self, consultation_id: str, applicant: Applicant) -> SubmissionRecord:
        """Support a public consultation with the ID card's data (sealed), via the outbox."""
        identity = self._require_identity()
        client_id = uuid.uuid4()
        terminal_time = _now_local()
        sealed = seal_applicant(applicant, identity.hub_public_key)
        with self._write() as conn:
            seq = self._next(conn, "event")
            ref = f"{identity.terminal_id}-{self._next(conn, 'ref') % 1_000_000:06d}"
            message = SupportRequest(client_id=client_id, terminal_time=terminal_time,
                                     sealed_applicant=sealed)
            payload = message.model_dump(mode="json", exclude={"sealed_applicant", "applicant"})
            payload["consultation_id"] = consultation_id
            conn.execute(insert(SubmissionRow).values(
                client_id=str(client_id), provisional_ref=ref, kind=KIND_SUPPORT,
                subject_id=consultation_id, seq=seq, terminal_time=terminal_time.isoformat()))
            outbox_id = self._enqueue(conn, client_id, KIND_SUPPORT, payload, sealed, terminal_time, seq)
        return SubmissionRecord(client_id, ref, seq, terminal_time, outbox_id)

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
        personal = {f.name for f in service.form_fields if f.personal} if service else set()
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

    # --- catalogue --------------------------------------------------------------------

    def catalogue(self) -> Catalogue | None:
        """The cached catalogue, or None before the first pull (parsed once per version)."""
        with self._read() as conn:
            version = conn.execute(select(CatalogueCache.version).where(CatalogueCache.id == 1)).scalar()
            if version is None:
                return None
            with self._catalogue_lock:
                if self._catalogue_cached and self._catalogue_cached[0] == version:
                    return self._catalogue_cached[1]
            body = conn.execute(select(CatalogueCache.body).where(CatalogueCache.id == 1)).scalar_one()
        catalogue = Catalogue.model_validate_json(body)
        with self._catalogue_lock:
            self._catalogue_cached = (version, catalogue)
        return catalogue

    def catalogue_etag(self) -> str | None:
        with self._read() as conn:
            return conn.execute(select(CatalogueCache.etag).where(CatalogueCache.id == 1)).scalar()

    def catalogue_version(self) -> str | None:
        with self._read() as conn:
            return conn.execute(select(CatalogueCache.version).where(CatalogueCache.id == 1)).scalar()

    def save_catalogue(self, catalogue: Catalogue, etag: str | None = None) -> None:
        """Replace the cached catalogue in one transaction: readers see the old or the new."""
        body = catalogue.model_dump_json()
        t = CatalogueCache.__table__
        with self._write() as conn:
            conn.execute(delete(t))
            conn.execute(insert(t).values(id=1, version=catalogue.version, etag=etag, body=body,
                                          fetched_at=time.time()))

    # --- identity and settings --------------------------------------------------------

    def identity(self) -> Identity | None:
        with self._read() as conn:
            row = conn.execute(select(IdentityRow.__table__).where(IdentityRow.id == 1)).mappings().first()
        if row is None:
            return None
        return Identity(**{k: row[k] for k in Identity.__dataclass_fields__})

    def save_identity(self, identity: Identity) -> None:
        """Store (or replace, on re-enrolment) who this terminal is; clears a revoked state."""
        t = IdentityRow.__table__
        with self._write() as conn:
            conn.execute(delete(t))
            conn.execute(insert(t).values(id=1, **identity.__dict__))
            self._ensure_sync_row(conn)
            conn.execute(update(SyncStateRow.__table__).values(revoked=False, revoked_reason=None))

    def update_hub_epoch(self, epoch: str) -> None:
        with self._write() as conn:
            conn.execute(update(IdentityRow.__table__).values(hub_epoch=epoch))

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self._read() as conn:
            value = conn.execute(select(Setting.value).where(Setting.key == key)).scalar()
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute(text("INSERT INTO settings(key, value) VALUES (:k, :v) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                         {"k": key, "v": value})

    def counter_value(self, name: str) -> int:
        """A counter's current value, read-only (0 if never used)."""
        with self._read() as conn:
            return conn.execute(select(_c.c.value).where(_c.c.name == name)).scalar() or 0

    def next_heartbeat_seq(self) -> int:
        # Its own counter: heartbeats are not events, so they never raise the hub's last_seq.
        with self._write() as conn:
            return self._next(conn, "heartbeat")

    # --- device health and errors -----------------------------------------------------

    def report_device(self, device: str, health: DeviceHealth) -> None:
        """Record a device's latest state (the terminal apps call this; heartbeats send it).

        `device` is a protocol identifier ("printer", "id_reader", "button_1"): anything
        else would make every heartbeat invalid, so it is refused here, at the source."""
        if not _DEVICE_NAME.fullmatch(device):
            raise ValueError(f"device: {device!r} is not a lowercase identifier like 'id_reader'")
        with self._write() as conn:
            conn.execute(text(
                "INSERT INTO device_health(device, state, reason, detail, updated_at) "
                "VALUES (:d, :s, :r, :j, :t) ON CONFLICT(device) DO UPDATE SET "
                "state = excluded.state, reason = excluded.reason, detail = excluded.detail, "
                "updated_at = excluded.updated_at"),
                {"d": device, "s": health.state.value, "r": health.reason,
                 "j": json.dumps(health.detail), "t": time.time()})

    def device_states(self) -> dict[str, DeviceHealth]:
        with self._read() as conn:
            rows = conn.execute(select(DeviceHealthRow.__table__)).mappings().all()
        return {r["device"]: DeviceHealth(state=r["state"], reason=r["reason"],
                                          detail=json.loads(r["detail"] or "{}")) for r in rows}

    def record_error(self, source: str, message: str) -> None:
        """Keep one of the last few errors (bounded) for heartbeats and maintenance mode."""
        t = ErrorLog.__table__
        with self._write() as conn:
            conn.execute(insert(t).values(at=time.time(), source=source[:32], message=message[:300]))
            conn.execute(delete(t).where(t.c.id <= select(func.max(t.c.id) - MAX_ERRORS_KEPT).scalar_subquery()))

    def recent_errors(self, limit: int = MAX_ERRORS_KEPT) -> list[tuple[float, str, str]]:
        t = ErrorLog.__table__
        with self._read() as conn:
            rows = conn.execute(select(t.c.at, t.c.source, t.c.message).order_by(t.c.id.desc()).limit(limit)).all()
        return [tuple(r) for r in rows]

    # --- sync state -------------------------------------------------------------------

    @staticmethod
    def _ensure_sync_row(conn: Connection) -> None:
        conn.execute(text("INSERT INTO sync_state(id, revoked) VALUES (1, 0) ON CONFLICT(id) DO NOTHING"))

    def sync_state(self) -> SyncState:
        with self._read() as conn:
            row = conn.execute(select(SyncStateRow.__table__).where(SyncStateRow.id == 1)).mappings().first()
        if row is None:
            return SyncState(None, None, None, None, None, False, None, None)
        return SyncState(**{k: row[k] for k in SyncState.__dataclass_fields__})

    def update_sync_state(self, **fields: Any) -> None:
        unknown = set(fields) - set(SyncState.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown sync state fields: {sorted(unknown)}")
        with self._write() as conn:
            self._ensure_sync_row(conn)
            conn.execute(update(SyncStateRow.__table__).values(**fields))

    # --- outbox: used by the sync agent and the hub client ----------------------------

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
                           _o.c.seq, _o.c.attempts)
            ).all()
        items = [OutboxItem(r.id, uuid.UUID(r.client_id), r.kind, r.payload, r.sealed,
                            r.seq, r.attempts) for r in rows]
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
                           _o.c.seq, _o.c.attempts)
            ).first()
        if r is None:
            return None
        return OutboxItem(r.id, uuid.UUID(r.client_id), r.kind, r.payload, r.sealed,
                          r.seq, r.attempts)

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
        return QueueStats(depth, oldest, rejected, kept)

    def max_delivered_seq(self) -> int | None:
        """The highest seq delivered of the events the hub's `last_seq` counts: presses and
        requests. A consultation support has no seq on the wire, so the hub cannot count it;
        comparing it would make every heartbeat look like a hub restored from a backup."""
        with self._read() as conn:
            return conn.execute(select(func.max(_o.c.seq)).where(
                _o.c.state == "delivered", _o.c.kind != KIND_SUPPORT)).scalar()

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
        from sqlalchemy import or_

        return self._in_chunks(lambda: update(_o).where(_o.c.id.in_(
            select(_o.c.id).where(_o.c.state == "delivered", or_(*cond)).limit(CHUNK_ROWS).scalar_subquery()
        )).values(state="pending", attempts=0, next_attempt_at=0.0, delivered_at=None,
                  claimed_by=None, claimed_until=0.0))

    def purge(self, now: float | None = None) -> tuple[int, int]:
        """Drop sealed blobs past the personal retention window and delivered rows past the
        delivered retention window. Returns (blobs purged, rows deleted)."""
        now = time.time() if now is None else now
        retention = self.personal_retention_s

        def chunk(*where):  # noqa: ANN002, ANN202
            return _o.c.id.in_(select(_o.c.id).where(*where).limit(CHUNK_ROWS).scalar_subquery())

        blobs = self._in_chunks(lambda: update(_o).where(chunk(
            _o.c.state == "delivered", _o.c.sealed.is_not(None),
            _o.c.delivered_at <= now - retention)).values(sealed=None))
        # A row the hub refused for good keeps its non-personal part for a technician,
        # but its sealed applicant goes after the same window.
        blobs += self._in_chunks(lambda: update(_o).where(chunk(
            _o.c.state == "rejected", _o.c.sealed.is_not(None),
            _o.c.created_at <= now - retention)).values(sealed=None))
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

    def pending_count(self) -> int:
        with self._read() as conn:
            return conn.execute(select(func.count()).where(_o.c.state == "pending")).scalar_one()

    def iter_outbox(self, state: str | None = None, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Stream outbox rows in id order, `batch` at a time (for status and tests)."""
        last = 0
        while True:
            q = select(_o).where(_o.c.id > last).order_by(_o.c.id).limit(batch)
            if state:
                q = q.where(_o.c.state == state)
            with self._read() as conn:
                rows = [dict(r) for r in conn.execute(q).mappings()]
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]
