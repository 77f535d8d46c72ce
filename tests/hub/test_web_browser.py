"""The staff web in a real browser (Playwright on Debian's chromium): what a clerk, a technician and an
administrator do, with the mouse and with the keyboard only, and axe-core's WCAG 2.1 AA checks."""

from __future__ import annotations

import pytest

from server_sync.hub.testing import running_hub

from .browser import DESKTOP, axe_violations, browser, log_in
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
    page.keyboard.press("ArrowDown")  # administrator → clerk, as a keyboard user changes a select
    assert page.locator("#role").input_value() == "clerk"
    page.locator("#password").focus()
    page.keyboard.type("ивана-парола-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Служителят е добавен" in page.get_by_role("status").inner_text()
    assert page.get_by_role("row", name="ivana").is_visible()


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
