"""`feedback-terminal --simulate` on a real terminal (a pty): single keys, no Enter, acks printed."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _read_until(fd: int, predicate, timeout: float = 30.0) -> str:
    out = b""
    deadline = time.monotonic() + timeout
    while not predicate(out.decode(errors="replace")):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"not seen in time; output so far: {out.decode(errors='replace')!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the pty closed: the process is gone
                break
            if not chunk:
                break
            out += chunk
    return out.decode(errors="replace")


def test_keys_on_a_terminal_are_buttons_without_enter(tmp_path):
    config = tmp_path / "terminal.toml"
    config.write_text('[feedback]\ncounter_id = "grao-3"\n', encoding="utf-8")
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "terminal_feedback", "--simulate", "--config", str(config),
         "--data-dir", str(tmp_path / "data"), "--log-level", "ERROR"],
        stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, close_fds=True,
    )
    os.close(slave)
    try:
        _read_until(master, lambda text: "q to quit" in text)
        os.write(master, b"3")  # one key, no Enter: the terminal is in cbreak mode
        text = _read_until(master, lambda text: "ACK 3 " in text)
        os.write(master, b"7")
        text += _read_until(master, lambda text: "not a button" in text)
        os.write(master, b"q")
        text += _read_until(master, lambda text: False if process.poll() is None else True)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    assert "ACK 3 :-) LED 3 seq=1 press_id=" in text
    assert "key '7' is not a button: press 1–4" in text
    assert "Traceback" not in text


def test_a_bad_log_level_is_a_usage_error_not_a_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "terminal_feedback", "--simulate", "--log-level", "loud",
         "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, cwd=ROOT,
    )
    assert done.returncode == 2
    assert "--log-level" in done.stderr and "Traceback" not in done.stderr


def test_the_technicians_terminal_is_given_back_after_sigterm(tmp_path):
    # Ctrl-C and systemd both end in a signal: the key thread never gets to restore the
    # terminal itself, which would leave the technician's shell without echo.
    master, slave = pty.openpty()
    settings_before = termios.tcgetattr(slave)
    process = subprocess.Popen(
        [sys.executable, "-m", "terminal_feedback", "--simulate", "--data-dir", str(tmp_path / "data"),
         "--log-level", "ERROR"],
        stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, close_fds=True,
        env={k: v for k, v in os.environ.items() if k != "EOBSHTINA_CONFIG"},
    )
    try:
        _read_until(master, lambda text: "q to quit" in text)
        assert not termios.tcgetattr(slave)[3] & termios.ICANON  # single keys while it runs
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        settings_after = termios.tcgetattr(slave)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(slave)
        os.close(master)
    assert settings_after[3] & (termios.ECHO | termios.ICANON) == settings_before[3] & (termios.ECHO | termios.ICANON)
