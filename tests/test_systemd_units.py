"""The appliance's systemd units, udev rules, tmpfiles and sysusers: well-formed, hardened, runnable."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEMD = ROOT / "systemd"
UNITS = sorted((SYSTEMD / "system").glob("*.service"))
VENV_BIN = "/opt/eobshtina/venv/bin/"  # the image's venv: the hub, and the terminals until their first update
RELEASE_BIN = "/var/lib/eobshtina/releases/current/bin/"  # the release the terminal runs (software updates)
PREVIOUS_BIN = "/var/lib/eobshtina/releases/previous/bin/"  # the one before it (rollback check)
OUR_BINS = (VENV_BIN, RELEASE_BIN, PREVIOUS_BIN)
TERMINAL_UNITS = ("eobshtina-kiosk.service", "eobshtina-kiosk-eglfs.service", "eobshtina-feedback.service",
                  "eobshtina-sync-agent.service")
# Files the image installs from this repository, by their path on the terminal.
SHIPPED_FILES = {
    "/usr/local/lib/eobshtina/eobshtina-firstboot":
        ROOT / "images" / "stage-eobshtina" / "00-eobshtina" / "files" / "eobshtina-firstboot",
}
# Programs the image gets from Debian packages (images/stage-eobshtina/00-eobshtina/00-packages).
DEBIAN_PROGRAMS = {"/usr/bin/cage": "cage", "/bin/chvt": "kbd"}


def console_scripts() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"])


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """systemd's ini dialect: repeated keys accumulate, comments start with # or ;."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{path.name}:{number}: key outside a section"
        assert "=" in line, f"{path.name}:{number}: not key=value: {raw!r}"
        assert not line.endswith("\\"), f"{path.name}:{number}: keep each setting on one line"
        key, value = (part.strip() for part in line.split("=", 1))
        current.setdefault(key, []).append(value)
    return sections


def exec_argv(value: str) -> list[str]:
    argv = shlex.split(value)
    # Strip systemd's executable prefixes (-, @, +, !, :).
    argv[0] = argv[0].lstrip("-@+!:")
    return argv


def our_program(argv: list[str]) -> str:
    """The project's console script or shipped file this command runs (directly or under cage)."""
    if argv[0] == "/usr/bin/cage":
        assert "--" in argv, "cage needs `--` before the application"
        argv = argv[argv.index("--") + 1:]
    return argv[0]


def test_units_exist_for_every_process():
    names = {p.name for p in UNITS}
    assert {"eobshtina-kiosk.service", "eobshtina-sync-agent.service", "eobshtina-feedback.service",
            "eobshtina-hub.service", "eobshtina-firstboot.service"} <= names


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_exec_start_names_a_console_script_or_shipped_file(unit):
    service = parse_unit(unit)["Service"]
    scripts = console_scripts()
    starts = service["ExecStart"]
    assert len(starts) == 1 or service.get("Type") == ["oneshot"]
    for value in starts:
        program = our_program(exec_argv(value))
        if program.startswith(OUR_BINS):
            assert program.rsplit("/", 1)[1] in scripts, f"{unit.name}: {program} is not a console script"
        else:
            assert program in SHIPPED_FILES, f"{unit.name}: {program} is neither ours nor shipped"
            assert SHIPPED_FILES[program].is_file()
    for key in ("ExecStartPre", "ExecStartPost", "ExecStop"):
        for value in service.get(key, []):
            program = exec_argv(value)[0]
            assert program in DEBIAN_PROGRAMS or (program.startswith(OUR_BINS) and program.rsplit("/", 1)[1]
                                                  in scripts), f"{unit.name} {key}: {program}"


