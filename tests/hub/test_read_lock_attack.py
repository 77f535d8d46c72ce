"""Unauthenticated requests cannot stall the hub. Against a hub holding 200,000 presses,
4 clients fetch the public open data, 8 scrape /metrics and 16 send wrong staff passwords, each as
fast as it can, while a feedback terminal uploads presses: the terminal's uploads stay quick (p95
under 200 ms) and nobody gets a server error. Run with the rate limits on, as the hub ships
(attackers get 429s), and off (the root fixes alone: reads never take the write lock, hashing runs
outside transactions and guesses are counted before they are hashed, public aggregates come from
SQL and are cached for their period, /metrics only reads): no 5xx, no lock waits, and uploads well
under a second though every flood is served in full."""

from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import text

from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.context import open_hub
from server_sync.hub.services import staff
from server_sync.hub.services.terminals import create_enrollment_code
from server_sync.hub.settings import HubSettings
from server_sync.hub.testing import fixture_catalogue, free_port

pytestmark = pytest.mark.slow

PRESSES = 200_000
ATTACK_S = 6.0
ADMIN_PASSWORD = "correct horse battery"
NO_LIMITS = {f"rate_limit_{b}": "" for b in ("opendata", "metrics", "tracking", "enrolment", "staff_login")}


def seed_presses(engine, terminal_id: str, n: int) -> None:
    """n presses over the last weeks, one INSERT … SELECT (seconds, not minutes, for 200,000)."""
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=30)
    columns = ("press_id, terminal_id, received_at, terminal_time, seq, score, scale, counter_id, office_id, "
               "service_id, source, filtered, filter_reason, outside_hours, reason")
    if engine.dialect.name == "sqlite":
        at = "datetime(:start, '+' || (n * 12) || ' seconds')"
        sql = (f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :n) "
               f"INSERT INTO feedback_presses ({columns}) SELECT printf('seed-%08d', n), :t, {at}, {at}, n, "
               f"1 + n % 4, 4, 'c' || (n % 6), 'office-1', NULL, 'button', n % 20 = 0, NULL, 0, NULL FROM s")
        params = {"n": n, "t": terminal_id, "start": start.strftime("%Y-%m-%d %H:%M:%S")}
    else:
        at = "(:start + n * interval '12 seconds')"
        sql = (f"INSERT INTO feedback_presses ({columns}) SELECT 'seed-' || lpad(n::text, 8, '0'), :t, {at}, {at}, "
               f"n, 1 + n % 4, 4, 'c' || (n % 6), 'office-1', NULL, 'button', n % 20 = 0, NULL, false, NULL "
               f"FROM generate_series(1, :n) AS n")
        params = {"n": n, "t": terminal_id, "start": start}
    with engine.begin() as conn:
        conn.execute(text(sql), params)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE feedback_presses"))


class Attacker(threading.Thread):
    def __init__(self, base_url: str, address: str, stop, work) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base_url, timeout=60, headers={"X-Forwarded-For": address})
        self.stop, self.work = stop, work
        self.statuses: Counter[int] = Counter()
        self.errors: list[str] = []

    def run(self) -> None:
        with self.client:
            while not self.stop.is_set():
                try:
                    self.statuses[self.work(self.client).status_code] += 1
                except httpx.HTTPError as exc:  # a dropped connection is as bad as a 500
                    self.errors.append(repr(exc))


def open_data(i: int):
    paths = ["/api/v1/feedback/open-data.json", "/api/v1/feedback/open-data.csv", "/opendata/satisfaction.json"]
    return lambda c: c.get(paths[i % len(paths)])


def metrics(c: httpx.Client):
    return c.get("/metrics")


def wrong_password(i: int):
    def web_login(c: httpx.Client):
        if "eob_login_csrf" not in c.cookies:
            c.get("/admin/login")
        return c.post("/admin/login", data={"username": "admin", "password": f"guess {uuid.uuid4()}",
                                            "csrf": c.cookies.get("eob_login_csrf", "")})

    def basic(c: httpx.Client):
        return c.get("/api/v1/feedback/summary", auth=("admin", f"guess {uuid.uuid4()}"))

    return web_login if i % 2 else basic


def attack(base_url: str, stop, ready, results) -> None:
    """In its own process (the attackers' CPU is not the hub's, nor the measuring terminal's GIL):
    4 clients on open data, 8 on /metrics, 16 sending wrong staff passwords, each from its own address.
    At the lowest CPU priority: attackers run on their own machines, and on a test machine with two
    cores their clients would otherwise take the CPU the hub needs to answer them — measuring the
    machine, not the hub."""
    os.nice(19)
    attackers = ([Attacker(base_url, f"203.0.113.{i}", stop, open_data(i)) for i in range(4)]
                 + [Attacker(base_url, f"198.51.100.{i}", stop, metrics) for i in range(8)]
                 + [Attacker(base_url, f"192.0.2.{i}", stop, wrong_password(i)) for i in range(16)])
    for a in attackers:
        a.start()
    while not stop.is_set() and not all(a.statuses or a.errors for a in attackers):
        time.sleep(0.05)
    ready.set()  # every attacker has had an answer: the attack is under way
    for a in attackers:
        a.join()
    statuses: Counter[int] = Counter()
    for a in attackers:
        statuses.update(a.statuses)
    results.put((dict(statuses), [e for a in attackers for e in a.errors][:20]))


