"""An administrator puts a terminal on the pilot channel in a real browser (Playwright on Debian's
chromium), sees the update state the terminal reports on the fleet page, and the page passes axe."""

from __future__ import annotations

import httpx
import pytest

from server_sync.hub.db import utcnow
from server_sync.hub.releases import service
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


def test_an_administrator_moves_a_terminal_to_the_pilot_channel(hub, chromium):
    kiosk = hub.enroll("kiosk", "Киоск — фоайе")
    body = {"terminal_time": utcnow().isoformat(), "seq": 1, "software_version": "1.3.0", "uptime_s": 60,
            "queue_depth": 0, "features": ["updates"],
            "update": {"state": "installed", "current": "1.3.0", "target": "1.4.0"}}
    r = httpx.post(f"{hub.base_url}/api/v1/terminals/heartbeat", json=body,
                   headers={"Authorization": f"Bearer {kiosk.token}"})
    assert r.status_code == 200, r.text
    context = chromium.new_context(viewport=DESKTOP, locale="bg-BG")
    page = context.new_page()
    try:
        log_in(page, hub.base_url, "admin", PASSWORD)
        page.goto(f"{hub.base_url}/admin/fleet")
        row = page.locator(f"#terminal-{kiosk.terminal_id}")
        assert "1.4.0 е инсталирана, чака момент без граждани" in row.inner_text()
        assert "пилотен" not in row.inner_text()
        row.get_by_role("link", name=kiosk.terminal_id).click()
        assert page.locator("#update-channel").inner_text() == "всички"
        assert axe_violations(page) == []
        page.get_by_label("Канал", exact=True).select_option("pilot")
        with page.expect_navigation():
            page.get_by_role("button", name="Запази канала").click()
        assert page.get_by_role("status").inner_text() == "Промените са записани."
        assert page.locator("#update-channel").inner_text() == "пилотен"
        page.goto(f"{hub.base_url}/admin/fleet")
        assert "пилотен" in page.locator(f"#terminal-{kiosk.terminal_id}").inner_text()
    finally:
        context.close()
    with hub.context.sessions() as s:
        assert service.terminal_channels(session=s) == {kiosk.terminal_id: "pilot"}
