"""Open311 clients' API keys: created by an administrator (page or CLI), shown once, kept as SHA-256;
revoked by name. POSTs are counted per key in a fixed window kept in the key's row."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.open311.models import Open311Key
from server_sync.protocol.common import nfc

PREFIX = "o311_"


class Open311KeyError(ValueError):
    """`code`: 'invalid' (the name), 'exists', 'not_found'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def normal_name(name: str) -> str:
    name = " ".join(nfc(name or "").split())
    if not name or len(name) > 120 or any(ord(ch) < 32 for ch in name):
        raise Open311KeyError("invalid")
    return name


def create(*, session: Session, name: str, created_by: str | None) -> tuple[Open311Key, str]:
    """A new key for the client `name`: returns the row and the key (never stored, shown once)."""
    name = normal_name(name)
    if session.scalar(select(Open311Key.id).where(Open311Key.name == name)) is not None:
        raise Open311KeyError("exists")
    key = PREFIX + secrets.token_urlsafe(32)
    row = Open311Key(name=name, key_hash=key_hash(key), created_at=utcnow(), created_by=created_by, window_count=0)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:  # created concurrently
        raise Open311KeyError("exists") from exc
    return row, key


def revoke(*, session: Session, name: str | None = None, key_id: int | None = None) -> Open311Key:
    """Revoke a key by name or id (idempotent); Open311KeyError('not_found') when there is none."""
    if key_id is not None:
        row = session.get(Open311Key, key_id)
    else:
        row = session.scalars(select(Open311Key).where(Open311Key.name == normal_name(name or ""))).first()
    if row is None:
        raise Open311KeyError("not_found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_all(*, session: Session) -> list[Open311Key]:
    return list(session.scalars(select(Open311Key).order_by(Open311Key.revoked_at.is_not(None), Open311Key.name)))


@dataclass
class Admission:
    """The outcome of presenting a key for a POST."""

    status: int  # 200 admitted, 403 missing/bad/revoked key, 429 over the limit
    name: str | None = None
    retry_after: int = 0


def admit(*, session: Session, key: str | None, limit: int, window: timedelta,
          now: datetime | None = None) -> Admission:
    """Check the key and count one POST in its window (the row locked until the caller commits: run
    this in its own transaction, committed before the request is filed, so refused and failed POSTs
    count too and parallel POSTs cannot overrun the limit)."""
    if not key or len(key) > 200:
        return Admission(403)
    row = session.scalars(select(Open311Key).where(Open311Key.key_hash == key_hash(key))
                          .with_for_update().execution_options(populate_existing=True)).first()
    if row is None or row.revoked_at is not None:
        return Admission(403)
    now = now or utcnow()
    if row.window_start is None or now - row.window_start >= window or now < row.window_start:
        row.window_start, row.window_count = now, 0
    if row.window_count >= limit:
        left = window - (now - row.window_start)
        return Admission(429, row.name, max(1, int(left.total_seconds() + 0.999)))
    row.window_count += 1
    row.last_used_at = now
    return Admission(200, row.name)
