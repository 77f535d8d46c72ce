"""Staff accounts, their roles and web sessions, login throttling, and the audit log.

Passwords are Argon2id (`security.hash_password`); a hash is never computed inside a database
transaction (it takes ~0.1 s and must not hold SQLite's write lock): callers hash first, or use
`check_password` between two short transactions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import AuditEntry, AuthFailure, StaffSession, StaffUser
from server_sync.hub.security import hash_password, password_needs_rehash, token_hash, verify_password
from server_sync.protocol.common import nfc


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    CLERK = "clerk"
    TECHNICIAN = "technician"


class StaffError(ValueError):
    """A refused staff change, with a message fit for the page or the console."""


_DUMMY = hash_password("no-such-user-dummy")


def normal_username(username: str) -> str:
    username = nfc(username).strip()
    if not username or len(username) > 64 or not username.isprintable() or " " in username:
        raise StaffError("username: 1–64 printable characters without spaces")
    return username


def check_password_rules(password: str) -> str:
    password = nfc(password)  # "й" typed composed or not is one password
    if len(password) < 10:
        raise StaffError("password: at least 10 characters")
    if len(password) > 200 or "\x00" in password:
        raise StaffError("password: at most 200 characters")
    return password


def _units(units: list[str] | None) -> list[str] | None:
    cleaned = sorted({u.strip() for u in units or [] if u.strip()})
    for unit in cleaned:
        if len(unit) > 64:
            raise StaffError(f"unit: {unit[:20]!r}… is too long")
    return cleaned or None


def find_user(session: Session, username: str) -> StaffUser | None:
    return session.scalars(select(StaffUser).where(StaffUser.username == nfc(username).strip())).first()


def add_user(*, session: Session, username: str, password_hash: str, role: Role | str,
             units: list[str] | None = None, full_name: str | None = None, reset: bool = False) -> StaffUser:
    """Create a staff user (or, with `reset`, set an existing one's password, role and units)."""
    username = normal_username(username)
    role = Role(role)
    user = find_user(session, username)
    if user is not None and not reset:
        raise StaffError(f"username: {username!r} already exists")
    if user is None:
        user = StaffUser(username=username, created_at=utcnow(), password_hash="")
        session.add(user)
    user.password_hash = password_hash
    user.role = role.value
    user.units = _units(units) if role == Role.CLERK else None
    user.full_name = (nfc(full_name).strip()[:120] or None) if full_name else user.full_name
    user.disabled = False
    session.flush()
    return user


def create_admin(*, session: Session, username: str, password: str) -> StaffUser:
    """Create an administrator, or set a new password when the user exists (the console's rescue)."""
    password = check_password_rules(password)
    return add_user(session=session, username=username, password_hash=hash_password(password),
                    role=Role.ADMINISTRATOR, reset=True)


def set_disabled(*, session: Session, username: str, disabled: bool) -> StaffUser:
    """Disable (every session of the user ends at once) or enable a staff user."""
    user = find_user(session, username)
    if user is None:
        raise StaffError(f"no staff user {username!r}")
    user.disabled = disabled
    if disabled:
        end_sessions(session=session, user_id=user.id)
    session.flush()
    return user


def active_administrators(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.role == Role.ADMINISTRATOR.value, StaffUser.disabled.is_(False))) or 0


def list_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


# --- login ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Throttle:
    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


class LoginThrottled(Exception):
    def __init__(self, retry_after_s: int):
        super().__init__(f"too many failed logins; retry in {retry_after_s} s")
        self.retry_after_s = retry_after_s


def _wait_for(session: Session, scope: str, key: str, limit: int, window: timedelta, now: datetime) -> int:
    """Seconds until `scope/key` may try again (0: now)."""
    since = now - window
    rows = session.scalars(select(AuthFailure.at).where(AuthFailure.scope == scope, AuthFailure.key == key,
                                                        AuthFailure.at > since)
                           .order_by(AuthFailure.at.desc()).limit(limit)).all()
    if len(rows) < limit:
        return 0
    return max(1, int((rows[-1] + window - now).total_seconds()) + 1)


def check_throttle(*, session: Session, username: str, address: str, throttle: Throttle) -> None:
    now = utcnow()
    wait = max(_wait_for(session, "staff_user", token_hash(nfc(username).strip())[:64], throttle.per_account,
                         throttle.window, now),
               _wait_for(session, "staff_addr", address[:64], throttle.per_address, throttle.window, now))
    if wait:
        raise LoginThrottled(wait)


