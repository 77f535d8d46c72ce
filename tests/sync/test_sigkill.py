"""SIGKILL the agent process at random moments mid-batch, again and again: still exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server_sync.protocol import PressFields
from server_sync.store import Store

from .conftest import enroll_cli, hub_counts

pytestmark = pytest.mark.slow

KILLS = 15
PRESSES, REQUESTS = 3000, 40


def _agent(data_dir: Path, config: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "server_sync.agent", "--config", str(config), "--data-dir", str(data_dir),
         "run", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _hub_progress(hub) -> int:
    from server_sync.hub.models import FeedbackPress, ServiceRequest

    with hub.session() as s:
        return (s.scalar(select(func.count()).select_from(FeedbackPress))
                + s.scalar(select(func.count()).select_from(ServiceRequest)))


def test_sigkill_mid_batch_many_times_still_exactly_once(hub, tmp_path) -> None:
    data_dir = tmp_path / "terminal"
    assert enroll_cli(hub, data_dir) == 0
    config = tmp_path / "terminal.toml"
    config.write_text("[sync]\npress_batch = 40\nheartbeat_interval_s = 1\nbackoff_initial_s = 0.01\n"
                      "backoff_max_s = 0.1\nidle_poll_s = 0.02\n", encoding="utf-8")
    store = Store(data_dir)
    press_ids = {str(store.record_press(PressFields(1 + i % 4)).press_id) for i in range(PRESSES)}
    refs = {store.submit("signal", signal_category_id="potholes", signal_type="problem",
                         description=f"Сигнал {i}", anonymous=True).provisional_ref for i in range(REQUESTS)}
    rng = random.Random(4242)
    kills_mid_work = 0
    for _ in range(KILLS):
        before = _hub_progress(hub)
        proc = _agent(data_dir, config)
        # Wait until this agent is visibly delivering, then kill it a random moment later.
        while proc.poll() is None and _hub_progress(hub) == before:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.08))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills_mid_work += 1
        proc.wait(timeout=30)
        proc.stderr.close()
        if store.queue_stats().depth == 0:
            break
    assert kills_mid_work >= 10  # the kills really landed while work was in flight
    assert 0 < _hub_progress(hub)
    final = _agent(data_dir, config, "--until-empty")
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()[-2000:]

    from server_sync.hub.models import FeedbackPress, ServiceRequest

    with hub.session() as s:
        hub_presses = s.scalars(select(FeedbackPress.press_id)).all()
        hub_refs = s.scalars(select(ServiceRequest.provisional_ref)).all()
    assert len(hub_presses) == PRESSES and set(hub_presses) == press_ids
    assert len(hub_refs) == REQUESTS and set(hub_refs) == refs
    assert hub_counts(hub)[1] == REQUESTS
    stats = store.queue_stats()
    assert stats.depth == 0 and stats.rejected == 0
    store.close()


def test_sigterm_finishes_the_step_and_exits_zero(hub, tmp_path) -> None:
    data_dir = tmp_path / "terminal"
    assert enroll_cli(hub, data_dir) == 0
    config = tmp_path / "terminal.toml"
    config.write_text("[sync]\nidle_poll_s = 0.05\n", encoding="utf-8")
    store = Store(data_dir)
    store.record_press(PressFields(3))
    proc = _agent(data_dir, config)
    while proc.poll() is None and store.queue_stats().depth:
        time.sleep(0.02)
    # A second agent on the same data dir refuses to run (one drainer per terminal).
    second = _agent(data_dir, config)
    _, err2 = second.communicate(timeout=60)
    assert second.returncode == 1 and b"already running" in err2
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert hub_counts(hub)[0] == 1
    store.close()
