"""The terminal store's engine: the SQLite file, its pragmas and transactions, migrations,
settings and counters, and the store's errors."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import event, select, text
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError

from server_sync.protocol import Catalogue
from server_sync.store.schema import Counter, Setting

__all__ = [
    "DB_FILENAME",
    "SCHEMA_HEAD",
    "StoreError",
    "StoreWriteError",
    "StoreFullError",
    "NotEnrolledError",
    "StoreEngine",
]

log = logging.getLogger("server_sync.store")
# The newest migration in server_sync/store/migrations (tests/sync/test_store.py checks it).
SCHEMA_HEAD = "0003"

DB_FILENAME = "terminal.sqlite3"
DEFAULT_PERSONAL_RETENTION_S = 24 * 3600.0
# The personal retention window lives in the database, not in each process: the kiosk's
# immediate delivery marks rows delivered too, and must purge (or keep) the sealed blob
# exactly as `[sync] personal_retention_h` says, although only the agent reads that key.
PERSONAL_RETENTION_KEY = "personal_retention_s"
BUSY_TIMEOUT_MS = 15_000  # three processes share the file; a writer holds it for milliseconds

_c = Counter.__table__


class StoreError(Exception):
    """Root of the store's errors."""


class StoreWriteError(StoreError):
    """A write did not happen (the transaction was rolled back): I/O error, lock timeout."""


class StoreFullError(StoreWriteError):
    """The disk (or the database's size limit) is full."""


class NotEnrolledError(StoreError):
    """Personal data cannot be accepted before the terminal holds the hub's public key."""


# The event counter's step of every press and submission, as a plain SQLite statement.
NEXT_SQL = ("INSERT INTO counters(name, value) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value")


# The next event seq of a press or submission, read, not written (decided 2026-12-03): the outbox
# row's id is its seq, one above the newest row and above the floor `purge` records in
# counters('event') before it deletes delivered rows — so a press writes exactly one row, and seqs
# never go back, not even after the newest rows were purged. (Stores written before kept a
# separate counter; its value is that floor, and the first new seq is above both.)
NEXT_EVENT_SQL = ("SELECT max(coalesce((SELECT max(id) FROM outbox), 0), "
                  "coalesce((SELECT value FROM counters WHERE name = 'event'), 0)) + 1")
# Before deleting outbox rows: the floor of the next seq, so a purge never lets a seq come again.
EVENT_FLOOR_SQL = ("INSERT INTO counters(name, value) VALUES ('event', (SELECT coalesce(max(id), 0) FROM outbox)) "
                   "ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)")


def driver(conn: Connection | sqlite3.Connection) -> sqlite3.Connection:
    """The sqlite3 connection under an SQLAlchemy one (in the same transaction), or itself."""
    return conn if isinstance(conn, sqlite3.Connection) else conn.connection.driver_connection


def now_local() -> datetime:
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
    def _on_connect(dbapi_conn, _record) -> None:
        _apply_pragmas(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock at BEGIN, so two processes never deadlock upgrading a read
        # lock; readers use a deferred BEGIN and never wait for a writer (WAL).
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


class StoreEngine:
    """The terminal's database under `data_dir`, opened (and migrated) on construction: the
    base of `Store`, whose other parts (`records`, `outbox`, `terminal_state`) add its methods.

    Safe to use from several threads and from several processes at once. Every public
    method is one short transaction; none holds a lock across anything slow.
    """

    def __init__(self, data_dir: str | os.PathLike[str], *, personal_retention_s: float | None = None,
                 delivered_retention_s: float = 30 * 24 * 3600) -> None:
        self.data_dir = Path(data_dir)
        # Group-shared (kiosk, feedback terminal and agent may run as different users of
        # one group); never world-readable. The hub token is not in it (token_file.py).
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

    def __enter__(self) -> "StoreEngine":
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
        # Copy the WAL back and truncate it: pages from before a migration (0003 dropped the
        # token column) do not stay in the -wal file.
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as exc:  # another process reading: it is truncated later
            log.info("store %s: WAL not truncated after the migration: %s", self.path, exc)
        finally:
            raw.close()
        log.info("store %s migrated to %s", self.path, ",".join(sorted(heads)))

    # --- settings and counters --------------------------------------------------------

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

    @staticmethod
    def _next_event(conn: Connection | sqlite3.Connection) -> int:
        """The seq (and outbox row id) of the next press or submission, inside its write transaction."""
        return driver(conn).execute(NEXT_EVENT_SQL).fetchone()[0]

    @staticmethod
    def _next(conn: Connection, name: str) -> int:
        # one statement on the driver's own connection (inside SQLAlchemy's transaction):
        # it runs in every press's transaction
        return driver(conn).execute(NEXT_SQL, (name,)).fetchone()[0]
