"""Software updates on a terminal: download a release the hub offers, verify it, install it beside
the running one, switch at a quiet moment, and roll back by itself when it does not report healthy.

Layout under the releases root (`[updates] root`, default `<data dir>/releases`):

    <root>/<version>/        one virtualenv per installed release
    <root>/current           symlink to the release the units run (their ExecStart goes through it)
    <root>/previous          symlink to the release before it (the rollback target)
    <root>/downloads/        bundles being fetched and unpacked

The state (`<data dir>/update-state.json`, written atomically) survives the restart that a switch
is: the agent of the new version reads "switching", and once a heartbeat has gone through and the
health command passes it records "healthy". Past the deadline without that, whichever agent runs
(the new one, or the previous release's `sync-agent update-check` that the unit runs before each
start) points `current` back at the previous release and restarts the units: "rolled_back", and
that version is not taken again. States travel to the hub in every heartbeat (`UpdateReport`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from server_sync.activity import mark_activity, terminal_is_quiet  # noqa: F401 - the kiosk's side, re-exported
from server_sync.protocol.releases import (
    ReleaseOffer,
    SignatureError,
    UpdateReport,
    UpdateState,
    check_public_key,
    verify_release,
)

log = logging.getLogger("sync_agent.updates")

STATE_FILE = "update-state.json"
UNITS = {"kiosk": "eobshtina-kiosk.service", "feedback": "eobshtina-feedback.service"}
AGENT_UNIT = "eobshtina-sync-agent.service"
MAX_BUNDLE_BYTES = 1 << 30


class UpdateError(Exception):
    """An update step that failed; the message is what the fleet page shows."""


@dataclass(frozen=True)
class UpdateSettings:
    """The terminal's `[updates]` section. Without a public key the terminal takes no updates."""

    public_key: str
    root: Path
    restart_command: list[str]
    health_command: list[str]  # "{release}" is replaced with the new release's directory
    health_timeout_s: float = 300.0
    python: str = field(default_factory=lambda: getattr(sys, "_base_executable", sys.executable))
    system_site_packages: bool = False

    @classmethod
    def from_section(cls, section: Mapping[str, Any], *, data_dir: Path, kind: str | None,
                     source: str = "<config>") -> "UpdateSettings | None":
        from server_sync.config import ConfigError

        known = {"public_key", "root", "restart_command", "health_command", "health_timeout_s", "python",
                 "system_site_packages"}
        for key in section:
            if key not in known:
                raise ConfigError(source, f"updates.{key}", f"unknown key (expected one of {', '.join(sorted(known))})")
        key = section.get("public_key")
        if not key:
            return None
        try:
            check_public_key(key)
        except SignatureError as exc:
            raise ConfigError(source, "updates.public_key", str(exc).split(": ", 1)[-1]) from None
        unit = UNITS.get(kind or "", UNITS["kiosk"])

        def command(name: str, default: list[str]) -> list[str]:
            value = section.get(name)
            if value is None:
                return default
            if isinstance(value, str):
                value = shlex.split(value)
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                raise ConfigError(source, f"updates.{name}", "expected a command (a string or a list of strings)")
            return value

        timeout = section.get("health_timeout_s", 300.0)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 1 <= timeout <= 86400:
            raise ConfigError(source, "updates.health_timeout_s", f"expected seconds, 1…86400, got {timeout!r}")
        return cls(
            public_key=key, root=Path(section.get("root") or Path(data_dir) / "releases"),
            restart_command=command("restart_command", ["systemctl", "restart", "--no-block", unit, AGENT_UNIT]),
            health_command=command("health_command", ["systemctl", "is-active", "--quiet", unit]),
            health_timeout_s=float(timeout),
            python=str(section.get("python") or getattr(sys, "_base_executable", sys.executable)),
            system_site_packages=bool(section.get("system_site_packages", False)))


# --- the state file -------------------------------------------------------------------------


def _write_json(path: Path, data: dict[str, Any]) -> None:
    part = path.with_name(path.name + ".part")
    with open(part, "w") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, path)


