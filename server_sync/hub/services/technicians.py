"""Technicians' credentials for the kiosks' maintenance mode: badge (keyed hash) and PIN (Argon2id).

The hub keeps only hashes; every kiosk receives the active list with its heartbeat answer
(`HeartbeatResponse.technicians`), so withdrawing a technician reaches the fleet within a heartbeat.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import TechnicianCredential
from server_sync.protocol import TechnicianCredentialWire
from server_sync.protocol.common import nfc

PIN = re.compile(r"^[0-9]{6,12}$")
BADGE_UID = re.compile(r"^[0-9A-F]{4,40}$")  # hex digits after normalising ("04:A3:B2:C1")


class TechnicianError(ValueError):
    """`field`: which input is wrong ('name', 'badge', 'pin') and `code` why ('invalid', 'exists')."""

    def __init__(self, field: str, code: str = "invalid"):
        super().__init__(f"{field}: {code}")
        self.field, self.code = field, code


def normal_name(name: str) -> str:
    name = " ".join(nfc(name or "").split())
    if not name or len(name) > 120 or "\x00" in name:
        raise TechnicianError("name")
    return name


def normal_badge(uid: str) -> str | None:
    """A badge UID as readers give it, upper-case hex without separators; None when empty."""
    uid = "".join(ch for ch in (uid or "").upper() if ch.isalnum())
    if not uid:
        return None
    if not BADGE_UID.fullmatch(uid):
        raise TechnicianError("badge")
    return uid


def check_pin(pin: str) -> str:
    if not PIN.fullmatch(pin or ""):
        raise TechnicianError("pin")
    return pin


def add(*, session: Session, name: str, badge_hash: str | None, pin_hash: str,
        created_by: str | None) -> TechnicianCredential:
    """Add a technician (hashes made by the caller, outside the transaction: Argon2id is slow)."""
    name = normal_name(name)
    if session.scalar(select(TechnicianCredential.id).where(TechnicianCredential.name == name)) is not None:
        raise TechnicianError("name", "exists")
    if badge_hash and session.scalar(select(TechnicianCredential.id)
                                     .where(TechnicianCredential.badge_hash == badge_hash)) is not None:
        raise TechnicianError("badge", "exists")
    row = TechnicianCredential(name=name, badge_hash=badge_hash, pin_hash=pin_hash, created_at=utcnow(),
                               created_by=created_by)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:  # a concurrent add of the same name or badge
        raise TechnicianError("name", "exists") from exc
    return row


def disable(*, session: Session, technician_id: int) -> TechnicianCredential | None:
    """Withdraw a technician; None when no such technician. Idempotent. The badge hash goes too, so
    the badge can be given to someone else."""
    row = session.get(TechnicianCredential, technician_id)
    if row is None:
        return None
    if row.disabled_at is None:
        row.disabled_at = utcnow()
        row.badge_hash = None
    return row


def list_all(*, session: Session) -> list[TechnicianCredential]:
    return list(session.scalars(select(TechnicianCredential)
                                .order_by(TechnicianCredential.disabled_at.is_not(None), TechnicianCredential.name)))


def active_wire(*, session: Session | Connection) -> list[TechnicianCredentialWire]:
    """The active technicians as kiosks receive them (a Session or, on the heartbeat path, a Connection)."""
    rows = session.execute(select(TechnicianCredential.name, TechnicianCredential.badge_hash,
                                  TechnicianCredential.pin_hash)
                           .where(TechnicianCredential.disabled_at.is_(None))
                           .order_by(TechnicianCredential.id).limit(1000))
    return [TechnicianCredentialWire(name=r.name, badge_hash=r.badge_hash, pin_hash=r.pin_hash) for r in rows]
