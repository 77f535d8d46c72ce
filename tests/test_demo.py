"""`make demo` comes up: hub, both sync agents, the kiosk and the feedback terminal, all enrolled."""

import subprocess
import sys
from pathlib import Path

from server_sync.hub.testing import free_port

ROOT = Path(__file__).resolve().parents[1]


def test_demo_starts_every_process_and_the_terminals_report(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), "--smoke", "--fresh",
         "--dir", str(tmp_path / "demo"), "--port", str(free_port())],
        capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kiosk and feedback terminal enrolled and reporting" in done.stdout
    logs = tmp_path / "demo" / "logs"
    assert {p.stem for p in logs.glob("*.log")} >= {"hub", "agent-kiosk", "agent-feedback", "kiosk", "feedback"}
    for log in logs.glob("*.log"):
        assert "Traceback" not in log.read_text(errors="replace"), log.name
