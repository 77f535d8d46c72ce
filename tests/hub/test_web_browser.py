"""The staff web in a real browser (Playwright on Debian's chromium): what a clerk, a technician and an
administrator do, with the mouse and with the keyboard only, and axe-core's WCAG 2.1 AA checks."""

from __future__ import annotations

import pytest

from server_sync.hub.testing import running_hub

from .browser import DESKTOP, PHONE, axe_violations, browser, log_in
from .web_support import PASSWORD, add_staff


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture
def hub(tmp_path):
    with running_hub(tmp_path) as h:
        add_staff(h.context, "admin", "administrator")
        yield h


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=DESKTOP, locale="bg-BG")
    p = context.new_page()
    yield p
    context.close()


def test_log_in_and_out(hub, page):
    log_in(page, hub.base_url, "admin", "wrong password!")
    assert page.get_by_role("alert").inner_text().startswith("Грешно потребителско име")
    log_in(page, hub.base_url, "admin", PASSWORD)
    assert page.get_by_role("button", name="Изход").is_visible()
    page.get_by_role("navigation").get_by_role("link", name="Служители").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Служители"
    page.get_by_role("button", name="Изход").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Вход за служители"
    page.goto(f"{hub.base_url}/admin/staff")
    assert "/admin/login" in page.url


