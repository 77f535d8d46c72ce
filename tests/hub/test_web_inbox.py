"""The clerks' inbox and a request's page: roles and units, personal data and its audit, status
changes with public and internal notes (and what the citizen sees of them), CSRF, escaping, filters,
paging, and the public tracking page's Sofia times."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from server_sync.hub.models import AuditEntry, ServiceRequest, StatusChange
from server_sync.hub.services import inbox as inbox_service

from .conftest import EGN, sealed, service_request, signal
from .test_requests import submit
from .web_support import csrf_of, page_csrf, staff_client

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def page_of(number: str) -> str:
    return f"/admin/requests/{quote(number, safe='')}"


def audits(hub, action: str, target: str | None = None) -> list[AuditEntry]:
    with hub.sessions() as s:
        q = select(AuditEntry).where(AuditEntry.action == action)
        if target is not None:
            q = q.where(AuditEntry.target == target)
        return list(s.scalars(q.order_by(AuditEntry.id)))


def status_of(hub, number: str) -> str:
    with hub.sessions() as s:
        return s.scalar(select(ServiceRequest.status).where(ServiceRequest.number == number))


def heirs(client, hub, kiosk) -> dict:
    """A service request of unit grao, with personal data (the ЕГН kept: the service needs it)."""
    return submit(client, kiosk, service_request(hub))


def pothole(client, kiosk, **overrides) -> dict:
    """An anonymous signal of unit ecology."""
    return submit(client, kiosk, signal(**overrides))


def test_nobody_without_login_and_no_technician_reaches_the_inbox(client, hub, kiosk):
    receipt = heirs(client, hub, kiosk)
    anonymous = TestClient(client.app, raise_server_exceptions=False)
    for path in ("/admin/requests", page_of(receipt["number"])):
        r = anonymous.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/admin/login?next="), path
    r = anonymous.post(page_of(receipt["number"]), data={"status": "resolved", "csrf": "x"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")

    tech = staff_client(client.app, hub, "tech", "technician")
    assert tech.get("/admin/requests").status_code == 403
    page = tech.get(page_of(receipt["number"]))
    assert page.status_code == 403 and "Иванов" not in page.text and EGN not in page.text
    csrf = _csrf_from_any_page(tech)
    r = tech.post(page_of(receipt["number"]), data={"status": "resolved", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 403
    assert status_of(hub, receipt["number"]) == "registered"
    assert audits(hub, "personal_data_view") == []


def _csrf_from_any_page(c: TestClient) -> str:
    """A logged-in browser's CSRF token: every page's logout form carries it (even the 403 page)."""
    return csrf_of(c.get("/admin/requests").text)


def test_a_clerk_limited_to_a_unit_sees_only_that_unit(client, hub, kiosk):
    mine = heirs(client, hub, kiosk)  # grao
    other = pothole(client, kiosk)  # ecology
    clerk = staff_client(client.app, hub, "grao-clerk", "clerk", units=["grao"])
    listing = clerk.get("/admin/requests")
    assert listing.status_code == 200
    assert mine["number"] in listing.text and other["number"] not in listing.text
    # Even asking for the other unit by filter shows nothing of it.
    assert other["number"] not in clerk.get("/admin/requests?unit=ecology&kind=signal").text
    assert clerk.get(page_of(mine["number"])).status_code == 200
    assert clerk.get(page_of(other["number"])).status_code == 404
    csrf = page_csrf(clerk, page_of(mine["number"]))
    r = clerk.post(page_of(other["number"]), data={"status": "resolved", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 404 and status_of(hub, other["number"]) == "pending"

    everyone = staff_client(client.app, hub, "all-clerk", "clerk")
    text = everyone.get("/admin/requests").text
    assert mine["number"] in text and other["number"] in text


def test_personal_data_shown_to_the_units_clerk_and_administrator_and_each_view_audited(client, hub, kiosk):
    receipt = heirs(client, hub, kiosk)
    anonymous_signal = pothole(client, kiosk)
    number = receipt["number"]
    listing_admin = staff_client(client.app, hub, "boss", "administrator")
    listing = listing_admin.get("/admin/requests").text
    assert number in listing and "Иванов" not in listing and EGN not in listing  # no personal data in the list
    assert audits(hub, "personal_data_view") == []

    for who, c in (("boss", listing_admin), ("grao-clerk", staff_client(client.app, hub, "grao-clerk", "clerk",
                                                                          units=["grao"]))):
        page = c.get(page_of(number))
        assert page.status_code == 200
        assert "Иван Петров" in page.text and "Иванов" in page.text and EGN in page.text
        assert "0888 123 456" in page.text and "4402126540" in page.text  # contact; the personal form field
        assert "Петър Иванов Иванов" in page.text  # a form field with its catalogue label
        c.get(page_of(number))
        views = [e for e in audits(hub, "personal_data_view", number) if e.actor == who]
        assert len(views) == 2, who  # each view, not each session

    # A page without personal data (an anonymous signal) is no personal-data view.
    assert listing_admin.get(page_of(anonymous_signal["number"])).status_code == 200
    assert audits(hub, "personal_data_view", anonymous_signal["number"]) == []


def test_status_change_public_note_reaches_the_citizen_internal_note_never(client, hub, kiosk):
    receipt = heirs(client, hub, kiosk)
    number, code = receipt["number"], receipt["tracking_code"]
    clerk = staff_client(client.app, hub, "grao-clerk", "clerk", units=["grao"])
    csrf = page_csrf(clerk, page_of(number))
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "in_progress",
                                          "note": "Проверяваме в регистъра.",
                                          "internal_note": "Да се обади на Мария от архива."},
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == page_of(number) + "?done=status_changed"
    assert status_of(hub, number) == "in_progress"
    with hub.sessions() as s:
        last = s.scalars(select(StatusChange).order_by(StatusChange.id.desc())).first()
        assert (last.status, last.note, last.internal_note, last.by_staff) == (
            "in_progress", "Проверяваме в регистъра.", "Да се обади на Мария от архива.", "grao-clerk")
    [entry] = audits(hub, "status_change", number)
    assert entry.actor == "grao-clerk" and entry.detail["old"] == "registered" and entry.detail["new"] == "in_progress"

    staff_page = clerk.get(page_of(number) + "?done=status_changed").text
    assert "Да се обади на Мария от архива." in staff_page and "Проверяваме в регистъра." in staff_page

    public = client.get(f"/t/{quote(number, safe='')}?code={code}")
    assert public.status_code == 200
    assert "В процес на работа" in public.text and "Проверяваме в регистъра." in public.text
    assert "Мария" not in public.text
    api = client.get(f"/api/v1/requests/{quote(number, safe='')}", params={"code": code})
    assert api.status_code == 200 and api.json()["status"] == "in_progress"
    assert api.json()["history"][-1]["note"] == "Проверяваме в регистъра."
    assert "Мария" not in api.text and "internal" not in api.text

    # A transition not allowed from here is refused with the field marked; once closed, the form is gone.
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "registered"})
    assert r.status_code == 422 and 'aria-invalid="true"' in r.text and 'role="alert"' in r.text
    clerk.post(page_of(number), data={"csrf": csrf, "status": "resolved", "note": "Готово.", "confirm_final": "yes"})
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "in_progress"})
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert status_of(hub, number) == "resolved"
    assert 'id="status-form"' not in clerk.get(page_of(number)).text


def test_an_open_item_takes_a_note_without_a_new_status_and_closes_only_when_confirmed(client, hub, kiosk):
    receipt = heirs(client, hub, kiosk)
    number, code = receipt["number"], receipt["tracking_code"]
    clerk = staff_client(client.app, hub, "grao-clerk", "clerk", units=["grao"])
    page = clerk.get(page_of(number)).text
    # The form starts on "unchanged": saving it as it stands cannot move the item on.
    assert re.search(r'<option value="registered" selected>', page), page
    csrf = page_csrf(clerk, page_of(number))
    clerk.post(page_of(number), data={"csrf": csrf, "status": "in_progress", "note": "Приехме заявлението."})
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "in_progress", "note": "Чакаме отговор от архива.",
                                          "internal_note": "Архивът отговаря до петък."}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == page_of(number) + "?done=note_added"
    assert status_of(hub, number) == "in_progress"
    public = client.get(f"/t/{quote(number, safe='')}?code={code}").text
    assert "Приехме заявлението." in public and "Чакаме отговор от архива." in public and "петък" not in public

    # Neither a new status nor a note: nothing to save, said at the note.
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "in_progress"})
    assert r.status_code == 422 and 'id="note-error"' in r.text

    # Resolved without the confirmation: refused, the notes kept in the form, the item still open.
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "resolved", "note": "Готово е, елате до гише 3."})
    assert r.status_code == 422 and 'id="status-error"' in r.text and "Готово е, елате до гише 3." in r.text
    assert status_of(hub, number) == "in_progress"
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "resolved", "note": "Готово е, елате до гише 3.",
                                          "confirm_final": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and status_of(hub, number) == "resolved"
    with hub.sessions() as s:
        changes = s.scalars(select(StatusChange.status).join(ServiceRequest)
                            .where(ServiceRequest.number == number).order_by(StatusChange.id)).all()
    assert changes == ["registered", "in_progress", "in_progress", "resolved"]
    # The audit page words it for people: status names, yes/no, not the codes.
    audit_page = staff_client(client.app, hub, "boss", "administrator").get("/admin/audit").text
    assert "преди: В процес на работа; след: Решена; бележка за гражданина: да" in audit_page, audit_page
    assert "in_progress" not in audit_page and "True" not in audit_page


def test_the_api_status_patch_still_works_and_keeps_no_internal_note(client, hub, kiosk):
    from server_sync.hub.services.staff import create_admin

    receipt = pothole(client, kiosk)
    with hub.sessions.begin() as s:
        create_admin(session=s, username="api-admin", password="correct horse battery")
    r = client.patch(f"/api/v1/requests/{quote(receipt['number'], safe='')}/status",
                     auth=("api-admin", "correct horse battery"), json={"status": "resolved", "note": "Запълнена."})
    assert r.status_code == 200, r.text
    with hub.sessions() as s:
        last = s.scalars(select(StatusChange).order_by(StatusChange.id.desc())).first()
        assert last.note == "Запълнена." and last.internal_note is None


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(client, hub, kiosk):
    receipt = heirs(client, hub, kiosk)
    admin = staff_client(client.app, hub, "boss", "administrator")
    for data in ({"status": "resolved"}, {"status": "resolved", "csrf": "forged-token"}):
        r = admin.post(page_of(receipt["number"]), data=data, follow_redirects=False)
        assert r.status_code == 403
    assert status_of(hub, receipt["number"]) == "registered"
    assert audits(hub, "status_change") == []
    # Bad input re-renders the page with the field marked, never a JSON error.
    csrf = page_csrf(admin, page_of(receipt["number"]))
    r = admin.post(page_of(receipt["number"]), data={"csrf": csrf, "status": "bogus", "note": "x" * 2001})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert 'id="note-error"' in r.text and 'id="status-error"' in r.text
    assert status_of(hub, receipt["number"]) == "registered"


def test_citizen_text_is_shown_escaped_everywhere(client, hub, kiosk):
    receipt = pothole(client, kiosk, description=SCRIPT, location={"address_text": SCRIPT})
    number, code = receipt["number"], receipt["tracking_code"]
    admin = staff_client(client.app, hub, "boss", "administrator")
    listing = admin.get("/admin/requests")
    assert number in listing.text and SCRIPT not in listing.text
    page = admin.get(page_of(number))
    assert SCRIPT not in page.text and page.text.count(ESCAPED) >= 2  # description and location
    csrf = csrf_of(page.text)
    admin.post(page_of(number), data={"csrf": csrf, "status": "in_progress", "note": SCRIPT, "internal_note": SCRIPT})
    page = admin.get(page_of(number))
    assert SCRIPT not in page.text and page.text.count(ESCAPED) >= 4
    public = client.get(f"/t/{quote(number, safe='')}?code={code}")
    assert public.status_code == 200 and SCRIPT not in public.text and ESCAPED in public.text


def test_filters_return_the_right_rows(client, hub, kiosk):
    grao = heirs(client, hub, kiosk)
    tax = submit(client, kiosk, service_request(hub, service_id="tax-assessment", tier=None, form={},
                                                 sealed_applicant=sealed(hub)))
    hole = pothole(client, kiosk)
    late = pothole(client, kiosk)
    with hub.sessions.begin() as s:
        s.execute(update(ServiceRequest).where(ServiceRequest.number == late["number"])
                  .values(deadline_at=datetime.now(timezone.utc) - timedelta(days=3)))
        s.execute(update(ServiceRequest).where(ServiceRequest.number == tax["number"])
                  .values(office_id="centre", channel="counter"))
    admin = staff_client(client.app, hub, "boss", "administrator")
    csrf = page_csrf(admin, page_of(hole["number"]))
    admin.post(page_of(hole["number"]), data={"csrf": csrf, "status": "in_progress"})

    def shown(query: str) -> set[str]:
        r = admin.get("/admin/requests" + query)
        assert r.status_code == 200, r.text[:300]
        return {n for n in (grao["number"], tax["number"], hole["number"], late["number"])
                if f">{n}</a>" in r.text}

    everything = {grao["number"], tax["number"], hole["number"], late["number"]}
    assert shown("") == everything
    assert shown("?kind=signal") == {hole["number"], late["number"]}
    assert shown("?kind=service_request") == {grao["number"], tax["number"]}
    assert shown("?status=in_progress") == {hole["number"]}
    assert shown("?status=pending") == {late["number"]}
    assert shown("?unit=mdt") == {tax["number"]}
    assert shown("?unit=ecology&status=pending") == {late["number"]}
    assert shown("?service=heirs-certificate") == {grao["number"]}
    assert shown("?category=potholes") == {hole["number"], late["number"]}
    assert shown("?office=centre") == {tax["number"]}
    assert shown("?channel=counter") == {tax["number"]}
    assert shown("?overdue=1") == {late["number"]}
    assert shown("?unit=no-such-unit") == everything  # an unknown value is no filter, never an error
    r = admin.get("/admin/requests?overdue=1")
    assert 'class="overdue"' in r.text and "просрочена" in r.text  # a text marker, not colour alone
    # Most overdue first: open items by deadline, the late one first.
    text = admin.get("/admin/requests?order=due").text
    assert text.index(late["number"]) < text.index(grao["number"])


def test_pages_of_fifty_newest_first(client, hub, kiosk):
    numbers = [pothole(client, kiosk)["number"] for _ in range(53)]
    admin = staff_client(client.app, hub, "boss", "administrator")
    first = admin.get("/admin/requests").text
    assert numbers[-1] in first and numbers[3] in first and f">{numbers[2]}</a>" not in first
    assert "?page=2" in first and 'id="inbox-pager"' in first
    second = admin.get("/admin/requests?page=2").text
    shown = [n for n in numbers if f">{n}</a>" in second]
    assert shown == numbers[:3]
    # Past the end: the last page.
    assert [n for n in numbers if f">{n}</a>" in admin.get("/admin/requests?page=99").text] == numbers[:3]


def test_the_count_stops_at_the_cap(client, hub, kiosk, monkeypatch):
    for _ in range(4):
        pothole(client, kiosk)
    monkeypatch.setattr(inbox_service, "COUNT_CAP", 3)
    with hub.sessions() as s:
        result = inbox_service.page(session=s, filters=inbox_service.Filters(), units=None,
                                    now=datetime.now(timezone.utc), per_page=2)
        assert result.total == 4 and result.capped and result.pages == 2 and len(result.rows) == 2
        assert s.scalar(select(func.count()).select_from(ServiceRequest)) == 4


@pytest.mark.parametrize("at, shown, due", [
    (datetime(2026, 1, 15, 22, 30, tzinfo=timezone.utc), "16.01.2026 00:30", "17.01.2026 00:30"),  # EET, UTC+2
    (datetime(2026, 7, 15, 22, 30, tzinfo=timezone.utc), "16.07.2026 01:30", "17.07.2026 01:30"),  # EEST, UTC+3
])
def test_tracking_page_shows_sofia_time_and_the_deadline(client, hub, kiosk, at, shown, due):
    receipt = pothole(client, kiosk)
    number, code = receipt["number"], receipt["tracking_code"]
    admin = staff_client(client.app, hub, "boss", "administrator")
    csrf = page_csrf(admin, page_of(number))
    admin.post(page_of(number), data={"csrf": csrf, "status": "in_progress", "note": "Екипът е на място."})
    with hub.sessions.begin() as s:
        s.execute(update(StatusChange).where(StatusChange.note == "Екипът е на място.").values(at=at))
        s.execute(update(ServiceRequest).where(ServiceRequest.number == number)
                  .values(deadline_at=at + timedelta(days=1)))
    page = client.get(f"/t/{quote(number, safe='')}?code={code}")
    assert page.status_code == 200
    utc_text = at.strftime("%d.%m.%Y %H:%M")
    assert shown in page.text and utc_text not in page.text
    assert f"Срок: {due}" in page.text
    assert "Екипът е на място." in page.text
    # The staff page shows the same local time.
    assert shown in admin.get(page_of(number)).text


@pytest.mark.parametrize("note, kind", [
    ("Обадете се на 0888 123 456 за уточнение.", "phone"),
    ("Заявителят с ЕГН 7501020018 е уведомен.", "egn"),
    ("Пишете на ivan.petrov@example.bg.", "email"),
])
def test_a_public_note_that_looks_personal_asks_first(client, hub, kiosk, note, kind):
    from server_sync.hub.web.inbox import looks_personal

    assert looks_personal(note) == [kind]
    receipt = pothole(client, kiosk)
    number = receipt["number"]
    clerk = staff_client(client.app, hub, "clerk", "clerk")
    csrf = page_csrf(clerk, page_of(number))
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "in_progress", "note": note})
    assert r.status_code == 422 and 'id="note-error"' in r.text and 'name="publish_anyway"' in r.text
    assert status_of(hub, number) != "in_progress"  # nothing published yet
    r = clerk.post(page_of(number), data={"csrf": csrf, "status": "in_progress", "note": note,
                                          "publish_anyway": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and status_of(hub, number) == "in_progress"


def test_ordinary_notes_are_not_taken_for_personal_data():
    from server_sync.hub.web.inbox import looks_personal

    for note in ("Ремонтът е възложен по договор № 2026-118, срок 14.12.2026.", "Бригада 3, 2 часа работа.",
                 "Входящ номер 94-00012/03.12.2026."):
        assert looks_personal(note) == [], note


def test_the_request_page_names_values_in_words_a_clerk_reads(client, hub, kiosk):
    """No raw codes: a signal's type and the citizen's language in the page's language, a form's
    date as Bulgarian documents write it."""
    admin = staff_client(client.app, hub, "boss", "administrator")
    number = pothole(client, kiosk)["number"]
    page = admin.get(page_of(number)).text
    assert "· проблем" in page and "· problem" not in page
    assert re.search(r"<dt>Език</dt><dd>български</dd>", page), page
    from server_sync.hub.catalogue_store import import_catalogue
    from server_sync.hub.testing import fixture_catalogue

    data = fixture_catalogue().model_dump(mode="json")
    data["services"][0]["form_fields"].append({"name": "date_of_death", "type": "date", "max_value": 0,
                                               "label": {"bg": "Дата на смъртта", "en": "Date of death"}})
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=type(fixture_catalogue()).model_validate(data), source="test")
    number = heirs(client, hub, kiosk)["number"]
    with hub.sessions.begin() as s:  # a date field, as the kiosk files it
        s.execute(update(ServiceRequest).where(ServiceRequest.number == number)
                  .values(form={"deceased_name": "Петър Иванов Иванов", "date_of_death": "2026-10-01"}))
    page = admin.get(page_of(number)).text
    assert "Дата на смъртта" in page and "01.10.2026" in page and "2026-10-01" not in page


def test_a_clerk_of_some_units_filters_among_their_services_and_categories_only(client, hub):
    clerk = staff_client(client.app, hub, "grao-clerk", "clerk", units=["grao"])
    page = clerk.get("/admin/requests").text
    service_options = re.search(r'<select id="f-service".*?</select>', page, re.S).group(0)
    assert "heirs-certificate" in service_options and "tax-assessment" not in service_options, service_options
    category_options = re.search(r'<select id="f-category".*?</select>', page, re.S).group(0)
    assert "potholes" not in category_options  # the environment unit's
    everything = staff_client(client.app, hub, "boss", "administrator").get("/admin/requests").text
    assert "tax-assessment" in everything and 'value="potholes"' in everything
