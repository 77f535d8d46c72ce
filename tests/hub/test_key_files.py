"""Several hubs starting at once on a fresh data dir agree on one complete key (none reads an empty file)."""

from __future__ import annotations

import multiprocessing

from server_sync.hub.security import load_keyring


def _start(data_dir, results) -> None:
    try:
        keys = load_keyring(data_dir / "hub_private.key", data_dir)
        results.put(keys.public_key_b64 + "|" + keys.badge_key)
    except Exception as exc:
        results.put(f"ERROR {exc}")


def test_four_hubs_starting_together_agree_on_complete_keys(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for round_ in range(20):
        data_dir = tmp_path / f"hub{round_}"
        results = ctx.Queue()
        procs = [ctx.Process(target=_start, args=(data_dir, results)) for _ in range(4)]
        for p in procs:
            p.start()
        answers = {results.get(timeout=30) for _ in procs}
        for p in procs:
            p.join(timeout=30)
        assert len(answers) == 1 and not next(iter(answers)).startswith("ERROR"), answers
        assert (data_dir / "hub_private.key").stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in data_dir.iterdir()) == ["hmac.key", "hub_private.key"]  # no temporaries left


def test_a_hub_with_another_egn_key_refuses_the_database(tmp_path, database_url):
    import pytest

    from server_sync.hub.context import open_hub
    from server_sync.hub.settings import HubSettings

    shared = dict(database_url=database_url, schema_setup="create_all", import_shipped_catalogue=False,
                  private_key_file=tmp_path / "shared_private.key")
    open_hub(HubSettings(data_dir=tmp_path / "a", hmac_key="the-first-key", **shared)).close()
    open_hub(HubSettings(data_dir=tmp_path / "b", hmac_key="the-first-key", **shared)).close()  # same key: fine
    with pytest.raises(RuntimeError, match="ЕГН key"):
        open_hub(HubSettings(data_dir=tmp_path / "c", hmac_key="another-key", **shared))


def test_the_sqlite_database_and_its_wal_are_private_whatever_the_umask(tmp_path):
    import os
    import stat

    from server_sync.hub.context import open_hub
    from server_sync.hub.settings import HubSettings

    old = os.umask(0o022)
    try:
        hub = open_hub(HubSettings(data_dir=tmp_path, import_shipped_catalogue=False, hmac_key="k"))
        try:
            with hub.sessions.begin() as s:  # a write: the WAL exists now
                from server_sync.hub.services.staff import audit

                audit(s, actor="t", action="login")
            files = [p for p in tmp_path.iterdir() if p.name.startswith("hub.sqlite3")]
            assert {p.name for p in files} >= {"hub.sqlite3", "hub.sqlite3-wal"}
            for p in files:
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
        finally:
            hub.close()
    finally:
        os.umask(old)


def test_the_access_log_cannot_be_forged_through_the_path(client, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="server_sync.hub.access"):
        client.get("/t/x%0A2026-12-03 INFO GET /admin 200%0D")
    lines = [r.getMessage() for r in caplog.records if r.name == "server_sync.hub.access"]
    assert lines and all("\n" not in line and "\r" not in line for line in lines)
    assert any("\\n2026-12-03" in line for line in lines)
