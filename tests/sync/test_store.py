"""The terminal store: transactional outbox, sealing at rest, claims, catalogue cache, migrations."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time

import pytest
from pydantic import ValidationError

from server_sync.protocol import Applicant, DeviceHealth, PressFields, SubmissionRequest
from server_sync.protocol.sealing import open_applicant
from server_sync.store import DB_FILENAME, NotEnrolledError, Store
from server_sync.store.store import SCHEMA_HEAD

from .conftest import minimal_catalogue

EGN = "7501020018"
APPLICANT = Applicant(egn=EGN, document_number="AA1234567", given_names="Мария Иванова",
                      surname="Петрова", phone="0888123456", email="maria@example.bg",
                      address="ул. Пирин 12")


def _raw(store: Store, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(store.path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_open_creates_wal_database_at_alembic_head(store: Store) -> None:
    assert store.path.name == DB_FILENAME and store.path.exists()
    assert _raw(store, "PRAGMA journal_mode")[0][0] == "wal"
    assert _raw(store, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    Store(store.data_dir).close()  # reopening an up-to-date store is a no-op


def test_press_and_outbox_row_are_written_together(store: Store) -> None:
    first = store.record_press(PressFields(4, counter_id="counter-3"))
    second = store.record_press(PressFields(1, filtered=True, filter_reason="response_interval"))
    assert second.seq == first.seq + 1
    presses = _raw(store, "SELECT client_id, json_extract(payload, '$.score') FROM outbox ORDER BY seq")
    assert presses == [(str(first.press_id), 4), (str(second.press_id), 1)]
    row = store.outbox_row(first.press_id)
    assert row["kind"] == "press" and row["state"] == "pending" and row["seq"] == first.seq
    assert store.queue_stats().depth == 2


def test_a_press_writes_one_row_and_its_id_is_its_seq(store: Store) -> None:
    store.record_press(PressFields(3))  # the connection and first pages exist

    def snapshot() -> dict:
        tables = [t for (t,) in _raw(store, "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: _raw(store, f"SELECT * FROM {t} ORDER BY rowid") for t in tables if t != "outbox"}

    before = snapshot()
    outbox_before = _raw(store, "SELECT count(*) FROM outbox")[0][0]
    rec = store.record_press(PressFields(4))
    assert snapshot() == before  # no counter, no other table touched
    assert _raw(store, "SELECT count(*) FROM outbox")[0][0] == outbox_before + 1
    assert _raw(store, "SELECT id, seq FROM outbox WHERE client_id = ?", str(rec.press_id)) == [(rec.seq, rec.seq)]


def test_seqs_never_come_again_after_the_newest_rows_are_purged(tmp_path) -> None:
    store = Store(tmp_path / "t", delivered_retention_s=0)
    records = [store.record_press(PressFields(2)) for _ in range(3)]
    store.mark_delivered([(r.outbox_id, None, None) for r in records])
    blobs, rows = store.purge(now=time.time() + 10)
    assert rows == 3 and _raw(store, "SELECT count(*) FROM outbox") == [(0,)]
    after = store.record_press(PressFields(2))
    assert after.seq == records[-1].seq + 1  # the hub's last_seq comparison stays true
    store.close()


def test_invalid_press_writes_nothing(store: Store) -> None:
    with pytest.raises(ValidationError):
        store.record_press(PressFields(5, scale=4))
    assert _raw(store, "SELECT count(*) FROM outbox") == [(0,)]
    assert store.queue_stats().depth == 0


def test_submission_seals_personal_data_before_it_touches_disk(enrolled_store: Store, hub_keys) -> None:
    enrolled_store.save_catalogue(minimal_catalogue())
    record = enrolled_store.submit("service_request", service_id="heirs-certificate",
                                   form={"deceased_name": "Иван Петров Иванов", "copies": 2},
                                   applicant=APPLICANT)
    assert record.provisional_ref == "K07-000001"
    enrolled_store.close()
    raw = b"".join(p.read_bytes() for p in enrolled_store.data_dir.iterdir() if p.is_file())
    for secret in (EGN, "AA1234567", "Петрова", "0888123456", "maria@example.bg", "Иван Петров Иванов"):
        assert secret.encode() not in raw, secret
    item = Store(enrolled_store.data_dir).claim(["service_request"], 10, owner="t")[0]
    message = item.submission()
    assert isinstance(message, SubmissionRequest) and message.form == {"copies": 2}
    assert message.tracking_code == record.tracking_code and len(record.tracking_code) == 8
    opened = open_applicant(message.sealed_applicant, hub_keys[0])
    assert opened.egn == EGN and opened.personal_fields == {"deceased_name": "Иван Петров Иванов"}


def test_personal_submission_is_refused_before_enrolment(store: Store) -> None:
    with pytest.raises(NotEnrolledError):
        store.submit("signal", signal_category_id="roads", signal_type="problem",
                     description="Дупка", applicant=APPLICANT)
    assert store.queue_stats().depth == 0


def test_invalid_submission_writes_nothing_and_burns_no_reference(enrolled_store: Store) -> None:
    with pytest.raises(ValidationError):
        enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem")
    assert enrolled_store.queue_stats().depth == 0
    ok = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                               description="Дупка на ул. Пирин", anonymous=True)
    assert ok.provisional_ref == "K07-000001"
    assert enrolled_store.submission(ok.provisional_ref)["client_id"] == str(ok.client_id)


def test_claimed_rows_are_invisible_to_other_claimers_until_released(store: Store) -> None:
    for _ in range(5):
        store.record_press(PressFields(3))
    agent = store.claim(["press"], 3, owner="agent")
    kiosk = store.claim(["press"], 10, owner="kiosk")
    assert {i.id for i in agent}.isdisjoint({i.id for i in kiosk}) and len(kiosk) == 2
    assert store.claim(["press"], 10, owner="third") == []
    store.release([i.id for i in agent])
    assert [i.seq for i in store.claim(["press"], 10, owner="third")] == [1, 2, 3]


def test_expired_claim_of_a_killed_process_is_taken_over(store: Store) -> None:
    press = store.record_press(PressFields(2))
    store.claim(["press"], 1, owner="dead", lease_s=30)
    assert store.claim_one(press.press_id, owner="kiosk") is None
    later = store.claim(["press"], 1, owner="agent", now=10**10)
    assert [i.client_id for i in later] == [press.press_id]


def test_failed_row_waits_for_its_retry_time(store: Store) -> None:
    store.record_press(PressFields(2))
    item = store.claim(["press"], 1, owner="a")[0]
    store.mark_failed([item.id], "ConnectError: refused", retry_at=10**10)
    assert store.claim(["press"], 1, owner="a") == []
    row = store.outbox_row(item.client_id)
    assert row["attempts"] == 1 and "refused" in row["last_error"]
    assert store.queue_stats().depth == 1


def test_delivery_records_hub_number_and_purges_sealed_blob(tmp_path, hub_keys) -> None:
    from .conftest import enrolled_identity

    store = Store(tmp_path / "d", personal_retention_s=0)
    store.save_identity(enrolled_identity(hub_keys[1]))
    rec = store.submit("signal", signal_category_id="roads", signal_type="problem",
                       description="Дупка", applicant=APPLICANT)
    item = store.claim_one(rec.client_id, owner="kiosk")
    assert item is not None and item.sealed
    store.mark_delivered([(item.id, "94-00012/22.11.2026", "ABCD1234")], hub_epoch="epoch-1")
    row = store.outbox_row(rec.client_id)
    assert row["state"] == "delivered" and row["sealed"] is None
    assert store.submission(rec.provisional_ref)["number"] == "94-00012/22.11.2026"
    assert store.queue_stats().depth == 0
    store.close()


def test_retention_window_keeps_sealed_blob_then_purge_drops_it(enrolled_store: Store) -> None:
    rec = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                                description="Дупка", applicant=APPLICANT)
    item = enrolled_store.claim_one(rec.client_id, owner="kiosk")
    enrolled_store.mark_delivered([(item.id, "N1", "C1")], hub_epoch="epoch-1")
    assert enrolled_store.outbox_row(rec.client_id)["sealed"]
    assert enrolled_store.purge() == (0, 0)
    assert enrolled_store.purge(now=10**10) == (1, 1)
    assert enrolled_store.outbox_row(rec.client_id) is None


def test_requeue_after_hub_lost_data(store: Store) -> None:
    for _ in range(4):
        store.record_press(PressFields(3))
    items = store.claim(["press"], 4, owner="a")
    store.mark_delivered([(i.id, None, None) for i in items[:2]], hub_epoch="old")
    store.mark_delivered([(i.id, None, None) for i in items[2:]], hub_epoch="new")
    assert store.requeue_lost(new_epoch="new") == 2
    assert [i.seq for i in store.claim(["press"], 10, owner="b")] == [1, 2]
    store.mark_delivered([(i.id, None, None) for i in items[:2]], hub_epoch="new")
    assert store.requeue_lost(above_seq=3) == 1
    assert store.queue_stats().depth == 1


def test_catalogue_cache_is_replaced_whole(store: Store) -> None:
    assert store.catalogue() is None
    store.save_catalogue(minimal_catalogue("v1"), etag='"v1"')
    assert store.catalogue().version == "v1" and store.catalogue_etag() == '"v1"'
    store.save_catalogue(minimal_catalogue("v2", personal_field=False), etag='"v2"')
    other = Store(store.data_dir)  # another process sees the new version
    assert other.catalogue().version == "v2"
    assert not other.catalogue().services[0].form_fields[0].personal
    assert _raw(store, "SELECT count(*) FROM catalogue_cache") == [(1,)]


def test_device_health_errors_and_sync_state(store: Store) -> None:
    store.report_device("printer", DeviceHealth(state="degraded", reason="paper low", detail={"paper": "low"}))
    store.report_device("printer", DeviceHealth(state="ok"))
    assert store.device_states()["printer"].state == "ok"
    for i in range(30):
        store.record_error("agent", f"error {i}")
    errors = store.recent_errors()
    assert len(errors) == 20 and errors[0][2] == "error 29"
    store.update_sync_state(revoked=True, revoked_reason="token_revoked")
    assert store.sync_state().revoked
    with pytest.raises(TypeError):
        store.update_sync_state(bogus=1)


def _press_many(data_dir: str, n: int, out) -> None:  # runs in a child process
    s = Store(data_dir)
    out.put([s.record_press(PressFields(1 + i % 4)).seq for i in range(n)])
    s.close()


def test_three_processes_share_the_store(tmp_path) -> None:
    """Three processes create, migrate and write one fresh store at the same moment."""
    data_dir = tmp_path / "fresh"
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_press_many, args=(str(data_dir), 150, out)) for _ in range(3)]
    for p in procs:
        p.start()
    seqs = [seq for _ in procs for seq in out.get(timeout=120)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert sorted(seqs) == list(range(1, 451))
    store = Store(data_dir)
    assert _raw(store, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    assert store.queue_stats().depth == 450
    assert _raw(store, "SELECT count(DISTINCT client_id) FROM outbox") == [(450,)]
    store.close()


def test_full_disk_is_a_clear_error_and_loses_nothing(store: Store) -> None:
    from sqlalchemy import event

    from server_sync.store import StoreFullError

    kept = [store.record_press(PressFields(3)).press_id for _ in range(5)]
    limit = {"on": True}

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn, _record) -> None:  # the database may not grow: a full SD card
        if limit["on"]:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    store.engine.dispose()
    with pytest.raises(StoreFullError, match="cannot be written"):
        for _ in range(2000):
            store.record_press(PressFields(2))
    assert store.queue_stats().depth >= 5
    assert all(store.outbox_row(p) for p in kept)
    # Never half a press: every acknowledged press has its outbox row, and each seq one row.
    assert _raw(store, "SELECT count(*) FROM outbox") == _raw(store, "SELECT count(DISTINCT seq) FROM outbox")
    limit["on"] = False
    store.engine.dispose()
    store.record_press(PressFields(1))  # space again: writing resumes


def test_database_file_is_not_world_readable(store: Store) -> None:
    assert store.path.stat().st_mode & 0o007 == 0


def test_schema_head_constant_matches_the_migration_scripts(tmp_path) -> None:
    # Store._migrate trusts SCHEMA_HEAD to skip Alembic on every open: a new migration
    # without bumping it would leave old terminals unmigrated.
    from pathlib import Path

    from alembic.script import ScriptDirectory

    import server_sync.store.store as store_module

    script = ScriptDirectory(str(Path(store_module.__file__).parent / "migrations"))
    assert set(script.get_heads()) == {store_module.SCHEMA_HEAD}
    with Store(tmp_path) as store:  # a fresh file is migrated to that head
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == store_module.SCHEMA_HEAD


def test_personal_retention_set_by_the_agent_holds_for_the_kiosk_too(tmp_path, hub_keys) -> None:
    """`[sync] personal_retention_h = 0` is read by the agent only, yet the kiosk's immediate
    delivery must purge the sealed applicant at delivery just the same."""
    from .conftest import enrolled_identity

    kiosk = Store(tmp_path / "d")  # the kiosk opens the store without knowing the config
    kiosk.save_identity(enrolled_identity(hub_keys[1]))
    assert kiosk.personal_retention_s == 24 * 3600  # documented default
    agent = Store(tmp_path / "d", personal_retention_s=0)  # sync-agent, from the config
    assert kiosk.personal_retention_s == 0 and Store(tmp_path / "d").personal_retention_s == 0
    rec = kiosk.submit("signal", signal_category_id="roads", signal_type="problem",
                       description="Дупка", applicant=APPLICANT)
    item = kiosk.claim_one(rec.client_id, owner="immediate-1")
    kiosk.mark_delivered([(item.id, "N1", "C1")], hub_epoch="epoch-1")
    assert kiosk.outbox_row(rec.client_id)["sealed"] is None
    # Back to a window: the next delivery keeps its sealed blob until purge() after it.
    Store(tmp_path / "d", personal_retention_s=3600).close()
    rec2 = kiosk.submit("signal", signal_category_id="roads", signal_type="problem",
                        description="Дупка 2", applicant=APPLICANT)
    item2 = kiosk.claim_one(rec2.client_id, owner="immediate-1")
    kiosk.mark_delivered([(item2.id, "N2", "C2")], hub_epoch="epoch-1")
    assert kiosk.outbox_row(rec2.client_id)["sealed"]
    assert kiosk.purge()[0] == 0 and kiosk.purge(now=10**10)[0] == 1
    with pytest.raises(ValueError):
        kiosk.set_personal_retention(-1)
    agent.close()
    kiosk.close()


def test_bulk_purge_and_requeue_run_in_short_transactions(store: Store, monkeypatch) -> None:
    """A requeue after a hub restore or a month's purge touches every row it must, but in
    chunks, one short transaction each, so a press never waits for the whole of it."""
    from sqlalchemy import event

    import server_sync.store.outbox as outbox_module

    monkeypatch.setattr(outbox_module, "CHUNK_ROWS", 4)
    for _ in range(10):
        store.record_press(PressFields(3))
    store.mark_delivered([(i.id, None, None) for i in store.claim(["press"], 10, owner="a")],
                         hub_epoch="old")
    commits = []
    event.listen(store.engine, "commit", lambda conn: commits.append(1))
    assert store.requeue_lost(new_epoch="new") == 10
    assert len(commits) == 3 and store.queue_stats().depth == 10
    store.mark_delivered([(i.id, None, None) for i in store.claim(["press"], 10, owner="a")],
                         hub_epoch="new")
    commits.clear()
    assert store.requeue_lost(above_seq=2) == 8 and len(commits) == 3  # 4 + 4 + a last, empty one
    store.mark_delivered([(i.id, None, None) for i in store.claim(["press"], 10, owner="a")],
                         hub_epoch="new")
    commits.clear()
    assert store.purge(now=10**10) == (0, 10)
    assert store.queue_stats().delivered_kept == 0 and len(commits) >= 3
