"""Hub ingest: presses/s through POST /api/v1/feedback (batches of 500) vs raw SQLAlchemy Core executemany.

Runs on its own: starts a hub in-process (uvicorn in a thread) on a fresh SQLite file — or the
database given with --database-url — then, in the same run, inserts the same number of presses
into the same table of the same database with a bare Core executemany (one transaction per batch).
Prints `RESULT hub_ingest value=<presses/s> floor=<presses/s> ratio=<value/floor>`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import delete, func, insert, select

from server_sync.hub.models import FeedbackPress, Terminal
from server_sync.hub.testing import running_hub

BATCH = 500


def make_presses(n: int, start_seq: int) -> list[dict]:
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
    return [{"press_id": str(uuid.uuid4()), "terminal_time": (t0 + timedelta(seconds=i)).isoformat(),
             "seq": start_seq + i, "score": 1 + i % 4, "scale": 4, "counter_id": "c1", "office_id": "centre",
             "source": "button"} for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40, help="batches of 500 per side (default 40)")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp), database_url=args.database_url) as hub:
        terminal = hub.enroll("feedback", "bench")
        bodies = [json.dumps({"presses": make_presses(BATCH, b * BATCH)}).encode() for b in range(args.batches)]
        headers = {"Authorization": f"Bearer {terminal.token}", "Content-Type": "application/json"}
        with httpx.Client(base_url=hub.base_url, headers=headers, timeout=60) as client:
            client.post("/api/v1/feedback", content=json.dumps({"presses": make_presses(BATCH, 10**6)}))  # warm up
            started = time.perf_counter()
            for body in bodies:
                r = client.post("/api/v1/feedback", content=body)
                if r.status_code != 200 or r.json()["accepted"] != BATCH:
                    sys.exit(f"hub_ingest: unexpected answer {r.status_code} {r.text[:200]}")
            api_s = time.perf_counter() - started
        total = BATCH * args.batches

        # The floor: the same rows, already as Python dicts, straight into the same table.
        engine = hub.context.engine
        now = datetime.now(timezone.utc)
        raw_batches = []
        for b in range(args.batches):
            rows = []
            for p in make_presses(BATCH, 2 * 10**6 + b * BATCH):
                rows.append({**p, "terminal_time": datetime.fromisoformat(p["terminal_time"]),
                             "terminal_id": terminal.terminal_id, "received_at": now, "service_id": None,
                             "filtered": False, "filter_reason": None, "outside_hours": False, "reason": None})
            raw_batches.append(rows)
        started = time.perf_counter()
        for rows in raw_batches:
            with engine.begin() as conn:
                conn.execute(insert(FeedbackPress), rows)
        raw_s = time.perf_counter() - started
        with engine.begin() as conn:
            stored = conn.scalar(select(func.count()).select_from(FeedbackPress))
            conn.execute(delete(FeedbackPress))
            conn.execute(delete(Terminal).where(Terminal.id == terminal.terminal_id))
        if stored != 2 * total + BATCH:
            sys.exit(f"hub_ingest: {stored} rows stored, expected {2 * total + BATCH}")

    value, floor = total / api_s, total / raw_s
    backend = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    print(f"# {total} presses in batches of {BATCH} on {backend}: API {api_s:.2f} s, raw Core {raw_s:.2f} s")
    print(f"RESULT hub_ingest value={value:.0f}presses/s floor={floor:.0f}presses/s ratio={value / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
