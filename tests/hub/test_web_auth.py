"""Staff web: login, throttling, sessions (expiry, revocation), CSRF, roles on the administrator pages,
the audit log, and the staff commands of `kiosk-hub`."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server_sync.hub.app import create_app
from server_sync.hub.models import AuditEntry, StaffSession, StaffUser
from server_sync.hub.security import hash_secret

from .web_support import PASSWORD, add_staff, csrf_of, login, page_csrf, staff_client

ADMIN_PAGES = ["/admin/staff", "/admin/audit"]


@pytest.fixture
def app(hub):
    return create_app(hub.settings, context=hub)


@pytest.fixture
def browser(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def audit_actions(hub) -> list[tuple[str | None, str, str | None]]:
    with hub.sessions() as s:
        return [(e.actor, e.action, e.target) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def admin_routes():
    """Every route of every staff page module (the app holds included routers, not their routes)."""
    from importlib import import_module

    from server_sync.hub.web import PAGES

    return [route for dotted in PAGES for route in import_module(dotted).router.routes]


def test_no_page_without_login(browser, app):
    paths = sorted({r.path for r in admin_routes() if "GET" in r.methods} - {"/admin/login", "/admin/static/{name}"})
    assert "/admin/staff" in paths and len(paths) >= 3
    for path in paths:
        concrete = path.replace("{", "").replace("}", "").replace(":path", "")
        r = browser.get(concrete, follow_redirects=False)
        assert r.status_code == 303, (path, r.status_code)
        assert r.headers["location"].startswith("/admin/login?next=")
    # Every POST refuses too, and changes nothing.
    for route in admin_routes():
        if "POST" in route.methods and route.path != "/admin/login":
            concrete = route.path.replace("{", "").replace("}", "").replace(":path", "")
            r = browser.post(concrete, data={"csrf": "x"}, follow_redirects=False)
            assert r.status_code == 303 and "/admin/login" in r.headers["location"], route.path


def test_login_logout_and_the_cookie(browser, hub):
    add_staff(hub, "admin", "administrator")
    r = login(browser, "admin")
    assert r.headers["location"] == "/admin"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("eob_staff="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = browser.get("/admin/staff")
    assert page.status_code == 200 and "admin" in page.text
    assert page.headers["cache-control"] == "no-store" and "frame-ancestors 'none'" in page.headers[
        "content-security-policy"]
    r = browser.post("/admin/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert browser.get("/admin/staff", follow_redirects=False).status_code == 303
    assert [a for _, a, _ in audit_actions(hub)] == ["login", "logout"]


def test_secure_cookie_over_tls_or_behind_a_proxy_that_says_so(app, hub):
    add_staff(hub, "admin", "administrator")
    with TestClient(app, base_url="https://hub.example") as c:
        cookie = next(h for h in login(c, "admin").headers.get_list("set-cookie") if h.startswith("eob_staff="))
        assert "Secure" in cookie


def test_wrong_password_is_refused_and_logged(browser, hub):
    add_staff(hub, "admin", "administrator")
    r = login(browser, "admin", "wrong password!", expect=401)
    assert "Грешно потребителско име или парола" in r.text and 'role="alert"' in r.text
    assert ("admin", "login_failed", None) in audit_actions(hub)
    login(browser, "nobody", "whatever-long", expect=401)


def test_login_is_throttled_per_account_with_the_time_to_wait(browser, app, hub):
    add_staff(hub, "admin", "administrator")
    for _ in range(5):
        login(browser, "admin", "wrong password!", expect=401)
    r = login(browser, "admin", expect=429)  # even the right password waits now
    assert int(r.headers["retry-after"]) > 0
    assert "Опитайте отново след" in r.text and "мин." in r.text
    # Another account from another browser is not locked by it.
    add_staff(hub, "clerk", "clerk")
    with TestClient(app) as other:
        login(other, "clerk")


def test_login_is_throttled_per_client_address(hub, app):
    hub.settings.staff_login_failures_per_address = 3
    add_staff(hub, "admin", "administrator")
    with TestClient(app) as c:
        for name in ("a1xxxxxxxx", "a2xxxxxxxx", "a3xxxxxxxx"):
            login(c, name, "wrong password!", expect=401)
        login(c, "admin", expect=429)


def test_login_form_needs_its_csrf_token(browser, hub):
    add_staff(hub, "admin", "administrator")
    browser.get("/admin/login")
    r = browser.post("/admin/login", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403
    assert browser.get("/admin/staff", follow_redirects=False).status_code == 303


def test_login_redirects_back_but_never_off_site(browser, hub):
    add_staff(hub, "admin", "administrator")
    page = browser.get("/admin/login", params={"next": "/admin/audit?action=login"})
    r = browser.post("/admin/login", data={"username": "admin", "password": PASSWORD, "csrf": csrf_of(page.text),
                                           "next": "/admin/audit?action=login"}, follow_redirects=False)
    assert r.headers["location"] == "/admin/audit?action=login"
    browser.cookies.clear()
    for bad in ("//evil.example/admin", "https://evil.example", "/admin\\@evil"):
        page = browser.get("/admin/login")
        r = browser.post("/admin/login", data={"username": "admin", "password": PASSWORD,
                                               "csrf": csrf_of(page.text), "next": bad}, follow_redirects=False)
        assert r.headers["location"] == "/admin", bad
        browser.cookies.clear()


def test_session_expires_after_inactivity(browser, hub):
    add_staff(hub, "admin", "administrator")
    login(browser, "admin")
    assert browser.get("/admin/staff").status_code == 200
    with hub.sessions.begin() as s:
        for row in s.scalars(select(StaffSession)):
            row.last_seen_at -= timedelta(minutes=31)
    r = browser.get("/admin/staff", follow_redirects=False)
    assert r.status_code == 303 and "/admin/login" in r.headers["location"]


def test_disabling_a_user_ends_their_sessions(app, hub):
    admin = staff_client(app, hub, "admin", "administrator")
    clerk = staff_client(app, hub, "ivana", "clerk")
    assert clerk.get("/admin/", follow_redirects=False).status_code == 303  # to the clerk's start page
    token = page_csrf(admin, "/admin/staff")
    # Not on a stray click: it logs the person out mid-answer, so the box must be ticked.
    r = admin.post("/admin/staff/ivana/disable", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 422 and "Отметнете полето, за да потвърдите." in r.text
    assert "Поправете отбелязаните полета" not in r.text  # that is the add form's, untouched
    assert clerk.get("/admin/", follow_redirects=False).headers["location"] != "/admin/login"
    with hub.sessions() as s:
        assert s.scalar(select(StaffUser.disabled).where(StaffUser.username == "ivana")) is False
    r = admin.post("/admin/staff/ivana/disable", data={"csrf": token, "confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and "done=user_disabled" in r.headers["location"]
    r = clerk.get("/admin/", follow_redirects=False)
    assert r.status_code == 303 and "/admin/login" in r.headers["location"]
    login(clerk, "ivana", expect=401)  # and cannot come back
    assert ("admin", "staff_disable", "ivana") in audit_actions(hub)


def test_the_last_administrator_cannot_be_disabled_from_the_page(app, hub):
    admin = staff_client(app, hub, "admin", "administrator")
    add_staff(hub, "other", "administrator")
    token = page_csrf(admin, "/admin/staff")
    with hub.sessions.begin() as s:
        s.execute(update(StaffUser).where(StaffUser.username == "other").values(disabled=True))
    r = admin.post("/admin/staff/admin/disable", data={"csrf": token, "confirm": "yes"})
    assert r.status_code == 409 and "последният администратор" in r.text


def test_a_forged_post_without_the_csrf_token_is_refused(app, hub):
    admin = staff_client(app, hub, "admin", "administrator")
    add_staff(hub, "ivana", "clerk")
    for data in ({}, {"csrf": "forged"}):
        r = admin.post("/admin/staff/ivana/disable", data=data)
        assert r.status_code == 403 and "Формулярът е изтекъл" in r.text
        r = admin.post("/admin/staff", data={**data, "username": "intruder", "role": "administrator",
                                             "password": "0123456789ab"})
        assert r.status_code == 403
    with hub.sessions() as s:
        assert s.scalar(select(StaffUser.disabled).where(StaffUser.username == "ivana")) is False
        assert s.scalar(select(StaffUser).where(StaffUser.username == "intruder")) is None


@pytest.mark.parametrize("role", ["clerk", "technician"])
def test_only_administrators_reach_staff_and_audit_pages(app, hub, role):
    admin = staff_client(app, hub, "admin", "administrator")
    token_admin = page_csrf(admin, "/admin/staff")
    other = staff_client(app, hub, "someone", role)
    for path in ADMIN_PAGES:
        r = other.get(path)
        assert r.status_code == 403 and "Нямате достъп" in r.text, path
    token = csrf_of(other.get("/admin/staff").text)  # the 403 page carries the logout form's token
    r = other.post("/admin/staff", data={"csrf": token, "username": "mine", "role": "administrator",
                                         "password": "0123456789ab"})
    assert r.status_code == 403
    r = other.post("/admin/staff/admin/disable", data={"csrf": token})
    assert r.status_code == 403
    assert admin.get("/admin/staff").status_code == 200 and token_admin


def test_administrator_adds_a_clerk_limited_to_a_unit_who_can_then_log_in(app, hub):
    admin = staff_client(app, hub, "admin", "administrator")
    token = page_csrf(admin, "/admin/staff")
    r = admin.post("/admin/staff", data={"csrf": token, "username": "ivana", "full_name": "Ивана Петрова",
                                         "role": "clerk", "units": ["grao"], "password": "шест-букви-и-още"})
    assert r.status_code == 200 and "Служителят е добавен" in r.text  # followed the redirect
    with hub.sessions() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.username == "ivana"))
        assert (user.role, user.units, user.password_hash.startswith("$argon2id$")) == ("clerk", ["grao"], True)
    with TestClient(app) as c:
        login(c, "ivana", "шест-букви-и-още")
    assert ("admin", "staff_add", "ivana") in audit_actions(hub)


def test_a_bad_staff_form_shows_the_errors_next_to_the_fields(app, hub):
    admin = staff_client(app, hub, "admin", "administrator")
    token = page_csrf(admin, "/admin/staff")
    r = admin.post("/admin/staff", data={"csrf": token, "username": "with space", "role": "boss",
                                         "units": ["nowhere"], "password": "short"})
    assert r.status_code == 422
    for field in ("username", "role", "password"):
        assert f'aria-describedby="{field}-error"' in r.text and f'id="{field}-error"' in r.text
    assert 'role="alert"' in r.text and 'value="with space"' in r.text


def test_staff_names_are_escaped(app, hub):
    admin = staff_client(app, hub, "admin", "administrator")
    token = page_csrf(admin, "/admin/staff")
    evil = "<script>alert(1)</script>"
    admin.post("/admin/staff", data={"csrf": token, "username": "x<b>y", "full_name": evil, "role": "clerk",
                                     "password": "0123456789ab"})
    for path in ("/admin/staff", "/admin/audit"):
        text = admin.get(path).text
        assert evil not in text and "x<b>y" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in admin.get("/admin/staff").text


def test_old_scrypt_passwords_still_work_and_are_rehashed(browser, hub):
    add_staff(hub, "old", "administrator")
    with hub.sessions.begin() as s:
        s.execute(update(StaffUser).where(StaffUser.username == "old").values(password_hash=hash_secret(PASSWORD)))
    login(browser, "old")
    with hub.sessions() as s:
        assert s.scalar(select(StaffUser.password_hash).where(StaffUser.username == "old")).startswith("$argon2id$")
    browser.cookies.clear()
    login(browser, "old")  # the new hash verifies the same password


def test_pages_speak_english_on_request(app, hub):
    admin = staff_client(app, hub, "admin", "administrator")
    r = admin.get("/admin/staff", params={"lang": "en"})
    assert '<html lang="en">' in r.text and "Add a staff member" in r.text
    assert '<html lang="en">' in admin.get("/admin/audit").text  # remembered


# --- the console ------------------------------------------------------------------------------------


def run_cli(data_dir, *argv, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server_sync.hub.cli", *argv, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_staff_commands_as_a_script_calls_them(tmp_path):
    data = tmp_path / "hub"
    r = run_cli(data, "create-admin", "root", "--password-stdin", stdin="correct horse battery\n")
    assert r.returncode == 0, r.stderr
    r = run_cli(data, "staff", "add", "ivana", "--role", "clerk", "--unit", "grao", "--password-stdin",
                stdin="ивана-парола-123\n")
    assert r.returncode == 0, r.stderr
    r = run_cli(data, "staff", "add", "ivana", "--role", "clerk", "--password-stdin", stdin="ивана-парола-123\n")
    assert r.returncode == 1 and "already exists" in r.stderr
    r = run_cli(data, "staff", "add", "pesho", "--role", "clerk", "--unit", "no-such-unit", "--password-stdin",
                stdin="correct horse battery\n")
    assert r.returncode == 1 and "--unit" in r.stderr
    r = run_cli(data, "staff", "disable", "ivana")
    assert r.returncode == 0 and "disabled" in r.stdout
    r = run_cli(data, "staff", "list")
    assert "ivana" in r.stdout and "disabled" in r.stdout and "root" in r.stdout and "administrator" in r.stdout
    r = run_cli(data, "staff", "disable", "nobody")
    assert r.returncode == 1 and "nobody" in r.stderr
    # A subcommand of another module refuses with one line too (not a traceback) under `python -m`.
    r = run_cli(data, "open311-key", "revoke", "nobody")
    assert r.returncode == 1 and r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr


def test_create_admin_reads_a_password_piped_without_newline(tmp_path, monkeypatch, capsys):
    from server_sync.hub.cli import main

    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "hub"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery"))
    assert main(["create-admin", "root", "--password-stdin"]) == 0
    app = create_app(__import__("server_sync.hub.settings", fromlist=["HubSettings"]).HubSettings())
    with TestClient(app) as c:
        login(c, "root", "correct horse battery")


def test_the_staff_api_follows_roles_and_units(client, hub):
    from urllib.parse import quote

    from .conftest import enroll, signal
    from .test_requests import submit

    kiosk = enroll(client, hub)
    receipt = submit(client, kiosk, signal())
    url = f"/api/v1/requests/{quote(receipt['number'], safe='')}/status"
    add_staff(hub, "tech", "technician")
    add_staff(hub, "grao-clerk", "clerk", units=["grao"])
    add_staff(hub, "clerk", "clerk")
    body = {"status": "in_progress", "note": "Прието."}
    assert client.patch(url, json=body, auth=("tech", PASSWORD)).status_code == 403
    assert client.patch(url, json=body, auth=("grao-clerk", PASSWORD)).status_code == 404  # not their unit
    assert client.patch(url, json=body, auth=("clerk", PASSWORD)).status_code == 200
    assert client.get("/api/v1/feedback/satisfaction", auth=("clerk", PASSWORD)).status_code == 403