def test_terminal_software_runs_through_the_current_release():
    """Software updates repoint `current`; a unit started from /opt/eobshtina/venv would never change."""
    for name in TERMINAL_UNITS:
        start = our_program(exec_argv(parse_unit(SYSTEMD / "system" / name)["Service"]["ExecStart"][0]))
        assert start.startswith(RELEASE_BIN), f"{name}: {start}"
    agent = parse_unit(SYSTEMD / "system" / "eobshtina-sync-agent.service")["Service"]
    assert agent["ExecStartPre"] == [f"-{PREVIOUS_BIN}sync-agent update-check"]
    tmpfiles = (SYSTEMD / "tmpfiles.d" / "eobshtina.conf").read_text()
    assert re.search(r"^d /var/lib/eobshtina/releases\s+0750 eobshtina eobshtina", tmpfiles, re.M)
    assert re.search(rf"^L {RELEASE_BIN[:-len('/bin/')]}\s+-\s+-\s+-\s+-\s+/opt/eobshtina/venv$", tmpfiles, re.M)
    from server_sync.agent.updates import UpdateSettings
    from server_sync.config import DEFAULT_DATA_DIR

    settings = UpdateSettings.from_section({"public_key": "A" * 43 + "="}, data_dir=DEFAULT_DATA_DIR, kind="kiosk")
    assert str(settings.root / "current") + "/bin/" == RELEASE_BIN  # the agent's default root is the units' one


def test_debian_programs_are_in_the_image_package_list():
    packages = (ROOT / "images" / "stage-eobshtina" / "00-eobshtina" / "00-packages").read_text().split()
    for unit in UNITS:
        for value in parse_unit(unit)["Service"].get("ExecStart", []) + \
                parse_unit(unit)["Service"].get("ExecStartPost", []):
            program = exec_argv(value)[0]
            if program in DEBIAN_PROGRAMS:
                assert DEBIAN_PROGRAMS[program] in packages, program


@pytest.mark.parametrize("unit", [u for u in UNITS if u.name != "eobshtina-firstboot.service"],
                         ids=lambda p: p.name)
