"""/metrics counts presses from `feedback_press_counts`, which the ingest keeps in the transaction
that inserts them: after batches as terminals send them — duplicates, re-sends, presses without a
counter, presses the hub flags — the counts are exactly the presses grouped; an existing database
is counted once by the migration."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from alembic import command
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select, text

from server_sync.hub import db
from server_sync.hub.analytics.metrics import metrics_text
from server_sync.hub.models import FeedbackPress
from server_sync.hub.services.fleet import Thresholds

from .conftest import enroll


def press(score: int, *, counter: str | None = "grao-3", when: datetime | None = None, seq: int = 1) -> dict:
    when = when or datetime.now(timezone.utc) - timedelta(seconds=10)  # after the terminal's enrolment
    return {"press_id": str(uuid.uuid4()), "terminal_time": when.isoformat(), "seq": seq, "score": score,
            "scale": 4, "counter_id": counter, "office_id": "center"}


def metric_presses(hub) -> dict[tuple, float]:
    text_out = metrics_text(hub.reads, Thresholds(5, 15)).decode()
    family = next(f for f in text_string_to_metric_families(text_out) if f.name == "eobshtina_feedback_presses")
    return {(s.labels["terminal"], s.labels["counter"], s.labels["score"], s.labels["filtered"]): s.value
            for s in family.samples}


def grouped_presses(hub) -> dict[tuple, float]:
    p = FeedbackPress
    with hub.sessions() as s:
        rows = s.execute(select(p.terminal_id, p.counter_id, p.score, p.filtered, func.count())
                         .group_by(p.terminal_id, p.counter_id, p.score, p.filtered)).all()
    return {(t, c or "", str(score), str(bool(f)).lower()): n for t, c, score, f, n in rows}


def test_the_counts_are_the_presses_grouped_whatever_the_terminals_send(client, hub):
    a, b = enroll(client, hub, kind="feedback", name="Гише 3"), enroll(client, hub, kind="feedback", name="Гише 1")
    first = [press(1, seq=1), press(4, seq=2), press(4, counter=None, seq=3)]
    assert client.post("/api/v1/feedback", json={"presses": first}, headers=a["headers"]).json()["accepted"] == 3
    # The same batch again (a lost answer), and a batch repeating one of them: nothing counted twice.
    assert client.post("/api/v1/feedback", json={"presses": first}, headers=a["headers"]).json()["accepted"] == 0
    again = [first[0], press(2, seq=4)]
    assert client.post("/api/v1/feedback", json={"presses": again}, headers=a["headers"]).json()["accepted"] == 1
    # A press from the future (a terminal clock gone wrong) is kept and flagged: counted as filtered.
    future = press(3, when=datetime.now(timezone.utc) + timedelta(days=3), seq=5)
    client.post("/api/v1/feedback", json={"presses": [future, press(1, seq=6)]}, headers=b["headers"])
    counts = metric_presses(hub)
    assert counts == grouped_presses(hub)
    assert counts[(a["terminal_id"], "grao-3", "4", "false")] == 1 and counts[(a["terminal_id"], "", "4", "false")] == 1
    assert counts[(b["terminal_id"], "grao-3", "3", "true")] == 1 and sum(counts.values()) == 6


def test_the_migration_counts_the_presses_already_there(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        command.upgrade(db.alembic_config(engine), "an02")  # a hub from before the counts
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO terminals (id, kind, name, token_hash, enrolled_at) "
                              "VALUES ('F01', 'feedback', 'Гише', 'h', '2026-01-01 00:00:00')"))
            for i, (score, counter, filtered) in enumerate([(1, "c1", 0), (1, "c1", 0), (4, None, 1)]):
                conn.execute(text(
                    "INSERT INTO feedback_presses (press_id, terminal_id, received_at, terminal_time, seq, score, "
                    "scale, counter_id, office_id, source, filtered, outside_hours) VALUES (:id, 'F01', "
                    "'2026-02-01 10:00:00', '2026-02-01 10:00:00', :seq, :score, 4, :counter, 'o', 'button', "
                    ":filtered, 0)"), {"id": f"p{i}", "seq": i, "score": score, "counter": counter,
                                       "filtered": filtered})
        db.migrate(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT terminal_id, counter_id, score, filtered, presses "
                                     "FROM feedback_press_counts ORDER BY counter_id DESC")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("F01", "c1", 1, 0, 2), ("F01", "", 4, 1, 1)]
