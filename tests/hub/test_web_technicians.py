"""Staff web, technicians' credentials: add / list / withdraw (roles, CSRF, validation, audit, no hashes
shown), their delivery to kiosks with the heartbeat answer, and the terminal-side check — hub →
heartbeat → agent → store → kiosk."""

from __future__ import annotations

import random
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, update

from server_sync.hub.models import AuditEntry, TechnicianCredential
from server_sync.protocol import HeartbeatResponse
from server_sync.protocol import technicians as wire_technicians

from .conftest import enroll
from .web_support import csrf_of, page_csrf, staff_client

BADGE = "04:A3:B2:C1"
PIN = "482915"
XSS = "<script>alert(1)</script>"


def beat(features=("technicians",)) -> dict:
    return {"terminal_time": datetime.now(timezone.utc).isoformat(), "seq": 1, "software_version": "0.1.0",
            "uptime_s": 10, "queue_depth": 0, "features": list(features)}


def audit_actions(hub):
    with hub.sessions() as s:
        return [(e.actor, e.action, e.target) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def tech(client, hub):
    return staff_client(client.app, hub, "tech", "technician")


def add(client, name: str = "Иван Техников", badge: str = BADGE, pin: str = PIN, *, expect: int = 303,
        office: str = ""):
    csrf = page_csrf(client, "/admin/technicians")
    r = client.post("/admin/technicians", data={"csrf": csrf, "name": name, "badge": badge, "pin": pin,
                                                "office": office}, follow_redirects=False)
    assert r.status_code == expect, r.text[:800]
    return r


def test_roles_and_login(client, hub):
    clerk = staff_client(client.app, hub, "clerk", "clerk")
    assert clerk.get("/admin/technicians").status_code == 403
    csrf = csrf_of(clerk.get("/admin/technicians").text)
    r = clerk.post("/admin/technicians", data={"csrf": csrf, "name": "X", "badge": "", "pin": PIN})
    assert r.status_code == 403
    r = clerk.post("/admin/technicians/1/disable", data={"csrf": csrf, "confirm": "yes"})
    assert r.status_code == 403
    with hub.sessions() as s:
        assert s.scalar(select(TechnicianCredential)) is None
    r = client.get("/admin/technicians", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login?next=")
    r = client.post("/admin/technicians", data={"name": "X", "pin": PIN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")
    admin = staff_client(client.app, hub, "boss", "administrator")
    assert admin.get("/admin/technicians").status_code == 200


def test_add_list_withdraw_with_audit_and_no_hashes_shown(tech, hub):
    r = add(tech, name=XSS)
    assert r.headers["location"] == "/admin/technicians?done=technician_added"
    add(tech, name="Без значка", badge="")
    page = tech.get("/admin/technicians").text
    with hub.sessions() as s:
        rows = {t.name: t for t in s.scalars(select(TechnicianCredential))}
    withbadge = rows[XSS]
    assert withbadge.badge_hash == hub.keyring.badge_hash("04a3b2c1") and withbadge.pin_hash.startswith("$argon2id$")
    assert withbadge.created_by == "tech" and rows["Без значка"].badge_hash is None
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert withbadge.badge_hash not in page and withbadge.pin_hash not in page and PIN not in page
    assert "A3B2" not in page.upper().replace("04:A3:B2:C1", "")  # the UID is not kept, so not shown
    row = re.search(rf'<tr id="technician-{withbadge.id}">.*?</tr>', page, re.S).group(0)
    assert ">да<" in row and "tech" in row
    # Withdraw: CSRF first.
    r = tech.post(f"/admin/technicians/{withbadge.id}/disable", data={}, follow_redirects=False)
    assert r.status_code == 403
    with hub.sessions() as s:
        assert s.get(TechnicianCredential, withbadge.id).disabled_at is None
    csrf = page_csrf(tech, "/admin/technicians")
    # Then the confirmation: withdrawing is for good, so an unticked box changes nothing.
    r = tech.post(f"/admin/technicians/{withbadge.id}/disable", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 422 and f'id="withdraw-{withbadge.id}-error"' in r.text
    assert "Поправете отбелязаните полета" not in r.text  # the add form's banner: not its error
    with hub.sessions() as s:
        assert s.get(TechnicianCredential, withbadge.id).disabled_at is None
    r = tech.post(f"/admin/technicians/{withbadge.id}/disable", data={"csrf": csrf, "confirm": "yes"},
                  follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("done=technician_disabled")
    with hub.sessions() as s:
        gone = s.get(TechnicianCredential, withbadge.id)
        assert gone.disabled_at is not None and gone.badge_hash is None
    assert tech.post("/admin/technicians/99999/disable", data={"csrf": csrf, "confirm": "yes"}).status_code == 404
    actions = audit_actions(hub)
    assert ("tech", "technician_add", XSS) in actions and ("tech", "technician_add", "Без значка") in actions
    assert ("tech", "technician_disable", XSS) in actions
    # The badge is free again for someone else.
    add(tech, name="Нов", badge="04A3B2C1")
    # A withdrawn technician's name is free again too (access given back is a new entry); an
    # active one's is not.
    add(tech, name="Без значка", badge="", expect=422)
    csrf = page_csrf(tech, "/admin/technicians")
    tech.post(f"/admin/technicians/{rows['Без значка'].id}/disable", data={"csrf": csrf, "confirm": "yes"})
    add(tech, name="Без значка", badge="")
    with hub.sessions() as s:
        again = [t for t in s.scalars(select(TechnicianCredential).where(TechnicianCredential.name == "Без значка"))]
    assert sorted(t.disabled_at is None for t in again) == [False, True]


def test_validation_errors(tech, hub):
    r = add(tech, name=" ", badge="zz-not-hex", pin="12ab", expect=422)
    for field in ("t-name", "t-badge", "t-pin"):
        assert f'id="{field}-error"' in r.text, field
    assert 'role="alert"' in r.text and 'aria-invalid="true"' in r.text
    assert add(tech, pin="12345", expect=422).status_code == 422  # too short
    assert add(tech, pin="1234567890123", expect=422).status_code == 422  # too long
    for guessable in ("111111", "123456", "987654", "121212", "123123", "12341234"):
        r = add(tech, pin=guessable, expect=422)
        assert "се отгатва лесно" in r.text, guessable
    add(tech)
    r = add(tech, badge="", expect=422)  # the same name
    assert 'id="t-name-error"' in r.text
    r = add(tech, name="Друг", badge="04a3b2c1", expect=422)  # the same badge
    assert 'id="t-badge-error"' in r.text
    with hub.sessions() as s:
        assert len(list(s.scalars(select(TechnicianCredential)))) == 1


def test_heartbeat_answer_carries_the_technicians_to_kiosks_only(tech, client, hub):
    add(tech)
    kiosk = enroll(client, hub)
    feedback = enroll(client, hub, kind="feedback", name="Оценка")
    r = client.post("/api/v1/terminals/heartbeat", json=beat(), headers=kiosk["headers"])
    answer = HeartbeatResponse.model_validate(r.json())
    assert answer.badge_key == hub.keyring.badge_key
    assert [t.name for t in answer.technicians] == ["Иван Техников"]
    assert answer.technicians[0].badge_hash == wire_technicians.badge_hash(answer.badge_key, "04 a3 b2 c1")
    r = client.post("/api/v1/terminals/heartbeat", json=beat(), headers=feedback["headers"])
    assert "technicians" not in r.json() and "badge_key" not in r.json()
    # A kiosk on older software does not ask for them, and gets an answer it can read.
    r = client.post("/api/v1/terminals/heartbeat", json=beat(features=()), headers=kiosk["headers"])
    assert "technicians" not in r.json() and "badge_key" not in r.json()
    # The terminal-side check.
    stored = (answer.technicians, answer.badge_key)
    assert wire_technicians.check(stored, badge="04a3b2c1", pin=PIN) == "Иван Техников"
    assert wire_technicians.check(stored, badge=BADGE, pin="000000") is None
    assert wire_technicians.check(stored, badge="DEADBEEF", pin=PIN) is None
    assert wire_technicians.check(stored, badge=BADGE, pin=None) is None
    # Withdrawn: the next answer no longer holds them.
    with hub.sessions() as s:
        tid = s.scalar(select(TechnicianCredential.id))
    tech.post(f"/admin/technicians/{tid}/disable", data={"csrf": page_csrf(tech, "/admin/technicians"), "confirm": "yes"})
    r = client.post("/api/v1/terminals/heartbeat", json=beat(), headers=kiosk["headers"])
    answer = HeartbeatResponse.model_validate(r.json())
    assert answer.technicians == []
    assert wire_technicians.check((answer.technicians, answer.badge_key), badge=BADGE, pin=PIN) is None


def test_a_kiosk_holding_the_current_list_gets_its_version_and_not_the_list(tech, client, hub):
    versioned = ("technicians", wire_technicians.VERSIONED)

    def heartbeat(terminal, held=None, features=versioned) -> dict:
        body = {**beat(features), **({"technicians_version": held} if held else {})}
        r = client.post("/api/v1/terminals/heartbeat", json=body, headers=terminal["headers"])
        assert r.status_code == 200, r.text
        return r.json()

    kiosk = enroll(client, hub)
    empty = heartbeat(kiosk)  # no technicians yet: an empty list, with its version
    assert empty["technicians"] == [] and empty["technicians_version"]
    add(tech)
    first = heartbeat(kiosk, held=empty["technicians_version"])
    assert [t["name"] for t in first["technicians"]] == ["Иван Техников"] and first["badge_key"]
    v1 = first["technicians_version"]
    assert v1 != empty["technicians_version"]
    same = heartbeat(kiosk, held=v1)  # holds the current list: only its version comes
    assert "technicians" not in same and "badge_key" not in same and same["technicians_version"] == v1
    add(tech, name="Мария Сервизна", badge="0A0B0C0D")
    second = heartbeat(kiosk, held=v1)
    assert [t["name"] for t in second["technicians"]] == ["Иван Техников", "Мария Сервизна"]
    v2 = second["technicians_version"]
    with hub.sessions() as s:
        first_id = s.scalar(select(TechnicianCredential.id).order_by(TechnicianCredential.id))
    tech.post(f"/admin/technicians/{first_id}/disable", data={"csrf": page_csrf(tech, "/admin/technicians"), "confirm": "yes"})
    third = heartbeat(kiosk, held=v2)  # a withdrawal is a new version too
    assert [t["name"] for t in third["technicians"]] == ["Мария Сервизна"]
    assert len({v1, v2, third["technicians_version"]}) == 3
    assert heartbeat(kiosk, held="not-a-version")["technicians"]  # a version not ours: the list
    # A kiosk on software before versions: the whole list every time, and no field it cannot read.
    old = heartbeat(kiosk, features=("technicians",))
    assert [t["name"] for t in old["technicians"]] == ["Мария Сервизна"] and "technicians_version" not in old
    feedback = enroll(client, hub, kind="feedback", name="Оценка")
    assert not {"technicians", "technicians_version"} & set(heartbeat(feedback))


def test_a_technician_of_one_office_reaches_only_its_kiosks(tech, client, hub):
    """At a hub of many offices (up to a country's), a technician's badge and PIN go to the kiosks
    of their office only; one added for every office goes to all. A change in one office's list is
    a new version there and nowhere else."""
    from server_sync.hub.services.terminals import create_enrollment_code

    versioned = ("technicians", wire_technicians.VERSIONED)

    def enrol(office):
        with hub.sessions.begin() as s:
            code = create_enrollment_code(session=s, kind="kiosk", name=f"Киоск {office}", office_id=office)
        token = client.post("/api/v1/terminals/enroll", json={"code": code}).json()["token"]
        return {"Authorization": f"Bearer {token}"}

    def heartbeat(headers, held=None) -> dict:
        body = {**beat(versioned), **({"technicians_version": held} if held else {})}
        r = client.post("/api/v1/terminals/heartbeat", json=body, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    def names(answer) -> list[str]:
        return [t["name"] for t in answer["technicians"]]

    centre, unplaced = enrol("centre"), enrol(None)
    add(tech, name="Общ Техник", badge="0A0B0C0D")
    add(tech, name="Техник Център", badge="04A3B2C1", office="centre")
    page = tech.get("/admin/technicians").text
    row = re.search(r'<tr id="technician-\d+">\s*<th scope="row">Техник Център</th>.*?</tr>', page, re.S).group(0)
    assert "Център за услуги" in row  # the office by its name
    add(tech, name="Другаде", badge="", office="no-such-office", expect=422)
    at_centre, elsewhere = heartbeat(centre), heartbeat(unplaced)
    assert names(at_centre) == ["Общ Техник", "Техник Център"]
    assert names(elsewhere) == ["Общ Техник"]  # a kiosk with no office: the technicians of every office
    held = HeartbeatResponse.model_validate(elsewhere)
    assert wire_technicians.check((held.technicians, held.badge_key), badge="04A3B2C1", pin=PIN) is None
    held = HeartbeatResponse.model_validate(at_centre)
    assert wire_technicians.check((held.technicians, held.badge_key), badge="04A3B2C1", pin=PIN) == "Техник Център"
    # Another of the centre's: the centre's kiosks get the new list, the others keep theirs.
    add(tech, name="Втори Център", badge="", office="centre")
    assert "technicians" not in heartbeat(unplaced, held=elsewhere["technicians_version"])
    again = heartbeat(centre, held=at_centre["technicians_version"])
    assert names(again) == ["Общ Техник", "Техник Център", "Втори Център"]
    # Withdrawn at the centre: only its kiosks hear of it.
    with hub.sessions() as s:
        tid = s.scalar(select(TechnicianCredential.id).where(TechnicianCredential.name == "Техник Център"))
    tech.post(f"/admin/technicians/{tid}/disable", data={"csrf": page_csrf(tech, "/admin/technicians"), "confirm": "yes"})
    assert names(heartbeat(centre, held=again["technicians_version"])) == ["Общ Техник", "Втори Център"]
    assert "technicians" not in heartbeat(unplaced, held=elsewhere["technicians_version"])
    assert ("tech", "technician_add", "Техник Център") in audit_actions(hub)


def test_a_revoked_kiosks_page_names_the_technicians_whose_pins_it_held(tech, client, hub):
    """A kiosk is stolen: revoking it stops its token, but it still holds the hashes of the PINs it
    was given. Its page names the technicians still active whose credentials it received (its
    office's and every office's, added before its last heartbeat), so their PINs can be changed."""
    from server_sync.hub.services.terminals import create_enrollment_code

    with hub.sessions.begin() as s:
        code = create_enrollment_code(session=s, kind="kiosk", name="Киоск фоайе", office_id="centre")
    enrolled = client.post("/api/v1/terminals/enroll", json={"code": code}).json()
    headers = {"Authorization": f"Bearer {enrolled['token']}"}
    add(tech, name="Общ Техник", badge="0A0B0C0D")
    add(tech, name="Техник Център", badge="04A3B2C1", office="centre")
    add(tech, name="Вече Спрян", badge="")
    assert client.post("/api/v1/terminals/heartbeat", json=beat(), headers=headers).status_code == 200
    with hub.sessions() as s:
        gone = s.scalar(select(TechnicianCredential.id).where(TechnicianCredential.name == "Вече Спрян"))
    tech.post(f"/admin/technicians/{gone}/disable", data={"csrf": page_csrf(tech, "/admin/technicians"), "confirm": "yes"})
    add(tech, name="Нов След Кражбата", badge="")
    with hub.sessions.begin() as s:  # added after the kiosk's last heartbeat: it never got this one
        s.execute(update(TechnicianCredential).where(TechnicianCredential.name == "Нов След Кражбата")
                  .values(created_at=datetime(2099, 1, 1, tzinfo=timezone.utc)))
    page = tech.get(f"/admin/fleet/{enrolled['terminal_id']}").text
    assert 'id="exposed-technicians"' not in page  # not while it is in service
    r = tech.post(f"/admin/fleet/{enrolled['terminal_id']}/revoke",
                  data={"csrf": page_csrf(tech, f"/admin/fleet/{enrolled['terminal_id']}"), "confirm": "yes"})
    assert r.status_code == 200
    listed = re.search(r'<div class="notice" id="exposed-technicians">.*?</div>', r.text, re.S).group(0)
    assert "Общ Техник" in listed and "Техник Център" in listed
    assert "Вече Спрян" not in listed and "Нов След Кражбата" not in listed
    admin = staff_client(client.app, hub, "boss", "administrator")
    # no update channel to choose for a terminal that is gone
    assert 'id="channel-h"' not in admin.get(f"/admin/fleet/{enrolled['terminal_id']}").text


def test_the_lists_version_names_the_hub_epoch_and_the_badge_key():
    from server_sync.hub.services.technicians import wire_version

    base = wire_version((12, 5), "e-aaaa", "00" * 32)
    assert re.fullmatch(r"[0-9a-z-]{1,64}", base)
    # After a restore (a new epoch) or with another badge key, the same ids are another list; an add
    # moves the newest id, a withdrawal the active count.
    assert len({base, wire_version((12, 5), "e-bbbb", "00" * 32), wire_version((12, 5), "e-aaaa", "11" * 32),
                wire_version((13, 6), "e-aaaa", "00" * 32), wire_version((12, 4), "e-aaaa", "00" * 32),
                wire_version((12, 5), "e-aaaa", "00" * 32, "centre")}) == 6  # another office's list


def test_the_protocol_badge_hash_is_the_hubs(hub):
    from server_sync.hub.security import badge_hash

    key = hub.keyring.badge_key
    for uid in ("04:A3:B2:C1", "04a3b2c1", "0123456789ABCDEF"):
        assert wire_technicians.badge_hash(key, uid) == badge_hash(key, uid)


def test_hub_heartbeat_agent_store_kiosk(tmp_path, qtbot):
    """End to end: a technician added on the hub's page reaches a kiosk through the agent's heartbeat;
    the kiosk lets in their badge + PIN and nobody else; withdrawn, they are out at the next heartbeat."""
    from fastapi.testclient import TestClient

    from kiosk.config import KioskSettings
    from kiosk.state.kiosk_state import KioskState
    from kiosk.store_backend import StoreBackend
    from server_sync.agent import Agent
    from server_sync.agent.__main__ import main as agent_main
    from server_sync.client import HubClient
    from server_sync.config import SyncSection
    from server_sync.hub.app import create_app
    from server_sync.hub.testing import running_hub
    from server_sync.store import Store

    with running_hub(tmp_path) as running:
        web = TestClient(create_app(running.settings, context=running.context), raise_server_exceptions=False)
        from .web_support import add_staff, login

        add_staff(running.context, "tech", "technician")
        login(web, "tech")
        add(web)
        code = running.make_enrollment_code("kiosk", "Киоск")
        assert agent_main(["--data-dir", str(tmp_path / "k"), "enroll", "--hub", running.base_url,
                           "--code", code]) == 0
        store = Store(tmp_path / "k")
        answers = []

        class Recording(HubClient):  # the agent's client, keeping the hub's heartbeat answers
            def heartbeat(self, report):
                answers.append(super().heartbeat(report))
                return answers[-1]

        agent = Agent(store, SyncSection(heartbeat_interval_s=3600), rng=random.Random(1),
                      client_factory=lambda ident: Recording(ident.hub_url, ident.token))
        settings = KioskSettings()
        settings.technician_pin = "999999"  # the local fallback: no longer used once the hub sent a list
        state = KioskState(StoreBackend(store), settings)
        try:
            assert state.technician_allowed(pin="999999")  # nothing from the hub yet: the fallback
            assert agent.heartbeat()
            delivered = store.setting(wire_technicians.SETTING_KEY)
            assert delivered and wire_technicians.stored_version(delivered)
            assert agent.heartbeat()  # unchanged on the hub: the answer has no list, the store keeps ours
            assert answers[0].technicians and answers[1].technicians is None
            assert answers[1].technicians_version == wire_technicians.stored_version(delivered)
            assert store.setting(wire_technicians.SETTING_KEY) == delivered
            assert not state.technician_allowed(pin="999999")
            assert not state.technician_allowed(pin=PIN)  # a PIN alone: no
            assert not state.technician_allowed(badge="04a3b2c1")  # the badge: now the PIN
            assert state.technician_badge_waiting  # the screen asks for the PIN, not "not allowed"
            assert state.technician_allowed(pin=PIN)
            assert not state.technician_allowed(pin=PIN)  # one badge, one try
            state.technician_allowed(badge="04a3b2c1")
            assert not state.technician_allowed(pin="111111")  # wrong PIN
            state.technician_allowed(badge="CAFEBABE")
            assert not state.technician_badge_waiting  # an unknown badge is refused at once
            assert not state.technician_allowed(pin=PIN)  # unknown badge
            with running.session() as s:
                tid = s.scalar(select(TechnicianCredential.id))
            web.post(f"/admin/technicians/{tid}/disable", data={"csrf": page_csrf(web, "/admin/technicians"), "confirm": "yes"})
            assert agent.heartbeat()
            state.technician_allowed(badge="04a3b2c1")
            assert not state.technician_allowed(pin=PIN)  # withdrawn
        finally:
            agent.close()
            store.close()
            web.close()
