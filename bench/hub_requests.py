"""Hub requests/s filed with sealed personal data at p99 < 200 ms, vs a bare ASGI app on the same server.

Runs on its own: `kiosk-hub serve --workers N` as its own processes on a fresh SQLite file (or the
empty database given by `--database-url`, e.g. postgresql+psycopg://postgres@127.0.0.1/hub_bench)
with 16 enrolled kiosks and a small catalogue; the load is Debian's `wrk` (its own process) filing
service requests, each with a new client id and the applicant (ЕГН, document, names, phone) sealed
to the hub's public key, as a kiosk files them — every one gets its incoming number from the
gapless counter, its ЕГН HMAC and its deadline. The floor is a bare ASGI app under the same uvicorn
and worker count in the same run. The figure is the best rate over 2…32 connections whose p99
stays under 200 ms with no errors. Prints

    RESULT hub_requests_<database> value=<requests/s> floor=<req/s> ratio=<value/floor>

Needs `wrk` (apt-get install wrk). Bounded: `--seconds` per level, 5 levels per server.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from served import best_under, lua_strings, served_bare, served_hub, wrk_available

P99_LIMIT_MS = 200.0
LEVELS = (2, 4, 8, 16, 32)
PATH = "/api/v1/requests"
SEALED: list[str] = []


def prepare(hub) -> None:
    """The small test catalogue (its service keeps the ЕГН and needs the identity) and sealed applicants."""
    from server_sync.hub.catalogue_store import import_catalogue
    from server_sync.hub.testing import fixture_catalogue
    from server_sync.protocol import Applicant
    from server_sync.protocol.sealing import seal_applicant

    with hub.sessions.begin() as s:
        import_catalogue(s, fixture_catalogue(), "bench")
    for i in range(32):
        applicant = Applicant(egn="7501020018", document_number=f"AA{1234500 + i}", given_names="Иван Петров",
                              surname="Иванов", phone="0888 123 456",
                              personal_fields={"deceased_egn": "4402126540"})
        SEALED.append(seal_applicant(applicant, hub.keyring.public_key_b64))


def requests_lua(tokens: list[str], sealed: list[str]) -> str:
    template = json.dumps({
        "client_id": "@ID@", "kind": "service_request", "terminal_time": "@TIME@", "seq": 0,
        "provisional_ref": "K01-000001", "service_id": "heirs-certificate", "tier": "fast",
        "form": {"deceased_name": "Петър Иванов Иванов", "copies": 2}, "sealed_applicant": "@SEALED@"},
        ensure_ascii=False)
    return f"""
local tokens = {lua_strings(tokens)}
local sealed = {lua_strings(sealed)}
local template = [==[{template}]==]
local n = 0
local id = 0
local started = 0
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
end
init = function(args)
  started = os.time()
end
request = function()
  n = n + 1
  local cid = string.format("%08x-%04x-4000-8000-%012x", started, id, n)
  local body = template:gsub("@ID@", cid):gsub("@TIME@", os.date("!%Y-%m-%dT%H:%M:%SZ"))
  body = body:gsub("@SEALED@", sealed[(n % #sealed) + 1])
  return wrk.format("POST", "{PATH}", {{["Authorization"] = "Bearer " .. tokens[((n + id) % #tokens) + 1],
    ["Content-Type"] = "application/json"}}, body)
end
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=2, help="hub (and floor) worker processes (default 2)")
    parser.add_argument("--seconds", type=float, default=5, help="seconds per load level (default 5)")
    parser.add_argument("--log-level", default="info", help="the hub's log level (default info, as deployed)")
    args = parser.parse_args()
    if not wrk_available():
        print("hub_requests: needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    db = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    print(f"# {db}, {args.workers} workers, {args.seconds:g} s per level; p99 limit {P99_LIMIT_MS:g} ms", flush=True)
    with served_hub(args.workers, args.database_url, terminals=16, log_level=args.log_level,
                    prepare=prepare) as hub:
        lua = requests_lua(hub.tokens, SEALED)
        best_under(hub.base_url, lua, 1e9, (2,), 2, "warm-up")
        value, _ = best_under(hub.base_url, lua, P99_LIMIT_MS, LEVELS, args.seconds, "hub")
    with served_bare(args.workers) as url:
        lua = requests_lua(["-"], SEALED)
        best_under(url, lua, 1e9, (4,), 2, "warm-up")
        floor, _ = best_under(url, lua, P99_LIMIT_MS, LEVELS, args.seconds, "bare ASGI")
    v = value.rate if value else 0.0
    f = floor.rate if floor else 0.0
    if value:
        print(f"# hub: {v:.0f} requests/s with {value.connections} connections (p99 {value.p99_ms:.1f} ms)")
    else:
        print("# hub: p99 never stayed under the limit")
    if floor:
        print(f"# bare ASGI: {f:.0f} req/s with {floor.connections} connections (p99 {floor.p99_ms:.1f} ms)")
    print(f"RESULT hub_requests_{db} value={v:.0f}requests/s floor={f:.0f}req/s ratio={v / f if f else 0:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
