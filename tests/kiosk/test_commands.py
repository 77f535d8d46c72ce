"""Every terminal command refuses a config file that does not exist, naming it on one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: command → (module run as `python -m`, arguments after --config PATH)
COMMANDS = {
    "kiosk": ("kiosk", ["--simulate", "--windowed", "--smoke"]),
    "feedback-terminal": ("terminal_feedback", ["--simulate"]),
    "sync-agent": ("server_sync.agent", ["status"]),
    "python -m hardware": ("hardware", ["diag"]),
}


def run(module: str, args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EOBSHTINA_DATA_DIR": str(tmp_path / "data"),
                   **env}
    if "EOBSHTINA_CONFIG" not in env:
        environment.pop("EOBSHTINA_CONFIG", None)
    # a command that wrongly accepted the file would run: --smoke and --simulate make it end
    # by itself (stdin closed ends the simulated feedback terminal), the timeout bounds the rest
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT,
                          env=environment, stdin=subprocess.DEVNULL, timeout=90)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_config_file_that_does_not_exist_is_refused(command, tmp_path):
    module, rest = COMMANDS[command]
    missing = tmp_path / "no-such-dir" / "termnal.toml"
    out = run(module, ["--config", str(missing), *rest], tmp_path)
    assert out.returncode != 0, f"{command} accepted a missing --config: {out.stdout[-500:]} {out.stderr[-500:]}"
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0], out.stderr[-2000:]


def test_the_kiosk_refuses_a_missing_file_named_by_the_environment_too(tmp_path):
    missing = tmp_path / "terminal.toml"
    out = run("kiosk", ["--simulate", "--windowed", "--smoke"], tmp_path, EOBSHTINA_CONFIG=str(missing))
    assert out.returncode != 0, out.stdout[-500:]
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0], out.stderr[-2000:]
