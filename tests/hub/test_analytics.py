"""Feedback analytics on a generated month (February 2026, Sofia = UTC+2) whose answers are known."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from server_sync.hub.analytics import alerts, queries
from server_sync.hub.context import open_hub
from server_sync.hub.models import FeedbackPress, Terminal
from server_sync.hub.services.feedback import count_presses
from server_sync.hub.settings import HubSettings

SOFIA = ZoneInfo("Europe/Sofia")
RECEIVED = datetime(2026, 3, 1, tzinfo=timezone.utc)
WEEKDAYS_FEB = [d for d in range(1, 29) if datetime(2026, 2, d).weekday() < 5]  # 20 days
F01_SCORES = (4, 3, 4, 2)  # at :05 :20 :35 :50 of every opening hour; index 75, 25 % negative


def local(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 2, day, hour, minute, second, tzinfo=SOFIA).astimezone(timezone.utc)


def press(terminal: str, at: datetime, score: int, *, scale: int = 4, counter: str | None, office: str | None,
          filtered: bool = False, reason: str | None = None, received: datetime = RECEIVED) -> dict:
    return {"press_id": str(uuid.uuid4()), "terminal_id": terminal, "received_at": received, "terminal_time": at,
            "seq": 0, "score": score, "scale": scale, "counter_id": counter, "office_id": office,
            "service_id": "address-registration" if terminal == "F01" else None, "source": "button",
            "filtered": filtered, "filter_reason": reason, "outside_hours": reason == "outside_hours",
            "reason": None}


def month_of_presses() -> list[dict]:
    rows = []
    for day in WEEKDAYS_FEB:
        for hour in range(9, 17):
            for minute, score in zip((5, 20, 35, 50), F01_SCORES):
                rows.append(press("F01", local(day, hour, minute), score, counter="grao-3", office="center"))
            # A child hammering button 1 right after a press: kept, filtered, not in the index.
            rows.append(press("F01", local(day, hour, 6), 1, counter="grao-3", office="center", filtered=True,
                              reason="response_interval"))
    # F02: a bad spell on Tue 17th (3 of 4 negative within 9 minutes): fires.
    for minute, score in zip((0, 3, 6, 9), (1, 2, 4, 1)):
        rows.append(press("F02", local(17, 14, minute), score, counter="mdt-1", office="center"))
    # Wed 18th: four very unhappy presses, but 20 minutes apart: never 4 in 15 minutes, no alert.
    for minute in (0, 20, 40, 60):
        rows.append(press("F02", local(18, 10, 0) + timedelta(minutes=minute), 1, counter="mdt-1", office="center"))
    # Thu 19th: exactly 50 % negative with 4 responses: fires (the rule says ≥).
    for minute, score in zip((0, 2, 4, 6), (1, 4, 2, 4)):
        rows.append(press("F02", local(19, 11, minute), score, counter="mdt-1", office="center"))
    # F03, a five-button village terminal: 2 of 5 negative (40 %) — under the default rule's 50 %.
    for second, score in zip(range(0, 300, 60), (1, 5, 5, 3, 2)):
        rows.append(press("F03", local(10, 11, 0, 0) + timedelta(seconds=second), score, scale=5, counter="k1",
                          office="village"))
    return rows


@pytest.fixture
def hub(tmp_path, database_url):
    context = open_hub(HubSettings(data_dir=tmp_path / "hub", database_url=database_url,
                                   import_shipped_catalogue=False))
    with context.sessions.begin() as session:
        for tid, name in (("F01", "Гише 3 — ГРАО"), ("F02", "Гише 1 — МДТ"), ("F03", "Кметство Виево")):
            session.add(Terminal(id=tid, kind="feedback", name=name, token_hash=f"hash-{tid}",
                                 enrolled_at=RECEIVED - timedelta(days=60)))
        session.flush()
        rows = month_of_presses()
        session.execute(insert(FeedbackPress), rows)
        count_presses(session, rows)  # as the ingest does in its transaction
    yield context
    context.close()


def test_index_counts_and_negative_share_per_counter(hub):
    with hub.sessions() as s:
        groups = {g["counter"]: g for g in queries.satisfaction(session=s, group_by="counter")}
    grao = groups["grao-3"]
    assert grao["responses"] == 20 * 8 * 4 == 640
    assert grao["index"] == 75.0
    assert grao["negative_share"] == 0.25
    assert grao["counts"] == {"2": 160, "3": 160, "4": 320}
    assert grao["filtered"] == 160 and grao["filtered_counts"] == {"1": 160}
    assert grao["filtered_by_reason"] == {"response_interval": 160}
    village = groups["k1"]
    assert village["index"] == 55.0  # (0 + 100 + 100 + 50 + 25) / 5
    assert village["negative_share"] == 0.4  # 1 and 2 are negative on five buttons


def test_index_per_office_service_and_terminal_and_period(hub):
    with hub.sessions() as s:
        offices = {g["office"]: g for g in queries.satisfaction(session=s, group_by="office")}
        services = {g["service"]: g for g in queries.satisfaction(session=s, group_by="service")}
        terminals = {g["terminal"]: g for g in queries.satisfaction(session=s, group_by="terminal")}
        first_week = queries.satisfaction(session=s, group_by="terminal", period=queries.Period(
            since=local(2, 0, 0), until=local(9, 0, 0)))
    f02 = [Fraction(0), Fraction(100, 3), Fraction(100), Fraction(0)] + [Fraction(0)] * 4 + \
          [Fraction(0), Fraction(100), Fraction(100, 3), Fraction(100)]
    expected_center = (640 * 75 + sum(f02)) / (640 + 12)
    assert offices["center"]["responses"] == 652
    assert offices["center"]["index"] == round(float(expected_center), 2)
    assert services["address-registration"]["responses"] == 640
    assert terminals["F02"]["index"] == round(float(sum(f02) / 12), 2)
    assert [(g["terminal"], g["responses"]) for g in first_week] == [("F01", 5 * 32)]


def test_weekday_hour_heatmap_is_in_the_offices_time_zone(hub):
    with hub.sessions() as s:
        grid = queries.heatmap(session=s, counter_id="grao-3", tz="Europe/Sofia")
    cells = {(c["weekday"], c["hour"]): c for c in grid["cells"]}
    # Opening hours 09–16 local, Monday–Friday; four Mondays in February 2026 → 16 responses.
    assert set(cells) == {(wd, h) for wd in range(5) for h in range(9, 17)}
    assert cells[(0, 9)]["responses"] == 4 * 4
    assert cells[(0, 9)]["index"] == 75.0
    assert cells[(0, 9)]["filtered"] == 4
    assert all(c["responses"] == 16 for c in grid["cells"])
    with hub.sessions() as s:
        utc_grid = queries.heatmap(session=s, counter_id="grao-3", tz="UTC")
    assert {c["hour"] for c in utc_grid["cells"]} == set(range(7, 15))  # the same presses, two hours earlier


def test_daily_and_weekly_trends(hub):
    with hub.sessions() as s:
        daily = queries.trend(session=s, interval="day", counter_id="grao-3", tz="Europe/Sofia")
        weekly = queries.trend(session=s, interval="week", counter_id="grao-3", tz="Europe/Sofia")
    assert len(daily["points"]) == 20
    assert daily["points"][0]["start"] == "2026-02-02" and daily["points"][0]["responses"] == 32
    assert [p["start"] for p in weekly["points"]] == ["2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"]
    assert [p["responses"] for p in weekly["points"]] == [160, 160, 160, 160]
    assert all(p["index"] == 75.0 for p in weekly["points"])


def test_alerts_fire_where_expected_and_not_elsewhere(hub):
    now = RECEIVED + timedelta(minutes=1)
    with hub.sessions.begin() as s:
        raised = alerts.evaluate(session=s, now=now)
        found = [alerts.alert_dict(a) for a in alerts.alerts(session=s)]
    assert len(raised) == 2
    spells = sorted((a["counter_id"], a["window_start"], a["responses"], a["negative"]) for a in found)
    assert spells == [
        ("mdt-1", local(17, 14, 0).isoformat(), 4, 3),
        ("mdt-1", local(19, 11, 0).isoformat(), 4, 2),
    ]
    # Nothing new received: evaluating again raises nothing and duplicates nothing.
    with hub.sessions.begin() as s:
        assert alerts.evaluate(session=s, now=now + timedelta(minutes=5)) == []
        assert len(alerts.alerts(session=s)) == 2


def test_per_office_rule_and_late_presses(hub):
    with hub.sessions.begin() as s:
        alerts.set_rule(session=s, office_id="village", rule=alerts.Rule(window_s=600, min_responses=5,
                                                                          negative_share=0.4))
        alerts.evaluate(session=s, now=RECEIVED + timedelta(minutes=1))
        village = [a for a in alerts.alerts(session=s) if a.office_id == "village"]
    assert len(village) == 1 and (village[0].responses, village[0].negative) == (5, 2)

    # A terminal offline for days delivers a bad spell from the 24th later: judged in its own time.
    late = RECEIVED + timedelta(days=2)
    rows = [press("F01", local(24, 12, 50) + timedelta(seconds=30 * i), 1, counter="grao-3", office="center",
                  received=late) for i in range(4)]
    with hub.sessions.begin() as s:
        s.execute(insert(FeedbackPress), rows)
    with hub.sessions.begin() as s:
        raised = alerts.evaluate(session=s, now=late + timedelta(seconds=1))
        assert [(a.counter_id, a.window_start) for a in raised] == [("grao-3", local(24, 12, 50))]
        # The four 1s join the 12:50 press (score 2) and 12:35 press (score 4) in the window.
        assert raised[0].negative >= 4


def test_acknowledgement_and_metrics(hub):
    from server_sync.hub.analytics.metrics import metrics_text
    from server_sync.hub.services.fleet import Thresholds

    with hub.sessions.begin() as s:
        alerts.evaluate(session=s, now=RECEIVED + timedelta(minutes=1))
        first = alerts.alerts(session=s)[-1]
        alerts.acknowledge(session=s, alert_id=first.id, by="maria", note="гишето беше без служител")
        assert alerts.alerts(session=s, open_only=True)[0].id != first.id
        with pytest.raises(alerts.AlertNotFound):
            alerts.acknowledge(session=s, alert_id=999, by="maria")
    from prometheus_client.parser import text_string_to_metric_families

    families = {f.name: f for f in text_string_to_metric_families(metrics_text(hub.reads, Thresholds(3, 15)).decode())}
    assert families["eobshtina_feedback_alerts_open"].type == "gauge"
    assert [s.value for s in families["eobshtina_feedback_alerts_open"].samples] == [1]
    assert families["eobshtina_feedback_alerts_raised"].type == "counter"
    assert [s.value for s in families["eobshtina_feedback_alerts_raised"].samples] == [2]
    presses = {(s.labels["terminal"], s.labels["counter"], s.labels["score"], s.labels["filtered"]): s.value
               for s in families["eobshtina_feedback_presses"].samples}
    assert presses[("F01", "grao-3", "4", "false")] == 320 and presses[("F01", "grao-3", "1", "true")] == 160


def test_open_data_has_counts_per_counter_per_hour_and_nothing_personal(hub):
    with hub.sessions() as s:
        rows = queries.open_data_rows(session=s)
    grao = [r for r in rows if r["counter_id"] == "grao-3"]
    assert len(grao) == 20 * 8
    # Four answers in the hour: every non-zero count is under 5, so none is published.
    assert grao[0] == {"hour_utc": "2026-02-02T07:00:00Z", "office_id": "center", "counter_id": "grao-3",
                       "service_id": "address-registration", "scale": 4, "responses": None,
                       "score_1": 0, "score_2": None, "score_3": None, "score_4": None, "score_5": 0,
                       "suppressed": True}
    assert set(rows[0]) == set(queries.OPEN_DATA_FIELDS)  # no terminal ids, no reasons, no times finer than an hour


def test_open_data_publishes_no_count_under_five_nor_one_that_reveals_it(hub):
    """The same rule as /opendata/: a score given 1–4 times in an hour at a counter is one of a few
    citizens' answers; it is hidden, and so is the row's total, from which it could be subtracted."""
    at = local(27, 9, 0)  # a Friday morning no seeded press falls in
    presses = [press("F02", at + timedelta(minutes=m), score, counter="mdt-1", office="center")
               for m, score in enumerate([4] * 6 + [3] * 5)]  # 11 answers, each score 5 times or more
    presses += [press("F02", at + timedelta(hours=1, minutes=m), score, counter="mdt-1", office="center")
                for m, score in enumerate([4] * 5 + [1] * 2)]  # 7 answers, two of them unhappy
    with hub.sessions.begin() as s:
        s.execute(insert(FeedbackPress), presses)
    with hub.sessions() as s:
        rows = {r["hour_utc"]: r for r in queries.open_data_rows(session=s) if r["counter_id"] == "mdt-1"}
    full, partial = rows["2026-02-27T07:00:00Z"], rows["2026-02-27T08:00:00Z"]
    assert (full["responses"], full["score_4"], full["score_3"], full["score_1"], full["suppressed"]) == (11, 6, 5, 0, False)
    assert (partial["score_4"], partial["score_1"], partial["responses"], partial["suppressed"]) == (5, None, None, True)


def test_feedback_summary_cli(hub, capsys):
    from server_sync.hub.cli import main

    where = ["--data-dir", str(hub.settings.data_dir), "--database-url", hub.settings.database_url]
    assert main(["feedback-summary", "--json", *where]) == 0
    summary = json.loads(capsys.readouterr().out)
    by_id = {t["terminal_id"]: t for t in summary["terminals"]}
    assert list(summary) == ["terminals"]
    assert by_id["F01"] == {"terminal_id": "F01", "name": "Гише 3 — ГРАО",
                            "counted": {"1": 0, "2": 160, "3": 160, "4": 320},
                            "filtered": {"1": 160, "2": 0, "3": 0, "4": 0}}
    assert by_id["F03"]["counted"] == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 2}
    assert main(["feedback-summary", "--json", "--since", "2026-02-19", *where]) == 0
    later = {t["terminal_id"]: t for t in json.loads(capsys.readouterr().out)["terminals"]}
    assert sum(later["F01"]["counted"].values()) == 7 * 32  # 19th–27th: seven weekdays
    assert sum(later["F03"]["counted"].values()) == 0


def test_presses_committed_after_an_evaluation_that_began_before_are_still_judged(hub):
    # On PostgreSQL a batch's received_at is set when its transaction starts; an evaluation that
    # runs before it commits moves the watermark past it. The next evaluation must still see it.
    t_received = RECEIVED + timedelta(days=3)
    with hub.sessions.begin() as s:
        alerts.evaluate(session=s, now=t_received + timedelta(seconds=2))  # the batch is not visible yet
    rows = [press("F03", local(26, 10, 0) + timedelta(seconds=30 * i), score, scale=5, counter="k1",
                  office="village", received=t_received) for i, score in enumerate((1, 1, 2, 5))]
    with hub.sessions.begin() as s:
        s.execute(insert(FeedbackPress), rows)  # ... and now it commits
    with hub.sessions.begin() as s:
        raised = alerts.evaluate(session=s, now=t_received + timedelta(seconds=20))
        assert [(a.counter_id, a.responses, a.negative) for a in raised] == [("k1", 4, 3)]
        # Judged again in the next overlap, it is neither raised again nor reported as extended.
        assert alerts.evaluate(session=s, now=t_received + timedelta(seconds=40)) == []
        assert len([a for a in alerts.alerts(session=s) if a.counter_id == "k1"]) == 1


def start_until_blocked(hub, thread, timeout_s: float = 30.0) -> None:
    """Start `thread` and return once it waits on a lock another transaction holds: on SQLite,
    once it waits for its turn to write, which A holds (this process's writers take turns before
    BEGIN IMMEDIATE, db.ProcessWriter); on PostgreSQL, once a lock request is not granted. A
    condition, not a fixed sleep."""
    import time

    from sqlalchemy import text

    from server_sync.hub import db

    thread.start()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if hub.engine.dialect.name == "sqlite":
            if db.writer_of(hub.engine).waiting:
                return
        else:
            with hub.engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
                    return
        time.sleep(0.01)
    raise AssertionError("the second evaluation never waited for the first")


def test_two_hubs_evaluating_at_once_on_a_schema_without_the_watermark_row(hub):
    # create_all makes no watermark row (the migration inserts it): the first two evaluations,
    # from two hub processes at once, both tried to insert it and one failed (a 500 on /metrics).

    from sqlalchemy import delete

    from server_sync.hub.analytics.models import FeedbackAlertState

    with hub.sessions.begin() as s:
        s.execute(delete(FeedbackAlertState))  # as create_all leaves it
    errors, b_done = [], threading.Event()

    def evaluate_b():
        try:
            with hub.sessions.begin() as s:
                alerts.evaluate(session=s, now=RECEIVED + timedelta(minutes=1))
        except Exception as exc:
            errors.append(exc)
        finally:
            b_done.set()

    with hub.sessions.begin() as s:
        alerts.evaluate(session=s, now=RECEIVED + timedelta(minutes=1))  # A makes the row, uncommitted
        thread = threading.Thread(target=evaluate_b)
        start_until_blocked(hub, thread)  # B now waits for A (row lock on PostgreSQL, write lock on SQLite)
        assert not b_done.is_set()
    thread.join(30)
    assert b_done.is_set() and errors == []
    with hub.sessions() as s:
        assert len(alerts.alerts(session=s)) == 2  # the month's two bad spells, each raised once