def read_state(data_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(data_dir) / STATE_FILE).read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _link(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically (a new symlink renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


class Updater:
    """One terminal's updates. `offer()` from a heartbeat answer starts a background download and
    install; `tick()` from the agent's loop switches at a quiet moment and judges the new version."""

    def __init__(self, settings: UpdateSettings, data_dir: Path, *,
                 quiet: Callable[[], bool] | None = None, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.data_dir = Path(data_dir)
        self.quiet = quiet or (lambda: terminal_is_quiet(self.data_dir))
        self.clock = clock
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.state = read_state(self.data_dir)
        self._heartbeat_after_switch = False
        # Which agent process made a switch: only an agent started after it (the new version's)
        # may call the new version healthy; the old one may still heartbeat until systemd stops it.
        self._instance = secrets.token_hex(8)

    # --- state ----------------------------------------------------------------------------

    def _set(self, **changes: Any) -> None:
        with self._lock:
            self.state.update(changes)
            self.settings.root.mkdir(parents=True, exist_ok=True)
            _write_json(self.data_dir / STATE_FILE, self.state)

    def report(self) -> UpdateReport:
        s = self.state
        try:
            return UpdateReport(state=s.get("state", "idle"), current=s.get("current"), target=s.get("target"),
                                reason=(s.get("reason") or None) and str(s["reason"])[:300])
        except ValueError:
            return UpdateReport()

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _fail(self, reason: str) -> None:
        log.error("update to %s failed: %s", self.state.get("target"), reason)
        refused = [*self.state.get("refused", []), self.state.get("target")][-20:]
        self._set(state=UpdateState.FAILED.value, reason=reason[:300], refused=refused)

    # --- download, verify, install --------------------------------------------------------

    def offer(self, offer: ReleaseOffer, download: Callable[[str, Path], None]) -> bool:
        """A release the hub names; True when its download and install started (in a thread)."""
        state = self.state.get("state", "idle")
        if self.busy or state == UpdateState.SWITCHING.value:
            return False
        if offer.version == self.state.get("current") or offer.version in self.state.get("refused", []):
            return False
        if state == UpdateState.INSTALLED.value and offer.version == self.state.get("target"):
            return False
        self._set(state=UpdateState.DOWNLOADING.value, target=offer.version, reason=None)
        self._thread = threading.Thread(target=self._fetch_and_install, args=(offer, download),
                                        name=f"update-{offer.version}", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _fetch_and_install(self, offer: ReleaseOffer, download: Callable[[str, Path], None]) -> None:
        try:
            self.install(offer, download)
        except UpdateError as exc:
            self._fail(str(exc))
        except Exception as exc:
            log.exception("update to %s", offer.version)
            self._fail(f"{type(exc).__name__}: {exc}")
        finally:
            shutil.rmtree(self.settings.root / "downloads" / offer.version, ignore_errors=True)

    def install(self, offer: ReleaseOffer, download: Callable[[str, Path], None]) -> Path:
        """Download, verify (signature, then hash), and install into `<root>/<version>`."""
        if offer.size > MAX_BUNDLE_BYTES:
            raise UpdateError(f"release {offer.version}: {offer.size} bytes is too large")
        try:  # the signature first: nothing unsigned is even unpacked
            verify_release(self.settings.public_key, offer.version, offer.sha256, offer.signature)
        except SignatureError as exc:
            raise UpdateError(f"signature refused: {exc}") from None
        work = self.settings.root / "downloads" / offer.version
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        bundle = work / offer.filename
        download(offer.url, bundle)
        digest = hashlib.sha256()
        with open(bundle, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != offer.sha256:
            shutil.rmtree(work, ignore_errors=True)
            raise UpdateError(f"hash refused: the download's sha256 is {digest.hexdigest()[:16]}…, "
                              f"the signed one {offer.sha256[:16]}…")
        self._set(state=UpdateState.VERIFIED.value)
        wheels = self._unpack(bundle, work / "wheels")
        target = self.settings.root / offer.version
        if target.resolve() == self._current_target():
            raise UpdateError(f"release {offer.version} is the one running")
        shutil.rmtree(target, ignore_errors=True)
        try:
            self._make_venv(target, wheels)
        except UpdateError:
            shutil.rmtree(target, ignore_errors=True)  # no half-made release left on the disk
            raise
        shutil.rmtree(work, ignore_errors=True)
        self._set(state=UpdateState.INSTALLED.value, reason=None)
        log.info("release %s installed in %s; switching at the next quiet moment", offer.version, target)
        return target

    def _make_venv(self, target: Path, wheels: Path) -> None:
        # pip from this agent's environment installs into the new one (`--python`): fast, no pip in the
        # new venv. An agent without pip (a release venv made that way) gives the new venv its own.
        has_pip = importlib.util.find_spec("pip") is not None
        venv = [self.settings.python, "-m", "venv", *(["--without-pip"] if has_pip else []), str(target)]
        if self.settings.system_site_packages:
            venv.insert(3, "--system-site-packages")
        self._run(venv, "creating the virtualenv")
        pip = ([sys.executable, "-m", "pip", "--python", str(target / "bin" / "python")] if has_pip
               else [str(target / "bin" / "python"), "-m", "pip"])
        self._run([*pip, "install",
                   "--no-index", "--find-links", str(wheels.parent if wheels.is_file() else wheels),
                   "--disable-pip-version-check", "--no-input", "--quiet",
                   *(str(w) for w in sorted((wheels.parent if wheels.is_file() else wheels).glob("*.whl")))],
                  "installing the wheels")

    @staticmethod
    def _unpack(bundle: Path, into: Path) -> Path:
        if bundle.suffix == ".whl":
            into.mkdir()
            return Path(shutil.move(str(bundle), into / bundle.name))
        try:
            with tarfile.open(bundle, "r:") as tar:
                members = [m for m in tar.getmembers() if m.isfile()]
                if not members or not all(m.name.endswith(".whl") for m in members):
                    raise UpdateError("the bundle must hold wheels only")
                tar.extractall(into, members=members, filter="data")
        except tarfile.TarError as exc:
            raise UpdateError(f"the bundle is not a tar of wheels: {exc}") from None
        for wheel in list(into.rglob("*.whl")):  # flat, for --find-links
            if wheel.parent != into:
                wheel.replace(into / wheel.name)
        return into

    @staticmethod
    def _run(command: list[str], what: str, timeout: float = 900) -> None:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UpdateError(f"{what}: {exc}") from None
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
            raise UpdateError(f"{what}: exit {done.returncode}: {tail[0][:200]}")

    # --- switching, health and rollback ---------------------------------------------------

    def _current_target(self) -> Path | None:
        link = self.settings.root / "current"
        return link.resolve() if link.is_symlink() or link.exists() else None

    def note_heartbeat(self) -> None:
        """A heartbeat went through: part of the new version's proof of health."""
        if self.state.get("state") == UpdateState.SWITCHING.value:
            self._heartbeat_after_switch = True

    def tick(self, *, devices_ok: bool = True) -> str | None:
        """Switch when installed and quiet; judge a switched version. Returns what it did, if anything."""
        state = self.state.get("state")
        if self.state.get("restart_pending"):  # rolled back by `update-check` before this agent started
            self._set(restart_pending=False)
            self._restart()
            return "restarted"
        if state == UpdateState.INSTALLED.value and not self.busy:
            if not self.quiet():
                return None
            self.switch()
            return "switched"
        if state == UpdateState.SWITCHING.value:
            if (self.state.get("switched_by") != self._instance and self._heartbeat_after_switch
                    and devices_ok and self._healthy()):
                self._set(state=UpdateState.HEALTHY.value, current=self.state.get("target"), target=None,
                          reason=None, deadline=None)
                log.info("release %s is healthy", self.state.get("current"))
                self._prune()
                return "healthy"
            if self.clock() > float(self.state.get("deadline") or 0):
                self.rollback(f"not healthy within {int(self.settings.health_timeout_s)} s")
                return "rolled_back"
        return None

    def switch(self) -> None:
        version = self.state["target"]
        root = self.settings.root
        previous = self._current_target()
        self._set(state=UpdateState.SWITCHING.value, switched_by=self._instance,
                  previous=str(previous) if previous else None,
                  previous_version=self.state.get("current"), switched_at=self.clock(),
                  deadline=self.clock() + self.settings.health_timeout_s)
        if previous is not None:
            _link(root / "previous", previous)
        _link(root / "current", root / version)
        log.info("switched to release %s; restarting the terminal's programs", version)
        self._restart()

    def rollback(self, reason: str, *, restart: bool = True) -> None:
        previous = self.state.get("previous")
        version = self.state.get("target")
        refused = [*self.state.get("refused", []), version][-20:]
        if previous:
            _link(self.settings.root / "current", Path(previous))
        elif (self.settings.root / "current").is_symlink():  # nothing to go back to (a first install
            (self.settings.root / "current").unlink()         # without tmpfiles' link): not the bad one
        log.error("release %s rolled back (%s)", version, reason)
        self._set(state=UpdateState.ROLLED_BACK.value, reason=reason[:300], refused=refused,
                  current=self.state.get("previous_version"), deadline=None, restart_pending=not restart)
        if restart:
            self._restart()

    def _healthy(self) -> bool:
        release = str(self.settings.root / str(self.state.get("target")))
        command = [part.replace("{release}", release) for part in self.settings.health_command]
        try:
            return subprocess.run(command, capture_output=True, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    def _restart(self) -> None:
        try:
            subprocess.run(self.settings.restart_command, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("restart command %s: %s", self.settings.restart_command, exc)

    def _prune(self) -> None:
        """Keep the running release and the one before it; older ones go."""
        root = self.settings.root
        keep = {p for p in (self._current_target(), (root / "previous").resolve()) if p is not None}
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink() and child.name != "downloads" and child.resolve() not in keep:
                shutil.rmtree(child, ignore_errors=True)


def check_after_start(settings: UpdateSettings, data_dir: Path, *,
                      clock: Callable[[], float] = time.time) -> str | None:
    """`sync-agent update-check`, run by the unit before each start from the previous release: a
    switched version that is past its deadline without reporting healthy is rolled back here, even
    when it cannot start at all."""
    updater = Updater(settings, data_dir, quiet=lambda: False, clock=clock)
    if updater.state.get("state") != UpdateState.SWITCHING.value:
        return None
    if updater.clock() > float(updater.state.get("deadline") or 0):
        # The agent starting next restarts the other programs (`restart_pending`): this runs inside
        # the agent unit's start, which must not queue a restart of itself.
        updater.rollback(f"not healthy within {int(settings.health_timeout_s)} s", restart=False)
        return "rolled_back"
    return None
