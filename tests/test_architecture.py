"""The dependency direction of DESIGN.md, enforced with import-linter's contracts."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout, result.stdout


def _imported_modules(path: Path) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_kiosk_state_imports_no_widgets():
    # import-linter cannot forbid a submodule of an external package, so read the imports.
    offenders = {
        str(f.relative_to(ROOT)): sorted(m for m in _imported_modules(f) if "QtWidgets" in m)
        for f in (ROOT / "kiosk" / "state").rglob("*.py")
    }
    assert not {k: v for k, v in offenders.items() if v}