def test_long_running_units_are_hardened_and_restart(unit):
    sections = parse_unit(unit)
    service = sections["Service"]
    assert service["Restart"] == ["always"]
    assert sections["Unit"].get("StartLimitIntervalSec") == ["0"], "never give up restarting"
    assert service["ProtectSystem"] == ["strict"]
    assert service["NoNewPrivileges"] == ["yes"]
    assert service["PrivateTmp"] == ["yes"]
    hidden = " ".join(service.get("InaccessiblePaths", [])).split()
    assert service.get("ProtectHome") == ["yes"] or {"-/home", "-/root"} <= set(hidden)
    assert service.get("CapabilityBoundingSet") == [""], "no capabilities"
    assert "@system-service" in service["SystemCallFilter"]
    assert service.get("DynamicUser") == ["yes"] or service.get("User") == ["eobshtina"]
    assert service["StateDirectory"][0].startswith("eobshtina")
    assert service["UMask"] == ["0077"]
    assert "WantedBy" in sections["Install"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_watchdog_only_where_the_process_notifies(unit):
    service = parse_unit(unit)["Service"]
    program = our_program(exec_argv(service["ExecStart"][0])).rsplit("/", 1)[-1]
    notifying = {  # server_sync/sdnotify.py sends READY=1 and WATCHDOG=1 from these
        "sync-agent": [ROOT / "server_sync" / "agent" / "agent.py"],
        "kiosk": [ROOT / "kiosk" / "watchdog.py"],
        "feedback-terminal": [ROOT / "terminal_feedback" / "__main__.py"],
    }
    if program in notifying:
        source = "".join(path.read_text() for path in notifying[program])
        assert "READY=1" in source and ("WATCHDOG=1" in source or "watchdog.pet()" in source)
        assert service["Type"] == ["notify"] and "WatchdogSec" in service
        if service["ExecStart"][0].split()[0].rsplit("/", 1)[-1] == "cage":
            # the kiosk is cage's child: systemd takes its notifications only with NotifyAccess=all
            assert service.get("NotifyAccess") == ["all"]
    else:
        assert "WatchdogSec" not in service, f"{unit.name}: {program} never pings the watchdog"
        assert service.get("Type") != ["notify"]


def test_terminal_units_use_the_shared_config_and_data_dir():
    for unit in UNITS:
        service = parse_unit(unit)["Service"]
        if service.get("User") == ["eobshtina"]:
            env = dict(e.split("=", 1) for e in service["Environment"])
            assert env["EOBSHTINA_CONFIG"] == "/etc/eobshtina/terminal.toml", unit.name
            assert env["EOBSHTINA_DATA_DIR"] == "/var/lib/eobshtina", unit.name
            assert service["StateDirectory"] == ["eobshtina"], unit.name


def test_the_two_kiosk_variants_exclude_each_other():
    cage = parse_unit(SYSTEMD / "system" / "eobshtina-kiosk.service")["Unit"]
    eglfs = parse_unit(SYSTEMD / "system" / "eobshtina-kiosk-eglfs.service")["Unit"]
    assert any("eobshtina-kiosk-eglfs.service" in v for v in cage["Conflicts"])
    assert any("eobshtina-kiosk.service" in v.split() for v in eglfs["Conflicts"])


def test_firstboot_roles_name_existing_units():
    source = SHIPPED_FILES["/usr/local/lib/eobshtina/eobshtina-firstboot"].read_text()
    names = {p.name for p in UNITS}
    mentioned = set(re.findall(r'"(eobshtina-[a-z-]+\.service)"', source))
    assert mentioned and mentioned <= names


def test_sysusers_tmpfiles_and_udev_are_consistent():
    sysusers = (SYSTEMD / "sysusers.d" / "eobshtina.conf").read_text().splitlines()
    entries = [line.split() for line in sysusers if line and not line.startswith("#")]
    assert ["u", "eobshtina"] == entries[0][:2]
    groups = {e[2] for e in entries if e[0] == "m"}
    assert {"dialout", "input", "lp", "gpio"} <= groups
    tmpfiles = (SYSTEMD / "tmpfiles.d" / "eobshtina.conf").read_text()
    assert re.search(r"^d /var/lib/eobshtina\s+0750 eobshtina eobshtina", tmpfiles, re.M)
    rules = [line for line in (SYSTEMD / "udev" / "70-eobshtina.rules").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert rules
    for line in rules:
        for match in re.finditer(r'GROUP="([a-z]+)"', line):
            assert match.group(1) in groups, line
        assert line.count('"') % 2 == 0, line
    symlinks = {m for line in rules for m in re.findall(r'SYMLINK\+="eobshtina/([a-z-]+)"', line)}
    assert {"mrz", "scanner", "printer"} <= symlinks
    # The example kiosk config points at these stable names.
    example = (ROOT / "images" / "examples" / "eobshtina-kiosk.toml").read_text()
    assert "/dev/eobshtina/mrz" in example and "/dev/eobshtina/scanner" in example


def test_udev_rules_parse_with_udevadm(tmp_path):
    udevadm = shutil.which("udevadm")
    if udevadm is None:
        pytest.skip("udevadm is not installed")
    result = subprocess.run([udevadm, "verify", str(SYSTEMD / "udev" / "70-eobshtina.rules")],
                            capture_output=True, text=True, timeout=60)
    if "verify" in result.stderr and ("Unknown command" in result.stderr or "invalid" in result.stderr.lower()):
        pytest.skip("this udevadm has no `verify` (systemd < 254)")
    assert result.returncode == 0, result.stdout + result.stderr


def test_systemd_analyze_verify():
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run([analyze, "verify", *map(str, UNITS)], capture_output=True, text=True, timeout=120)
    # The programs are installed only in the image; everything else must be clean.
    installed_later = set(SHIPPED_FILES) | set(DEBIAN_PROGRAMS) | {b + s for s in console_scripts() for b in OUR_BINS}
    problems = []
    for line in (result.stdout + result.stderr).splitlines():
        match = re.search(r"Command (\S+) is not executable: No such file or directory", line)
        if match and match.group(1) in installed_later:
            continue
        if line.strip():
            problems.append(line)
    assert not problems, "\n".join(problems)


def test_systemd_security_exposure_is_low():
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # First boot runs as root on purpose (hostname, /etc, enabling units); the rest must be tight.
    for unit in [u for u in UNITS if u.name != "eobshtina-firstboot.service"]:
        result = subprocess.run([analyze, "security", "--offline=yes", str(unit)],
                                capture_output=True, text=True, timeout=120)
        if "--offline" in result.stderr and "unrecognized" in result.stderr:
            pytest.skip("this systemd-analyze has no --offline (systemd < 250)")
        match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
        assert match, result.stdout[-500:] + result.stderr
        # The daemons with no screen are held to 2.0; the kiosk needs the display, input and sound.
        limit = 3.0 if "kiosk" in unit.name else 2.0
        assert float(match.group(1)) <= limit, f"{unit.name}: exposure {match.group(1)} (at most {limit})"
