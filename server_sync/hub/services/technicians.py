"""Technicians' credentials for the kiosks' maintenance mode: badge (keyed hash) and PIN (Argon2id).

The hub keeps only hashes; a kiosk receives the active list with its heartbeat answer
(`HeartbeatResponse.technicians`) whenever the list differs from the one it holds (its
`technicians_version`), so withdrawing a technician reaches the fleet within a heartbeat.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, and_, func, or_, select
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
    """6–12 digits, and not one a thief tries first: one digit repeated (111111), a run up or down
    (123456, 987654), or a short block repeated (121212, 123123)."""
    if not PIN.fullmatch(pin or ""):
        raise TechnicianError("pin")
    if guessable_pin(pin):
        raise TechnicianError("pin", "guessable")
    return pin


def guessable_pin(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    if len(steps) == 1 and steps <= {0, 1, -1}:
        return True  # 111111, 123456, 654321
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) for size in (2, 3, 4))


def add(*, session: Session, name: str, badge_hash: str | None, pin_hash: str,
        created_by: str | None, office_id: str | None = None) -> TechnicianCredential:
    """Add a technician (hashes made by the caller, outside the transaction: Argon2id is slow), for
    the kiosks of one office or, with no office, of every office."""
    name = normal_name(name)
    if session.scalar(select(TechnicianCredential.id).where(TechnicianCredential.name == name,
                                                            TechnicianCredential.disabled_at.is_(None))) is not None:
        raise TechnicianError("name", "exists")
    if badge_hash and session.scalar(select(TechnicianCredential.id)
                                     .where(TechnicianCredential.badge_hash == badge_hash)) is not None:
        raise TechnicianError("badge", "exists")
    row = TechnicianCredential(name=name, badge_hash=badge_hash, pin_hash=pin_hash, created_at=utcnow(),
                               created_by=created_by, office_id=office_id or None)
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


def held_by(*, session: Session, office_id: str | None, last_heartbeat_at) -> list[str]:
    """The technicians still active whose badge and PIN hashes a kiosk of `office_id` held: those of
    its office and of every office added before its last heartbeat (the last list it can have got).
    A lost or stolen kiosk gives them away to whoever takes it apart: their PINs should change."""
    if last_heartbeat_at is None:
        return []
    tc = TechnicianCredential.__table__
    return list(session.scalars(select(tc.c.name).where(tc.c.disabled_at.is_(None), visible_to(office_id),
                                                        tc.c.created_at <= last_heartbeat_at).order_by(tc.c.name)))


def list_all(*, session: Session) -> list[TechnicianCredential]:
    return list(session.scalars(select(TechnicianCredential)
                                .order_by(TechnicianCredential.disabled_at.is_not(None), TechnicianCredential.name)))


# What identifies a kiosk's list — the active technicians of its office and of every office: (the
# newest such technician's id, how many of them are active). Technicians are only added (a new,
# higher id) and withdrawn (one fewer active), never edited (their office included), re-enabled or
# deleted, so two lists of one office with the same pair are the same list — within one hub epoch:
# a restore from a backup starts a new epoch, and the version a kiosk holds names it. No clock in it:
# a hub clock set back cannot make a changed list look unchanged. Two small aggregates a heartbeat
# reads beside its own statement, where the list itself is hundreds of rows.
ListVersion = tuple[int, int]
# Per engine (one per hub; several in the tests) → (version, office) → list, as the answer carries
# it (built once: kiosks that do not send their version get the whole list on every heartbeat).
_lists: WeakKeyDictionary[Engine, dict[tuple[ListVersion, str | None], list[TechnicianCredentialWire]]] = \
    WeakKeyDictionary()


def visible_to(office_id):
    """The technicians a kiosk of `office_id` (a value, a bind parameter or a column) receives: those
    of its office and those of every office. A kiosk enrolled without an office gets the latter."""
    tc = TechnicianCredential.__table__
    return or_(tc.c.office_id.is_(None), tc.c.office_id == office_id)


def active_list(conn: Connection, version: ListVersion,
                office_id: str | None = None) -> tuple[ListVersion, list[TechnicianCredentialWire]]:
    """The active technicians a kiosk of `office_id` receives, oldest first, and the version they
    are: from this process's cache when `version` was read before for that office, else read — the
    list and its version in one statement, so the two always belong together."""
    known = _lists.setdefault(conn.engine, {})
    hit = known.get((version, office_id))
    if hit is not None:
        return version, hit
    tc = TechnicianCredential.__table__
    visible = visible_to(office_id)
    now = select(func.coalesce(func.max(tc.c.id), 0).label("added"),
                 func.count().filter(tc.c.disabled_at.is_(None)).label("active")).where(visible).subquery()
    rows = conn.execute(select(now.c.added, now.c.active, tc.c.name, tc.c.badge_hash, tc.c.pin_hash)
                        .select_from(now.outerjoin(tc, and_(tc.c.disabled_at.is_(None), visible)))
                        .order_by(tc.c.id).limit(1000)).all()
    fetched = (rows[0].added, rows[0].active)
    listed = [TechnicianCredentialWire(name=r.name, badge_hash=r.badge_hash, pin_hash=r.pin_hash)
              for r in rows if r.name is not None]
    if len(known) >= 64:
        known.clear()
    known[(fetched, office_id)] = listed
    return fetched, listed


def wire_version(version: ListVersion, hub_epoch: str, badge_key: str, office_id: str | None = None) -> str:
    """The version a kiosk holds and sends back (`technicians_version`): the list's version, the
    hub's epoch, its badge key (a fingerprint: the key's hashes are in the list) and the office whose
    list it is (the same pair is another list in another office)."""
    added, active = version
    return f"{_fingerprint(hub_epoch, badge_key, office_id or '')}-{added}-{active}"


@cache
def _fingerprint(hub_epoch: str, badge_key: str, office_id: str = "") -> str:
    scope = f":{office_id}" if office_id else ""  # unchanged for hubs whose technicians have no office
    return hashlib.sha256(f"{hub_epoch}:{badge_key}{scope}".encode()).hexdigest()[:12]
