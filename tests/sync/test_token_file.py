"""The terminal's hub token lives in <data_dir>/hub-token (0600), not in the shared store.

A stolen SD card's terminal.sqlite3 (and its WAL) — what support bundles copy and every process
of the terminal opens — no longer holds the bearer token; an older store is migrated: the token
moves to the file and the column is dropped, its pages overwritten."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from server_sync.connect import client_for_store
from server_sync.store import Identity, NotEnrolledError, Store
from server_sync.store.token_file import read_token, token_path, write_token

TOKEN = "eob_t_" + "Zq9" * 14  # distinctive, to grep for


def _files(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.glob("terminal.sqlite3*"))


def _identity(hub_keys, token=TOKEN) -> Identity:
    return Identity(terminal_id="K07", kind="kiosk", name="Киоск", location=None, token=token,
                    hub_url="http://127.0.0.1:9", hub_public_key=hub_keys[1], hub_epoch="e1",
                    enrolled_at=time.time())


def test_the_token_is_in_its_0600_file_and_nowhere_in_the_store(tmp_path, hub_keys):
    data_dir = tmp_path / "data"
    old = os.umask(0o002)  # a careless umask changes nothing
    try:
        with Store(data_dir) as store:
            store.save_identity(_identity(hub_keys))
            assert store.identity().token == TOKEN
            assert TOKEN.encode() not in _files(data_dir)
    finally:
        os.umask(old)
    mode = stat.S_IMODE(token_path(data_dir).stat().st_mode)
    assert mode == 0o600, oct(mode)
    assert read_token(data_dir) == TOKEN
    assert not list(data_dir.glob(".hub-token.*"))  # no temporary file left behind


def test_re_enrolment_replaces_the_file_atomically(tmp_path, hub_keys):
    with Store(tmp_path / "data") as store:
        store.save_identity(_identity(hub_keys))
        store.save_identity(_identity(hub_keys, token="eob_t_new"))
        assert store.identity().token == "eob_t_new"


def test_without_the_file_the_process_has_no_token_and_no_client(tmp_path, hub_keys):
    with Store(tmp_path / "data") as store:
        store.save_identity(_identity(hub_keys))
        token_path(store.data_dir).unlink()  # as for a process the unit denies the file
        assert store.identity().token == "" and store.identity().terminal_id == "K07"
        with pytest.raises(NotEnrolledError):
            client_for_store(store)


def test_an_older_store_gives_its_token_up_on_upgrade(tmp_path, hub_keys):
    from alembic import command
    from alembic.config import Config

    import server_sync.store.engine as engine_module

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    engine = create_engine(f"sqlite:///{data_dir / 'terminal.sqlite3'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(engine_module.__file__).parent / "migrations"))
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(text("INSERT INTO identity(id, terminal_id, kind, name, location, token, hub_url, "
                          "hub_public_key, hub_epoch, enrolled_at) VALUES (1, 'K07', 'kiosk', 'Киоск', NULL, "
                          ":t, 'http://127.0.0.1:9', :k, 'e1', 0)"), {"t": TOKEN, "k": hub_keys[1]})
    engine.dispose()
    assert TOKEN.encode() in _files(data_dir)  # the old layout: in the clear in the database
    with Store(data_dir) as store:
        assert store.identity().token == TOKEN
    assert read_token(data_dir) == TOKEN
    assert TOKEN.encode() not in _files(data_dir)  # nor in the WAL, nor in a freed page


def test_write_token_leaves_the_old_token_when_it_fails(tmp_path, monkeypatch):
    write_token(tmp_path, "first")

    def broken(*_a):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        write_token(tmp_path, "second")
    assert read_token(tmp_path) == "first" and not list(tmp_path.glob(".hub-token.*"))
