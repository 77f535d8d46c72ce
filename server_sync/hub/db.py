"""Database plumbing: declarative base, UTC datetimes, engines for SQLite and PostgreSQL, migrations."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timezone
from importlib import resources
from weakref import WeakKeyDictionary

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no tz support) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _private_database_file(url: str) -> None:
    """Create the SQLite file 0600 before SQLite does (it would follow the umask): personal data and
    hashes live in it, and SQLite gives its -wal and -shm files the database file's permissions."""
    import os

    from sqlalchemy.engine import make_url

    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def make_engine(url: str, *, reads_only: bool = False, heartbeats: bool = False) -> Engine:
    """The hub's engine. `reads_only` (SQLite): an engine for sessions that only read — their
    transactions begin DEFERRED, so in WAL mode they read a snapshot beside the one writer and never
    take (or wait for) the write lock that every other transaction takes up front."""
    if url.startswith("sqlite"):
        _private_database_file(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy own transactions; WAL lets readers run beside the one writer.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk when the answer leaves. With NORMAL a power cut can undo the
            # last commits after their 201 went out; the rolled-back counter then gives an incoming
            # number already printed on a receipt to the next request.
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        if reads_only:
            @event.listens_for(engine, "begin")
            def _sqlite_begin_reads(conn):
                conn.exec_driver_sql("BEGIN")

            return engine
        writer = ProcessWriter(engine)

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # IMMEDIATE takes the write lock up front: a read-then-write transaction
            # (idempotency check, then the number counter) can never fail to upgrade. This process's
            # threads take turns before it (ProcessWriter), so none of them meets SQLite's busy wait.
            writer.enter(conn.connection)
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                writer.leave(conn.connection)
                raise

        return engine
    if heartbeats:
        # PostgreSQL, the heartbeats' pool: each heartbeat is one statement in autocommit (its own
        # transaction), committed without waiting for the WAL flush (synchronous_commit=off on these
        # connections only: a database crash may lose the last moment's health reports, nothing
        # else). No pre-ping round trip: a dropped connection is retried (HubContext.heartbeat_transaction).
        # All 12 kept once opened: with a pool of 4 and 8 overflow, each burst above 4 opened a new
        # connection (a new server process) and closed it again, 3 % of a worker's time under load.
        return create_engine(url, pool_size=12, max_overflow=0, isolation_level="AUTOCOMMIT",
                             connect_args={"options": "-c synchronous_commit=off"})
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class ProcessWriter:
    """One write transaction at a time among this process's threads, on a SQLite engine.

    SQLite has one writer, and a connection that finds the write lock taken waits in SQLite's busy
    handler, which sleeps in steps of up to 100 ms whether or not the lock was freed meanwhile: with
    a dozen threads writing, the rare unlucky wait was the whole p99 of a heartbeat (0.19–2.7 s
    against a median of 1–5 ms, one process, 2026-12-04). Here a thread waits on a lock that wakes it
    the moment the writer before it has committed or rolled back. Taken by the `begin` event, given
    back after the DBAPI commit or rollback (the dialect's own, wrapped) — or when the connection is
    closed or invalidated — so the next writer never meets the COMMIT in flight. Other processes on
    the same file still meet SQLite's busy handler: one process per SQLite database is the
    deployment that gets this (server_sync/hub/README.md)."""

    def __init__(self, engine: Engine, wait_s: float = 30.0) -> None:
        self._lock = threading.Lock()
        self._holder: object | None = None  # the DBAPI connection in its write transaction
        self._count = threading.Lock()
        self.waiting = 0  # threads waiting for their turn now
        self.wait_s = wait_s
        _writers[engine] = self
        dialect = engine.dialect
        commit, rollback = dialect.do_commit, dialect.do_rollback

        def do_commit(dbapi_conn) -> None:
            try:
                commit(dbapi_conn)
            finally:
                self.leave(dbapi_conn)

        def do_rollback(dbapi_conn) -> None:
            try:
                rollback(dbapi_conn)
            finally:
                self.leave(dbapi_conn)

        dialect.do_commit, dialect.do_rollback = do_commit, do_rollback
        event.listen(engine.pool, "close", lambda dbapi_conn, _record: self.leave(dbapi_conn))
        event.listen(engine.pool, "invalidate", lambda dbapi_conn, _record, _exc: self.leave(dbapi_conn))

    def enter(self, connection) -> None:
        with self._count:
            self.waiting += 1
        try:
            acquired = self._lock.acquire(timeout=self.wait_s)
        finally:
            with self._count:
                self.waiting -= 1
        if not acquired:
            # What SQLite itself says after its busy timeout: the caller's answer is unchanged.
            raise sqlite3.OperationalError(f"database is locked (waited {self.wait_s:g} s for this "
                                           "process's writer)")
        self._holder = _dbapi(connection)

    def leave(self, connection) -> None:
        raw = _dbapi(connection)
        if raw is not None and self._holder is raw:
            self._holder = None
            self._lock.release()


_writers: WeakKeyDictionary[Engine, ProcessWriter] = WeakKeyDictionary()


def writer_of(engine: Engine) -> ProcessWriter | None:
    """The ProcessWriter of a SQLite write engine (None for PostgreSQL and read-only engines)."""
    return _writers.get(engine)


def _dbapi(connection):
    # The dialect is handed the pool's proxy of a connection, the pool's events the DBAPI one.
    return getattr(connection, "dbapi_connection", connection)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# Modules declaring tables on Base; another area adds its models module here with one line.
MODEL_MODULES: list[str] = [
    "server_sync.hub.models",
    "server_sync.hub.analytics.models",
    "server_sync.hub.open311.models",
    "server_sync.hub.releases.models",
]


def load_models() -> MetaData:
    """Import every table module so Base.metadata is complete (migrations, create_all, checks)."""
    from importlib import import_module

    for dotted in MODEL_MODULES:
        import_module(dotted)
    return Base.metadata


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("server_sync.hub") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (safe when several hubs start at once on PostgreSQL)."""
    from alembic import command

    load_models()

    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(804751)"))
            conn.commit()
            try:
                command.upgrade(alembic_config(engine), "heads")
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(804751)"))
                conn.commit()
    else:
        command.upgrade(alembic_config(engine), "heads")


def create_all(engine: Engine) -> None:
    load_models().create_all(engine)
