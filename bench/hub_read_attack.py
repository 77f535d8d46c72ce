"""Hub under public floods (issue 15 §1): press uploads while 4 clients fetch open data, 8 scrape
/metrics and 16 send wrong staff passwords, against `kiosk-hub serve` holding `--presses` presses.

The scenario is the one of tests/hub/test_read_lock_attack.py (which holds the p95 under 200 ms):
a feedback terminal uploads a press every ~20 ms, first alone (the floor, in the same run), then
under the attack (attackers in their own process at the lowest CPU priority, each from its own
address behind a trusted proxy). Runs with the default rate limits, or none (`--no-limits`).

Ends with `RESULT hub_read_attack_<db>_<limits>_press_p95 value=<ms>ms floor=<ms>ms ratio=<value/floor>`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hub.test_read_lock_attack import p95, run_attack


@contextmanager
def scratch_database(admin_url: str):
    """A new PostgreSQL database for the run (its SQLAlchemy URL), dropped afterwards; "" without one."""
    if not admin_url:
        yield ""
        return
    import psycopg

    name = f"eob_bench_attack_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="", metavar="ADMIN_URL",
                        help="run on PostgreSQL: a scratch database is created through this server URL "
                             "(e.g. postgresql://postgres@127.0.0.1:5432/test) and dropped after; "
                             "default: a fresh SQLite file")
    parser.add_argument("--presses", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the attack is measured")
    parser.add_argument("--no-limits", action="store_true", help="rate limits off: the root fixes alone")
    args = parser.parse_args()
    limits = "no_rate_limits" if args.no_limits else "rate_limited"
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres) as url:
        run = run_attack(Path(tmp), url or f"sqlite:///{tmp}/hub.sqlite3", limits, presses=args.presses,
                         seconds=args.seconds)
    print(run.report(limits))
    value, floor = p95(run.times) * 1000, p95(run.quiet) * 1000
    server_errors = sum(n for code, n in run.answers.items() if code >= 500) + len(run.errors)
    print(f"RESULT hub_read_attack_{run.dialect}_{limits}_server_errors value={server_errors}")
    print(f"RESULT hub_read_attack_{run.dialect}_{limits}_press_p95 value={value:.0f}ms floor={floor:.0f}ms "
          f"ratio={value / floor:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
