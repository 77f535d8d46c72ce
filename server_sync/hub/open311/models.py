"""Tables of the Open311 interface: API keys of the Open311 clients (hashed), and an index on status
changes by time (the servicerequestupdates feed reads a time window of them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server_sync.hub.db import Base, UTCDateTime
from server_sync.hub.models import StatusChange

__all__ = ["Open311Key"]


class Open311Key(Base):
    """An Open311 client's API key: only its SHA-256 is kept (the key is 256 random bits).

    `window_start`/`window_count` count the client's POSTs in the current rate-limit window, in the
    database, so several hub processes share one limit."""

    __tablename__ = "open311_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_count: Mapped[int] = mapped_column(Integer, default=0)


# The updates feed (servicerequestupdates) asks for the status changes of a time window.
Index("ix_status_changes_at", StatusChange.at)
