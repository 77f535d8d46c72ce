"""Software updates end to end on this machine: `kiosk-hub release publish` on a real hub, and the
agent of a real terminal store downloading, verifying, installing into a new virtualenv (pip,
offline), switching at a quiet moment and rolling back — with real wheels of a small package,
`eobshtina-probe`, built here in two (and a broken third) versions."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from server_sync.agent import Agent
from server_sync.agent.updates import Updater, UpdateSettings, check_after_start, mark_activity, read_state
from server_sync.client import HubClient
from server_sync.config import SyncSection
from server_sync.hub.cli import main as hub_main
from server_sync.hub.models import Terminal
from server_sync.store import Store

from .conftest import enroll_cli

FAST = SyncSection(heartbeat_interval_s=3600, catalogue_interval_s=3600, backoff_initial_s=0.01,
                   backoff_max_s=0.05, idle_poll_s=0.01)


def build_probe_wheel(out: Path, version: str, *, healthy: bool = True, requires: str | None = None) -> Path:
    """A real wheel of `eobshtina-probe` VERSION whose console script prints its version (and, for a
    broken build, exits 1: the health command fails)."""
    files = {
        "eobshtina_probe/__init__.py": (
            f'__version__ = "{version}"\n\n\ndef main():\n'
            f'    print("eobshtina-probe " + __version__)\n    return {0 if healthy else 1}\n'),
        f"eobshtina_probe-{version}.dist-info/METADATA":
            f"Metadata-Version: 2.1\nName: eobshtina-probe\nVersion: {version}\n"
            + (f"Requires-Dist: {requires}\n" if requires else ""),
        f"eobshtina_probe-{version}.dist-info/WHEEL":
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"eobshtina_probe-{version}.dist-info/entry_points.txt":
            "[console_scripts]\neobshtina-probe = eobshtina_probe:main\n",
    }
    record = []
    for name, text in files.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"eobshtina_probe-{version}.dist-info/RECORD,,")
    files[f"eobshtina_probe-{version}.dist-info/RECORD"] = "\n".join(record) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"eobshtina_probe-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


class Fleet:
    """The hub's CLI, pointed at the running test hub, and terminals with their agents."""

    def __init__(self, hub, tmp_path: Path, monkeypatch) -> None:
        self.hub, self.tmp = hub, tmp_path
        monkeypatch.setenv("HUB_HMAC_KEY", "test-hmac-key")
        monkeypatch.setenv("HUB_SCHEMA_SETUP", "none")
        monkeypatch.setenv("HUB_IMPORT_SHIPPED_CATALOGUE", "false")
        self.restarts = tmp_path / "restarts.log"
        self.opened: list[tuple[Store, Agent]] = []
        self.public_key = self.cli_out("release", "keygen").split("public key for the terminals' [updates] public_key: ")[1].strip()

    def cli(self, *args: str) -> int:
        command, *rest = args
        sub = [command]
        if command == "release":
            sub, rest = [command, rest[0]], rest[1:]
        return hub_main([*sub, "--data-dir", str(self.hub.settings.data_dir),
                         "--database-url", self.hub.settings.effective_database_url, *rest])

    def cli_out(self, *args: str) -> str:
        import contextlib
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert self.cli(*args) == 0
        return buf.getvalue()

    def terminal(self, name: str, *, public_key: str | None = None, timeout_s: float = 300) -> tuple[Store, Agent]:
        data_dir = self.tmp / name
        assert enroll_cli(self.hub, data_dir, name=name) == 0
        store = Store(data_dir)
        section = {
            "public_key": public_key or self.public_key, "root": str(self.tmp / name / "releases"),
            "restart_command": [sys.executable, "-c", f"open({str(self.restarts)!r}, 'a').write({name!r} + '\\n')"],
            "health_command": ["{release}/bin/eobshtina-probe"], "health_timeout_s": timeout_s,
        }
        settings = UpdateSettings.from_section(section, data_dir=data_dir, kind="kiosk")
        return store, self.start_agent(store, settings)

    def start_agent(self, store: Store, settings: UpdateSettings) -> Agent:
        agent = Agent(store, FAST, rng=random.Random(3), updater=Updater(settings, store.data_dir),
                      client_factory=lambda ident: HubClient(ident.hub_url, ident.token))
        self.opened.append((store, agent))
        return agent

    def restarted(self, store: Store, agent: Agent) -> Agent:
        """What the restart command does to the agent: a new process, the same store and settings."""
        agent.close()
        return self.start_agent(store, agent.updater.settings)

    def close(self) -> None:
        for store, agent in self.opened:
            agent.close()
            store.close()

    def reported(self, store: Store) -> dict:
        with self.hub.session() as s:
            return s.get(Terminal, store.identity().terminal_id).last_heartbeat["update"]


