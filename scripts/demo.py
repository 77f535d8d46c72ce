#!/usr/bin/env python3
"""`make demo`: the whole system on this machine — hub on SQLite, a simulated kiosk and feedback terminal.

Every process is the real console script; only the hardware is simulated. State lives under
.demo/ (delete it to start over). `--smoke` starts everything headless, checks that both
terminals enrolled and reported to the hub, and exits: the test suite runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


# Demo staff accounts of the hub's web pages (/admin), one per role, all with the same password.
STAFF = [("admin", "administrator"), ("clerk", "clerk"), ("tech", "technician")]
STAFF_PASSWORD = "demo-parola-2026"
TECHNICIAN_PIN = "2468"  # the demo kiosk's local maintenance PIN (stored as its Argon2id hash)


def _cmd(name: str) -> str:
    path = BIN / name
    if not path.exists():
        sys.exit(f"demo: {name} is not installed in {BIN}; run `make demo` from the project root")
    return str(path)


class Demo:
    def __init__(self, root: Path, port: int, headless: bool) -> None:
        self.root = root
        self.port = port
        self.headless = headless
        self.hub_url = f"http://127.0.0.1:{port}"
        self.logs = root / "logs"
        self.children: list[tuple[str, subprocess.Popen]] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, PYTHONUNBUFFERED="1", **extra)
        if self.headless or not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
            env["QT_QPA_PLATFORM"] = "offscreen"
        return env

    def run(self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> str:
        done = subprocess.run(args, capture_output=True, text=True, env=env or self.env(), timeout=120,
                              input=stdin)
        if done.returncode != 0:
            sys.exit(f"demo: `{' '.join(args)}` failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None, stdin=None) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.logs / f"{name}.log", "ab")
        proc = subprocess.Popen(
            args,
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=log if stdin is None else None,
            stderr=log,
            env=env or self.env(),
            start_new_session=stdin is None,
        )
        self.children.append((name, proc))

    def stop(self) -> None:
        for _name, proc in reversed(self.children):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc in self.children:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()

    # --- the hub -------------------------------------------------------------------------

    def hub_env(self) -> dict[str, str]:
        return self.env(HUB_DATA_DIR=str(self.root / "hub"))

    def start_hub(self) -> None:
        hub = _cmd("kiosk-hub")
        first_start = not (self.root / "hub").exists()
        (self.root / "hub").mkdir(parents=True, exist_ok=True)
        if first_start:
            self.run(hub, "seed-demo", env=self.hub_env())
            for username, role in STAFF:
                args = ["staff", "add", username, "--role", role] if role != "administrator" else ["create-admin", username]
                self.run(hub, *args, "--password-stdin", env=self.hub_env(), stdin=STAFF_PASSWORD + "\n")
        self.spawn("hub", hub, "serve", "--host", "127.0.0.1", "--port", str(self.port), env=self.hub_env())
        self.wait_for(lambda: httpx.get(f"{self.hub_url}/api/v1/health", timeout=2).status_code == 200,
                      "the hub to answer /api/v1/health", logname="hub")

    def enroll(self, kind: str, name: str, location: str, data_dir: Path) -> None:
        if (data_dir / ".enrolled").exists():
            return
        out = self.run(_cmd("kiosk-hub"), "enrollment-code", "--kind", kind, "--name", name,
                       "--location", location, env=self.hub_env())
        code = out.strip().split()[-1]
        data_dir.mkdir(parents=True, exist_ok=True)
        self.run(_cmd("sync-agent"), "--data-dir", str(data_dir), "enroll", "--hub", self.hub_url,
                 "--code", code, env=self.env(EOBSHTINA_DATA_DIR=str(data_dir)))
        (data_dir / ".enrolled").touch()

    # --- terminals -----------------------------------------------------------------------

    def start_terminals(self, interactive: bool) -> None:
        kiosk_dir, feedback_dir = self.root / "kiosk", self.root / "feedback"
        self.enroll("kiosk", "Киоск — фоайе", "Центрова сграда, фоайе", kiosk_dir)
        self.enroll("feedback", "Гише 3 — ГРАО", "Център за услуги, гише 3", feedback_dir)
        for name, data_dir in (("agent-kiosk", kiosk_dir), ("agent-feedback", feedback_dir)):
            self.spawn(name, _cmd("sync-agent"), "--data-dir", str(data_dir), "run",
                       "--heartbeat-interval", "10",
                       env=self.env(EOBSHTINA_DATA_DIR=str(data_dir)))
        kiosk_config = kiosk_dir / "terminal.toml"
        if not kiosk_config.exists():
            pin_hash = self.run(_cmd("kiosk"), "hash-pin", env=self.env(), stdin=TECHNICIAN_PIN + "\n").strip()
            kiosk_config.write_text(f'[kiosk]\ntechnician_pin_hash = "{pin_hash}"\n', encoding="utf-8")
        self.spawn("kiosk", _cmd("kiosk"), "--simulate", "--windowed", "--data-dir", str(kiosk_dir),
                   "--config", str(kiosk_config),
                   env=self.env(EOBSHTINA_DATA_DIR=str(kiosk_dir)))
        feedback = (_cmd("feedback-terminal"), "--simulate", "--data-dir", str(feedback_dir))
        if interactive:
            # The feedback terminal owns this terminal: keys 1–4 are its buttons.
            self.spawn("feedback", *feedback, env=self.env(EOBSHTINA_DATA_DIR=str(feedback_dir)),
                       stdin=sys.stdin)
        else:
            self.spawn("feedback", *feedback, env=self.env(EOBSHTINA_DATA_DIR=str(feedback_dir)))

    def wait_for(self, check, what: str, timeout: float = 60, logname: str | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.children:
                if proc.poll() is not None:
                    tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:] \
                        if (self.logs / f"{name}.log").exists() else ""
                    sys.exit(f"demo: {name} exited with {proc.returncode} while waiting for {what}\n{tail}")
            try:
                if check():
                    return
            except (httpx.HTTPError, OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        sys.exit(f"demo: gave up waiting for {what} (logs in {self.logs})")

    def staff_can_log_in(self) -> bool:
        """The administrator logs in through the login form and reaches the staff pages."""
        import re

        with httpx.Client(base_url=self.hub_url, timeout=10) as web:
            form = web.get("/admin/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            web.post("/admin/login", data={"username": STAFF[0][0], "password": STAFF_PASSWORD, "csrf": csrf})
            page = web.get("/admin/fleet")
            return page.status_code == 200 and "Киоск — фоайе" in page.text

    def terminals_reported(self) -> bool:
        out = self.run(_cmd("kiosk-hub"), "terminals", "--json", env=self.hub_env())
        terminals = json.loads(out)["terminals"]
        return len(terminals) >= 2 and all(t.get("last_heartbeat_at") for t in terminals)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / ".demo", help="state directory (default .demo/)")
    parser.add_argument("--port", type=int, default=8750, help="hub port (default 8750)")
    parser.add_argument("--fresh", action="store_true", help="delete the state directory first")
    parser.add_argument("--smoke", action="store_true",
                        help="start everything headless, check the terminals reach the hub, stop")
    args = parser.parse_args()
    if args.fresh and args.dir.exists():
        shutil.rmtree(args.dir)
    demo = Demo(args.dir.resolve(), args.port, headless=args.smoke)
    try:
        demo.start_hub()
        demo.start_terminals(interactive=not args.smoke and sys.stdin.isatty())
        if args.smoke:
            demo.wait_for(demo.terminals_reported, "both terminals to send a heartbeat", timeout=90)
            demo.wait_for(demo.staff_can_log_in, "the administrator to see the fleet page", timeout=30)
            print("demo smoke: hub up, kiosk and feedback terminal enrolled and reporting, staff pages open")
            return 0
        print(f"""
  Hub:            {demo.hub_url}/docs  (API), {demo.hub_url}/api/v1/health
  Staff pages:    {demo.hub_url}/admin  — log in as admin, clerk or tech, password {STAFF_PASSWORD}
  Kiosk:          a window (Ctrl+1 inserts the demo ID card, Ctrl+2 an expired one, Ctrl+3 scans a receipt,
                  Ctrl+6 plugs in headphones; the keypad keys are in docs/keypad.md)
  Maintenance:    Ctrl+0 (or five taps on the welcome title), technician PIN {TECHNICIAN_PIN}
  Feedback:       press 1–4 here for the four smileys; LED acknowledgements print below
  Logs:           {demo.logs}/
  Stop:           Ctrl-C
""", flush=True)
        while all(proc.poll() is None for _name, proc in demo.children):
            time.sleep(0.5)
        for name, proc in demo.children:
            if proc.returncode not in (None, 0):
                print(f"demo: {name} exited with {proc.returncode}; see {demo.logs}/{name}.log")
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        demo.stop()


if __name__ == "__main__":
    sys.exit(main())
