"""The image's polkit rule, run for real in Node.js against a fake `polkit` object: the terminal's
user may reboot and restart its own units, nothing else; other users are not handled."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

RULE = Path(__file__).resolve().parents[1] / "systemd" / "polkit" / "50-eobshtina.rules"

HARNESS = r"""
const fs = require("fs");
const rules = [];
const polkit = {Result: {YES: "yes", NO: "no", NOT_HANDLED: null}, addRule: (f) => rules.push(f)};
new Function("polkit", fs.readFileSync(process.argv[2], "utf8"))(polkit);
const cases = JSON.parse(process.argv[3]);
const answers = cases.map(([id, user, details]) => {
  const action = {id, lookup: (key) => (details || {})[key]};
  for (const rule of rules) {
    const result = rule(action, {user, local: true, active: true});
    if (result !== null && result !== undefined) return result;
  }
  return "not handled";
});
console.log(JSON.stringify(answers));
"""

CASES = [
    (("org.freedesktop.login1.reboot", "eobshtina", None), "yes"),
    (("org.freedesktop.login1.reboot-multiple-sessions", "eobshtina", None), "yes"),
    (("org.freedesktop.systemd1.manage-units", "eobshtina", {"unit": "eobshtina-kiosk.service", "verb": "restart"}), "yes"),
    (("org.freedesktop.systemd1.manage-units", "eobshtina", {"unit": "eobshtina-sync-agent.service", "verb": "restart"}), "yes"),
    # not what the terminal needs: polkit's defaults decide (a plain user gets no)
    (("org.freedesktop.login1.power-off", "eobshtina", None), "not handled"),
    (("org.freedesktop.systemd1.manage-units", "eobshtina", {"unit": "eobshtina-kiosk.service", "verb": "stop"}), "not handled"),
    (("org.freedesktop.systemd1.manage-units", "eobshtina", {"unit": "ssh.service", "verb": "restart"}), "not handled"),
    (("org.freedesktop.systemd1.manage-unit-files", "eobshtina", None), "not handled"),
    (("org.freedesktop.login1.reboot", "pi", None), "not handled"),
    (("org.freedesktop.systemd1.manage-units", "nobody", {"unit": "eobshtina-kiosk.service", "verb": "restart"}), "not handled"),
]


def test_the_polkit_rule_allows_only_the_terminals_own_actions(tmp_path):
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed: the rule's JavaScript is not run")
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    result = subprocess.run([node, str(harness), str(RULE), json.dumps([case for case, _ in CASES])],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert {case[:2] + (json.dumps(case[2]),): answer for (case, _), answer in zip(CASES, answers)} == \
        {case[:2] + (json.dumps(case[2]),): expected for case, expected in CASES}


def test_the_image_installs_the_polkit_rule():
    run = (Path(__file__).resolve().parents[1] / "images" / "stage-eobshtina" / "00-eobshtina" / "01-run.sh").read_text()
    assert "systemd/polkit/50-eobshtina.rules" in run and "/etc/polkit-1/rules.d" in run
