"""Hub heartbeats/s with p99 < 100 ms, the hub as deployed, vs a bare ASGI app on the same server.

Runs on its own: `kiosk-hub serve --workers N` as its own processes on a fresh SQLite file (or the
empty database given by `--database-url`, e.g. postgresql+psycopg://postgres@127.0.0.1/hub_bench),
with 64 enrolled kiosks and `--technicians N` technicians (default 0); the load is Debian's `wrk`
(its own process, keep-alive connections, a Lua script giving each request a kiosk's token and a
fresh report — as the sync agent sends it: `features: ["technicians", "technicians-version"]` and
the version of the technicians' list the kiosk holds, the current one, since 2026-12-04; before,
`["technicians"]` and the whole list in every answer). The floor is a bare ASGI app (reads the body, answers a
small JSON) under the same uvicorn with the same worker count, in the same run. At each level
(2…64 connections, a few seconds each) wrk reports rate and p99; the figure is the best rate
whose p99 stays under 100 ms with no errors. Prints

    RESULT hub_heartbeat value=<heartbeats/s> floor=<req/s> ratio=<value/floor>

(`hub_heartbeat_sqlite` or `hub_heartbeat_postgresql` by the database). With `--ceiling` it also
measures `served.validate_app` — the body parsed and validated as the hub does it, then a fixed
answer, with no middleware, token, log or database — and prints `RESULT
hub_heartbeat_validate_ceiling`: the most any heartbeat the hub validates could reach. Needs `wrk`
(apt-get install wrk). Bounded: `--seconds` per level, 10 levels per server (2, 4, 8, 16, 32, 64
until 2026-12-04; 6, 12, 24 and 48 were added then: the best rate under the limit lay between
the doubling steps).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from served import best_under, lua_strings, served_bare, served_hub, wrk_available

P99_LIMIT_MS = 100.0
LEVELS = (2, 4, 6, 8, 12, 16, 24, 32, 48, 64)
PATH = "/api/v1/terminals/heartbeat"


def heartbeat_lua(tokens: list[str], technicians_version: str = "") -> str:
    held = f',"technicians_version":"{technicians_version}"' if technicians_version else ""
    return f"""
local tokens = {lua_strings(tokens)}
local n = 0
local offset = 0
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("offset", counter * 17)
end
request = function()
  n = n + 1
  local token = tokens[((n + offset) % #tokens) + 1]
  local body = string.format('{{"terminal_time":"%s","seq":%d,"software_version":"0.1.0","uptime_s":%d.5,'
    .. '"queue_depth":%d,"devices":{{"printer":{{"state":"ok"}},"id_reader":{{"state":"ok"}}}},'
    .. '"features":["technicians","technicians-version"]{held}}}', os.date("!%Y-%m-%dT%H:%M:%SZ"), n, 100 + n, n % 3)
  return wrk.format("POST", "{PATH}", {{["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}}, body)
end
"""


def add_technicians(hub, count: int) -> None:
    from server_sync.hub.services import technicians

    with hub.sessions.begin() as s:
        for i in range(count):
            technicians.add(session=s, name=f"Техник {i:04d}", badge_hash=hashlib.sha256(b"%d" % i).hexdigest(),
                            pin_hash="$argon2id$v=19$m=65536,t=3,p=4$" + "a" * 22 + "$" + "b" * 43,
                            created_by="bench")


def current_technicians_version(hub) -> str:
    """The version a kiosk holds after its first heartbeat: the current list's."""
    import httpx

    body = {"terminal_time": "2026-12-04T08:00:00Z", "seq": 1, "software_version": "0.1.0", "uptime_s": 1,
            "queue_depth": 0, "features": ["technicians", "technicians-version"]}
    r = httpx.post(hub.base_url + PATH, json=body, headers={"Authorization": f"Bearer {hub.tokens[0]}"}, timeout=30)
    r.raise_for_status()
    return r.json()["technicians_version"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=2, help="hub (and floor) worker processes (default 2)")
    parser.add_argument("--seconds", type=float, default=5, help="seconds per load level (default 5)")
    parser.add_argument("--log-level", default="info", help="the hub's log level (default info, as deployed)")
    parser.add_argument("--technicians", type=int, default=0, help="active technicians on the hub (default 0)")
    parser.add_argument("--ceiling", action="store_true",
                        help="also measure `validate_app` (served.py): the body parsed and validated as the hub "
                             "does, a fixed answer — the most any validated heartbeat could reach here")
    args = parser.parse_args()
    if not wrk_available():
        print("hub_heartbeat: needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    db = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    print(f"# {db}, {args.workers} workers, {args.seconds:g} s per level; p99 limit {P99_LIMIT_MS:g} ms", flush=True)
    with served_hub(args.workers, args.database_url, terminals=64, log_level=args.log_level,
                    prepare=lambda hub: add_technicians(hub, args.technicians)) as hub:
        lua = heartbeat_lua(hub.tokens, current_technicians_version(hub))
        best_under(hub.base_url, lua, 1e9, (4,), 2, "warm-up")
        value, _ = best_under(hub.base_url, lua, P99_LIMIT_MS, LEVELS, args.seconds, "hub")
    with served_bare(args.workers) as url:
        lua = heartbeat_lua(["-"])
        best_under(url, lua, 1e9, (4,), 2, "warm-up")
        floor, _ = best_under(url, lua, P99_LIMIT_MS, LEVELS, args.seconds, "bare ASGI")
    v = value.rate if value else 0.0
    f = floor.rate if floor else 0.0
    if args.ceiling:
        with served_bare(args.workers, app="validate_app") as url:
            lua = heartbeat_lua(["-"])
            best_under(url, lua, 1e9, (4,), 2, "warm-up")
            ceiling, _ = best_under(url, lua, P99_LIMIT_MS, LEVELS, args.seconds, "validate")
        c = ceiling.rate if ceiling else 0.0
        print(f"RESULT hub_heartbeat_validate_ceiling value={c:.0f}req/s floor={f:.0f}req/s "
              f"ratio={c / f if f else 0:.2f}")
    if value:
        print(f"# hub: {v:.0f} heartbeats/s with {value.connections} connections (p99 {value.p99_ms:.1f} ms)")
    else:
        print("# hub: p99 never stayed under the limit")
    if floor:
        print(f"# bare ASGI: {f:.0f} req/s with {floor.connections} connections (p99 {floor.p99_ms:.1f} ms)")
    print(f"RESULT hub_heartbeat_{db} value={v:.0f}heartbeats/s floor={f:.0f}req/s "
          f"ratio={v / f if f else 0:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