def _serialise(session: Session, key: str) -> None:
    """On PostgreSQL, one attempt per account (and per address) at a time; SQLite's BEGIN IMMEDIATE
    already serialises every writing transaction."""
    if session.get_bind().dialect.name == "postgresql":
        lock = int.from_bytes(hashlib.sha256(f"staff-login:{key}".encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": lock})


def note_failure(*, session: Session, username: str, address: str) -> list[int]:
    now = utcnow()
    rows = [AuthFailure(scope="staff_user", key=token_hash(nfc(username).strip())[:64], at=now),
            AuthFailure(scope="staff_addr", key=address[:64], at=now)]
    session.add_all(rows)
    # Old failures are of no use to any window: keep the table small.
    session.execute(delete(AuthFailure).where(AuthFailure.scope.in_(("staff_user", "staff_addr")),
                                              AuthFailure.at < now - timedelta(days=1)))
    session.flush()
    return [row.id for row in rows]


def reserve_attempt(*, session: Session, username: str, address: str, throttle: Throttle) -> list[int]:
    """In a writing transaction the caller commits at once, before the password is checked: refuse the
    attempt (LoginThrottled) or count it as a failure now; `take_back_attempt` after a right password."""
    _serialise(session, "user:" + token_hash(nfc(username).strip())[:64])
    _serialise(session, "addr:" + address[:64])
    check_throttle(session=session, username=username, address=address, throttle=throttle)
    return note_failure(session=session, username=username, address=address)


def take_back_attempt(*, session: Session, attempt: list[int]) -> None:
    """A right password: its reserved attempt was no failure (the account's earlier ones stay counted)."""
    session.execute(delete(AuthFailure).where(AuthFailure.id.in_(attempt)))


def check_password(*, stored_hash: str | None, password: str) -> bool:
    """Outside any transaction: the hash is slow by design. A missing user costs the same time."""
    return verify_password(nfc(password), stored_hash or _DUMMY) and stored_hash is not None


def check_login(*, session: Session, username: str, password: str) -> StaffUser | None:
    """One call for the console and Basic auth: the user when name and password match and it is enabled."""
    user = find_user(session, username) if len(username) <= 64 else None
    ok = check_password(stored_hash=user.password_hash if user else None, password=password)
    return user if ok and user is not None and not user.disabled else None


def rehash_if_needed(*, session: Session, user_id: int, password: str, stored_hash: str) -> None:
    """After a successful login with an older hash: store an Argon2id one (hash computed by the caller's
    thread before this short transaction writes it)."""
    if password_needs_rehash(stored_hash):
        session.execute(update(StaffUser).where(StaffUser.id == user_id, StaffUser.password_hash == stored_hash)
                        .values(password_hash=hash_password(nfc(password))))


# --- web sessions ---------------------------------------------------------------------------------


def open_session(*, session: Session, user_id: int, address: str | None) -> tuple[str, StaffSession]:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = StaffSession(token_hash=token_hash(token), user_id=user_id, csrf_token=secrets.token_urlsafe(32),
                       created_at=now, last_seen_at=now, address=(address or "")[:64] or None)
    session.add(row)
    session.flush()
    return token, row


def session_user(*, session: Session, token: str, idle: timedelta, absolute: timedelta
                 ) -> tuple[StaffSession, StaffUser] | None:
    """The live session and its enabled user for a cookie token; None when unknown, ended or expired."""
    if not token or len(token) > 100:
        return None
    row = session.execute(select(StaffSession, StaffUser).join(StaffUser, StaffUser.id == StaffSession.user_id)
                          .where(StaffSession.token_hash == token_hash(token))).first()
    if row is None:
        return None
    staff_session, user = row
    now = utcnow()
    if (staff_session.revoked_at is not None or user.disabled or now - staff_session.last_seen_at > idle
            or now - staff_session.created_at > absolute):
        return None
    return staff_session, user


def touch(*, session: Session, token: str) -> None:
    session.execute(update(StaffSession).where(StaffSession.token_hash == token_hash(token))
                    .values(last_seen_at=utcnow()))


def end_session(*, session: Session, token: str) -> None:
    session.execute(update(StaffSession).where(StaffSession.token_hash == token_hash(token),
                                               StaffSession.revoked_at.is_(None)).values(revoked_at=utcnow()))


def end_sessions(*, session: Session, user_id: int) -> None:
    session.execute(update(StaffSession).where(StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


# --- audit log ------------------------------------------------------------------------------------


def audit(session: Session, *, actor: str | None, action: str, target: str | None = None,
          detail: dict[str, Any] | None = None, address: str | None = None) -> None:
    """Append one entry; nothing in the hub updates or deletes these rows."""
    session.add(AuditEntry(at=utcnow(), actor=actor, action=action, target=(target or None) and target[:200],
                           detail=detail or None, address=(address or "")[:64] or None))


def audit_page(session: Session, *, actor: str | None = None, action: str | None = None,
               before_id: int | None = None, limit: int = 100) -> list[AuditEntry]:
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor:
        q = q.where(AuditEntry.actor == actor)
    if action:
        q = q.where(AuditEntry.action == action)
    if before_id:
        q = q.where(AuditEntry.id < before_id)
    return list(session.scalars(q))