@pytest.fixture
def fleet(hub, tmp_path, monkeypatch):
    f = Fleet(hub, tmp_path, monkeypatch)
    yield f
    f.close()


def beat(agent: Agent) -> None:
    assert agent.heartbeat()
    agent.updater.wait(120)


def probe(root: Path) -> str:
    return subprocess.run([str(root / "current" / "bin" / "eobshtina-probe")], capture_output=True, text=True,
                          timeout=30).stdout.strip()


def install_healthy(fleet: Fleet, agent: Agent, store: Store) -> Agent:
    beat(agent)
    assert agent.updater.state["state"] == "installed", agent.updater.state
    assert agent.updater.tick() == "switched"
    beat(agent)  # the old agent, until systemd stops it, never calls the new version healthy
    assert agent.updater.tick() is None and agent.updater.state["state"] == "switching"
    agent = fleet.restarted(store, agent)
    assert agent.updater.tick() is None  # no heartbeat through yet
    beat(agent)
    assert agent.updater.tick() == "healthy"
    return agent


def test_a_pilot_release_reaches_a_pilot_terminal_and_switches_only_when_quiet(fleet, tmp_path):
    wheels = tmp_path / "wheels"
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.0")), "--channel", "all") == 0
    pilot_store, pilot = fleet.terminal("pilot")
    other_store, other = fleet.terminal("other")
    assert fleet.cli("terminal-channel", pilot_store.identity().terminal_id, "pilot") == 0
    root = pilot.updater.settings.root

    # Version 1.0, for everyone: installed into its own virtualenv, switched, healthy.
    pilot = install_healthy(fleet, pilot, pilot_store)
    assert probe(root) == "eobshtina-probe 1.0"
    assert fleet.restarts.read_text().splitlines() == ["pilot"]

    # Version 1.1 to the pilot channel only.
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.1")), "--channel", "pilot") == 0
    other = install_healthy(fleet, other, other_store)  # the "all" terminal takes 1.0 ...
    beat(other)
    assert other.updater.state.get("target") is None and other.updater.state["current"] == "1.0"  # ... never 1.1

    mark_activity(pilot_store.data_dir, session=True)  # a citizen is at the kiosk
    beat(pilot)
    assert pilot.updater.state["state"] == "installed" and pilot.updater.state["target"] == "1.1"
    assert (root / "1.1" / "bin" / "eobshtina-probe").exists()
    assert pilot.updater.tick() is None and probe(root) == "eobshtina-probe 1.0"  # not during the session
    mark_activity(pilot_store.data_dir, session=False, printing=True)  # the receipt is printing
    assert pilot.updater.tick() is None and probe(root) == "eobshtina-probe 1.0"
    beat(pilot)
    assert fleet.reported(pilot_store) == {"state": "installed", "current": "1.0", "target": "1.1", "reason": None}

    mark_activity(pilot_store.data_dir, session=False, printing=False)  # the citizen has gone
    assert pilot.updater.tick() == "switched"
    assert probe(root) == "eobshtina-probe 1.1"
    assert (root / "previous").resolve() == (root / "1.0").resolve()
    pilot = fleet.restarted(pilot_store, pilot)
    beat(pilot)
    assert pilot.updater.tick() == "healthy"
    beat(pilot)
    assert fleet.reported(pilot_store) == {"state": "healthy", "current": "1.1", "target": None, "reason": None}
    assert fleet.restarts.read_text().splitlines() == ["pilot", "other", "pilot"]


