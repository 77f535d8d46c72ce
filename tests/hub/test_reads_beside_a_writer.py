"""Reads never take SQLite's write lock. While another connection holds it (a long
upload, a restore), every read-only endpoint still answers at once instead of queueing for it."""

from __future__ import annotations

import sqlite3
import time

import httpx

from server_sync.hub.testing import running_hub

READS = [
    "/api/v1/feedback/open-data.json", "/api/v1/feedback/open-data.csv", "/opendata/", "/opendata/catalog.jsonld",
    "/opendata/satisfaction.json", "/opendata/signals.csv", "/metrics", "/t/94-00001?code=ABCDEFGH",
    "/api/v1/requests/94-00001?code=ABCDEFGH", "/api/v1/health",
]
TERMINAL_READS = ["/api/v1/catalogue", "/api/v1/consultations"]
STAFF_READS = ["/api/v1/feedback/satisfaction", "/api/v1/feedback/heatmap", "/api/v1/feedback/trend",
               "/api/v1/feedback/summary", "/api/v1/feedback/alert-rules/default"]


def test_read_only_endpoints_answer_while_the_write_lock_is_held(tmp_path):
    with running_hub(tmp_path) as hub:
        kiosk = hub.enroll("kiosk", "Киоск 1")
        staff = hub.create_admin("admin", "correct horse battery")
        writer = sqlite3.connect(hub.settings.data_dir / "hub.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # held for the whole test: a writer that takes its time
        try:
            with httpx.Client(base_url=hub.base_url, timeout=10) as c:
                answers = {}
                for path in READS + TERMINAL_READS + STAFF_READS:
                    auth = staff if path in STAFF_READS else None
                    headers = {"Authorization": f"Bearer {kiosk.token}"} if path in TERMINAL_READS else {}
                    started = time.perf_counter()
                    r = c.get(path, auth=auth, headers=headers)
                    answers[path] = (r.status_code, time.perf_counter() - started)
        finally:
            writer.execute("ROLLBACK")
            writer.close()
    slow = {p: a for p, a in answers.items() if a[0] >= 500 or a[1] > 5}
    assert not slow, slow  # a read that waited for the lock would take the 30 s busy timeout
    assert all(code in (200, 404) for code, _ in answers.values()), answers
