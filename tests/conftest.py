"""Suite-wide fixtures: a real PostgreSQL database when one is reachable (required in CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("EOB_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def _try_start_local_postgres() -> None:
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            capture_output=True,
            timeout=60,
        )
    time.sleep(2)


def _pg_reachable() -> str | None:
    """None when reachable, else the reason."""
    try:
        _pg_connect(PG_ADMIN_URL).close()
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip()


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """URL of a reachable PostgreSQL server; skips without one, fails in CI."""
    reason = _pg_reachable()
    if reason and IN_CI:
        _try_start_local_postgres()
        reason = _pg_reachable()
        if reason:
            pytest.fail(f"CI requires PostgreSQL at {PG_ADMIN_URL}: {reason}")
    if reason:
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL} ({reason}); set EOB_TEST_PG_URL")
    return PG_ADMIN_URL


@pytest.fixture
def postgres_database(postgres_admin_url: str):
    """A fresh, empty PostgreSQL database for one test; dropped afterwards.

    Yields an SQLAlchemy URL (postgresql+psycopg://…).
    """
    name = f"eob_t_{uuid.uuid4().hex[:12]}"
    with _pg_connect(postgres_admin_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_admin_url.rsplit("/", 1)[0]
    yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    with _pg_connect(postgres_admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """Each test using this runs twice: on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread():
    """The kiosk turns automatic GC off (kiosk/gui_gc.py); tests run no event loop between
    them, so each test's cyclic garbage is collected here, on the GUI thread."""
    yield
    gui_gc = sys.modules.get("kiosk.gui_gc")
    if gui_gc is not None:
        gui_gc.collect_if_due()