def test_a_version_that_never_reports_healthy_is_rolled_back(fleet, tmp_path):
    wheels = tmp_path / "wheels"
    store, agent = fleet.terminal("k1")
    root = agent.updater.settings.root
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.0")), "--channel", "all") == 0
    agent = install_healthy(fleet, agent, store)
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.2", healthy=False)),
                     "--channel", "all") == 0
    beat(agent)
    assert agent.updater.tick() == "switched" and probe(root) == "eobshtina-probe 1.2"
    agent = fleet.restarted(store, agent)
    beat(agent)
    assert agent.updater.tick() is None  # its health command fails: not healthy, not yet past the deadline
    agent.updater.clock = lambda: 10**12  # the few minutes have passed
    assert agent.updater.tick() == "rolled_back"
    assert probe(root) == "eobshtina-probe 1.0"
    state = read_state(store.data_dir)
    assert state["state"] == "rolled_back" and state["current"] == "1.0" and "1.2" in state["refused"]
    beat(agent)  # offered again by the hub, refused: nothing is downloaded
    assert agent.updater.state["state"] == "rolled_back" and not agent.updater.busy
    assert fleet.reported(store)["state"] == "rolled_back"


def test_a_release_that_cannot_even_start_is_rolled_back_before_the_agent_starts(fleet, tmp_path):
    """`sync-agent update-check` (the unit's ExecStartPre, from the previous release) rolls back a
    switched release past its deadline without any help from the new version's code."""
    wheels = tmp_path / "wheels"
    store, agent = fleet.terminal("k2", timeout_s=1)
    root = agent.updater.settings.root
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.0")), "--channel", "all") == 0
    agent = install_healthy(fleet, agent, store)
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.1")), "--channel", "all") == 0
    beat(agent)
    assert agent.updater.tick() == "switched"
    restarts = len(fleet.restarts.read_text().splitlines())
    # The new agent never runs; the deadline passes; the unit starts again.
    settings = agent.updater.settings
    assert check_after_start(settings, store.data_dir) is None  # within the deadline: nothing to do
    later = time.time() + 2
    assert check_after_start(settings, store.data_dir, clock=lambda: later) == "rolled_back"
    assert probe(root) == "eobshtina-probe 1.0"
    assert len(fleet.restarts.read_text().splitlines()) == restarts  # not from inside the unit's start
    started = Updater(settings, store.data_dir)  # the old agent starting restarts the other programs
    assert started.tick() == "restarted"
    assert len(fleet.restarts.read_text().splitlines()) == restarts + 1


def test_a_wrong_signature_or_hash_is_refused_and_nothing_switches(fleet, tmp_path):
    from server_sync.protocol.releases import new_signing_key, public_key_of

    wheels = tmp_path / "wheels"
    stranger = public_key_of(new_signing_key())
    store, agent = fleet.terminal("k3", public_key=stranger)  # trusts another key than the hub signs with
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.0")), "--channel", "all") == 0
    beat(agent)
    state = agent.updater.state
    assert state["state"] == "failed" and "signature" in state["reason"], state
    assert not (agent.updater.settings.root / "1.0").exists()
    assert agent.updater.tick() is None and not (agent.updater.settings.root / "current").exists()

    # The right key, but the file on the hub was swapped after signing: the hash does not match.
    store2, agent2 = fleet.terminal("k4")
    from server_sync.hub.releases.service import bundle_path, list_releases

    with fleet.hub.session() as s:
        path = bundle_path(fleet.hub.settings.data_dir, list_releases(session=s)[0])
    path.write_bytes(build_probe_wheel(tmp_path / "evil", "1.0", healthy=False).read_bytes() + b"\0")
    beat(agent2)
    state = agent2.updater.state
    assert state["state"] == "failed" and "hash" in state["reason"], state
    assert not (agent2.updater.settings.root / "1.0").exists()
    assert not (agent2.updater.settings.root / "current").exists()
    beat(agent2)
    assert fleet.reported(store2)["state"] == "failed"


def test_publish_refuses_a_bad_signature_and_a_non_wheel(fleet, tmp_path, capsys):
    wheel = build_probe_wheel(tmp_path / "wheels", "2.0")
    assert fleet.cli("release", "publish", str(wheel), "--channel", "all", "--signature", "A" * 88,
                     "--public-key", fleet.public_key) == 1
    assert "signature" in capsys.readouterr().err
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar")
    assert fleet.cli("release", "publish", str(junk), "--channel", "all", "--version", "2.1") == 1
    assert "not a tar" in capsys.readouterr().err
    # Signed offline, published with the signature: accepted.
    signature = fleet.cli_out("release", "sign", str(wheel)).strip()
    assert fleet.cli("release", "publish", str(wheel), "--channel", "pilot", "--signature", signature,
                     "--public-key", fleet.public_key) == 0
    listing = fleet.cli_out("release", "list")
    assert "2.0" in listing and "pilot" in listing
    assert fleet.cli("release", "publish", str(wheel), "--channel", "all") == 1  # the same version twice


