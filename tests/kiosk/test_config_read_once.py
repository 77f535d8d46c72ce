"""The kiosk reads its terminal config once at start-up, and a bad one stops it naming file and key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# every open() of the config file in a fresh kiosk process, counted by an audit hook
SCRIPT = """
import sys
opens = []
sys.addaudithook(lambda event, args: opens.append(args[0]) if event == "open" and str(args[0]) == {path!r} else None)
from kiosk.__main__ import main
status = main(["--simulate", "--smoke", "--windowed", "--config", {path!r}, "--data-dir", {data!r}])
print("status", status, "opens", len(opens), "pydantic", "pydantic" in sys.modules)
"""


def run_kiosk(tmp_path: Path, config: str) -> subprocess.CompletedProcess:
    path = tmp_path / "terminal.toml"
    path.write_text(config, encoding="utf-8")
    script = SCRIPT.format(path=str(path), data=str(tmp_path / "data"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("EOBSHTINA_CONFIG", None)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)


def test_the_kiosk_reads_its_config_once(tmp_path):
    # [kiosk] for the first frame, [hardware.*] for the devices, [hub]/[sync] for the store's hub calls
    out = run_kiosk(tmp_path, '[kiosk]\nlanguage = "en"\n\n[hub]\nurl = "http://hub.example.invalid"\n\n'
                              '[sync]\nimmediate_delivery_timeout_s = 2\n\n[hardware.printer]\nbackend = "simulated"\n')
    assert "status 0 opens 1 pydantic True" in out.stdout, out.stderr[-3000:]


def test_a_bad_section_read_after_the_first_frame_still_stops_the_kiosk(tmp_path):
    out = run_kiosk(tmp_path, '[kiosk]\nlanguage = "en"\n\n[hardware.printer]\nbackend = "usbb"\n')
    assert "status 2 opens 1" in out.stdout, out.stderr[-3000:]
    line = f"kiosk: {tmp_path / 'terminal.toml'}: hardware.printer.backend: unknown backend 'usbb'"
    assert line in out.stderr


def test_a_bad_kiosk_key_stops_the_kiosk_before_its_window(tmp_path):
    out = run_kiosk(tmp_path, "[kiosk]\nidle_seconds = 'long'\n")
    assert "status 2 opens 1 pydantic True" in out.stdout, out.stderr[-3000:]
    assert f"kiosk: {tmp_path / 'terminal.toml'}: kiosk.idle_seconds: expected a number, got 'long'" in out.stderr
