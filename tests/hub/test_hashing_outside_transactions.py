"""Password and access-code hashing never runs inside a database transaction. While each
slow hash runs, another connection must be able to take SQLite's write lock at once (a terminal's
upload would otherwise wait behind every wrong password)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url

from server_sync.hub.security import verify_password, verify_secret
from server_sync.hub.services import citizens as citizen_service
from server_sync.hub.services import staff as staff_service

from .test_citizens import citizen, session_body


@pytest.fixture
def probe(hub, monkeypatch):
    """Replaces the slow checks with ones that first try the write lock from another connection."""
    if hub.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    path = make_url(hub.settings.effective_database_url).database
    seen: list[bool] = []

    def lock_free() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:  # database is locked
            return False
        finally:
            other.close()

    def password(secret, stored):
        seen.append(lock_free())
        return verify_password(secret, stored)

    def secret(secret, stored):
        seen.append(lock_free())
        return verify_secret(secret, stored)

    monkeypatch.setattr(staff_service, "verify_password", password)
    monkeypatch.setattr(citizen_service, "verify_secret", secret)
    return seen


def test_staff_passwords_are_checked_outside_transactions(client, hub, probe):
    with hub.sessions.begin() as s:
        staff_service.create_admin(session=s, username="admin", password="correct horse battery")
    for password in ("wrong password", "correct horse battery"):
        client.get("/api/v1/feedback/summary", auth=("admin", password))
        client.cookies.clear()
        client.get("/admin/login")
        client.post("/admin/login", data={"username": "admin", "password": password,
                                          "csrf": client.cookies.get("eob_login_csrf", "")})
    assert len(probe) == 4 and all(probe), probe


def test_citizen_access_codes_are_checked_outside_transactions(client, hub, kiosk, probe):
    citizen(hub)
    assert client.post("/api/v1/citizens/session", json=session_body(code="0000"),
                       headers=kiosk["headers"]).status_code == 401
    assert client.post("/api/v1/citizens/session", json=session_body(), headers=kiosk["headers"]).status_code == 201
    assert len(probe) == 2 and all(probe), probe