def upload_presses(base_url: str, token: str, stop, times: list[float], statuses: Counter) -> None:
    seq = 10_000_000
    with httpx.Client(base_url=base_url, timeout=60, headers={"Authorization": f"Bearer {token}"}) as c:
        while not stop.is_set():
            seq += 1
            body = {"presses": [{"press_id": str(uuid.uuid4()), "terminal_time": datetime.now(timezone.utc).isoformat(),
                                 "seq": seq, "score": 1 + seq % 4, "scale": 4, "counter_id": "c1",
                                 "office_id": "office-1", "source": "button"}]}
            started = time.perf_counter()
            r = c.post("/api/v1/feedback", json=body)
            times.append(time.perf_counter() - started)
            statuses[r.status_code] += 1
            time.sleep(0.02)  # a busy terminal: a press every few tens of milliseconds


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def measure_uploads(base_url: str, token: str, seconds: float) -> tuple[list[float], Counter]:
    times: list[float] = []
    statuses: Counter[int] = Counter()
    stop = threading.Event()
    uploader = threading.Thread(target=upload_presses, args=(base_url, token, stop, times, statuses))
    uploader.start()
    time.sleep(seconds)
    stop.set()
    uploader.join()
    return times, statuses


@contextmanager
def served_hub(tmp_path, database_url: str, **settings):
    """The hub as deployed: `kiosk-hub serve` in its own process, settings from HUB_* variables."""
    env = {**os.environ, "HUB_DATA_DIR": str(tmp_path / "hub"), "HUB_DATABASE_URL": database_url,
           "HUB_HMAC_KEY": "test-hmac-key", "HUB_IMPORT_SHIPPED_CATALOGUE": "false", "HUB_SCHEMA_SETUP": "create_all", "HUB_LOG_LEVEL": "warning",
           **{f"HUB_{k.upper()}": str(v) for k, v in settings.items()}}
    hub = open_hub(HubSettings(data_dir=tmp_path / "hub", database_url=database_url, hmac_key="test-hmac-key",
                               import_shipped_catalogue=False, schema_setup="create_all"))
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=fixture_catalogue(), source="test")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "server_sync.hub.cli", "serve", "--port", str(port)], env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base_url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the hub did not start"
            time.sleep(0.1)
        yield hub, base_url
    finally:
        process.terminate()
        process.wait(timeout=30)
        hub.close()


@dataclass
class AttackRun:
    dialect: str
    quiet: list[float]  # press upload times before the attack (the floor)
    quiet_status: Counter
    times: list[float]  # press upload times under attack
    statuses: Counter
    answers: dict[int, int]  # the attackers' status codes
    errors: list[str]

    def report(self, limits: str) -> str:
        return (f"{limits} {self.dialect}: press p95 quiet {p95(self.quiet) * 1000:.0f} ms, under attack "
                f"{p95(self.times) * 1000:.0f} ms over {len(self.times)} uploads; attackers' answers {self.answers}")


def run_attack(tmp_path, database_url: str, limits: str, *, presses: int = PRESSES,
               seconds: float = ATTACK_S) -> AttackRun:
    """The scenario (also bench/hub_read_attack.py): a served hub with `presses` presses, the uploads'
    times without the attack, then under it."""
    settings = {"trusted_proxies": "127.0.0.1", "metrics_allowed_addresses": ""}
    if limits == "no_rate_limits":
        settings.update(NO_LIMITS)
    with served_hub(tmp_path, database_url, **settings) as (hub, base_url):
        with hub.sessions.begin() as s:
            staff.create_admin(session=s, username="admin", password=ADMIN_PASSWORD)
            code = create_enrollment_code(session=s, kind="feedback", name="Гише 1", office_id="office-1")
        terminal = httpx.post(f"{base_url}/api/v1/terminals/enroll", json={"code": code}).json()
        seed_presses(hub.engine, terminal["terminal_id"], presses)

        quiet, quiet_status = measure_uploads(base_url, terminal["token"], 2.0)
        processes = multiprocessing.get_context("spawn")
        stop, ready, results = processes.Event(), processes.Event(), processes.Queue()
        attackers = processes.Process(target=attack, args=(base_url, stop, ready, results))
        attackers.start()
        assert ready.wait(120), "the attack did not start"
        time.sleep(0.5)
        times, statuses = measure_uploads(base_url, terminal["token"], seconds)
        stop.set()
        answers, errors = results.get(timeout=120)
        attackers.join(timeout=30)
        dialect = hub.engine.dialect.name
    return AttackRun(dialect, quiet, quiet_status, times, statuses, answers, errors)


@pytest.mark.parametrize("limits", ["rate_limited", "no_rate_limits"])
def test_public_floods_do_not_stall_press_uploads(tmp_path, database_url, limits):
    if limits == "no_rate_limits" and not database_url.startswith("sqlite"):
        pytest.skip("the root fixes alone: shown on SQLite, whose write lock was the problem")
    run = run_attack(tmp_path, database_url, limits)
    report = run.report(limits)
    print(report)
    answers = run.answers
    assert set(run.quiet_status) == {200} and run.statuses and set(run.statuses) == {200}, \
        (run.quiet_status, run.statuses)
    assert not run.errors, run.errors[:3]
    assert not [s for s in answers if s >= 500], report
    assert sum(answers.values()) > 100, report  # the attack really ran
    if limits == "rate_limited":
        assert answers.get(429, 0) > 0, report
    if limits == "rate_limited":  # the hub as it ships
        assert p95(run.times) < 0.200, report
    else:
        # Limits off, every flood is served as fast as one process can: what is left is CPU (measured
        # 71–183 ms on a 2-core machine shared with other work), never the write lock (30 s before).
        assert p95(run.times) < 1.0, report
