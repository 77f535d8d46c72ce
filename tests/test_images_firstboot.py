"""The image's first-boot script: config installed as the terminal loaders expect, code used once, errors named."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "images" / "stage-eobshtina" / "00-eobshtina" / "files" / "eobshtina-firstboot"
EXAMPLES = ROOT / "images" / "examples"
NOW = datetime(2026, 11, 22, 6, 0, tzinfo=timezone.utc)


def load_script():
    loader = importlib.machinery.SourceFileLoader("eobshtina_firstboot", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up while the class is built
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[loader.name]
        raise
    return module


@pytest.fixture(scope="module")
def fb():
    return load_script()


@pytest.fixture
def layout(tmp_path):
    boot, etc, state = tmp_path / "boot" / "eobshtina.toml", tmp_path / "etc", tmp_path / "state"
    boot.parent.mkdir()
    state.mkdir()
    return boot, etc, state


def run_first_boot(fb, layout, text: str, fail_on: str | None = None):
    boot, etc, state = layout
    boot.write_text(text, encoding="utf-8")

    class Recorder(fb.Runner):
        def __call__(self, *cmd):
            self.commands.append(list(cmd))
            if fail_on and fail_on in cmd:
                raise fb.FirstBootError(f"{cmd[0]} failed")

    runner = Recorder(dry_run=True)
    fb.first_boot(boot_config=boot, etc_dir=etc, state_dir=state, venv_bin=Path("/venv/bin"), run=runner, now=NOW)
    return runner.commands


def test_kiosk_example_installs_config_enrols_and_enables(fb, layout):
    boot, etc, state = layout
    commands = run_first_boot(fb, layout, (EXAMPLES / "eobshtina-kiosk.toml").read_text(encoding="utf-8"))
    installed = (etc / "terminal.toml").read_text(encoding="utf-8")
    assert not any(line.startswith("[appliance") for line in installed.splitlines())
    assert "PASTE-THE-CODE-HERE" not in installed
    assert "# stable name from systemd/udev" in installed  # comments kept
    document = tomllib.loads(installed)
    original = tomllib.loads((EXAMPLES / "eobshtina-kiosk.toml").read_text(encoding="utf-8"))
    del original["appliance"]
    assert document == original

    assert ["systemctl", "enable", "eobshtina-kiosk.service", "eobshtina-sync-agent.service"] in commands
    assert ["systemctl", "disable", "getty@tty1.service"] in commands
    assert ["hostnamectl", "set-hostname", "kiosk-centre-1"] in commands
    enrol = next(c for c in commands if "enroll" in c)
    assert enrol[:4] == ["runuser", "-u", "eobshtina", "--"]
    assert enrol[enrol.index("--code") + 1] == "PASTE-THE-CODE-HERE"
    assert enrol[enrol.index("--hub") + 1] == "https://hub.primerno.example"
    # The one-time code is gone from the boot partition; the file is still valid TOML.
    after = boot.read_text(encoding="utf-8")
    assert "PASTE-THE-CODE-HERE" not in after
    assert "code" not in tomllib.loads(after)["appliance"]["enrolment"]
    assert (state / "firstboot.done").exists()
    # A second boot does nothing.
    assert run_first_boot(fb, layout, after) == []


def test_installed_kiosk_config_is_accepted_by_every_loader(fb, layout):
    _, etc, _ = layout
    run_first_boot(fb, layout, (EXAMPLES / "eobshtina-kiosk.toml").read_text(encoding="utf-8"))
    path = etc / "terminal.toml"
    config = pytest.importorskip("server_sync.config").load_terminal_config(path)
    assert config.hub.timeout_s == 10.0
    kiosk_config = pytest.importorskip("kiosk.config")
    assert kiosk_config.load_kiosk_settings(path).office_id == "centre"
    hardware = pytest.importorskip("hardware.config").load_hardware_config(path)
    assert hardware.id_reader.device == "/dev/eobshtina/mrz"
    assert hardware.printer.vendor_id == 0x04B8


def test_installed_feedback_config_is_accepted(fb, layout):
    _, etc, _ = layout
    commands = run_first_boot(fb, layout, (EXAMPLES / "eobshtina-feedback.toml").read_text(encoding="utf-8"))
    assert ["systemctl", "enable", "eobshtina-feedback.service", "eobshtina-sync-agent.service"] in commands
    assert ["systemctl", "disable", "getty@tty1.service"] not in commands
    feedback = pytest.importorskip("terminal_feedback.config").load_feedback_config(etc / "terminal.toml")
    assert feedback.counter_id == "counter-1"


def test_failed_enrolment_keeps_the_code_for_the_retry(fb, layout):
    boot, etc, state = layout
    text = (EXAMPLES / "eobshtina-kiosk.toml").read_text(encoding="utf-8")
    with pytest.raises(fb.FirstBootError):
        run_first_boot(fb, layout, text, fail_on="enroll")
    assert "PASTE-THE-CODE-HERE" in boot.read_text(encoding="utf-8")
    assert not (state / "firstboot.done").exists()
    assert (etc / "terminal.toml").exists()  # the retry rewrites it identically


@pytest.mark.parametrize("change,expected", [
    (('role = "kiosk"', 'role = "kiosque"'), "appliance.role: expected one of"),
    (('hostname = "kiosk-centre-1"', 'hostname = "Киоск 1"'), "appliance.hostname:"),
    (('hub_url = "https://hub.primerno.example"', 'hub_url = "hub.primerno.example"'),
     "appliance.enrolment.hub_url:"),
    (('timezone = "Europe/Sofia"', 'tz = "Europe/Sofia"'), "appliance.tz: unknown key"),
    (('[hub]', '[hub'), "TOML syntax error"),
])
def test_mistakes_name_the_file_and_key(fb, layout, change, expected):
    boot, _, state = layout
    text = (EXAMPLES / "eobshtina-kiosk.toml").read_text(encoding="utf-8")
    assert change[0] in text
    with pytest.raises(fb.FirstBootError) as info:
        run_first_boot(fb, layout, text.replace(change[0], change[1], 1))
    assert str(boot) in str(info.value) and expected in str(info.value)
    assert not (state / "firstboot.done").exists()


def test_strip_appliance_keeps_every_other_table(fb):
    text = ('# head\n[appliance]\nrole = "kiosk"\n[appliance.enrolment]\ncode = "x"\n'
            '[hub]\nurl = "https://h"\n[[hardware.speech.extra]]\na = 1\n[appliance_notes]\nb = 2\n')
    out = fb.strip_appliance(text)
    assert tomllib.loads(out) == {"hub": {"url": "https://h"}, "hardware": {"speech": {"extra": [{"a": 1}]}},
                                  "appliance_notes": {"b": 2}}


def test_command_line_dry_run(tmp_path):
    boot = tmp_path / "eobshtina.toml"
    boot.write_text((EXAMPLES / "eobshtina-feedback.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--boot-config", str(boot), "--etc-dir", str(tmp_path / "etc"),
         "--state-dir", str(tmp_path / "state"), "--dry-run"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "would run: systemctl enable eobshtina-feedback.service" in result.stdout
    missing = subprocess.run([sys.executable, str(SCRIPT), "--boot-config", str(tmp_path / "none.toml"),
                              "--etc-dir", str(tmp_path / "etc2"), "--state-dir", str(tmp_path / "s2"), "--dry-run"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "none.toml: not found" in missing.stderr


STAGE = ROOT / "images" / "stage-eobshtina"


@pytest.mark.parametrize("script", ["prerun.sh", "00-eobshtina/01-run.sh"])
def test_stage_scripts_are_valid_bash(script):
    result = subprocess.run(["bash", "-n", str(STAGE / script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_stage_run_script_installs_into_the_image_tree(tmp_path):
    """Run 01-run.sh as pi-gen would, with on_chroot recording the commands instead of chrooting."""
    rootfs, wheels = tmp_path / "rootfs", tmp_path / "wheels"
    (rootfs / "etc").mkdir(parents=True)
    (rootfs / "etc" / "fstab").write_text(
        "proc            /proc           proc    defaults          0       0\n"
        "BOOTDEV  /boot/firmware  vfat    defaults          0       2\n"
        "ROOTDEV  /               ext4    defaults,noatime  0       1\n")
    wheels.mkdir()
    (wheels / "eobshtina_terminals-0.1.0-py3-none-any.whl").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    script = STAGE / "00-eobshtina" / "01-run.sh"
    shell = f'on_chroot() {{ cat > "$ROOTFS_DIR/on_chroot.sh"; }}; export -f on_chroot; exec "{script}"'
    env = {"PATH": "/usr/bin:/bin", "ROOTFS_DIR": str(rootfs), "EOBSHTINA_WHEELS": str(wheels)}
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60, env=env,
                            cwd=script.parent)
    assert result.returncode == 0, result.stderr
    for unit in (ROOT / "systemd" / "system").glob("*.service"):
        assert (rootfs / "etc" / "systemd" / "system" / unit.name).read_text() == unit.read_text()
    assert (rootfs / "etc" / "udev" / "rules.d" / "70-eobshtina.rules").exists()
    firstboot = rootfs / "usr" / "local" / "lib" / "eobshtina" / "eobshtina-firstboot"
    assert firstboot.exists() and firstboot.stat().st_mode & 0o111
    assert "fmask=0077" in (rootfs / "etc" / "fstab").read_text().splitlines()[1]
    assert "ext4    defaults,noatime" in (rootfs / "etc" / "fstab").read_text()
    chroot = (rootfs / "on_chroot.sh").read_text()
    assert "pip install --no-index --find-links /opt/eobshtina/wheels eobshtina-terminals" in chroot
    assert "systemctl enable eobshtina-firstboot.service" in chroot
    assert (rootfs / "etc" / "modprobe.d" / "eobshtina-usblp.conf").read_text().strip() == "blacklist usblp"
    # the lockdown: no reboot from Ctrl+Alt+Del, no SysRq keys
    assert os.readlink(rootfs / "etc" / "systemd" / "system" / "ctrl-alt-del.target") == "/dev/null"
    assert (rootfs / "etc" / "sysctl.d" / "90-eobshtina-lockdown.conf").read_text().strip() == "kernel.sysrq = 0"
    # Without wheels the stage stops with a pointer to the README instead of building a broken image.
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60,
                            env={**env, "EOBSHTINA_WHEELS": str(empty)}, cwd=script.parent)
    assert result.returncode == 1 and "images/README.md" in result.stderr
