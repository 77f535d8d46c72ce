#!/usr/bin/env python3
"""Outbox drain of N queued presses by a real `sync-agent` process to a local hub: time and peak RSS.

Floors measured in the same run: for time, posting the same number of presses straight to a
fresh hub in FeedbackBatches of the same size with httpx (no store, no outbox); for memory,
the peak RSS of the same agent draining an empty outbox (its idle footprint). Memory must stay
bounded: the agent is also run on a queue a tenth the size, and its peak must not grow with
the queue (ratio of the two peaks ≈ 1)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx

from server_sync.hub.testing import running_hub
from server_sync.protocol import FeedbackBatch, Press
from server_sync.store import Store

BATCH = 500
MAX_RSS_GROWTH = 1.25  # full-queue peak / tenth-queue peak; bounded memory gives ≈ 1.0


def fill(store: Store, n: int) -> None:
    """Queue n presses. Fast path for the bench only: one transaction, same rows as record_press."""
    now = datetime.now(timezone.utc)
    with store._write() as conn:
        for i in range(n):
            seq = store._next(conn, "event")
            press = Press(press_id=uuid.uuid4(), terminal_time=now, seq=seq, score=1 + i % 4)
            store._enqueue(conn, press.press_id, "press", press.model_dump(mode="json"), None, now, seq)


def enroll(hub, data_dir: Path) -> None:
    code = hub.make_enrollment_code("feedback", "Bench")
    subprocess.run([sys.executable, "-m", "server_sync.agent", "--data-dir", str(data_dir), "enroll",
                    "--hub", hub.base_url, "--code", code], check=True, capture_output=True)


AGENT_WITH_HWM = """
import atexit, os, runpy, sys
def _report():
    for line in open("/proc/self/status"):
        if line.startswith(("VmHWM:", "VmRSS:")):
            os.write(int(os.environ["EOB_HWM_FD"]), line.encode())
atexit.register(_report)
sys.argv[0] = "sync-agent"
runpy.run_module("server_sync.agent", run_name="__main__")
"""


def run_agent(data_dir: Path, config: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS, RSS at exit) of `sync-agent run --until-empty`, from the agent's own
    /proc/self/status at exit (VmHWM: ru_maxrss would count the bench's pre-exec fork)."""
    read_fd, write_fd = os.pipe()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", AGENT_WITH_HWM, "--config", str(config),
                             "--data-dir", str(data_dir), "run", "--until-empty"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_fd,), cwd=ROOT,
                            env={**os.environ, "EOB_HWM_FD": str(write_fd)})
    os.close(write_fd)
    code = proc.wait()
    elapsed = time.perf_counter() - started
    report = b""
    while chunk := os.read(read_fd, 4096):
        report += chunk
    os.close(read_fd)
    if code != 0:
        sys.exit(f"sync-agent exited with {code}")
    values = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in report.decode().splitlines()}
    return elapsed, values["VmHWM"], values["VmRSS"]


def raw_post(base_url: str, token: str, n: int) -> float:
    now = datetime.now(timezone.utc)
    presses = [Press(press_id=uuid.uuid4(), terminal_time=now, seq=i + 1, score=1 + i % 4) for i in range(n)]
    bodies = [FeedbackBatch(presses=presses[i:i + BATCH]).model_dump_json().encode()
              for i in range(0, n, BATCH)]
    started = time.perf_counter()
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"}, timeout=60) as client:
        for body in bodies:
            client.post("/api/v1/feedback", content=body).raise_for_status()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=100_000)
    args = parser.parse_args()
    n = args.presses
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        config = tmp_path / "terminal.toml"
        config.write_text(f"[sync]\npress_batch = {BATCH}\nidle_poll_s = 0.05\n", encoding="utf-8")

        with running_hub(tmp_path / "floor") as hub:
            floor_s = raw_post(hub.base_url, hub.enroll("feedback", "Floor").token, n)

        results = {}
        for label, count in (("idle", 0), ("small", max(1, n // 10)), ("full", n)):
            with running_hub(tmp_path / f"hub-{label}") as hub:
                data_dir = tmp_path / f"terminal-{label}"
                enroll(hub, data_dir)
                store = Store(data_dir)
                fill(store, count)
                store.close()
                elapsed, peak, at_exit = run_agent(data_dir, config)
                store = Store(data_dir)
                left = store.queue_stats().depth
                store.close()
                if left:
                    sys.exit(f"{label}: {left} presses left in the outbox")
                results[label] = (elapsed, peak, at_exit)
                print(f"{label}: {count} presses drained in {elapsed:.2f} s, peak RSS {peak / 2**20:.1f} MiB, "
                      f"RSS at exit {at_exit / 2**20:.1f} MiB", flush=True)

    drain_s = results["full"][0]
    idle_peak, small_peak, full_peak = results["idle"][1], results["small"][1], results["full"][1]
    mib = 2 ** 20
    print(f"RESULT outbox_drain_time value={drain_s:.2f}s floor={floor_s:.2f}s ratio={drain_s / floor_s:.2f}")
    print(f"RESULT outbox_drain_rate value={n / drain_s:.0f}presses/s floor={n / floor_s:.0f}presses/s "
          f"ratio={floor_s / drain_s:.2f}")
    print(f"RESULT outbox_drain_peak_rss value={full_peak / mib:.1f}MiB floor={idle_peak / mib:.1f}MiB "
          f"ratio={full_peak / idle_peak:.2f}")
    print(f"RESULT outbox_drain_rss_growth value={full_peak / mib:.1f}MiB floor={small_peak / mib:.1f}MiB "
          f"ratio={full_peak / small_peak:.2f}")
    if full_peak > small_peak * MAX_RSS_GROWTH:
        # The agent must stream the queue in batches: a peak that grows with the queue means
        # something loads it whole. Fail loudly rather than print a figure nobody reads.
        print(f"FAIL peak RSS grows with the queue: {full_peak / mib:.1f} MiB for {n} presses, "
              f"{small_peak / mib:.1f} MiB for {max(1, n // 10)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
