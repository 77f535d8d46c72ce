"""Staff accounts (scrypt-hashed passwords) for the staff API and, later, the admin pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import StaffUser
from server_sync.hub.security import hash_secret, verify_secret
from server_sync.protocol.common import nfc

_DUMMY = hash_secret("no-such-user")


def create_admin(*, session: Session, username: str, password: str) -> StaffUser:
    """Create the user, or set a new password when it exists."""
    username = nfc(username)
    if not username or len(username) > 64 or not username.isprintable() or " " in username:
        raise ValueError("username: 1–64 printable characters without spaces")
    if len(password) < 10:
        raise ValueError("password: at least 10 characters")
    user = session.scalars(select(StaffUser).where(StaffUser.username == username)).first()
    if user is None:
        user = StaffUser(username=username, created_at=utcnow(), password_hash="")
        session.add(user)
    user.password_hash = hash_secret(nfc(password))  # "й" typed composed or not is one password
    user.disabled = False
    session.flush()
    return user


def check_login(*, session: Session, username: str, password: str) -> StaffUser | None:
    username = nfc(username)
    user = session.scalars(select(StaffUser).where(StaffUser.username == username)).first()
    ok = verify_secret(nfc(password), user.password_hash if user else _DUMMY)
    return user if ok and user is not None and not user.disabled else None
