"""Shared by the hub's load benches: the hub as deployed, the floor, and the load from `wrk`.

* `served_hub(...)`: `kiosk-hub serve --workers N` as its own process tree (uvicorn's process
  manager) on a free 127.0.0.1 port, on a fresh SQLite file or the given database; terminals are
  enrolled first through the service layer, so the benchmark's tokens are real.
* `served_bare(...)`: the floor, a bare ASGI app (`bare_app` below: reads the body, answers a small
  JSON) under the same server (uvicorn, same options) and the same number of workers.
* `served_bare(..., app="validate_app")`: a ceiling for any validated heartbeat (`validate_app`:
  `json.loads` and the wire model, then a fixed answer; no middleware, token, log or database).
* `wrk_level(...)`: Debian's `wrk` (C, its own process, keep-alive connections) with a Lua script
  that builds each request (rotating tokens, fresh bodies); returns rate, p50, p99, errors.

Load only ever targets 127.0.0.1 and every level is bounded in time.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
KIOSK_HUB = [PYTHON, "-m", "server_sync.hub.cli"]


async def bare_app(scope, receive, send):
    """The floor: an ASGI endpoint that reads the body and answers a small JSON, nothing else."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"status":"ok"}'})


_VALIDATE_ANSWER = b'{"server_time":"2026-12-04T08:00:00Z","catalogue_version":"v","hub_epoch":"e","last_seq":1}'


async def validate_app(scope, receive, send):
    """The least any heartbeat costs that the hub validates: the body parsed and checked against
    the wire model as the hub does it (`json.loads`, then `HeartbeatRequest`), a fixed answer."""
    from server_sync.protocol import HeartbeatRequest

    if scope["type"] != "http":
        return
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    if scope["method"] == "POST":  # (the readiness probe is a GET)
        HeartbeatRequest.model_validate(json.loads(b"".join(chunks)))
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(_VALIDATE_ANSWER)).encode())]})
    await send({"type": "http.response.body", "body": _VALIDATE_ANSWER})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server not ready after {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group we started: uvicorn's parent and its workers
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@dataclass
class ServedHub:
    base_url: str
    data_dir: Path
    database_url: str
    env: dict
    tokens: list[str]


def hub_env(data_dir: Path, database_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(HUB_DATA_DIR=str(data_dir), HUB_DATABASE_URL=database_url, PYTHONPATH=str(ROOT), **extra)
    return env


def enroll_terminals(data_dir: Path, database_url: str, count: int, kind: str = "kiosk", prepare=None) -> list[str]:
    """Open (create, migrate) the hub's database in this process and enrol `count` terminals;
    `prepare(hub_context)` runs first (e.g. import a catalogue)."""
    sys.path.insert(0, str(ROOT))
    from server_sync.hub.context import open_hub
    from server_sync.hub.services import terminals
    from server_sync.hub.settings import HubSettings
    from server_sync.protocol import EnrollRequest

    hub = open_hub(HubSettings(data_dir=data_dir, database_url=database_url, hmac_key="bench-hmac-key"))
    tokens = []
    try:
        if prepare is not None:
            prepare(hub)
        for i in range(count):
            with hub.sessions.begin() as s:
                code = terminals.create_enrollment_code(session=s, kind=kind, name=f"bench {i}")
            with hub.sessions.begin() as s:
                tokens.append(terminals.enroll(session=s, request=EnrollRequest(code=code),
                                               hub_public_key=hub.keyring.public_key_b64,
                                               hub_epoch=hub.hub_epoch).token)
    finally:
        hub.close()
    return tokens


@contextmanager
def served_hub(workers: int, database_url: str = "", terminals: int = 64, kind: str = "kiosk",
               log_level: str = "info", prepare=None) -> Iterator[ServedHub]:
    """`kiosk-hub serve --workers N` on a fresh data dir (SQLite there unless `database_url`)."""
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        data_dir = Path(tmp)
        url = database_url or f"sqlite:///{data_dir / 'hub.sqlite3'}"
        tokens = enroll_terminals(data_dir, url, terminals, kind, prepare)
        port = free_port()
        env = hub_env(data_dir, url, HUB_HMAC_KEY="bench-hmac-key", HUB_LOG_LEVEL=log_level)
        log = data_dir / "hub.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([*KIOSK_HUB, "serve", "--port", str(port), "--workers", str(workers)],
                                    env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(f"{base}/api/v1/health", proc, log)
            yield ServedHub(base, data_dir, url, env, tokens)
        finally:
            _stop(proc)


@contextmanager
def served_bare(workers: int, app: str = "bare_app") -> Iterator[str]:
    """The floor: `bare_app` (or another app of this module) under uvicorn with the hub's server
    options and worker count."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bare-bench-") as tmp:
        log = Path(tmp) / "bare.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([PYTHON, "-m", "uvicorn", f"served:{app}", "--app-dir", str(ROOT / "bench"),
                                     "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                                     "--no-access-log", "--no-server-header", "--proxy-headers",
                                     "--lifespan", "off", "--log-level", "warning"],
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                    env={**os.environ, "PYTHONPATH": str(ROOT)})
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(f"{base}/", proc, log)
            yield base
        finally:
            _stop(proc)


@dataclass
class Level:
    connections: int
    rate: float  # completed requests per second
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx answers, socket errors and timeouts


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_level(base_url: str, lua: str, connections: int, seconds: float, threads: int = 1) -> Level:
    """One closed-loop load level: `connections` keep-alive connections for `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as f:
        f.write(lua + DONE_LUA)
        script = f.name
    try:
        out = subprocess.run(["wrk", "-t", str(min(threads, connections)), "-c", str(connections),
                              "-d", f"{seconds:g}s", "--timeout", "10s", "-s", script, base_url],
                             capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKSTATS ")), None)
    if line is None:
        raise SystemExit(f"wrk failed: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    requests, errors, p50, p99, duration_us = json.loads(line.removeprefix("WRKSTATS "))
    return Level(connections, requests / (duration_us / 1e6), p50 / 1000, p99 / 1000, requests, errors)


# Appended to every script: one machine-readable line (latencies in µs).
DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRKSTATS [%d, %d, %d, %d, %d]\\n", summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99),
    summary.duration))
end
"""


def lua_strings(values: list[str]) -> str:
    return "{" + ", ".join(json.dumps(v) for v in values) + "}"


def best_under(base_url: str, lua: str, limit_ms: float, levels: tuple[int, ...], seconds: float,
               label: str) -> tuple[Level | None, list[Level]]:
    """Every level in turn; the best rate whose p99 stays under `limit_ms` with no errors."""
    best, seen = None, []
    for c in levels:
        lv = wrk_level(base_url, lua, c, seconds)
        seen.append(lv)
        ok = lv.p99_ms < limit_ms and lv.errors == 0
        print(f"#   {label:<10} {c:>3} connections: {lv.rate:8.0f} req/s  p50 {lv.p50_ms:6.1f} ms  "
              f"p99 {lv.p99_ms:6.1f} ms  errors {lv.errors}{'' if ok else '  (over the limit)'}", flush=True)
        if ok and (best is None or lv.rate > best.rate):
            best = lv
    return best, seen
