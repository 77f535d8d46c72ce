"""The catalogue pages: administrators only, a service edit publishes a new version (terminals' ETag
changes), invalid edits and files are refused with the messages `kiosk-hub import-catalogue` prints."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select

from server_sync.hub.cli import CliError, _load_catalogue
from server_sync.hub.models import AuditEntry, CatalogueRevision
from server_sync.hub.testing import fixture_catalogue
from tests.hub.conftest import enroll
from tests.hub.web_support import page_csrf, staff_client

XSS = "<script>alert(1)</script>"
SERVICE = "/admin/catalogue/services/heirs-certificate"


@pytest.fixture
def admin(client, hub):
    return staff_client(client.app, hub, "ana", "administrator")


def revisions(hub) -> int:
    with hub.sessions() as s:
        return s.scalar(select(func.count()).select_from(CatalogueRevision))


def audits(hub, action: str) -> list[AuditEntry]:
    with hub.sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def service_form(html_text: str) -> dict:
    """The edit form's current values as a browser would send them (text inputs, selects, checkboxes)."""
    form: dict[str, list[str]] = {}
    for m in re.finditer(r'<input([^>]*)>', html_text):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        name = attrs.get("name")
        if not name or attrs.get("type") == "file":
            continue
        if attrs.get("type") == "checkbox" and " checked" not in m.group(1):
            continue
        form.setdefault(name, []).append(html.unescape(attrs.get("value", "")))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html_text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', m.group(2))
        form.setdefault(m.group(1), []).append(html.unescape(chosen.group(1)) if chosen else "")
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html_text, re.S):
        form.setdefault(m.group(1), []).append(html.unescape(m.group(2)))
    return form


def edit(admin, **changes):
    page = admin.get(SERVICE)
    assert page.status_code == 200, page.text[:300]
    form = service_form(page.text)
    for key, value in changes.items():
        form[key] = value if isinstance(value, list) else [value]
    return admin.post(SERVICE, data=form, follow_redirects=False)


