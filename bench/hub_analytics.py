"""Hub analytics: the satisfaction summary and the heatmap of one month over millions of presses.

Runs on its own: migrates a database (a fresh SQLite file, or the one given with --database-url —
its `feedback_presses` table is emptied first), seeds `--presses` presses (default 10,000,000)
spread evenly over twelve months, across 5 offices × 4 counters, by one INSERT … SELECT in the
database (generate_series on PostgreSQL, a recursive CTE on SQLite), then ANALYZEs (and on
PostgreSQL VACUUMs, as autovacuum would) and times, `--runs` times each:

- the satisfaction summary per counter for the month (`analytics.queries.satisfaction`),
- the weekday × hour heatmap for the month in Europe/Sofia (`analytics.queries.heatmap`),
- the metrics page (`analytics.metrics.metrics_text`: every press ever received, counted per
  terminal, counter, score and filtered flag, since 2026-12-04 from `feedback_press_counts`, which
  the seed fills as migration an03 does — the ingest keeps it in real use),
- the floor: a bare `SELECT count(*)` over the same month's presses, in the same run.

Prints p50/p95 per query and ends with
`RESULT hub_analytics_<query>_p95 value=<ms>ms floor=<ms>ms ratio=<value/floor>`.
Target (issue 17): each < 500 ms on PostgreSQL with 10 million presses.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text

from server_sync.hub import db
from server_sync.hub.analytics import queries
from server_sync.hub.analytics.metrics import metrics_text
from server_sync.hub.models import FeedbackPress, FeedbackPressCount, Terminal
from server_sync.hub.services.fleet import Thresholds

START = datetime(2026, 1, 1, tzinfo=timezone.utc)  # twelve months of presses from here
MONTH = queries.Period(datetime(2026, 6, 1, tzinfo=timezone.utc), datetime(2026, 7, 1, tzinfo=timezone.utc))
YEAR_S = 365 * 24 * 3600
TERMINALS = 20  # 5 offices × 4 counters, one terminal each

_PG_SEED = """
INSERT INTO feedback_presses (press_id, terminal_id, received_at, terminal_time, seq, score, scale, counter_id,
                              office_id, service_id, source, filtered, filter_reason, outside_hours, reason, utc_hour)
SELECT lpad(to_hex(i), 36, '0'), 'BENCH' || (i % 20), t, t, i, 1 + (i * 7 + i / 13) % 4, 4,
       'c' || (i % 20), 'office' || (i % 20 / 4), NULL, 'button', i % 50 = 0,
       CASE WHEN i % 50 = 0 THEN 'response_interval' END, false, NULL, floor(date_part('epoch', t) / 3600.0)::bigint
FROM (SELECT i, timestamptz '2026-01-01 00:00:00+00' + (i * :step) * interval '1 second' AS t
      FROM generate_series(1, :n) AS i) AS s
"""
_SQLITE_SEED = """
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n)
INSERT INTO feedback_presses (press_id, terminal_id, received_at, terminal_time, seq, score, scale, counter_id,
                              office_id, service_id, source, filtered, filter_reason, outside_hours, reason, utc_hour)
SELECT printf('%036x', i), 'BENCH' || (i % 20), t, t, i, 1 + (i * 7 + i / 13) % 4, 4,
       'c' || (i % 20), 'office' || (i % 20 / 4), NULL, 'button', i % 50 = 0,
       CASE WHEN i % 50 = 0 THEN 'response_interval' END, 0, NULL, CAST(e AS INTEGER) / 3600
FROM (SELECT i, 1767225600 + i * :step AS e, strftime('%Y-%m-%d %H:%M:%f', 1767225600 + i * :step, 'unixepoch') AS t
      FROM s)
