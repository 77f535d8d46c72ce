"""The store's catalogue copy, the terminal's identity, device health and errors, and sync state."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from server_sync.protocol import Catalogue, DeviceHealth
from server_sync.store.engine import StoreEngine
from server_sync.store.schema import CatalogueCache, DeviceHealthRow, ErrorLog, IdentityRow, SyncStateRow
from server_sync.store.token_file import read_token, write_token

__all__ = ["Identity", "SyncState", "TerminalState", "device_health_for_store"]

MAX_ERRORS_KEPT = 20
_DEVICE_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


REASON_MAX = 300  # the wire's ShortText


def device_health_for_store(health: Any) -> DeviceHealth:
    """A device's `hardware.base.Health` (state, reason, detail) as the store keeps it and the
    heartbeat sends it: the reason cut to what the wire carries, detail values that are not
    plain scalars written as text. One conversion for every terminal app (`hardware` itself
    imports nothing from here)."""
    state = getattr(health.state, "value", health.state)
    reason = health.reason[:REASON_MAX] if health.reason else None
    detail = {str(k): v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
              for k, v in dict(health.detail or {}).items()}
    return DeviceHealth(state=state, reason=reason, detail=detail)


@dataclass(frozen=True)
class Identity:
    terminal_id: str
    kind: str
    name: str
    location: str | None
    token: str  # from <data_dir>/hub-token (token_file.py); "" where this process may not read it
    hub_url: str
    hub_public_key: str
    hub_epoch: str
    enrolled_at: float


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


class TerminalState(StoreEngine):
    """What the terminal's processes share besides the outbox (a part of `Store`)."""

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

    # --- identity ---------------------------------------------------------------------

    def identity(self) -> Identity | None:
        with self._read() as conn:
            row = conn.execute(select(IdentityRow.__table__).where(IdentityRow.id == 1)).mappings().first()
        if row is None:
            return None
        fields = {k: row[k] for k in Identity.__dataclass_fields__ if k != "token"}
        return Identity(token=read_token(self.data_dir) or "", **fields)

    def save_identity(self, identity: Identity) -> None:
        """Store (or replace, on re-enrolment) who this terminal is; clears a revoked state.
        The token goes to its own 0600 file (written first), the rest to the database."""
        t = IdentityRow.__table__
        write_token(self.data_dir, identity.token)
        values = {k: v for k, v in identity.__dict__.items() if k != "token"}
        with self._write() as conn:
            conn.execute(delete(t))
            conn.execute(insert(t).values(id=1, **values))
            self._ensure_sync_row(conn)
            conn.execute(update(SyncStateRow.__table__).values(revoked=False, revoked_reason=None))

    def update_hub_epoch(self, epoch: str) -> None:
        with self._write() as conn:
            conn.execute(update(IdentityRow.__table__).values(hub_epoch=epoch))

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