def test_role_boundaries(client, hub):
    posts = [SERVICE, "/admin/catalogue/import", "/admin/catalogue/hotlines/emergency",
             "/admin/catalogue/signal-categories/potholes"]
    gets = ["/admin/catalogue", *posts]
    for role in ("clerk", "technician"):
        other = staff_client(client.app, hub, f"x-{role}", role)
        csrf = other.get("/admin/staff").text  # any page of theirs carries their token (logout form)
        token = re.search(r'name="csrf" value="([^"]+)"', csrf).group(1)
        for path in gets:
            assert other.get(path).status_code == 403, (role, path)
            assert "Издаване" not in other.get(path).text
        for path in posts:
            assert other.post(path, data={"csrf": token, "name_bg": "x"}).status_code == 403, (role, path)
    for path in gets:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/admin/login"), path
    for path in posts:
        r = client.post(path, data={}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/admin/login"), path
    assert revisions(hub) == 1


def test_overview_lists_the_catalogue(admin):
    r = admin.get("/admin/catalogue")
    assert r.status_code == 200
    assert "Издаване на удостоверение за наследници" in r.text and "10.23 €" in r.text
    assert "Дупки на пътя" in r.text and "112" in r.text
    assert re.search(r"<code>c-[0-9a-f]{20}</code>", r.text)


def test_service_edit_publishes_a_new_version(client, hub, admin):
    terminal = enroll(client, hub)
    first = client.get("/api/v1/catalogue", headers=terminal["headers"])
    etag = first.headers["ETag"]
    assert client.get("/api/v1/catalogue", headers={**terminal["headers"], "If-None-Match": etag}).status_code == 304

    r = edit(admin, name_bg="Удостоверение за наследници (ново)", fee=["3.00", "5.11", "10.23"],
             deadline_amount=["5", "3", "24"], field_required=["deceased_name", "copies"])
    assert r.status_code == 303, r.text[:2000]
    assert "done=catalogue_published" in r.headers["location"]

    again = client.get("/api/v1/catalogue", headers={**terminal["headers"], "If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    service = next(s for s in again.json()["services"] if s["id"] == "heirs-certificate")
    assert service["name"]["bg"] == "Удостоверение за наследници (ново)"
    assert service["tiers"][0]["fee_eur"] == "3.00" and service["tiers"][0]["deadline"]["amount"] == 5
    assert {f["name"]: f["required"] for f in service["form_fields"]}["copies"] is True
    assert again.json()["version"] == json.loads(again.headers["ETag"])

    (entry,) = audits(hub, "catalogue_edit")
    assert entry.actor == "ana" and entry.target == "services/heirs-certificate"
    assert set(entry.detail["changed"]) == {"name", "tiers.ordinary.fee_eur", "tiers.ordinary.deadline",
                                            "form_fields.copies"}
    assert entry.detail["version"] == again.headers["ETag"].strip('"')
    assert revisions(hub) == 2
    assert "(редактиран тук от ana)" in admin.get("/admin/catalogue").text  # where it came from, in words

    # Saving the same values again publishes nothing.
    r = edit(admin)
    assert r.status_code == 303 and revisions(hub) == 2 and len(audits(hub, "catalogue_edit")) == 1


def test_fields_removed_and_added(hub, admin):
    r = edit(admin, field_remove=["purpose"], new_name="note", new_label_bg="Бележка", new_label_en="Note",
             new_required="1")
    assert r.status_code == 303, r.text[:2000]
    with hub.sessions() as s:
        data = s.scalars(select(CatalogueRevision).order_by(CatalogueRevision.id.desc())).first().data
    fields = {f["name"]: f for f in next(x for x in data["services"] if x["id"] == "heirs-certificate")["form_fields"]}
    assert "purpose" not in fields and fields["note"]["type"] == "text" and fields["note"]["required"] is True
    (entry,) = audits(hub, "catalogue_edit")
    assert set(entry.detail["changed"]) == {"form_fields.purpose:removed", "form_fields.note:added"}


@pytest.mark.parametrize("changes, key, words", [
    ({"fee": ["-1", "5.11", "10.23"]}, "fee-ordinary", "greater than or equal to 0"),
    ({"fee": ["abc", "5.11", "10.23"]}, "fee-ordinary", "Таксата"),
    ({"name_bg": "   "}, "name_bg", "at least 1 character"),
    ({"unit_id": "nowhere"}, "unit_id", "unknown unit 'nowhere'"),
    ({"deadline_unit": ["same_day", "working_days", "hours"]}, "deadline-ordinary", "takes no amount"),
    ({"new_name": "deceased_name", "new_label_bg": "Пак"}, "new_name", "the same field name twice"),
    ({"field_label_bg": ["", "ЕГН на починалия", "Брой копия", "Предназначение"]}, "field-deceased_name-label_bg",
     "at least 1 character"),
])
def test_invalid_edit_is_refused_next_to_the_field(client, hub, admin, changes, key, words):
    before = client.get("/api/v1/catalogue", headers=enroll(client, hub)["headers"]).headers["ETag"]
    r = edit(admin, **changes)
    assert r.status_code == 422, r.text[:500]
    error = re.search(rf'<span class="field-error" id="{re.escape(key)}-error">(.*?)</span>', r.text, re.S)
    assert error, r.text
    assert words in html.unescape(error.group(1))
    assert f'aria-describedby="{key}-error"' in r.text and 'role="alert"' in r.text
    assert revisions(hub) == 1 and audits(hub, "catalogue_edit") == []
    terminal = enroll(client, hub, name="Киоск 2")
    assert client.get("/api/v1/catalogue", headers=terminal["headers"]).headers["ETag"] == before


def test_csrf_refused(hub, admin):
    form = service_form(admin.get(SERVICE).text)
    form["name_bg"] = ["Подправено"]
    for bad in ([], ["forged"]):
        form["csrf"] = bad
        assert admin.post(SERVICE, data=form, follow_redirects=False).status_code == 403
    files = {"file": ("catalogue.json", json.dumps(fixture_catalogue().model_dump(mode="json")).encode())}
    assert admin.post("/admin/catalogue/import", data={}, files=files).status_code == 403
    assert admin.post("/admin/catalogue/hotlines/emergency", data={"name_bg": "x", "phone": "112"}).status_code == 403
    assert revisions(hub) == 1


def test_import_a_file(client, hub, admin, tmp_path):
    data = fixture_catalogue().model_dump(mode="json")
    data["hotlines"][0]["name"]["bg"] = "Спешни повиквания"
    csrf = page_csrf(admin, "/admin/catalogue/import")
    body = json.dumps(data, ensure_ascii=False).encode()
    r = admin.post("/admin/catalogue/import", data={"csrf": csrf, "check_only": "1"},
                   files={"file": ("new.json", body)})
    assert r.status_code == 200 and 'id="checked"' in r.text and revisions(hub) == 1
    r = admin.post("/admin/catalogue/import", data={"csrf": csrf}, files={"file": ("new.json", body)},
                   follow_redirects=False)
    assert r.status_code == 303 and revisions(hub) == 2
    (entry,) = audits(hub, "catalogue_import")
    assert entry.target == "new.json" and entry.detail["services"] == 3
    assert "Спешни повиквания" in admin.get("/admin/catalogue").text


@pytest.mark.parametrize("name, text", [
    ("bad.toml", '[municipality]\ncode = "x"\nname = { bg = "X" }\n\n[[services]]\nid = "a"\n'
                 'name = { bg = "" }\ndescription = { bg = "d" }\nunit_id = "nowhere"\n'
                 'tiers = [{ tier = "ordinary", fee_eur = -2 }]\n'),
    ("broken.toml", "[municipality\n"),
    ("bad.json", '{"municipality": {"code": "x", "name": {"bg": "X"}, "number_format": "{index}"}}'),
    ("notes.txt", "hello"),
])
def test_invalid_file_refused_with_the_commands_messages(hub, admin, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CliError) as exc:
        _load_catalogue(path)
    printed = str(exc.value)
    lines = [line.removeprefix("  - ") for line in printed.splitlines()[1:]] or [printed]
    csrf = page_csrf(admin, "/admin/catalogue/import")
    r = admin.post("/admin/catalogue/import", data={"csrf": csrf}, files={"file": (name, text.encode())})
    assert r.status_code == 422
    shown = [html.unescape(x) for x in re.findall(r"<li>(.*?)</li>", r.text.split('id="problems"', 1)[1], re.S)]
    assert shown == lines, (shown, printed)
    assert revisions(hub) == 1 and audits(hub, "catalogue_import") == []


def test_upload_size_limit(hub, admin, monkeypatch):
    from server_sync.hub.web import catalogue_entries

    monkeypatch.setattr(catalogue_entries, "UPLOAD_LIMIT", 100)
    csrf = page_csrf(admin, "/admin/catalogue/import")
    r = admin.post("/admin/catalogue/import", data={"csrf": csrf}, files={"file": ("big.json", b" " * 101)})
    assert r.status_code == 413 and 'id="file-error"' in r.text and revisions(hub) == 1


def test_names_are_escaped(client, hub, admin):
    r = edit(admin, name_bg=XSS, name_en=XSS)
    assert r.status_code == 303, r.text[:1000]
    csrf = page_csrf(admin, "/admin/catalogue/hotlines/emergency")
    r = admin.post("/admin/catalogue/hotlines/emergency", data={"csrf": csrf, "name_bg": XSS, "phone": "112"},
                   follow_redirects=False)
    assert r.status_code == 303, r.text[:1000]
    for path in ("/admin/catalogue", SERVICE, "/admin/catalogue/hotlines/emergency"):
        text = admin.get(path).text
        assert XSS not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text, path
    (entry, second) = audits(hub, "catalogue_edit")
    assert second.target == "hotlines/emergency" and second.detail["changed"] == ["name"]


def test_signal_category_and_hotline_edits(client, hub, admin):
    csrf = page_csrf(admin, "/admin/catalogue/signal-categories/potholes")
    r = admin.post("/admin/catalogue/signal-categories/potholes",
                   data={"csrf": csrf, "name_bg": "Дупки", "name_en": "Holes", "anonymous_allowed": "1"},
                   follow_redirects=False)
    assert r.status_code == 303
    r = admin.post("/admin/catalogue/hotlines/emergency", data={"csrf": csrf, "name_bg": "Спешни", "phone": "abc"})
    assert r.status_code == 422 and 'id="phone-error"' in r.text
    r = admin.post("/admin/catalogue/signal-categories/potholes", data={"csrf": csrf, "name_bg": ""})
    assert r.status_code == 422 and 'id="name_bg-error"' in r.text
    assert revisions(hub) == 2
    assert admin.get("/admin/catalogue/hotlines/nothing").status_code == 404


def test_a_stale_form_does_not_undo_another_edit(hub, admin):
    stale = service_form(admin.get(SERVICE).text)
    assert edit(admin, name_en="Heirs (first edit)").status_code == 303
    stale["name_bg"] = ["Второ"]
    r = admin.post(SERVICE, data=stale, follow_redirects=False)
    assert r.status_code == 409 and 'id="conflict"' in r.text
    assert revisions(hub) == 2 and len(audits(hub, "catalogue_edit")) == 1


def test_a_signal_category_can_require_a_place(hub, admin):
    """The flag the kiosk reads to ask for a place (street lighting, roads, waste) is the staff's to set."""
    page = "/admin/catalogue/signal-categories/potholes"
    csrf = page_csrf(admin, page)
    r = admin.post(page, data={"csrf": csrf, "name_bg": "Дупки", "name_en": "Holes", "anonymous_allowed": "1",
                               "location_required": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert 'name="location_required" value="1" checked' in admin.get(page).text
    assert "задължително" in admin.get("/admin/catalogue").text
    (edit_audit,) = audits(hub, "catalogue_edit")
    assert edit_audit.detail["changed"] == ["location_required"] or "location_required" in edit_audit.detail["changed"]
    # unticked: optional again
    r = admin.post(page, data={"csrf": page_csrf(admin, page), "name_bg": "Дупки", "name_en": "Holes",
                               "anonymous_allowed": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert 'name="location_required" value="1" checked' not in admin.get(page).text
