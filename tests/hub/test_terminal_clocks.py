"""Terminal clocks: the hub corrects press times by the skew its heartbeats measure;
a press that still lies before its terminal's enrolment or in the future is kept, flagged (filtered
with the reason), and stays out of the index, the open data and the alerts."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from fastapi.testclient import TestClient
from sqlalchemy import select

from server_sync.hub.analytics import alerts
from server_sync.hub.app import create_app
from server_sync.hub.models import FeedbackPress

from .conftest import enroll


def heartbeat(client: TestClient, terminal: dict, terminal_time: datetime) -> None:
    r = client.post("/api/v1/terminals/heartbeat", headers=terminal["headers"], json={
        "terminal_time": terminal_time.isoformat(), "seq": 1, "software_version": "1.0", "uptime_s": 10,
        "queue_depth": 0})
    assert r.status_code == 200, r.text


def presses(client: TestClient, terminal: dict, times: list[datetime], score: int = 1) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in times]
    r = client.post("/api/v1/feedback", headers=terminal["headers"], json={"presses": [
        {"press_id": pid, "terminal_time": t.isoformat(), "seq": i + 1, "score": score, "scale": 4,
         "counter_id": "c1", "office_id": "center"} for i, (pid, t) in enumerate(zip(ids, times))]})
    assert r.status_code == 200 and r.json()["accepted"] == len(times), r.text
    return ids


def stored(hub, ids: list[str]) -> list[FeedbackPress]:
    with hub.sessions() as s:
        found = {p.press_id: p for p in s.scalars(select(FeedbackPress).where(FeedbackPress.press_id.in_(ids)))}
    return [found[i] for i in ids]


def test_press_times_are_corrected_by_the_skew_heartbeats_measure(client, hub):
    terminal = enroll(client, hub, kind="feedback", name="Гише 1")
    now = datetime.now(timezone.utc)
    heartbeat(client, terminal, now - timedelta(hours=3))  # the terminal's clock is three hours behind
    (press,) = stored(hub, presses(client, terminal, [now - timedelta(hours=3)]))
    assert abs((press.terminal_time - now).total_seconds()) < 60  # on the hub's clock
    assert not press.filtered and press.filter_reason is None


def test_a_skew_within_the_noise_is_left_alone(client, hub):
    terminal = enroll(client, hub, kind="feedback", name="Гише 1")
    at = datetime.now(timezone.utc).replace(microsecond=0)
    heartbeat(client, terminal, datetime.now(timezone.utc) - timedelta(seconds=1))
    (press,) = stored(hub, presses(client, terminal, [at]))
    assert press.terminal_time == at and not press.filtered


def test_presses_before_enrolment_or_in_the_future_are_kept_flagged_and_out_of_public_figures(client, hub):
    terminal = enroll(client, hub, kind="feedback", name="Гише 1")
    now = datetime.now(timezone.utc)
    # A clock reset to an old date (no heartbeat since), and one running a day ahead: four negative
    # presses each, enough for an alert if they counted.
    old = presses(client, terminal, [datetime(2020, 1, 1, 9, tzinfo=timezone.utc) + timedelta(minutes=i)
                                     for i in range(4)])
    ahead = presses(client, terminal, [now + timedelta(days=1, minutes=i) for i in range(4)])
    good = presses(client, terminal, [now - timedelta(minutes=1)], score=4)

    assert {p.filter_reason for p in stored(hub, old)} == {"clock_before_enrolment"}
    assert {p.filter_reason for p in stored(hub, ahead)} == {"clock_future"}
    assert all(p.filtered for p in stored(hub, old + ahead))  # kept, flagged
    assert not any(p.filtered for p in stored(hub, good))

    with hub.sessions.begin() as s:
        assert alerts.evaluate(session=s) == []  # eight negative presses, no alert
    with TestClient(create_app(hub.settings, context=hub)) as c:
        rows = c.get("/api/v1/feedback/open-data.json").json()["rows"]
        # Only the good press's hour is published (suppressed: one answer); no negative press counted.
        assert [(r["hour_utc"], r["score_1"]) for r in rows] == [((now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:00:00Z"), 0)]
        for month in {(now + timedelta(days=1)).strftime("%Y-%m"), "2020-01", now.strftime("%Y-%m")}:
            published = c.get(f"/opendata/satisfaction.json?month={month}").json()["rows"]
            assert all(r["score"] == 4 for r in published), (month, published)
    from server_sync.hub.analytics import queries

    with hub.sessions() as s:
        (group,) = queries.satisfaction(session=s, group_by="terminal")
    assert group["responses"] == 1 and group["index"] == 100.0
    assert group["filtered_by_reason"] == {"clock_before_enrolment": 4, "clock_future": 4}