"""

# What migration an03 does for presses already there (the seed bypasses the ingest that keeps it).
_COUNTS = """
INSERT INTO feedback_press_counts (terminal_id, counter_id, score, filtered, presses)
SELECT terminal_id, COALESCE(counter_id, ''), score, filtered, count(*) FROM feedback_presses
GROUP BY terminal_id, COALESCE(counter_id, ''), score, filtered
"""


def seed(engine, n: int) -> float:
    started = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        conn.execute(FeedbackPress.__table__.delete())
        conn.execute(Terminal.__table__.delete().where(Terminal.id.like("BENCH%")))
        now = datetime.now(timezone.utc)
        conn.execute(Terminal.__table__.insert(), [
            {"id": f"BENCH{i}", "kind": "feedback", "name": f"bench {i}", "token_hash": f"bench-{i}",
             "enrolled_at": now, "office_id": f"office{i // 4}"} for i in range(TERMINALS)])
        conn.execute(text(_PG_SEED if postgres else _SQLITE_SEED), {"n": n, "step": YEAR_S / n})
        conn.execute(FeedbackPressCount.__table__.delete())
        conn.execute(text(_COUNTS))
    if postgres:  # autovacuum would get there; the bench should not wait for it
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE feedback_presses"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE feedback_presses"))
    return time.perf_counter() - started


def timed(runs: int, work) -> list[float]:
    work()  # warm the caches once, as a hub that has answered before
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=10_000_000, help="presses to seed (default 10,000,000)")
    parser.add_argument("--runs", type=int, default=9, help="timed runs per query (default 9)")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'hub.sqlite3'}"
        engine = db.make_engine(url)
        db.migrate(engine)
        sessions = db.session_factory(engine)
        # The metrics page reads through the hub's read-only sessions (on SQLite a DEFERRED engine of its own).
        read_engine = db.make_engine(url, reads_only=True) if engine.dialect.name == "sqlite" else engine
        reads = db.session_factory(read_engine)
        seed_s = seed(engine, args.presses)

        with sessions() as session:
            in_month = session.scalar(select(func.count()).select_from(FeedbackPress).where(
                FeedbackPress.terminal_time >= MONTH.since, FeedbackPress.terminal_time < MONTH.until))

            def floor() -> None:
                session.scalar(select(func.count()).select_from(FeedbackPress).where(
                    FeedbackPress.terminal_time >= MONTH.since, FeedbackPress.terminal_time < MONTH.until))

            def summary() -> None:
                groups = queries.satisfaction(session=session, group_by="counter", period=MONTH)
                if sum(g["responses"] + g["filtered"] for g in groups) != in_month:
                    sys.exit("hub_analytics: the summary does not add up to the month's presses")

            def heatmap() -> None:
                cells = queries.heatmap(session=session, period=MONTH, tz="Europe/Sofia")["cells"]
                if sum(c["responses"] + c["filtered"] for c in cells) != in_month:
                    sys.exit("hub_analytics: the heatmap does not add up to the month's presses")

            def metrics() -> None:
                page = metrics_text(reads, Thresholds(5, 15)).decode()
                total = sum(float(line.rsplit(" ", 1)[1]) for line in page.splitlines()
                            if line.startswith("eobshtina_feedback_presses_total{"))
                if total != args.presses:
                    sys.exit("hub_analytics: the metrics page does not count every press")

            floor_ms = timed(args.runs, floor)
            summary_ms = timed(args.runs, summary)
            heatmap_ms = timed(args.runs, heatmap)
            metrics_ms = timed(args.runs, metrics)
        with engine.begin() as conn:
            conn.execute(FeedbackPressCount.__table__.delete())
            conn.execute(FeedbackPress.__table__.delete())
            conn.execute(Terminal.__table__.delete().where(Terminal.id.like("BENCH%")))
        read_engine.dispose()
        engine.dispose()

    backend = engine.dialect.name
    print(f"# {args.presses:,} presses on {backend} (seeded in {seed_s:.0f} s), {in_month:,} in the month; "
          f"{args.runs} runs each")
    for name, values in (("count(*) floor", floor_ms), ("summary", summary_ms), ("heatmap", heatmap_ms),
                         ("metrics", metrics_ms)):
        print(f"# {name}: p50 {statistics.median(values):.0f} ms, p95 {p95(values):.0f} ms")
    floor_p95 = p95(floor_ms)
    for name, values in (("summary", summary_ms), ("heatmap", heatmap_ms), ("metrics", metrics_ms)):
        print(f"RESULT hub_analytics_{name}_p95 value={p95(values):.0f}ms floor={floor_p95:.0f}ms "
              f"ratio={p95(values) / floor_p95:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
