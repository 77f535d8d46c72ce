"""Staff web, fleet pages: states from heartbeats, filters, counts, sorting, one terminal's page,
revocation (confirmation + CSRF), enrolment codes shown once, roles, escaping, audit."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from server_sync.hub.models import AuditEntry, EnrollmentCode, Terminal

from .conftest import enroll
from .web_support import csrf_of, page_csrf, staff_client

XSS = "<script>alert(1)</script>"


def beat(**overrides) -> dict:
    body = {
        "terminal_time": datetime.now(timezone.utc).isoformat(), "seq": 7, "software_version": "0.1.0",
        "uptime_s": 3600.5, "queue_depth": 3, "oldest_undelivered_age_s": 41.2, "disk_free_bytes": 12884901888,
        "cpu_temp_c": 52.1, "under_voltage": False, "catalogue_version": "c-old",
        "devices": {"printer": {"state": "ok", "reason": None, "detail": {"paper": "ok"}}}, "last_errors": [],
    }
    body.update(overrides)
    return body


def send_beat(client, terminal: dict, **overrides):
    r = client.post("/api/v1/terminals/heartbeat", json=beat(**overrides), headers=terminal["headers"])
    assert r.status_code == 200, r.text
    return r


def age(hub, terminal_id: str, minutes: float) -> None:
    """The terminal's last heartbeat `minutes` ago (it stopped sending)."""
    with hub.sessions.begin() as s:
        s.execute(update(Terminal).where(Terminal.id == terminal_id)
                  .values(last_heartbeat_at=datetime.now(timezone.utc) - timedelta(minutes=minutes)))


