"""Every user-facing string of the kiosk views is in the Bulgarian catalogue, finished."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "kiosk" / "i18n" / "kiosk_bg.ts"
BIN = Path(sys.executable).parent


def _unfinished(ts: Path) -> list[str]:
    bad = []
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        kind = translation.get("type")
        if kind in ("unfinished", "vanished", "obsolete") or not (translation.text or "").strip():
            if kind in ("vanished", "obsolete"):
                continue
            bad.append(message.find("source").text)
    return bad


def test_committed_catalogue_is_complete():
    assert not _unfinished(TS)


def test_no_string_in_the_source_is_missing_from_the_catalogue(tmp_path):
    lupdate = BIN / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate not installed")
    work = tmp_path / "kiosk_bg.ts"
    shutil.copy(TS, work)
    sources = sorted(str(p) for p in (ROOT / "kiosk" / "views").glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(work)], check=True, capture_output=True)
    missing = _unfinished(work)
    assert not missing, f"untranslated strings (add them to kiosk/i18n/kiosk_bg.ts): {missing}"


def test_compiled_qm_is_not_older_than_the_ts():
    qm = TS.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_size > 1000
    # the .qm must carry every translation: lrelease reports the count it generated
    lrelease = BIN / "pyside6-lrelease"
    if lrelease.exists():
        out = subprocess.run([str(lrelease), str(TS), "-qm", "/dev/null"], capture_output=True, text=True).stdout
        assert "0 unfinished" in out
