"""Helpers for the staff web's tests: staff users, logging in through the login form, CSRF tokens."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from server_sync.hub.security import hash_password
from server_sync.hub.services import staff as staff_service

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_staff(hub, username: str, role: str, *, units: list[str] | None = None, password: str = PASSWORD) -> None:
    password_hash = hash_password(password)
    with hub.sessions.begin() as s:
        staff_service.add_user(session=s, username=username, password_hash=password_hash, role=role, units=units)


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD, *, expect: int = 303):
    page = client.get("/admin/login")
    assert page.status_code == 200, page.text
    r = client.post("/admin/login", data={"username": username, "password": password, "csrf": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == expect, r.text[:500]
    return r


def staff_client(app, hub, username: str, role: str, *, units: list[str] | None = None) -> TestClient:
    """A new browser (its own cookie jar) logged in as a new staff member of `role`."""
    add_staff(hub, username, role, units=units)
    c = TestClient(app, raise_server_exceptions=False)
    login(c, username)
    return c


def page_csrf(client: TestClient, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    return csrf_of(r.text)
