"""First start (SQLite created and migrated in the data dir, keys, epoch), Alembic on both backends."""

from __future__ import annotations

import stat

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient

from server_sync.hub.app import create_app
from server_sync.hub.context import open_hub
from server_sync.hub.db import load_models, make_engine, migrate
from server_sync.hub.settings import HubSettings
from server_sync.hub.testing import running_hub


def test_alembic_migrations_build_exactly_the_models(database_url):
    engine = make_engine(database_url)
    try:
        migrate(engine)
        migrate(engine)  # idempotent on an up-to-date database
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), load_models())
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()
    assert diff == [] and version


def test_first_start_creates_a_migrated_sqlite_file_keys_and_a_stable_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "data"))
    settings = HubSettings()  # environment only
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'data' / 'hub.sqlite3'}"
    with TestClient(create_app(settings)) as client:
        epoch = client.get("/api/v1/health").json()["hub_epoch"]
    key = tmp_path / "data" / "hub_private.key"
    assert (tmp_path / "data" / "hub.sqlite3").exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data" / "hmac.key").stat().st_mode) == 0o600
    # The shipped catalogue was imported on first start (when CATALOGUE's file loads).
    hub = open_hub(HubSettings())
    try:
        assert hub.hub_epoch == epoch
        public = hub.keyring.public_key_b64
    finally:
        hub.close()
    # A different key file against the same database is refused: terminals seal to the recorded key.
    key.unlink()
    try:
        open_hub(HubSettings())
    except RuntimeError as exc:
        assert "does not match" in str(exc)
    else:
        raise AssertionError("a new key was accepted for an existing database")
    assert public


def test_flags_override_the_environment(tmp_path, monkeypatch):
    from server_sync.hub.cli import build_parser, settings_from

    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("HUB_PORT", "9000")
    args = build_parser().parse_args(["serve", "--data-dir", str(tmp_path / "flag"), "--port", "9100"])
    settings = settings_from(args, host=args.host, port=args.port)
    assert settings.data_dir == tmp_path / "flag" and settings.port == 9100
    assert settings_from(build_parser().parse_args(["terminals"])).data_dir == tmp_path / "env"


def test_running_hub_helper_serves_a_real_hub(tmp_path):
    with running_hub(tmp_path) as hub:
        assert httpx.get(f"{hub.base_url}/api/v1/health").json()["status"] == "ok"
        enrolled = hub.enroll("feedback", "Гише 2")
        r = httpx.get(f"{hub.base_url}/api/v1/catalogue", headers={"Authorization": f"Bearer {enrolled.token}"})
        assert r.status_code == 200 and r.json()["services"]
        with hub.session() as s:
            from server_sync.hub.models import Terminal

            assert s.get(Terminal, enrolled.terminal_id).name == "Гише 2"
    try:
        httpx.get(f"{hub.base_url}/api/v1/health", timeout=2)
    except httpx.HTTPError:
        pass
    else:
        raise AssertionError("the hub still answers after the context closed")


def test_sqlite_hub_commits_are_durable_when_answered(tmp_path):
    # An incoming number handed out must survive a power cut: WAL with synchronous=FULL.
    from sqlalchemy import text

    from server_sync.hub.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        engine.dispose()


def test_a_withdrawn_technicians_name_is_free_after_the_upgrade_and_an_active_ones_is_not(database_url):
    """tc01 on a hub with technicians: the rows stay; a withdrawn name can be added again, an active
    one still cannot (two rows with one name are withdrawn history and the current entry)."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from server_sync.hub.db import alembic_config

    engine = make_engine(database_url)
    try:
        load_models()
        config = alembic_config(engine)
        command.upgrade(config, "an03")
        insert = text("INSERT INTO technician_credentials (name, pin_hash, created_at, disabled_at) "
                      "VALUES (:name, 'hash', CURRENT_TIMESTAMP, :gone)")
        with engine.begin() as conn:
            conn.execute(insert, [{"name": "Иван", "gone": "2026-11-01 10:00:00"}, {"name": "Мария", "gone": None}])
        command.upgrade(config, "heads")
        with engine.begin() as conn:
            conn.execute(insert, {"name": "Иван", "gone": None})
            names = conn.execute(text("SELECT name, disabled_at IS NULL FROM technician_credentials ORDER BY id")).all()
        assert [(n, bool(active)) for n, active in names] == [("Иван", False), ("Мария", True), ("Иван", True)]
        with pytest.raises(IntegrityError), engine.begin() as conn:  # two active technicians of one name
            conn.execute(insert, {"name": "Мария", "gone": None})
    finally:
        engine.dispose()
