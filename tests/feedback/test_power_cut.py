"""Power cut: a child pressing as fast as it can is SIGKILLed 20 times; every acknowledged press survives."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from server_sync.protocol import PressFields
from server_sync.store import Store

KILLS = 20


def _child(data_dir: Path, ack_fd: int) -> None:
    """Runs in the forked child: the real press path, acks written unbuffered to the pipe."""
    from hardware.buttons import SimulatedButtonPanel
    from terminal_feedback.config import parse_feedback_section
    from terminal_feedback.terminal import FeedbackTerminal

    now = [0.0]

    def clock() -> float:
        return now[0]

    store = Store(data_dir)
    config = parse_feedback_section({"counter_id": "c1"})

    def acknowledge(outcome) -> None:
        os.write(ack_fd, f"{outcome.record.press_id}\n".encode())

    terminal = FeedbackTerminal(config, store, acknowledge=acknowledge, clock=clock)
    panel = SimulatedButtonPanel(config.panel, terminal, clock=clock)
    score = 0
    while True:
        now[0] += 0.05  # each press is a fresh edge for the debouncer, as a real hand would give
        score = score % 4 + 1
        panel.press(score)


def _run_once(data_dir: Path, rng: random.Random) -> set[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        try:
            _child(data_dir, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    wanted = rng.randint(1, 40)
    buffer = b""
    acked: set[str] = set()
    try:
        while len(acked) < wanted:
            ready, _, _ = select.select([read_fd], [], [], 30)
            assert ready, "the child stopped acknowledging presses"
            chunk = os.read(read_fd, 65536)
            assert chunk, "the child died on its own"
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            acked.update(line.decode() for line in lines)
        # Land the kill at a random point of the next write: mid-transaction, mid-fsync, mid-ack.
        for _ in range(rng.randint(0, 3000)):
            pass
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        # Acks that made it into the pipe before the kill count too.
        while True:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            buffer += chunk
        *lines, _partial = buffer.split(b"\n")
        acked.update(line.decode() for line in lines)
    finally:
        os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    return acked


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_every_acknowledged_press_survives_sigkill(tmp_path):
    data_dir = tmp_path / "data"
    Store(data_dir).close()  # migrate once, so every child starts pressing at once
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    acked: set[str] = set()
    for _ in range(KILLS):
        acked |= _run_once(data_dir, rng)

    db = sqlite3.connect(data_dir / "terminal.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in db.execute("SELECT client_id FROM outbox WHERE kind = 'press'")}
    seqs = [row[0] for row in db.execute("SELECT seq FROM outbox WHERE kind = 'press'")]
    db.close()
    assert len(acked) >= KILLS
    assert acked <= stored, f"{len(acked - stored)} acknowledged presses were lost"
    assert len(seqs) == len(set(seqs)), "two presses took the same event seq"
    # The store is still usable after all that.
    with Store(data_dir) as store:
        store.record_press(PressFields(3, counter_id="c1"))


def test_simulate_cli_reads_keys_and_prints_acks(tmp_path):
    config = tmp_path / "terminal.toml"
    config.write_text('[feedback]\ncounter_id = "grao-3"\noffice_id = "center"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "terminal_feedback", "--simulate", "--config", str(config),
         "--data-dir", str(tmp_path / "data")],
        input="1\n4\n9\nq\n", capture_output=True, text=True, timeout=60,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 0, done.stderr
    acks = [line for line in done.stdout.splitlines() if line.startswith("ACK ")]
    assert [a.split()[1] for a in acks] == ["1", "4"]  # 9 is not a button
    assert "[response_interval]" in acks[1]
    press_ids = [a.rsplit("press_id=", 1)[1].split()[0] for a in acks]
    with sqlite3.connect(tmp_path / "data" / "terminal.sqlite3") as db:
        stored = {r[0] for r in db.execute("SELECT client_id FROM outbox WHERE kind = 'press'")}
        health = dict(db.execute("SELECT device, state FROM device_health").fetchall())
    assert set(press_ids) == stored
    assert health["buttons"] == "offline"  # reported on the way out
    assert health["feedback"] == "ok"


def test_bad_config_is_one_line_naming_key_and_file(tmp_path):
    config = tmp_path / "terminal.toml"
    config.write_text('[feedback]\nscale = 7\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "terminal_feedback", "--simulate", "--config", str(config),
         "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert str(config) in done.stderr and "feedback.scale" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(os.path.exists("/dev/gpiochip0"), reason="this machine has a GPIO chip")
def test_without_gpio_and_without_simulate_it_says_so_and_never_falls_back(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "terminal_feedback", "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        env=dict(os.environ, EOBSHTINA_CONFIG=str(tmp_path / "none.toml")),
    )
    assert done.returncode != 0
    assert "none.toml" in done.stderr  # an explicitly named config that is missing is an error
    (tmp_path / "terminal.toml").write_text('[feedback]\npin_factory = "lgpio"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "terminal_feedback", "--config", str(tmp_path / "terminal.toml"),
         "--data-dir", str(tmp_path / "data"), "--log-level", "ERROR"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert "buttons: pin factory 'lgpio'" in done.stderr
    assert "ACK" not in done.stdout