def test_keyboard_only_log_in_and_add_a_clerk(hub, page):
    page.goto(f"{hub.base_url}/admin/login")
    assert page.evaluate("document.activeElement.id") == "username"  # the form is ready to type into
    page.keyboard.type("admin")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{hub.base_url}/admin/staff")
    # The skip link comes first, is visible when focused, and takes focus past the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator(".skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    while page.evaluate("document.activeElement.id") != "username":
        page.keyboard.press("Tab")
    page.keyboard.type("ivana")
    page.keyboard.press("Tab")
    page.keyboard.type("Ивана Петрова")
    page.keyboard.press("Tab")
    # No role is chosen for the administrator: a new account is never an administrator by default.
    assert page.locator("#role").input_value() == ""
    page.keyboard.press("ArrowDown")  # → administrator → clerk, as a keyboard user changes a select
    page.keyboard.press("ArrowDown")
    assert page.locator("#role").input_value() == "clerk"
    page.locator("#password").focus()
    page.keyboard.type("ивана-парола-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Служителят е добавен" in page.get_by_role("status").inner_text()
    assert page.get_by_role("row", name="ivana").is_visible()


def test_disabling_a_clerk_asks_first_and_then_ends_their_session(hub, page, chromium):
    """One click on "Деактивирай" does not log a clerk out mid-answer: the row opens a confirmation
    whose box must be ticked; then the clerk's open page is at the login form."""
    add_staff(hub.context, "ivana", "clerk")
    clerk_context = chromium.new_context(viewport=DESKTOP, locale="bg-BG")
    clerk = clerk_context.new_page()
    try:
        log_in(clerk, hub.base_url, "ivana", PASSWORD)
        log_in(page, hub.base_url, "admin", PASSWORD)
        page.goto(f"{hub.base_url}/admin/staff")
        row = page.get_by_role("row", name="ivana")
        button = row.get_by_role("button", name="Деактивирай ivana")
        assert not button.is_visible()  # folded away until asked for
        row.locator("summary", has_text="Деактивирай").click()
        assert "Излиза веднага" in row.inner_text()
        button.click()  # the box is not ticked: the browser keeps the form, nothing is sent
        assert page.url.endswith("/admin/staff") and "активен" in row.inner_text()
        row.get_by_label("Потвърждавам деактивирането на ivana").check()
        with page.expect_navigation():
            button.click()
        assert "Служителят е деактивиран" in page.get_by_role("status").inner_text()
        assert "деактивиран" in page.get_by_role("row", name="ivana").inner_text()
        clerk.reload()
        assert clerk.get_by_role("heading", level=1).inner_text() == "Вход за служители"
    finally:
        clerk_context.close()


def test_withdrawing_a_technician_asks_first_and_the_name_can_be_added_again(hub, page):
    log_in(page, hub.base_url, "admin", PASSWORD)
    page.goto(f"{hub.base_url}/admin/technicians")
    page.get_by_label("Име и фамилия").fill("Петър Сервизов")
    page.get_by_label("ПИН", exact=False).first.fill("40719235")
    with page.expect_navigation():
        page.get_by_role("button", name="Добави").click()
    row = page.get_by_role("row", name="Петър Сервизов")
    row.locator("summary", has_text="Спри достъпа").click()
    assert "Окончателно" in row.inner_text()
    row.get_by_label("Потвърждавам спирането на достъпа на Петър Сервизов").check()
    with page.expect_navigation():
        row.get_by_role("button", name="Спри достъпа на Петър Сервизов").click()
    assert "Достъпът на техника е спрян" in page.get_by_role("status").inner_text()
    page.get_by_label("Име и фамилия").fill("Петър Сервизов")  # back from leave: access given again
    page.get_by_label("ПИН", exact=False).first.fill("40719235")
    with page.expect_navigation():
        page.get_by_role("button", name="Добави").click()
    assert "Техникът е добавен" in page.get_by_role("status").inner_text()
    states = [r.inner_text() for r in page.get_by_role("row", name="Петър Сервизов").all()]
    assert len(states) == 2 and sum("активен" in s for s in states) == 1, states


def test_a_technician_is_added_for_one_office_and_withdrawn_with_the_keyboard_alone(hub, page):
    """No mouse: the add form's office list, then the row's folded confirmation — opened, ticked and
    sent with Tab, arrows, Space and Enter."""
    log_in(page, hub.base_url, "admin", PASSWORD)
    page.goto(f"{hub.base_url}/admin/technicians")
    page.locator("#t-name").focus()
    page.keyboard.type("Петър Сервизов")
    page.keyboard.press("Tab")  # the badge: left empty
    page.keyboard.press("Tab")
    page.keyboard.type("40719235")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "t-office"
    page.keyboard.press("ArrowDown")  # every office → the first office of the catalogue
    office = page.locator("#t-office").input_value()
    assert office
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "technician-submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    row = page.get_by_role("row", name="Петър Сервизов")
    assert page.locator("#t-office option:checked").inner_text() == "всички офиси"  # the form is fresh
    assert page.locator(f"#t-office option[value='{office}']").inner_text() in row.inner_text()
    summary = row.locator("summary")
    while page.evaluate("document.activeElement === document.querySelector('#technicians-table summary')") is False:
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # opens the confirmation
    assert summary.evaluate("s => s.parentElement.open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "confirm"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Достъпът на техника е спрян" in page.get_by_role("status").inner_text()
    assert "спрян" in page.get_by_role("row", name="Петър Сервизов").inner_text()


def test_focus_is_visible(hub, page):
    page.goto(f"{hub.base_url}/admin/login")
    page.locator("#username").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none"


def test_errors_are_announced_next_to_their_field(hub, page):
    log_in(page, hub.base_url, "admin", PASSWORD)
    page.goto(f"{hub.base_url}/admin/staff")
    page.locator("#username").fill("two words")
    page.locator("#role").select_option("clerk")
    page.locator("#password").fill("0123456789ab")
    with page.expect_navigation():
        page.locator("#password").evaluate("e => e.form.requestSubmit()")
    field = page.locator("#username")
    assert field.get_attribute("aria-invalid") == "true"
    described = page.locator(f"#{field.get_attribute('aria-describedby')}")
    assert "интервали" in described.inner_text()
    assert page.get_by_role("alert").is_visible()


@pytest.mark.parametrize("path", ["/admin/login", "/admin/staff", "/admin/audit"])
def test_pages_pass_axe_wcag_aa(hub, page, path):
    if path != "/admin/login":
        log_in(page, hub.base_url, "admin", PASSWORD)
    page.goto(f"{hub.base_url}{path}")
    assert axe_violations(page) == []


# --- the flows of each role ----------------------------------------------------------------------------


def _first_category(hub):
    with hub.context.sessions() as s:  # closed at once: on SQLite an open session holds the write lock
        return hub.context.catalogue.get(s)[0].signal_categories[0]


def _heartbeat(hub, token: str, seq: int = 1) -> None:
    import httpx

    from server_sync.hub.db import utcnow

    body = {"terminal_time": utcnow().isoformat(), "seq": seq, "software_version": "0.9.3", "uptime_s": 3600,
            "queue_depth": 0}
    r = httpx.post(f"{hub.base_url}/api/v1/terminals/heartbeat", json=body,
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text


def test_technician_sees_a_silent_terminal_flagged(hub, page):
    from datetime import timedelta

    from sqlalchemy import update

    from server_sync.hub.db import utcnow
    from server_sync.hub.models import Terminal

    add_staff(hub.context, "tech", "technician")
    quiet, fine = hub.enroll("kiosk", "Киоск — кметство Изгрев"), hub.enroll("kiosk", "Киоск — фоайе")
    _heartbeat(hub, quiet.token)
    _heartbeat(hub, fine.token)
    with hub.context.sessions.begin() as s:
        s.execute(update(Terminal).where(Terminal.id == quiet.terminal_id)
                  .values(last_heartbeat_at=utcnow() - timedelta(minutes=40)))
    log_in(page, hub.base_url, "tech", PASSWORD)
    page.goto(f"{hub.base_url}/admin/fleet")
    rows = page.locator("#fleet-table tbody tr")
    assert "Изгрев" in rows.first.inner_text()  # problems first
    quiet_row = page.locator(f"#terminal-{quiet.terminal_id}")
    assert "извън линия" in quiet_row.inner_text() and "преди 40 мин" in quiet_row.inner_text()
    assert "на линия" in page.locator(f"#terminal-{fine.terminal_id}").inner_text()
    # Filter to the offline ones, as a technician would.
    page.locator("#f-state").select_option("offline")
    with page.expect_navigation():
        page.locator("#fleet-filters button[type=submit]").click()
    assert page.locator("#fleet-table tbody tr").count() == 1
    # A technician does not reach the inbox.
    assert page.goto(f"{hub.base_url}/admin/requests").status == 403


def test_technician_creates_an_enrolment_code_that_enrols_a_terminal(hub, page):
    import httpx

    add_staff(hub.context, "tech", "technician")
    log_in(page, hub.base_url, "tech", PASSWORD)
    page.goto(f"{hub.base_url}/admin/fleet")
    page.locator("#enrol-link").click()
    page.locator("#e-kind").select_option("kiosk")
    page.locator("#e-name").fill("Киоск — Център за услуги")
    page.locator("#e-location").fill("Партер, до гише 1")
    with page.expect_navigation():
        page.locator("#enrol-submit").click()
    code = page.locator("#enrollment-code").inner_text().strip()
    assert page.locator("#enrollment-qr svg").count() == 1
    r = httpx.post(f"{hub.base_url}/api/v1/terminals/enroll", json={"code": code})
    assert r.status_code == 201 and r.json()["name"] == "Киоск — Център за услуги"
    # Shown once: reloading the fleet page does not show the code again.
    page.goto(f"{hub.base_url}/admin/fleet")
    assert code not in page.content()


def test_clerk_answers_a_signal_and_the_citizen_sees_it(hub, page, chromium):
    import uuid
    from urllib.parse import quote

    import httpx

    from server_sync.hub.db import utcnow

    add_staff(hub.context, "clerk", "clerk")
    kiosk = hub.enroll("kiosk", "Киоск — фоайе")
    category = _first_category(hub)
    body = {"client_id": str(uuid.uuid4()), "kind": "signal", "terminal_time": utcnow().isoformat(), "seq": 5,
            "signal_category_id": category.id, "signal_type": "problem", "anonymous": True,
            "description": "<script>alert(1)</script> Не свети лампата пред блок 12.",
            "location": {"address_text": "ул. „Родопи“, пред бл. 12"}}
    r = httpx.post(f"{hub.base_url}/api/v1/requests", json=body, headers={"Authorization": f"Bearer {kiosk.token}"})
    assert r.status_code == 201, r.text
    number, code = r.json()["number"], r.json()["tracking_code"]
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, hub.base_url, "clerk", PASSWORD)
    page.goto(f"{hub.base_url}/admin/requests")
    page.get_by_role("link", name=number).click()
    page.wait_for_load_state()
    assert "<script>alert(1)</script>" in page.locator("#request-description").inner_text()  # shown as text
    page.locator("#status").select_option("in_progress")
    page.locator("#note").fill("Възложено на „Улично осветление“ ЕООД, срок 5 дни.")
    page.locator("#internal_note").fill("Бригада 2, обадих се на диспечера.")
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    assert "В процес на работа" in page.locator("#request-status").inner_text()
    # A later word to the citizen without moving the item on: the form starts on "unchanged".
    page.locator("#note").fill("Бригадата е на място.")
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    assert "В процес на работа" in page.locator("#request-status").inner_text()
    assert "Бележката е записана" in page.locator("main").inner_text()
    # Closing is asked first: "Решена" and Save alone do not close the item.
    page.locator("#status").select_option("resolved")
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    assert "В процес на работа" in page.locator("#request-status").inner_text()
    assert page.locator("#status-error").is_visible()
    page.locator("#confirm_final").check()
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    assert "Решена" in page.locator("#request-status").inner_text()
    # The citizen opens the receipt's QR link on a phone.
    phone = chromium.new_context(viewport=PHONE).new_page()
    phone.goto(f"{hub.base_url}/t/{quote(number, safe='')}?code={code}")
    text = phone.locator("main").inner_text()
    assert "Решена" in text and "Улично осветление“ ЕООД" in text and "Бригадата е на място." in text
    assert "Бригада 2" not in text
    # the number as on the receipt, on one line: not broken at its hyphen ("94-" / "00001/…")
    assert phone.locator("main p strong").first.evaluate("e => e.getClientRects().length") == 1
    assert dialogs == []
    phone.context.close()


def test_notes_typed_when_the_session_ended_come_back_after_logging_in_again(hub, page):
    import uuid
    from urllib.parse import quote, unquote

    import httpx
    from sqlalchemy import update

    from server_sync.hub.db import utcnow
    from server_sync.hub.models import StaffSession

    add_staff(hub.context, "clerk", "clerk")
    kiosk = hub.enroll("kiosk", "Киоск — фоайе")
    body = {"client_id": str(uuid.uuid4()), "kind": "signal", "terminal_time": utcnow().isoformat(), "seq": 1,
            "signal_category_id": _first_category(hub).id, "signal_type": "problem", "anonymous": True,
            "description": "Дупка на пътя.", "location": {"address_text": "ул. „Витоша“ 3"}}
    r = httpx.post(f"{hub.base_url}/api/v1/requests", json=body, headers={"Authorization": f"Bearer {kiosk.token}"})
    number = r.json()["number"]
    log_in(page, hub.base_url, "clerk", PASSWORD)
    page.goto(f"{hub.base_url}/admin/requests/{quote(number, safe='')}")
    page.locator("#status").select_option("in_progress")
    page.locator("#note").fill("Екип ще дойде до петък.")
    page.locator("#internal_note").fill("Обадих се на пътна служба.")
    with hub.context.sessions.begin() as s:  # the clerk went to lunch: the session ended meanwhile
        s.execute(update(StaffSession).values(revoked_at=utcnow()))
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    notice = page.locator("#session-ended").inner_text()
    assert "Сесията ви е приключила" in notice and "не е записано" in notice
    log_in_here(page, "clerk")
    assert unquote(page.url).endswith(f"/admin/requests/{number}")  # back where the clerk was
    assert page.locator("#note").input_value() == "Екип ще дойде до петък."
    assert page.locator("#internal_note").input_value() == "Обадих се на пътна служба."
    page.locator("#status").select_option("in_progress")
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    assert "В процес на работа" in page.locator("#request-status").inner_text()
    page.reload()  # saved: the draft is gone, the form empty again
    assert page.locator("#note").input_value() == ""


def log_in_here(page, username: str) -> None:
    """Log in on the login page the browser is on (keeping where it was sent back to)."""
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")


ALL_PAGES = ["/admin/fleet", "/admin/fleet/enrol", "/admin/requests", "/admin/catalogue", "/admin/catalogue/import",
             "/admin/satisfaction", "/admin/technicians", "/admin/staff", "/admin/audit"]


def test_every_page_passes_axe_wcag_aa(hub, page):
    import uuid

    import httpx

    from server_sync.hub.db import utcnow

    kiosk = hub.enroll("kiosk", "Киоск — фоайе")
    _heartbeat(hub, kiosk.token)
    category = _first_category(hub)
    body = {"client_id": str(uuid.uuid4()), "kind": "signal", "terminal_time": utcnow().isoformat(), "seq": 5,
            "signal_category_id": category.id, "signal_type": "problem", "anonymous": True, "description": "Дупка.",
            "location": {"address_text": "ул. „Родопи“ 5"}}
    number = httpx.post(f"{hub.base_url}/api/v1/requests", json=body,
                        headers={"Authorization": f"Bearer {kiosk.token}"}).json()["number"]
    log_in(page, hub.base_url, "admin", PASSWORD)
    from urllib.parse import quote

    failures, sideways = {}, {}
    for width in (DESKTOP["width"], 1280, 360):  # a desk, a laptop, a phone
        page.set_viewport_size({"width": width, "height": 800})
        for path in ALL_PAGES + [f"/admin/fleet/{kiosk.terminal_id}", f"/admin/requests/{quote(number, safe='')}"]:
            response = page.goto(f"{hub.base_url}{path}")
            if response.status == 404 and path == "/admin/technicians":
                continue
            assert response.status == 200, path
            # The page itself never scrolls sideways: a wide table scrolls in its own box.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                sideways[(width, path)] = overflow
            found = axe_violations(page)
            if found:
                failures[(width, path)] = found
            if path == "/admin/requests":  # a number is read and quoted whole, not "94-" / "00001/…"
                link = page.get_by_role("link", name=number)
                assert link.evaluate("e => e.getClientRects().length") == 1, (width, link.inner_text())
    assert failures == {}
    assert sideways == {}


def test_the_fleet_page_refreshes_itself_unless_someone_is_typing(hub, page):
    add_staff(hub.context, "tech", "technician")
    log_in(page, hub.base_url, "tech", PASSWORD)
    page.goto(f"{hub.base_url}/admin/fleet")
    assert page.locator("body").get_attribute("data-refresh") == "60"
    page.clock.install()  # the page's timers run on a clock the test moves
    page.goto(f"{hub.base_url}/admin/fleet")
    stamp = page.locator("#fleet-updated").inner_text()
    page.evaluate("window.__marker = 1")
    with page.expect_navigation():
        page.clock.run_for(61_000)
    assert page.evaluate("window.__marker") is None  # the page was reloaded
    page.locator("#f-state").focus()
    page.evaluate("window.__marker = 2")
    page.clock.run_for(120_000)
    assert page.evaluate("window.__marker") == 2  # not while a filter has focus
    assert stamp
    # Switched off, it stays put.
    with page.expect_navigation():
        page.locator("#refresh-toggle").click()
    assert page.locator("body").get_attribute("data-refresh") is None
