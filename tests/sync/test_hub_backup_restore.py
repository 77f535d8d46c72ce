"""A hub restored from a backup is made whole by its terminals: deliver, `kiosk-hub backup`, deliver
more, `kiosk-hub restore`, and every press and request is there once, every receipt still tracks
(its number kept, or mapped when a request filed after the restore took it). On SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from sqlalchemy import select

from hardware.idcard.mrz import compose_td1
from server_sync.agent import Agent
from server_sync.config import HubSection, SyncSection
from server_sync.connect import client_for_store
from server_sync.delivery import deliver_now
from server_sync.hub.cli import main as hub_main
from server_sync.hub.models import FeedbackPress, ServiceRequest
from server_sync.hub.testing import fixture_catalogue, free_port, running_hub
from server_sync.protocol import Applicant, PressFields
from server_sync.store import Store

from .conftest import enroll_cli
from .faultproxy import FaultProxy

APPLICANT = Applicant(egn="7501020018", document_number="AA1234567", given_names="Мария",
                      surname="Петрова", phone="0888123456", mrz=compose_td1("AA1234567", "7501020018"))
SYNC = SyncSection(idle_poll_s=0.01, backoff_initial_s=0.01, backoff_max_s=0.05, heartbeat_interval_s=3600,
                   catalogue_interval_s=3600)


def _signal(store: Store, text: str):
    return store.submit("signal", signal_category_id="potholes", signal_type="problem", description=text,
                        applicant=APPLICANT)


def _drain(agent: Agent, *, heartbeat: bool = False) -> None:
    agent._hub_wait_until = 0.0
    if heartbeat:
        agent._next_heartbeat = 0.0
    agent.run(threading.Event(), until_empty=True)


def _receipts(store: Store, records) -> dict[str, tuple[str, str]]:
    """client id → (number, tracking code) as the terminal printed/stored it."""
    out = {}
    for rec in records:
        row = store.submission(str(rec.client_id))
        assert row["number"], rec
        out[str(rec.client_id)] = (row["number"], row["tracking_code"])
    return out


def _hub(tmp_path: Path, url: str):
    return running_hub(tmp_path, database_url=url, schema_setup="alembic")


def test_restored_hub_gets_everything_back_once_and_receipts_still_track(tmp_path, database_url) -> None:
    backup_file = tmp_path / "nightly.backup"
    db_args = ["--data-dir", str(tmp_path / "hub"), "--database-url", database_url]
    stores = {name: Store(tmp_path / name) for name in ("a", "b")}
    with FaultProxy(("127.0.0.1", free_port()), schedule=[], weights={"pass": 1}) as proxy:
        section = HubSection(url=proxy.base_url, timeout_s=5)
        agents = {name: Agent(s, SYNC, section, rng=random.Random(3)) for name, s in stores.items()}
        a, b = stores["a"], stores["b"]
        with _hub(tmp_path, database_url) as first:
            first.import_catalogue(fixture_catalogue())
            proxy.upstream = ("127.0.0.1", int(first.base_url.rsplit(":", 1)[1]))
            for name, s in stores.items():
                assert enroll_cli(first, s.data_dir, name=f"Киоск {name}") == 0
                with client_for_store(s, section) as client:
                    s.save_catalogue(*client.catalogue())
            old_epoch = a.identity().hub_epoch

            # Before the backup: presses and two signals from terminal A.
            presses = [a.record_press(PressFields(1 + i % 4, counter_id="c1")) for i in range(10)]
            before = [_signal(a, f"Дупка {i}") for i in range(2)]
            _drain(agents["a"])
            assert hub_main(["backup", str(backup_file), *db_args]) == 0

            # After the backup: more presses, signals and a service request from A, a signal from B.
            presses += [a.record_press(PressFields(4, counter_id="c1")) for _ in range(7)]
            after_a = [_signal(a, f"Счупена пейка {i}") for i in range(2)]
            after_a.append(a.submit("service_request", service_id="heirs-certificate", tier="fast",
                                    form={"deceased_name": "Иван Петров", "deceased_egn": "4501020012", "copies": 2},
                                    applicant=APPLICANT))
            _drain(agents["a"])
            after_b = [_signal(b, "Паднало дърво")]
            _drain(agents["b"])
            receipts = _receipts(a, before + after_a) | _receipts(b, after_b)
            with first.session() as s:
                given = dict(s.execute(select(ServiceRequest.client_id, ServiceRequest.number)).all())
            assert {cid: number for cid, (number, _) in receipts.items()} == given

        # Last night's backup goes back in; the hub restarts with a new epoch.
        assert hub_main(["restore", str(backup_file), *db_args]) == 0
        with _hub(tmp_path, database_url) as second:
            proxy.upstream = ("127.0.0.1", int(second.base_url.rsplit(":", 1)[1]))
            assert second.context.hub_epoch != old_epoch
            with second.session() as s:
                assert s.scalar(select(ServiceRequest).where(
                    ServiceRequest.client_id == str(after_a[0].client_id))) is None  # lost by the restore

            _drain(agents["a"], heartbeat=True)  # A hears the new epoch and re-sends
            assert a.identity().hub_epoch == second.context.hub_epoch
            # B files a new request before B's agent hears of the restore: it takes the next free
            # number, which is the one the hub gave B's signal before the restore.
            with client_for_store(b, section) as client:
                fresh = _signal(b, "Нова дупка")
                assert deliver_now(b, client, fresh.client_id, timeout_s=5).delivered
            _drain(agents["b"], heartbeat=True)
            _drain(agents["a"], heartbeat=True)  # nothing more to send: no doubles

            with second.session() as s:
                press_ids = list(s.scalars(select(FeedbackPress.press_id)))
                rows = {r.client_id: r for r in s.scalars(select(ServiceRequest))}
                seqs = sorted(r.number_seq for r in rows.values())
            assert sorted(press_ids) == sorted(str(p.press_id) for p in presses)  # each press once
            assert set(rows) == set(receipts) | {str(fresh.client_id)}  # each request once
            assert seqs == list(range(1, len(rows) + 1))  # numbers unique and gapless
            # A's numbers are kept; B's was taken by the request filed after the restore: mapped.
            for rec in before + after_a:
                assert rows[str(rec.client_id)].number == receipts[str(rec.client_id)][0]
            mapped = rows[str(after_b[0].client_id)]
            assert mapped.earlier_number == receipts[str(after_b[0].client_id)][0] == rows[str(fresh.client_id)].number
            assert mapped.number != mapped.earlier_number
            assert b.submission(str(after_b[0].client_id))["number"] == mapped.number  # the terminal learns it
            # Every receipt printed before the restore still tracks, by its number and code.
            with client_for_store(a, section) as client:
                for cid, (number, code) in receipts.items():
                    tracked = client.track(number, code)
                    assert tracked.number == rows[cid].number
                    assert tracked.provisional_ref == rows[cid].provisional_ref
            # The sealed applicant was still on the terminal (retention window): opened again.
            heirs = rows[str(after_a[-1].client_id)]
            assert heirs.surname == "Петрова" and heirs.personal_fields == {"deceased_egn": "4501020012"}
        for agent in agents.values():
            agent.close()
    for s in stores.values():
        s.close()


def test_restore_refuses_a_file_that_is_no_backup_of_this_kind_of_database(tmp_path, database_url, capsys) -> None:
    db_args = ["--data-dir", str(tmp_path / "hub"), "--database-url", database_url]
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    assert hub_main(["restore", str(junk), *db_args]) == 1
    err = capsys.readouterr().err
    assert "not a" in err and "junk.backup" in err
    assert hub_main(["restore", str(tmp_path / "missing.backup"), *db_args]) == 1
    assert "no such backup file" in capsys.readouterr().err


def test_restore_drill_brings_back_the_backups_content_with_a_new_epoch(tmp_path, database_url) -> None:
    """The drill an operator runs: back up, change things, restore, and find the backup's state."""
    backup_file = tmp_path / "drill.backup"
    db_args = ["--data-dir", str(tmp_path / "hub"), "--database-url", database_url]
    with _hub(tmp_path, database_url) as hub:
        hub.import_catalogue(fixture_catalogue())
        kept = hub.enroll("feedback", "Гише 1")
        epoch = hub.context.hub_epoch
        assert hub_main(["backup", str(backup_file), *db_args]) == 0
        hub.enroll("feedback", "Гише 2")  # after the backup: gone after the restore
    assert backup_file.stat().st_size > 0 and (backup_file.stat().st_mode & 0o077) == 0
    assert hub_main(["restore", str(backup_file), *db_args]) == 0
    with _hub(tmp_path, database_url) as hub:
        from server_sync.hub.models import Terminal

        with hub.session() as s:
            assert list(s.scalars(select(Terminal.id))) == [kept.terminal_id]
        assert hub.context.hub_epoch != epoch
