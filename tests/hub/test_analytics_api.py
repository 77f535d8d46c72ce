"""Feedback analytics over HTTP on a real hub: presses in through /api/v1/feedback, figures and alerts out."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from server_sync.hub.testing import running_hub

T0 = datetime(2026, 2, 17, 12, 0, tzinfo=timezone.utc)  # Tue 14:00 in Sofia



def _scrape(base: str) -> dict[tuple, float]:
    """/metrics as {(sample name, sorted labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families

    response = httpx.get(f"{base}/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}

def batch(scores, *, start=T0, step_s=120, counter="mdt-1", office="center", filtered=False):
    return {"presses": [
        {"press_id": str(uuid.uuid4()), "terminal_time": (start + timedelta(seconds=i * step_s)).isoformat(),
         "seq": i + 1, "score": s, "scale": 4, "counter_id": counter, "office_id": office,
         "filtered": filtered, "filter_reason": "response_interval" if filtered else None}
        for i, s in enumerate(scores)]}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub(request, tmp_path_factory):
    """A real hub on SQLite, then on PostgreSQL (the tests of this module share it, in order)."""
    database_url, drop = "", None
    if request.param == "postgresql":
        import psycopg

        admin = request.getfixturevalue("postgres_admin_url")
        name = f"eob_analytics_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base = admin.rsplit("/", 1)[0]
        database_url = f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        # Each scrape reads afresh (by default one answer serves the scrapes of 5 s).
        with running_hub(tmp_path_factory.mktemp("analytics-api"), database_url=database_url,
                         metrics_cache_seconds=0) as hub:
            enrolled = hub.enroll("feedback", "Гише 1 — МДТ")
            # Enrolled last year: its presses of February are no clock error.
            from sqlalchemy import update

            from server_sync.hub.models import Terminal

            with hub.context.sessions.begin() as s:
                s.execute(update(Terminal).where(Terminal.id == enrolled.terminal_id)
                          .values(enrolled_at=datetime(2025, 1, 1, tzinfo=timezone.utc)))
            hub.terminal_headers = {"Authorization": f"Bearer {enrolled.token}"}
            hub.terminal_id = enrolled.terminal_id
            hub.staff = hub.create_admin("maria", "a long enough password")
            yield hub
    finally:
        if drop:
            drop()


def test_presses_in_figures_and_alert_out(hub):
    base = hub.base_url
    r = httpx.post(f"{base}/api/v1/feedback", json=batch([1, 2, 4, 1]), headers=hub.terminal_headers)
    assert r.status_code == 200, r.text
    r = httpx.post(f"{base}/api/v1/feedback", json=batch([1, 1], start=T0 + timedelta(seconds=30), filtered=True),
                   headers=hub.terminal_headers)
    assert r.status_code == 200

    r = httpx.get(f"{base}/api/v1/feedback/satisfaction", params={"group_by": "counter"}, auth=hub.staff)
    assert r.status_code == 200
    group = r.json()["groups"][0]
    assert (group["counter"], group["responses"], group["filtered"]) == ("mdt-1", 4, 2)
    assert group["index"] == round((0 + 100 / 3 + 100 + 0) / 4, 2)

    r = httpx.get(f"{base}/api/v1/feedback/heatmap", params={"office_id": "center", "tz": "Europe/Sofia"},
                  auth=hub.staff)
    assert [(c["weekday"], c["hour"], c["responses"]) for c in r.json()["cells"]] == [(1, 14, 4)]

    r = httpx.get(f"{base}/api/v1/feedback/alerts", auth=hub.staff)
    assert r.status_code == 200
    (alert,) = r.json()["alerts"]
    assert (alert["counter_id"], alert["responses"], alert["negative"]) == ("mdt-1", 4, 3)

    metrics = _scrape(base)
    assert metrics[("eobshtina_feedback_alerts_open", (("counter", "mdt-1"), ("office", "center")))] == 1
    assert metrics[("eobshtina_feedback_presses_total", (("counter", "mdt-1"), ("filtered", "true"), ("score", "1"),
                                                         ("terminal", hub.terminal_id)))] == 2

    r = httpx.post(f"{base}/api/v1/feedback/alerts/{alert['id']}/acknowledge", json={"note": "проверено"},
                   auth=hub.staff)
    assert r.status_code == 200 and r.json()["acknowledged_by"] == "maria"
    assert httpx.get(f"{base}/api/v1/feedback/alerts", auth=hub.staff).json()["alerts"] == []
    assert not [key for key in _scrape(base) if key[0] == "eobshtina_feedback_alerts_open"]

    summary = httpx.get(f"{base}/api/v1/feedback/summary", auth=hub.staff).json()
    mine = [t for t in summary["terminals"] if t["terminal_id"] == hub.terminal_id][0]
    assert mine["counted"] == {"1": 2, "2": 1, "3": 0, "4": 1} and mine["filtered"]["1"] == 2


def test_open_data_is_public_and_aggregated(hub):
    r = httpx.get(f"{hub.base_url}/api/v1/feedback/open-data.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    # Four presses in that hour: published as suppressed, the counts left empty.
    assert rows and rows[0]["hour_utc"] == "2026-02-17T12:00:00Z" and rows[0]["responses"] == ""
    assert rows[0]["suppressed"] == "True" and rows[0]["score_1"] == "" and rows[0]["score_5"] == "0"
    assert "terminal_id" not in rows[0]
    data = httpx.get(f"{hub.base_url}/api/v1/feedback/open-data.json").json()
    assert data["rows"][0]["score_1"] is None and data["rows"][0]["suppressed"] is True


def test_alert_rules_per_office(hub):
    url = f"{hub.base_url}/api/v1/feedback/alert-rules/village"
    assert httpx.get(url, auth=hub.staff).json()["min_responses"] == 4  # the default
    r = httpx.put(url, json={"window_s": 1800, "min_responses": 5, "negative_share": 0.34}, auth=hub.staff)
    assert r.status_code == 200
    assert httpx.get(url, auth=hub.staff).json()["window_s"] == 1800
    # 2 of 5 negative (40 %): an alert under the village's rule, none under the default (50 %).
    later = T0 + timedelta(days=1)
    for office, counter in (("village", "k1"), ("center", "c9")):
        r = httpx.post(f"{hub.base_url}/api/v1/feedback", json=batch([1, 4, 4, 4, 2], start=later, counter=counter,
                                                                     office=office), headers=hub.terminal_headers)
        assert r.json()["accepted"] == 5
    opened = httpx.get(f"{hub.base_url}/api/v1/feedback/alerts", auth=hub.staff).json()["alerts"]
    assert [(a["office_id"], a["counter_id"], a["negative"], a["responses"]) for a in opened] == \
        [("village", "k1", 2, 5)]
    assert opened[0]["rule"] == {"window_s": 1800, "min_responses": 5, "negative_share": 0.34}
    bad = httpx.put(url, json={"window_s": 5, "min_responses": 0, "negative_share": 3}, auth=hub.staff)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "window_s"  # a body: 422, like every body
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"window_s", "min_responses", "negative_share"}


# A bad query parameter is a 400 naming it, whether FastAPI or the endpoint refuses it.
@pytest.mark.parametrize("path, params, status, field", [
    ("/api/v1/feedback/satisfaction", {"group_by": "weather"}, 400, "group_by"),
    ("/api/v1/feedback/satisfaction", {"since": "yesterday"}, 400, "since"),
    ("/api/v1/feedback/satisfaction", {"office_id": "o" * 65}, 400, "office_id"),
    ("/api/v1/feedback/heatmap", {"tz": "Mars/Olympus"}, 400, "tz"),
    ("/api/v1/feedback/trend", {"since": "2026-02-01T00:00:00"}, 400, "since"),  # no time zone
    ("/api/v1/feedback/trend", {"interval": "fortnight"}, 400, "interval"),
    ("/api/v1/feedback/alerts", {"state": "closed"}, 400, "state"),
    ("/api/v1/feedback/open-data.csv", {"since": "x" * 5000}, 400, "since"),
    ("/api/v1/feedback/open-data.json", {"until": "1900-01-01"}, 400, "until"),  # out of range
])
def test_hostile_queries_get_a_clear_error(hub, path, params, status, field):
    r = httpx.get(f"{hub.base_url}{path}", params=params, auth=hub.staff)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert (error["code"], error["field"]) == ("bad_request", field) and error["message"].startswith(f"{field}: ")


def test_staff_only_and_unknown_alert(hub):
    assert httpx.get(f"{hub.base_url}/api/v1/feedback/satisfaction").status_code == 401
    assert httpx.get(f"{hub.base_url}/api/v1/feedback/alerts", auth=("maria", "wrong")).status_code == 401
    r = httpx.post(f"{hub.base_url}/api/v1/feedback/alerts/424242/acknowledge", auth=hub.staff)
    assert r.status_code == 404 and r.json()["error"]["field"] == "alert_id"


def test_metrics_carry_the_fleet_gauges_and_write_nothing(hub):
    from server_sync.hub.models import Terminal

    before = _scrape(hub.base_url)
    states = {labels[0][1]: value for (name, labels), value in before.items() if name == "eobshtina_terminals"}
    assert set(states) == {"online", "stale", "offline", "never", "revoked"}
    with hub.session() as s:
        assert sum(states.values()) == s.query(Terminal).count() >= 1
    for name in ("eobshtina_fleet_queue_items", "eobshtina_fleet_queue_items_max",
                 "eobshtina_fleet_oldest_undelivered_age_seconds"):
        assert (name, ()) in before
    assert _scrape(hub.base_url) == before  # a scrape changes nothing it reports