def audit_actions(hub) -> list[tuple[str | None, str, str | None]]:
    with hub.sessions() as s:
        return [(e.actor, e.action, e.target) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def row_of(page: str, terminal_id: str) -> str:
    match = re.search(rf'<tr id="terminal-{terminal_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"{terminal_id} not on the page"
    return match.group(0)


def table_ids(page: str) -> list[str]:
    return re.findall(r'<tr id="terminal-([A-Z0-9]+)"', page)


@pytest.fixture
def tech(client, hub):
    return staff_client(client.app, hub, "tech", "technician")


@pytest.fixture
def fleet(client, hub):
    """Five kiosks/feedback terminals: online, stale, offline, never reported, revoked."""
    online = enroll(client, hub, name="Фоайе")
    stale = enroll(client, hub, name="Гише 2")
    offline = enroll(client, hub, kind="feedback", name="Оценка 1")
    never = enroll(client, hub, kind="feedback", name="Оценка 2")
    revoked = enroll(client, hub, name="Стар")
    for t in (online, stale, offline, revoked):
        send_beat(client, t)
    age(hub, stale["terminal_id"], 5)
    age(hub, offline["terminal_id"], 60)
    with hub.sessions.begin() as s:
        s.execute(update(Terminal).where(Terminal.id == revoked["terminal_id"])
                  .values(revoked_at=datetime.now(timezone.utc)))
    return {"online": online, "stale": stale, "offline": offline, "never": never, "revoked": revoked}


# --- roles ---------------------------------------------------------------------------------


def test_clerk_gets_403_on_every_fleet_page_and_post(client, hub, fleet):
    clerk = staff_client(client.app, hub, "clerk", "clerk")
    kid = fleet["online"]["terminal_id"]
    for path in ("/admin/fleet", "/admin/fleet/enrol", f"/admin/fleet/{kid}"):
        assert clerk.get(path).status_code == 403, path
    csrf = csrf_of(clerk.get("/admin/fleet").text)  # the clerk's own token (the logout form has it)
    for path, data in ((f"/admin/fleet/{kid}/revoke", {"confirm": "yes"}),
                       ("/admin/fleet/enrollment-codes", {"kind": "kiosk", "name": "X"})):
        assert clerk.post(path, data={**data, "csrf": csrf}, follow_redirects=False).status_code == 403, path
    with hub.sessions() as s:
        assert s.get(Terminal, kid).revoked_at is None
        assert s.scalar(select(EnrollmentCode).where(EnrollmentCode.name == "X")) is None
    assert 'href="/admin/fleet"' not in clerk.get("/admin/fleet").text  # not in the clerk's menu


def test_not_logged_in_goes_to_login(client, fleet):
    kid = fleet["online"]["terminal_id"]
    for path in ("/admin/fleet", "/admin/fleet/enrol", f"/admin/fleet/{kid}"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/admin/login?next="), path
    r = client.post(f"/admin/fleet/{kid}/revoke", data={"confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")


def test_administrator_sees_the_fleet(client, hub, fleet):
    admin = staff_client(client.app, hub, "boss", "administrator")
    assert admin.get("/admin/fleet").status_code == 200


# --- states, counts, filters, sorting ----------------------------------------------------


def test_states_counts_and_problems_first(tech, fleet, hub):
    r = tech.get("/admin/fleet")
    assert r.status_code == 200
    page = r.text
    refreshes = ('<meta http-equiv="refresh" content="60">', 'data-refresh="60"')
    assert any(r in page for r in refreshes)  # refreshes itself (a meta refresh or admin.js)…
    assert not any(r in tech.get("/admin/fleet?refresh=off").text for r in refreshes)  # …unless paused
    assert "state-stale" in row_of(page, fleet["stale"]["terminal_id"])
    assert "state-offline" in row_of(page, fleet["offline"]["terminal_id"])
    assert "state-never" in row_of(page, fleet["never"]["terminal_id"])
    assert "state-revoked" in row_of(page, fleet["revoked"]["terminal_id"])
    assert "state-online" in row_of(page, fleet["online"]["terminal_id"])
    counts = re.search(r'<ul class="counts" id="fleet-counts".*?</ul>', page, re.S).group(0)
    for state in ("online", "stale", "offline", "never", "revoked"):
        assert re.search(rf'<strong class="state-{state}">1</strong>', counts), state
    # Problems first: offline, stale, …, healthy, revoked last.
    ids = table_ids(page)
    assert ids[0] == fleet["offline"]["terminal_id"] and ids[1] == fleet["stale"]["terminal_id"]
    assert ids[-1] == fleet["revoked"]["terminal_id"]


def test_a_terminal_that_stops_sending_turns_stale_then_offline(tech, client, hub):
    k = enroll(client, hub)
    send_beat(client, k)
    kid = k["terminal_id"]
    assert "state-online" in row_of(tech.get("/admin/fleet").text, kid)
    age(hub, kid, hub.settings.fleet_stale_minutes + 1)
    assert "state-stale" in row_of(tech.get("/admin/fleet").text, kid)
    age(hub, kid, hub.settings.fleet_offline_minutes + 1)
    page = tech.get("/admin/fleet").text
    assert "state-offline" in row_of(page, kid)
    assert 'class="problem"' in row_of(page, kid)
    assert "state-offline" in tech.get(f"/admin/fleet/{kid}").text


def test_device_problem_and_backlog_come_before_healthy(tech, client, hub):
    healthy = enroll(client, hub, name="Здрав")
    paper = enroll(client, hub, name="Без хартия")
    backlog = enroll(client, hub, name="Опашка")
    send_beat(client, healthy)
    send_beat(client, paper, devices={"printer": {"state": "offline", "reason": "paper out", "detail": {"paper": "out"}}})
    send_beat(client, backlog, queue_depth=500)
    ids = table_ids(tech.get("/admin/fleet").text)
    assert ids.index(healthy["terminal_id"]) > ids.index(paper["terminal_id"])
    assert ids.index(healthy["terminal_id"]) > ids.index(backlog["terminal_id"])
    page = tech.get("/admin/fleet").text
    assert "paper out" in row_of(page, paper["terminal_id"])


def test_filters_by_state_kind_office(tech, fleet, client, hub):
    page = tech.get("/admin/fleet", params={"state": "stale"}).text
    assert table_ids(page) == [fleet["stale"]["terminal_id"]]
    page = tech.get("/admin/fleet", params={"kind": "feedback"}).text
    assert sorted(table_ids(page)) == sorted([fleet["offline"]["terminal_id"], fleet["never"]["terminal_id"]])
    # The counts follow the kind filter (not the state filter).
    counts = re.search(r'<ul class="counts" id="fleet-counts".*?</ul>', page, re.S).group(0)
    assert '<strong class="state-online">0</strong>' in counts and '<strong class="state-offline">1</strong>' in counts
    # Office: a terminal enrolled with an office's code stands in it.
    with hub.sessions.begin() as s:
        s.execute(update(Terminal).where(Terminal.id == fleet["online"]["terminal_id"]).values(office_id="centre"))
    page = tech.get("/admin/fleet", params={"office": "centre"}).text
    assert table_ids(page) == [fleet["online"]["terminal_id"]]
    assert "Център за услуги" in row_of(page, fleet["online"]["terminal_id"])
    assert fleet["online"]["terminal_id"] not in table_ids(tech.get("/admin/fleet", params={"office": "-"}).text)
    # Unknown values are ignored, never an error.
    assert tech.get("/admin/fleet", params={"state": "x'--", "kind": "?", "office": "nowhere", "sort": "evil",
                                            "page": "-3"}).status_code == 200


def test_sorting_by_columns(tech, fleet):
    page = tech.get("/admin/fleet", params={"sort": "id"}).text
    ids = table_ids(page)
    assert ids == sorted(ids)
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a href="[^"]*sort=id', page)
    desc = table_ids(tech.get("/admin/fleet", params={"sort": "id", "dir": "desc"}).text)
    assert desc == sorted(ids, reverse=True)
    kinds = tech.get("/admin/fleet", params={"sort": "kind"}).text
    assert re.search(r'aria-sort="ascending">\s*<a href="[^"]*sort=kind&amp;dir=desc', kinds)


def test_paging(tech, client, hub, monkeypatch):
    from server_sync.hub.web import fleet as fleet_pages

    monkeypatch.setattr(fleet_pages, "PER_PAGE", 2)
    for i in range(5):
        enroll(client, hub, name=f"K{i}")
    first = table_ids(tech.get("/admin/fleet", params={"sort": "id"}).text)
    second = table_ids(tech.get("/admin/fleet", params={"sort": "id", "page": 2}).text)
    third = table_ids(tech.get("/admin/fleet", params={"sort": "id", "page": 3}).text)
    assert len(first) == 2 and len(second) == 2 and len(third) == 1
    assert first + second + third == sorted(first + second + third)


# --- terminal-reported text is escaped --------------------------------------------------------


def test_terminal_reported_text_is_escaped(tech, client, hub):
    k = enroll(client, hub)
    send_beat(client, k, last_errors=[XSS], software_version="<b>1</b>",
              devices={"printer": {"state": "degraded", "reason": XSS, "detail": {}}})
    for path in ("/admin/fleet", f"/admin/fleet/{k['terminal_id']}"):
        page = tech.get(path).text
        assert XSS not in page and "<b>1</b>" not in page, path
        assert html.escape(XSS) in page, path


# --- one terminal ---------------------------------------------------------------------------


def test_terminal_page_history_chart_errors(tech, client, hub):
    k = enroll(client, hub)
    for depth in (1, 5, 2):
        send_beat(client, k, queue_depth=depth, last_errors=["printer: paper near end"])
    page = tech.get(f"/admin/fleet/{k['terminal_id']}").text
    beats = re.search(r'<table id="terminal-heartbeats">.*?</table>', page, re.S).group(0)
    assert beats.count("<tr>") == 4  # header + 3
    assert '<figure id="queue-chart"><svg' in page and 'role="img"' in page and "<title id=" in page
    assert ' style="' not in re.search(r"<svg.*?</svg>", page, re.S).group(0)  # the CSP refuses inline styles
    errors = re.search(r'<table id="terminal-errors">.*?</table>', page, re.S).group(0)
    assert errors.count("printer: paper near end") == 1
    assert tech.get("/admin/fleet/NOPE").status_code == 404


def test_revoke_needs_csrf_and_confirmation_then_the_token_is_refused(tech, client, hub):
    k = enroll(client, hub)
    kid = k["terminal_id"]
    csrf = page_csrf(tech, f"/admin/fleet/{kid}")
    # No CSRF token: refused, nothing changed.
    r = tech.post(f"/admin/fleet/{kid}/revoke", data={"confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 403
    r = tech.post(f"/admin/fleet/{kid}/revoke", data={"confirm": "yes", "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    # No confirmation: the page again, with the error next to the box.
    r = tech.post(f"/admin/fleet/{kid}/revoke", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 422 and 'id="revoke-confirm-error"' in r.text and 'role="alert"' in r.text
    send_beat(client, k)  # still works
    assert not any(a[1] == "terminal_revoke" for a in audit_actions(hub))
    r = tech.post(f"/admin/fleet/{kid}/revoke", data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/admin/fleet/{kid}?done=terminal_revoked"
    r = client.post("/api/v1/terminals/heartbeat", json=beat(), headers=k["headers"])
    assert r.status_code == 401
    assert ("tech", "terminal_revoke", kid) in audit_actions(hub)
    page = tech.get(f"/admin/fleet/{kid}?done=terminal_revoked").text
    assert "state-revoked" in page and 'id="revoke-form"' not in page
    # Again: nothing more happens, no second audit entry.
    r = tech.post(f"/admin/fleet/{kid}/revoke", data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303
    assert [a for a in audit_actions(hub) if a[1] == "terminal_revoke"] == [("tech", "terminal_revoke", kid)]


# --- enrolment codes -------------------------------------------------------------------------


def test_enrolment_code_shown_once_with_qr_and_it_enrols(tech, client, hub):
    csrf = page_csrf(tech, "/admin/fleet/enrol")
    r = tech.post("/admin/fleet/enrollment-codes",
                  data={"csrf": csrf, "kind": "kiosk", "name": "Киоск <фоайе>", "office": "centre",
                        "location": "партер"})
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    code = re.search(r'<span class="code" id="enrollment-code">([A-Z0-9-]+)</span>', r.text).group(1)
    assert '<figure class="qr" id="enrollment-qr">' in r.text and "<svg" in r.text and 'id="qr-path"' in r.text
    assert "Киоск &lt;фоайе&gt;" in r.text
    # Listed among the unused codes, without the code.
    listing = tech.get("/admin/fleet/enrol").text
    assert "Киоск &lt;фоайе&gt;" in listing and code not in listing
    assert code not in tech.get("/admin/fleet").text
    with hub.sessions() as s:
        row = s.scalars(select(EnrollmentCode)).one()
        assert row.created_by == "tech" and row.office_id == "centre" and code not in row.code_hash
    assert ("tech", "enrollment_code", "Киоск <фоайе>") in audit_actions(hub)
    # It enrols a terminal, placed in the office.
    e = client.post("/api/v1/terminals/enroll", json={"code": code})
    assert e.status_code == 201, e.text
    with hub.sessions() as s:
        assert s.get(Terminal, e.json()["terminal_id"]).office_id == "centre"
    assert "Киоск &lt;фоайе&gt;" not in re.search(r'<table id="open-codes">.*?</table>',
                                                 tech.get("/admin/fleet/enrol").text, re.S).group(0)
    assert "Център за услуги" in row_of(tech.get("/admin/fleet").text, e.json()["terminal_id"])


def test_enrolment_code_form_errors_and_csrf(tech, hub):
    csrf = page_csrf(tech, "/admin/fleet/enrol")
    r = tech.post("/admin/fleet/enrollment-codes", data={"kind": "kiosk", "name": "X"}, follow_redirects=False)
    assert r.status_code == 403
    r = tech.post("/admin/fleet/enrollment-codes", data={"csrf": csrf, "kind": "toaster", "name": " ",
                                                          "office": "moon"})
    assert r.status_code == 422
    for field in ("e-kind", "e-name", "e-office"):
        assert f'aria-describedby="{field}-error"' in r.text and f'id="{field}-error"' in r.text
    assert 'role="alert"' in r.text
    with hub.sessions() as s:
        assert s.scalar(select(EnrollmentCode)) is None
    assert not any(a[1] == "enrollment_code" for a in audit_actions(hub))