def test_the_updates_section_is_checked_and_names_the_key(tmp_path):
    from server_sync.config import ConfigError
    from server_sync.protocol.releases import new_signing_key, public_key_of

    assert UpdateSettings.from_section({}, data_dir=tmp_path, kind="kiosk") is None  # no key: no updates
    key = public_key_of(new_signing_key())
    feedback = UpdateSettings.from_section({"public_key": key}, data_dir=tmp_path, kind="feedback")
    assert feedback.root == tmp_path / "releases"
    assert "eobshtina-feedback.service" in feedback.restart_command
    assert feedback.health_command == ["systemctl", "is-active", "--quiet", "eobshtina-feedback.service"]
    for section, key_name in (({"public_key": "not base64!"}, "updates.public_key"),
                              ({"public_key": key[:-4] + "===="}, "updates.public_key"),
                              ({"public_key": key, "health_timeout_s": 0}, "updates.health_timeout_s"),
                              ({"public_key": key, "restart_command": []}, "updates.restart_command"),
                              ({"public_key": key, "rooot": "/x"}, "updates.rooot")):
        with pytest.raises(ConfigError) as caught:
            UpdateSettings.from_section(section, data_dir=tmp_path, kind="kiosk", source="terminal.toml")
        assert caught.value.key == key_name and str(caught.value).startswith("terminal.toml: " + key_name)


def test_a_release_missing_a_dependency_fails_and_leaves_nothing_half_made(fleet, tmp_path):
    store, agent = fleet.terminal("k5")
    wheel = build_probe_wheel(tmp_path / "wheels", "1.0", requires="eobshtina-not-in-the-bundle")
    assert fleet.cli("release", "publish", str(wheel), "--channel", "all") == 0
    beat(agent)
    state = agent.updater.state
    assert state["state"] == "failed" and "installing the wheels" in state["reason"], state
    root = agent.updater.settings.root
    assert not (root / "1.0").exists() and not (root / "current").exists()
    assert not (root / "downloads" / "1.0").exists()


def test_update_check_command_and_status(fleet, tmp_path, capsys):
    """The unit's ExecStartPre as the terminal runs it: `sync-agent --config … update-check`."""
    from server_sync.agent.__main__ import main as agent_main

    wheels = tmp_path / "wheels"
    store, agent = fleet.terminal("k6")
    settings = agent.updater.settings
    config = tmp_path / "terminal.toml"
    config.write_text(
        "[updates]\n"
        f"public_key = \"{settings.public_key}\"\n"
        f"root = \"{settings.root}\"\n"
        f"restart_command = {json.dumps(settings.restart_command)}\n"
        f"health_timeout_s = 60\n")
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.0")), "--channel", "all") == 0
    agent = install_healthy(fleet, agent, store)
    assert fleet.cli("release", "publish", str(build_probe_wheel(wheels, "1.1")), "--channel", "all") == 0
    beat(agent)
    assert agent.updater.tick() == "switched"
    argv = ["--config", str(config), "--data-dir", str(store.data_dir)]
    assert agent_main([*argv, "update-check"]) == 0
    assert probe(settings.root) == "eobshtina-probe 1.1"  # within its minute: left alone
    assert agent_main([*argv, "status"]) == 0
    assert "software update:  switching (running 1.0, target 1.1)" in capsys.readouterr().out
    state_file = store.data_dir / "update-state.json"
    state = json.loads(state_file.read_text())
    state["deadline"] = time.time() - 1  # the minute has passed and the new agent never started
    state_file.write_text(json.dumps(state))
    assert agent_main([*argv, "update-check"]) == 0
    assert "rolled back" in capsys.readouterr().err
    assert probe(settings.root) == "eobshtina-probe 1.0"
    assert agent_main([*argv, "status"]) == 0
    assert "software update:  rolled_back (running 1.0, target 1.1): not healthy within 60 s" in capsys.readouterr().out
