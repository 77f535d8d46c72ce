"""Tables of the terminal store (SQLAlchemy 2 declarative); Alembic migrations mirror them."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CatalogueCache(Base):
    """One row (id = 1): the last catalogue pulled from the hub, replaced in one transaction."""

    __tablename__ = "catalogue_cache"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(128))
    etag: Mapped[str | None] = mapped_column(String(256))
    body: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[float] = mapped_column(Float)


class Counter(Base):
    """Named monotonic counters: event seq, provisional reference, heartbeat seq."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Outbox(Base):
    """Everything still to tell the hub, and (for a retention window) what it was told."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # press | service_request | signal | support
    payload: Mapped[str] = mapped_column(Text)  # the non-personal JSON part
    sealed: Mapped[str | None] = mapped_column(Text)  # applicant sealed to the hub's key
    terminal_time: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[float] = mapped_column(Float)  # epoch seconds, for the oldest-age figure
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|delivered|rejected
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Float, default=0.0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[float] = mapped_column(Float, default=0.0)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[float | None] = mapped_column(Float)
    delivered_epoch: Mapped[str | None] = mapped_column(String(64))
    hub_number: Mapped[str | None] = mapped_column(String(64))
    hub_tracking_code: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_outbox_pending", "state", "kind", "seq"),
        Index("ix_outbox_delivered_at", "delivered_at"),
    )


class SubmissionRow(Base):
    """A request or signal filed here; holds no personal data."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    provisional_ref: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[str | None] = mapped_column(String(64))  # service, category or consultation
    seq: Mapped[int] = mapped_column(Integer)
    terminal_time: Mapped[str] = mapped_column(String(40))
    number: Mapped[str | None] = mapped_column(String(64))
    tracking_code: Mapped[str | None] = mapped_column(String(64))


class IdentityRow(Base):
    """One row (id = 1): who this terminal is to the hub."""

    __tablename__ = "identity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    # (the hub token is not here: it is in <data_dir>/hub-token, see store/token_file.py)
    hub_url: Mapped[str] = mapped_column(String(512))
    hub_public_key: Mapped[str] = mapped_column(String(128))
    hub_epoch: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[float] = mapped_column(Float)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncStateRow(Base):
    """One row (id = 1): what the agent last saw of the hub; read by status and maintenance mode."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_contact_at: Mapped[float | None] = mapped_column(Float)  # any valid hub answer
    last_sync_at: Mapped[float | None] = mapped_column(Float)  # last successful delivery/pull
    last_heartbeat_at: Mapped[float | None] = mapped_column(Float)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[float | None] = mapped_column(Float)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    hub_last_seq: Mapped[int | None] = mapped_column(Integer)


class DeviceHealthRow(Base):
    """Latest state of each device, written by the terminal apps, sent in heartbeats."""

    __tablename__ = "device_health"
    device: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[float] = mapped_column(Float)


class ErrorLog(Base):
    """The last few errors of any terminal process (bounded), for heartbeats and maintenance."""

    __tablename__ = "error_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(300))
