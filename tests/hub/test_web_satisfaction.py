"""The satisfaction page: administrators only; presses in through the terminals' API come out as the
index, SVG charts drawn by matplotlib with their figures beside them, and alerts acknowledged with a note."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from server_sync.hub.analytics.models import FeedbackAlert
from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.models import AuditEntry
from server_sync.hub.testing import fixture_catalogue
from tests.hub.conftest import enroll
from tests.hub.web_support import csrf_of, staff_client

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def batch(scores, *, start, step_s=120, counter="c1", office="centre"):
    return {"presses": [
        {"press_id": str(uuid.uuid4()), "terminal_time": (start + timedelta(seconds=i * step_s)).isoformat(),
         "seq": i + 1, "score": s, "scale": 4, "counter_id": counter, "office_id": office,
         "filtered": False, "filter_reason": None}
        for i, s in enumerate(scores)]}


def backdate_enrolment(hub, terminal_id: str) -> None:
    """Enrolled yesterday: presses of two hours ago are no clock error."""
    from sqlalchemy import update

    from server_sync.hub.models import Terminal

    with hub.sessions.begin() as s:
        s.execute(update(Terminal).where(Terminal.id == terminal_id)
                  .values(enrolled_at=datetime.now(timezone.utc) - timedelta(days=1)))


@pytest.fixture
def presses(client, hub):
    """A feedback terminal that sent 4 presses (index 33.33, 3 negative: an alert) at counter c1 and
    2 good ones at c2, two hours ago."""
    terminal = enroll(client, hub, kind="feedback", name="Гише 1")
    backdate_enrolment(hub, terminal["terminal_id"])
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=2)
    for body in (batch([1, 2, 4, 1], start=start), batch([4, 4], start=start, counter="c2")):
        r = client.post("/api/v1/feedback", json=body, headers=terminal["headers"])
        assert r.status_code == 200, r.text
    return start


@pytest.fixture
def admin(client, hub):
    return staff_client(client.app, hub, "ana", "administrator")


def open_alerts(hub) -> list[FeedbackAlert]:
    with hub.sessions() as s:
        return list(s.scalars(select(FeedbackAlert).where(FeedbackAlert.acknowledged_at.is_(None))))


def test_role_boundaries(client, hub, presses):
    for role in ("clerk", "technician"):
        other = staff_client(client.app, hub, f"x-{role}", role)
        assert other.get("/admin/satisfaction").status_code == 403
        token = csrf_of(other.get("/admin/staff").text)  # their own session's token
        assert other.post("/admin/satisfaction/alerts/1/acknowledge", data={"csrf": token}).status_code == 403
    r = client.get("/admin/satisfaction", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")
    r = client.post("/admin/satisfaction/alerts/1/acknowledge", data={}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")


def test_page_with_presses_draws_the_charts(admin, presses):
    r = admin.get("/admin/satisfaction")
    assert r.status_code == 200, r.text[:1000]
    text = r.text
    # Six counted presses: (0 + 33.3 + 100 + 0 + 100 + 100) / 6 = 55.6; 3 negative of 6.
    assert re.search(r"<strong id=\"index-value\">55\.6</strong>", text)
    assert text.count("<svg") == 3 and "<style" not in text.split('id="trend-chart"')[1]
    for chart in ("trend-chart", "heatmap-chart", "counters-chart"):
        figure = text.split(f'id="{chart}" class="chart-figure">', 1)[1].split("</figure>", 1)[0]
        assert figure.startswith("<svg") and 'role="img"' in figure and "<title" in figure, chart
    assert "style=" not in text  # the CSP forbids inline styles
    counters = text.split('id="counters-table"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"c1</th><td class=\"num\">33\.3</td>\s*<td class=\"num\">4</td>", counters), counters
    assert "c2" in counters and "100.0" in counters
    today = datetime.now(timezone.utc).astimezone().date().isoformat()[:7]
    assert today in text.split('id="trend-table"', 1)[1]

    # Filters: one counter, by week.
    r = admin.get("/admin/satisfaction", params={"office": "centre", "counter": "c2", "interval": "week"})
    assert re.search(r'<strong id="index-value">100\.0</strong>', r.text)
    assert "alert-" not in r.text.split('id="alerts-table"', 1)[1].split("</table>")[0]
    # A bad filter is explained, not a 500 or a JSON error.
    r = admin.get("/admin/satisfaction", params={"office": "nowhere", "since": "yesterday", "until": "2026-99-01"})
    assert r.status_code == 200 and 'id="office-error"' in r.text and 'id="since-error"' in r.text
    r = admin.get("/admin/satisfaction", params={"since": "2000-01-01", "until": "2026-01-01"})
    assert r.status_code == 200 and 'id="since-error"' in r.text


def test_empty_page(admin):
    r = admin.get("/admin/satisfaction")
    assert r.status_code == 200 and r.text.count("<svg") == 3 and 'id="index-value">—<' in r.text


def test_alert_acknowledged_with_a_note(client, hub, admin, presses):
    page = admin.get("/admin/satisfaction", params={"office": "centre"})
    (alert,) = open_alerts(hub)
    assert f'id="alert-{alert.id}" class="problem"' in page.text
    csrf = csrf_of(page.text)
    url = f"/admin/satisfaction/alerts/{alert.id}/acknowledge"
    assert admin.post(url, data={"note": "x"}).status_code == 403  # no token
    assert admin.post(url, data={"note": "x", "csrf": "forged"}).status_code == 403
    assert len(open_alerts(hub)) == 1

    r = admin.post(url, data={"csrf": csrf, "note": f"  Проверено {XSS}  ", "back": "office=centre&evil=1"},
                   follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/admin/satisfaction?office=centre&done=alert_acknowledged"
    assert open_alerts(hub) == []
    with hub.sessions() as s:
        stored = s.get(FeedbackAlert, alert.id)
        assert stored.acknowledged_by == "ana" and stored.note == f"Проверено {XSS}"
        (entry,) = s.scalars(select(AuditEntry).where(AuditEntry.action == "alert_ack"))
    assert entry.target == f"alert/{alert.id}" and entry.actor == "ana" and entry.detail["counter"] == "c1"
    text = admin.get(r.headers["location"]).text
    assert XSS not in text and f"Проверено {ESCAPED}" in text and 'role="status"' in text
    assert admin.post("/admin/satisfaction/alerts/99999/acknowledge", data={"csrf": csrf}).status_code == 404
    assert admin.post("/admin/satisfaction/alerts/abc/acknowledge", data={"csrf": csrf}).status_code == 404


def test_by_office_when_several(client, hub, admin, presses):
    terminal = enroll(client, hub, kind="feedback", name="Гише 9")
    backdate_enrolment(hub, terminal["terminal_id"])
    r = client.post("/api/v1/feedback", json=batch([1], start=presses, office="north", counter="n1"),
                    headers=terminal["headers"])
    assert r.status_code == 200
    text = admin.get("/admin/satisfaction").text
    table = text.split('id="offices-table"', 1)[1].split("</table>", 1)[0]
    assert "Център за услуги" in table and "north" in table
    assert 'id="offices-table"' not in admin.get("/admin/satisfaction", params={"office": "centre"}).text


def test_office_name_escaped(client, hub, admin, presses):
    data = fixture_catalogue().model_dump(mode="json")
    data["offices"][0]["name"]["bg"] = XSS
    with hub.sessions.begin() as s:
        import_catalogue(s, type(fixture_catalogue()).model_validate(data), source="test")
    text = admin.get("/admin/satisfaction", params={"office": "centre"}).text
    assert XSS not in text and ESCAPED in text
