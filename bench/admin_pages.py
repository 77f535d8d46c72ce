"""Staff pages at scale: p95 server time of the fleet page and a filtered inbox page, < 300 ms each.

Runs on its own: seeds a fresh SQLite file (or the empty database given by --database-url, e.g.
PostgreSQL) with 10,000 terminals and 1,000,000 requests and signals spread over two years (Core
executemany in chunks, indexes built after the load), logs in as an administrator through the
login form, then times each page many times in-process (the app's own time: no network). The
floor is a bare GET of `/api/v1/health` on the same app in the same run. Prints

    RESULT admin_fleet_p95 value=<ms>ms floor=<ms>ms ratio=<value/floor>
    RESULT admin_inbox_p95 value=<ms>ms floor=<ms>ms ratio=<value/floor>

(the inbox figure is the worst p95 of its filtered pages; the fleet figure is skipped with a
note when this hub has no fleet page). `--requests N --terminals N` make a quick smaller run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from server_sync.hub.app import create_app
from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.context import open_hub
from server_sync.hub.deadlines import SOFIA, deadline_for
from server_sync.hub.models import ServiceRequest, StaffUser, StatusChange, Terminal
from server_sync.hub.security import hash_password
from server_sync.hub.services import staff as staff_service
from server_sync.hub.settings import HubSettings
from server_sync.hub.testing import seed_catalogue

TARGET_MS = 300.0
CHUNK = 20_000
PASSWORD = "bench password 2026"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def weighted(rng: random.Random, items: list, n: int, skew: float = 1.1) -> list:
    """n picks from items with a Zipf-like spread (a few popular, a long tail)."""
    weights = [1 / (i + 1) ** skew for i in range(len(items))]
    return rng.choices(items, weights=weights, k=n)


class Loader:
    """executemany of plain tuples in chunks, values already in the driver's form (JSON as text,
    UTC times as SQLite's text or aware datetimes for PostgreSQL): the per-row type processing of
    an `insert()` statement costs more than the database's own work at this size."""

    def __init__(self, conn):
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"

    def time(self, value: datetime | None):
        if value is None or not self.sqlite:
            return value
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    def json(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def insert(self, table, columns: list[str], rows: list[tuple]) -> None:
        mark = "?" if self.sqlite else "%s"
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
        for start in range(0, len(rows), CHUNK):
            self.conn.exec_driver_sql(sql, rows[start:start + CHUNK])


def seed_terminals(load: Loader, catalogue, count: int, now: datetime,
                   rng: random.Random) -> list[tuple[str, str | None]]:
    """Terminals with a realistic spread of states; returns (id, office_id) of the kiosks."""
    offices = [o.id for o in catalogue.offices]
    table = Terminal.__table__
    rows, kiosks, keys = [], [], None
    for i in range(count):
        kind = "kiosk" if rng.random() < 0.7 else "feedback"
        tid = f"{'K' if kind == 'kiosk' else 'F'}{i:05d}"
        office = rng.choice(offices) if rng.random() < 0.95 else None
        roll = rng.random()
        if roll < 0.90:
            seen = now - timedelta(seconds=rng.uniform(0, 90))
        elif roll < 0.95:
            seen = now - timedelta(minutes=rng.uniform(5, 30))
        elif roll < 0.99:
            seen = now - timedelta(hours=rng.uniform(1, 24 * 20))
        else:
            seen = None
        queue = 0 if rng.random() < 0.9 else rng.randint(1, 400)
        paper = "ok" if rng.random() < 0.95 else rng.choice(["low", "out"])
        beat = None if seen is None else {
            "terminal_time": seen.isoformat(), "seq": rng.randint(1, 10**6), "software_version": "0.9.3",
            "uptime_s": rng.uniform(60, 3e6), "queue_depth": queue,
            "oldest_undelivered_age_s": rng.uniform(1, 3600) if queue else None,
            "last_sync_at": seen.isoformat(), "disk_free_bytes": rng.randint(2 * 10**9, 28 * 10**9),
            "cpu_temp_c": round(rng.uniform(38, 78), 1), "under_voltage": rng.random() < 0.01,
            "catalogue_version": catalogue.version,
            "devices": {"printer": {"state": paper}, "id_reader": {"state": "ok"}},
            "last_errors": [] if rng.random() < 0.95 else ["printer: paper jam"],
        }
        row = {
            "id": tid, "kind": kind, "name": f"{'Киоск' if kind == 'kiosk' else 'Оценка'} {i}",
            "location": "фоайе", "token_hash": uuid.uuid4().hex + uuid.uuid4().hex,
            "enrolled_at": load.time(now - timedelta(days=rng.uniform(1, 700))),
            "revoked_at": load.time(now - timedelta(days=1)) if rng.random() < 0.005 else None,
            "hostname": f"eob-{tid.lower()}", "software_version": "0.9.3", "last_heartbeat_at": load.time(seen),
            "clock_skew_s": rng.uniform(-2, 2), "last_heartbeat": load.json(beat),
            "last_event_seq": rng.randint(0, 10**5), "office_id": office,
            # Columns the fleet page may add (kept when the table has them).
            "queue_depth": queue if beat else None,
            "oldest_undelivered_age_s": beat and beat["oldest_undelivered_age_s"],
            "device_problems": int(paper != "ok") if beat else None,
            "disk_free_bytes": beat and beat["disk_free_bytes"], "cpu_temp_c": beat and beat["cpu_temp_c"],
            "under_voltage": beat and beat["under_voltage"], "uptime_s": beat and beat["uptime_s"],
            "last_error": beat["last_errors"][0] if beat and beat["last_errors"] else None,
        }
        keys = keys or [k for k in row if k in table.c]
        rows.append(tuple(row[k] for k in keys))
        if kind == "kiosk":
            kiosks.append((tid, office))
    missing = [c.name for c in table.c if c.name not in (keys or []) and not c.nullable and c.default is None
               and c.server_default is None]
    if missing:
        raise SystemExit(f"admin_pages: the terminals table has new required columns {missing}; seed them")
    load.insert(table, keys or [], rows)
    return kiosks


REQUEST_COLUMNS = [
    "client_id", "payload_hash", "kind", "channel", "terminal_id", "number", "number_year", "number_seq",
    "tracking_code", "provisional_ref", "status", "registered_at", "deadline_at", "terminal_time", "seq", "language",
    "service_id", "tier", "signal_category_id", "signal_type", "title", "description", "location", "form",
    "anonymous", "egn_hmac", "egn", "given_names", "surname", "contact", "personal_fields", "unit_id", "office_id",
]
HISTORY_COLUMNS = ["request_id", "status", "at", "note", "by_staff", "internal_note"]


def seed_requests(load: Loader, catalogue, count: int, kiosks: list[tuple[str, str | None]], now: datetime,
                  rng: random.Random) -> None:
    """`count` requests and signals over two years, oldest first, each with its current status."""
    m = catalogue.municipality
    services = list(catalogue.services)
    rng.shuffle(services)
    categories = list(catalogue.signal_categories)
    offices = [o.id for o in catalogue.offices]
    # A tier's deadline as an offset (working days and holidays averaged out: close enough here).
    probe = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    offsets = {(s.id, t.tier.value): (deadline_for(probe, t.deadline) - probe) if t.deadline else None
               for s in services for t in s.tiers}
    titles = {x.id: load.json(x.name.model_dump()) for x in services + categories}
    contact, empty = load.json({"phone": "0888 123 456"}), load.json({})
    signal_offset = timedelta(days=61)
    span = timedelta(days=730).total_seconds()
    times = sorted(now - timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    counters: dict[int, int] = {}
    service_picks = weighted(rng, services, count)
    category_picks = weighted(rng, categories, count)
    day_cache: dict[tuple, str] = {}
    requests, history = [], []
    for i, at in enumerate(times):
        local = at.astimezone(SOFIA)
        seq = counters[local.year] = counters.get(local.year, 0) + 1
        day = local.date()
        fmt = day_cache.get(day)
        if fmt is None:  # the number's date part once per day (formatting dates is slow)
            fmt = day_cache[day] = m.number_format.replace("{date:%d.%m.%Y}", day.strftime("%d.%m.%Y"))
        number = fmt.format(index=m.number_index, seq=seq, date=day, year=local.year)
        roll = rng.random()
        channel = "kiosk" if roll < 0.8 else ("web" if roll < 0.9 else "counter")
        terminal_id, office_id = (rng.choice(kiosks) if channel == "kiosk" and kiosks else
                                  (None, rng.choice(offices) if channel == "counter" else None))
        if rng.random() < 0.7:
            service = service_picks[i]
            tier = service.tiers[int(rng.random() * len(service.tiers))].tier.value
            offset = offsets[(service.id, tier)]
            kind, first, title, unit = "service_request", "registered", titles[service.id], service.unit_id
            service_id, category_id, description = service.id, None, None
        else:
            category = category_picks[i]
            offset, tier = signal_offset, None
            kind, first, title, unit = "signal", "pending", titles[category.id], category.unit_id
            service_id, category_id = None, category.id
            description = "Дупка на пътя пред блок 12, опасна за колоите."
        deadline = at + offset if offset is not None else None
        # Closed once past the deadline, mostly; some open items stay overdue.
        r = rng.random()
        if deadline is not None and deadline < now:
            status = "resolved" if r < 0.93 else "rejected" if r < 0.965 else first if r < 0.985 else "in_progress"
        elif (now - at).days < 2:
            status = first
        else:
            status = first if r < 0.3 else "in_progress" if r < 0.7 else "resolved" if r < 0.9 else "rejected"
        named = kind == "service_request" and r < 0.8
        stamp = load.time(at)
        requests.append((
            str(uuid.UUID(int=rng.getrandbits(128), version=4)), f"{i:064x}", kind, channel, terminal_id, number,
            local.year, seq, f"{rng.getrandbits(40):010X}"[:8],
            f"{terminal_id}-{i % 10**6:06d}" if terminal_id else None, status, stamp, load.time(deadline), stamp,
            i, "bg", service_id, tier, category_id, "problem" if category_id else None, title, description, None,
            empty, kind == "signal" and not named, None, None, "Иван" if named else None,
            "Иванов" if named else None, contact if named else None, None, unit, office_id,
        ))
        history.append((i + 1, status, stamp, None, None if status == first else "bench", None))
        if len(requests) >= CHUNK * 5:
            load.insert(ServiceRequest.__table__, REQUEST_COLUMNS, requests)
            load.insert(StatusChange.__table__, HISTORY_COLUMNS, history)
            requests, history = [], []
    load.insert(ServiceRequest.__table__, REQUEST_COLUMNS, requests)
    load.insert(StatusChange.__table__, HISTORY_COLUMNS, history)


def seed(hub, terminals: int, requests: int) -> None:
    rng = random.Random(20261203)
    now = datetime.now(timezone.utc)
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=seed_catalogue(), source="bench")
        catalogue = hub.catalogue.get(s)[0]
    engine = hub.engine
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":  # a throw-away load: no fsync per chunk, a big page cache
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA cache_size=-262144")
        trans = conn.begin()
        # Indexes built once after the load, not updated row by row (constraints stay).
        indexes = list(ServiceRequest.__table__.indexes) + list(StatusChange.__table__.indexes)
        for index in indexes:
            index.drop(conn)
        started = time.perf_counter()
        load = Loader(conn)
        kiosks = seed_terminals(load, catalogue, terminals, now, rng)
        seed_requests(load, catalogue, requests, kiosks, now, rng)
        loaded = time.perf_counter()
        for index in indexes:
            index.create(conn)
        trans.commit()
        print(f"# seeded {terminals:,} terminals and {requests:,} requests in {loaded - started:.1f} s, "
              f"indexes in {time.perf_counter() - loaded:.1f} s")
        if engine.dialect.name == "sqlite":
            conn.connection.driver_connection.execute("PRAGMA synchronous=FULL")
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.execute(text("ANALYZE"))
    with hub.sessions.begin() as s:
        staff_service.add_user(session=s, username="bench-admin", password_hash=hash_password(PASSWORD),
                               role="administrator")


def login(client: TestClient) -> None:
    page = client.get("/admin/login")
    csrf = _CSRF.search(page.text).group(1)
    r = client.post("/admin/login", data={"username": "bench-admin", "password": PASSWORD, "csrf": csrf},
                    follow_redirects=False)
    if r.status_code != 303:
        raise SystemExit(f"admin_pages: login answered {r.status_code}")


def p95(client: TestClient, path: str, runs: int) -> float:
    times = []
    for i in range(runs + 3):
        started = time.perf_counter()
        r = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if r.status_code != 200:
            raise SystemExit(f"admin_pages: {path} answered {r.status_code}: {r.text[:300]}")
        if i >= 3:  # warm-up first
            times.append(elapsed)
    times.sort()
    value = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"#   {path:<58} p50 {statistics.median(times):7.1f} ms  p95 {value:7.1f} ms  ({len(r.content):,} bytes)")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000, help="requests and signals (default 1,000,000)")
    parser.add_argument("--terminals", type=int, default=10_000, help="terminals (default 10,000)")
    parser.add_argument("--runs", type=int, default=40, help="timed GETs per page (default 40)")
    parser.add_argument("--database-url", default="", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--keep", default="", help="keep the SQLite file in this directory and reuse it next time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.keep) if args.keep else Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        url = args.database_url or f"sqlite:///{where / 'hub.sqlite3'}"
        settings = HubSettings(data_dir=where / "hub", database_url=url, schema_setup="create_all",
                               import_shipped_catalogue=False, hmac_key="bench-hmac-key")
        hub = open_hub(settings)
        try:
            with hub.sessions() as s:
                seeded = s.scalar(select(func.count()).select_from(StaffUser)) > 0
            if seeded:
                print(f"# reusing the database seeded before in {where}")
            else:
                seed(hub, args.terminals, args.requests)
            with TestClient(create_app(settings, context=hub), raise_server_exceptions=True) as client:
                login(client)
                floor = p95(client, "/api/v1/health", args.runs)
                from server_sync.hub.web.common import PAGE_PATHS

                fleet = None
                if "/admin/fleet" in PAGE_PATHS:
                    fleet = max(p95(client, path, args.runs) for path in (
                        "/admin/fleet", "/admin/fleet?state=offline", "/admin/fleet?kind=kiosk&office=centre"))
                else:
                    print("# no fleet page on this hub (server_sync/hub/web/fleet.py): admin_fleet_p95 skipped")
                inbox = max(p95(client, path, args.runs) for path in (
                    "/admin/requests",
                    "/admin/requests?status=pending&unit=public-works",
                    "/admin/requests?overdue=1",
                    "/admin/requests?overdue=1&order=due",
                    "/admin/requests?kind=service_request&unit=grao&office=centre&page=40",
                    "/admin/requests?category=roads&status=in_progress",
                    "/admin/requests?service=heirs-certificate&channel=counter",
                ))
        finally:
            hub.close()
    for name, value in (("admin_fleet_p95", fleet), ("admin_inbox_p95", inbox)):
        if value is None:
            continue
        mark = "" if value < TARGET_MS else f"  # over the {TARGET_MS:.0f} ms target"
        print(f"RESULT {name} value={value:.1f}ms floor={floor:.1f}ms ratio={value / floor:.1f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
