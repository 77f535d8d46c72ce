"""What one running hub holds: settings, engine, session factory, keys, epoch, catalogue cache."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from server_sync.hub import db
from server_sync.hub.catalogue_store import SHIPPED_CATALOGUE, CatalogueCache, current_revision, import_catalogue
from server_sync.hub.models import HubState
from server_sync.hub.security import Keyring, load_keyring
from server_sync.hub.settings import HubSettings

log = logging.getLogger("server_sync.hub")
T = TypeVar("T")


@dataclass
class HubContext:
    settings: HubSettings
    engine: Engine
    sessions: sessionmaker[Session]
    keyring: Keyring
    hub_epoch: str
    catalogue: CatalogueCache = field(default_factory=CatalogueCache)
    # Sessions that only read (pages, tracking, listings): on SQLite they never hold the write lock,
    # so staff browsing a million requests cannot stall terminals' uploads. Never write through them.
    reads: sessionmaker[Session] | None = None
    read_engine: Engine | None = None
    # PostgreSQL: the heartbeats' own small pool (autocommit, asynchronous commit; see
    # `heartbeat_transaction`). Elsewhere heartbeats use `engine`.
    heartbeat_engine: Engine | None = None
    # Terminal tokens seen unrevoked lately (token hash → monotonic time until which it is taken as
    # known): the check of credentials before a route reads its body (api.deps.terminal_token).
    known_tokens: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.reads is None:
            if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
                self.read_engine = db.make_engine(self.engine.url.render_as_string(hide_password=False),
                                                  reads_only=True)
                self.reads = db.session_factory(self.read_engine)
            else:
                self.reads = self.sessions
        if self.heartbeat_engine is None and self.engine.dialect.name == "postgresql":
            self.heartbeat_engine = db.make_engine(self.engine.url.render_as_string(hide_password=False),
                                                   heartbeats=True)

    def heartbeat_transaction(self, work: Callable[[Connection], T]) -> T:
        """Run a heartbeat's statements: on PostgreSQL on the heartbeat pool, where the one statement
        is its own transaction (autocommit: no BEGIN/COMMIT round trips) and its commit does not wait
        for the WAL flush; a connection the database dropped (a restart) is retried once — a heartbeat
        that failed wrote nothing. On SQLite in an IMMEDIATE transaction of the write engine."""
        if self.heartbeat_engine is None:
            with self.engine.begin() as conn:
                return work(conn)
        for attempt in (1, 2):
            try:
                with self.heartbeat_engine.connect() as conn:
                    return work(conn)
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()
        if self.heartbeat_engine is not None:
            self.heartbeat_engine.dispose()
        if self.read_engine is not None:
            self.read_engine.dispose()


def _state(session: Session, key: str, make) -> str:
    value = session.scalar(select(HubState.value).where(HubState.key == key))
    if value is not None:
        return value
    try:
        with session.begin_nested():
            session.execute(insert(HubState).values(key=key, value=make()))
    except IntegrityError:  # another hub process won the race: use its value
        pass
    return session.scalar(select(HubState.value).where(HubState.key == key))


def open_hub(settings: HubSettings) -> HubContext:
    """Create the data dir, open and migrate the database, load or create the keys and epoch."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.effective_database_url)
    if settings.schema_setup == "alembic":
        db.migrate(engine)
    elif settings.schema_setup == "create_all":
        db.create_all(engine)
    keyring = load_keyring(settings.effective_private_key_file, settings.data_dir, settings.hmac_key)
    sessions = db.session_factory(engine)
    with sessions.begin() as session:
        # The epoch changes only with a new database: terminals compare it to notice a restore/reset.
        epoch = _state(session, "hub_epoch", lambda: "e-" + secrets.token_hex(6))
        public = _state(session, "public_key", lambda: keyring.public_key_b64)
        fingerprint = _state(session, "hmac_fingerprint", lambda: keyring.hmac_fingerprint)
        if fingerprint != keyring.hmac_fingerprint:
            raise RuntimeError(
                "HUB_HMAC_KEY / hmac.key: this ЕГН key is not the one this database was filled with; "
                "hubs sharing a database must share the key (the same ЕГН would count as a new person)")
        if public != keyring.public_key_b64:
            raise RuntimeError(
                f"{settings.effective_private_key_file}: this key does not match the database's "
                "hub key; terminals seal to the recorded key (restore the right key file)")
        if settings.import_shipped_catalogue and current_revision(session) is None and SHIPPED_CATALOGUE.exists():
            try:
                from server_sync.hub.catalogue_store import load_catalogue_path

                version = import_catalogue(session, load_catalogue_path(SHIPPED_CATALOGUE), "shipped")
                log.info("imported the shipped catalogue, version %s", version)
            except Exception as exc:
                log.error("shipped catalogue not imported: %s", exc)
    return HubContext(settings=settings, engine=engine, sessions=sessions, keyring=keyring, hub_epoch=epoch)
