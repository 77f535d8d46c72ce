"""The agent without a real hub: backoff, DNS failure, never locking the UI out, systemd, board facts."""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from server_sync.agent import Agent, Backoff, sdnotify, system
from server_sync.agent.__main__ import main as agent_main
from server_sync.client import HubClient
from server_sync.config import SyncSection
from server_sync.protocol import DeviceHealth, PressFields
from server_sync.store import Store

from .conftest import fixture_json

FAST = SyncSection(heartbeat_interval_s=3600, catalogue_interval_s=3600, backoff_initial_s=1,
                   backoff_max_s=300, idle_poll_s=0.01)


def test_backoff_is_full_jitter_exponential_and_capped() -> None:
    backoff = Backoff(1.0, 300.0, random.Random(1))
    delays = [backoff.next_delay() for _ in range(40)]
    assert all(0.1 <= d <= 300 for d in delays)
    assert max(delays[:3]) <= 4  # 1, 2, 4 s ceilings at first
    assert max(delays[20:]) > 100  # the ceiling grew to the cap …
    assert len({round(d, 3) for d in delays[20:]}) == 20  # … and every delay is jittered
    backoff.reset()
    assert backoff.next_delay() <= 1


def _agent_with(store: Store, handler) -> Agent:
    return Agent(store, FAST, rng=random.Random(2),
                 client_factory=lambda ident: HubClient(ident.hub_url, ident.token,
                                                        transport=httpx.MockTransport(handler)))


def test_dns_failure_backs_off_keeps_everything_and_recovers(enrolled_store: Store) -> None:
    enrolled_store.record_press(PressFields(3))
    calls = []
    dns_works = False

    def no_dns(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if not dns_works:
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        if request.url.path.endswith("/heartbeat"):
            return httpx.Response(200, json={**fixture_json("heartbeat_response.json"),
                                             "hub_epoch": "epoch-1", "last_seq": None})
        if request.url.path.endswith("/catalogue"):
            return httpx.Response(304)
        return httpx.Response(200, json={"schema_version": 1, "accepted": 1, "duplicates": 0})

    agent = _agent_with(enrolled_store, no_dns)
    for _ in range(10):
        assert agent.step() is False
    assert len(calls) == 1  # the rest waited for the backoff instead of hammering
    assert agent._hub_wait_until > 0
    state = enrolled_store.sync_state()
    assert "Name or service not known" in state.last_error and not state.revoked
    assert enrolled_store.queue_stats().depth == 1
    dns_works = True
    agent._hub_wait_until = 0.0  # the backoff has run out
    agent.run(threading.Event(), until_empty=True)
    assert enrolled_store.queue_stats().depth == 0 and agent.backoff.failures == 0


def test_network_call_never_holds_the_database(enrolled_store: Store) -> None:
    """While the agent waits on the hub, another process can write a press at once."""
    for _ in range(3):
        enrolled_store.record_press(PressFields(2))
    written_during_call = []

    def hub(request: httpx.Request) -> httpx.Response:
        con = sqlite3.connect(enrolled_store.path, timeout=0.2, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the agent held a lock
        con.execute("INSERT INTO settings(key, value) VALUES ('probe-' || hex(randomblob(4)), 'x')")
        con.execute("COMMIT")
        con.close()
        written_during_call.append(request.url.path)
        if request.url.path.endswith("/heartbeat"):
            answer = fixture_json("heartbeat_response.json")
            answer.update(hub_epoch="epoch-1", last_seq=None)
            return httpx.Response(200, json=answer)
        if request.url.path.endswith("/catalogue"):
            return httpx.Response(304)
        return httpx.Response(200, json={"schema_version": 1, "accepted": 3, "duplicates": 0})

    agent = _agent_with(enrolled_store, hub)
    agent.run(threading.Event(), until_empty=True)
    assert written_during_call == ["/api/v1/terminals/heartbeat", "/api/v1/catalogue", "/api/v1/feedback"]
    assert enrolled_store.queue_stats().depth == 0


def test_a_refused_heartbeat_does_not_hold_up_delivery(enrolled_store: Store) -> None:
    enrolled_store.record_press(PressFields(2))

    def hub(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/heartbeat"):
            return httpx.Response(422, json={"error": {"code": "validation_error", "message": "devices: bad"}})
        if request.url.path.endswith("/catalogue"):
            return httpx.Response(304)
        return httpx.Response(200, json={"schema_version": 1, "accepted": 1, "duplicates": 0})

    _agent_with(enrolled_store, hub).run(threading.Event(), until_empty=True)
    assert enrolled_store.queue_stats().depth == 0
    assert "validation_error" in enrolled_store.recent_errors()[0][2]


def test_a_hub_rolled_back_before_list_versions_gets_heartbeats_without_one(enrolled_store: Store) -> None:
    # The hub gave a version of the technicians' list, then went back to a release that refuses the
    # field (422 naming it): the agent forgets the version, keeps the list, and reports again at once.
    from server_sync.protocol import technicians

    answer = fixture_json("heartbeat_response.json")
    sent = []

    def hub(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append(body.get("technicians_version"))
        if "technicians_version" in body and len(sent) > 1:  # the older hub
            return httpx.Response(422, json={"error": {"code": "validation_error", "field": "technicians_version",
                                                       "message": "technicians_version: Extra inputs are not permitted"}})
        return httpx.Response(200, json=answer)

    agent = _agent_with(enrolled_store, hub)
    assert agent.heartbeat()  # the newer hub: the list and its version are kept
    stored = enrolled_store.setting(technicians.SETTING_KEY)
    assert technicians.stored_version(stored) == answer["technicians_version"]
    assert agent.heartbeat()  # refused for the field: the version is forgotten, the list kept
    assert technicians.stored_version(enrolled_store.setting(technicians.SETTING_KEY)) is None
    assert technicians.from_json(enrolled_store.setting(technicians.SETTING_KEY)) == technicians.from_json(stored)
    version = answer["technicians_version"]
    answer = {k: v for k, v in answer.items() if k != "technicians_version"}  # as the older hub answers
    assert agent.heartbeat()
    assert sent == [None, version, None]  # the third heartbeat does not even name the field
    assert not [e for e in enrolled_store.recent_errors() if "heartbeat" in e[2]]


def test_bad_device_name_is_refused_at_the_source(store: Store) -> None:
    with pytest.raises(ValueError, match="device"):
        store.report_device("ID reader", DeviceHealth(state="ok"))


def test_board_facts_from_sysfs(tmp_path: Path) -> None:
    zone = tmp_path / "class" / "thermal" / "thermal_zone0"
    zone.mkdir(parents=True)
    (zone / "temp").write_text("61234\n")
    assert system.cpu_temp_c(tmp_path) == pytest.approx(61.234)
    assert system.under_voltage(tmp_path) is None  # this board does not say
    hwmon = tmp_path / "class" / "hwmon" / "hwmon1"
    hwmon.mkdir(parents=True)
    (hwmon / "name").write_text("rpi_volt\n")
    (hwmon / "in0_lcrit_alarm").write_text("1\n")
    assert system.under_voltage(tmp_path) is True
    (hwmon / "in0_lcrit_alarm").write_text("0\n")
    assert system.under_voltage(tmp_path) is False
    firmware = tmp_path / "old" / "devices" / "platform" / "soc" / "soc:firmware"
    firmware.mkdir(parents=True)
    (firmware / "get_throttled").write_text("0x50005\n")
    assert system.under_voltage(tmp_path / "old") is True
    assert system.cpu_temp_c(tmp_path / "old") is None
    assert system.uptime_s(tmp_path / "no-proc") >= 0


def test_sd_notify_sends_datagrams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert sdnotify.notify("READY=1") is False  # outside systemd: nothing, no error
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        assert sdnotify.notify("READY=1")
        assert sock.recv(100) == b"READY=1"
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert sdnotify.watchdog_interval_s() == 15


def test_cli_status_not_enrolled_and_bad_config(tmp_path: Path, capsys) -> None:
    assert agent_main(["--data-dir", str(tmp_path / "d"), "status"]) == 0
    assert "not enrolled" in capsys.readouterr().out
    bad = tmp_path / "terminal.toml"
    bad.write_text("[sync]\nheartbeat_interval_s = -5\n")
    assert agent_main(["--config", str(bad), "--data-dir", str(tmp_path / "d"), "status"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "sync.heartbeat_interval_s" in err
    assert agent_main(["--data-dir", str(tmp_path / "d"), "enroll", "--hub", "ftp://x", "--code", "abcdef"]) == 2
    capsys.readouterr()
    bad.write_text('[hub]\nca_file = "/nonexistent/ca.pem"\n')
    assert agent_main(["--config", str(bad), "--data-dir", str(tmp_path / "d"), "run"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "hub.ca_file" in err and "\n" not in err.strip()
    # status needs no hub: a technician still sees the queue
    assert agent_main(["--config", str(bad), "--data-dir", str(tmp_path / "d"), "status"]) == 0


def test_cli_enroll_with_a_wrong_code_fails_cleanly(hub, tmp_path: Path, capsys) -> None:
    assert agent_main(["--data-dir", str(tmp_path / "d"), "enroll", "--hub", hub.base_url,
                       "--code", "WRONG-CODE-123"]) == 1
    assert "enrollment failed" in capsys.readouterr().err
    assert Store(tmp_path / "d").identity() is None


def test_retry_after_is_honoured_within_the_cap(enrolled_store: Store) -> None:
    enrolled_store.record_press(PressFields(1))

    def busy(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "120", "Content-Type": "text/html"}, content=b"busy")

    agent = _agent_with(enrolled_store, busy)
    import time

    before = time.monotonic()
    assert agent.step() is False
    assert agent._hub_wait_until - before >= 120  # not the 1 s first backoff
    capped = Agent(enrolled_store, SyncSection(backoff_initial_s=0.01, backoff_max_s=5),
                   client_factory=lambda ident: HubClient(ident.hub_url, ident.token,
                                                          transport=httpx.MockTransport(busy)))
    capped.step()
    # Within the 5 s cap of the moment it decided (read after the step: a step slowed by a busy
    # machine must not count against it).
    assert capped._hub_wait_until <= time.monotonic() + 5


def test_config_personal_retention_reaches_every_process(tmp_path: Path, capsys) -> None:
    config = tmp_path / "terminal.toml"
    config.write_text("[sync]\npersonal_retention_h = 0\n", encoding="utf-8")
    assert agent_main(["--config", str(config), "--data-dir", str(tmp_path / "d"), "status"]) == 0
    assert Store(tmp_path / "d").personal_retention_s == 0  # what the kiosk's Store now sees
    config.write_text("[sync]\npersonal_retention_h = 2\n", encoding="utf-8")
    assert agent_main(["--config", str(config), "--data-dir", str(tmp_path / "d"), "status"]) == 0
    assert Store(tmp_path / "d").personal_retention_s == 7200


def test_a_full_disk_pauses_the_agent_without_killing_it_and_the_hub_hears_of_it(enrolled_store: Store) -> None:
    """On a full SD card every write fails (SQLite cannot even append to its WAL): the agent
    must neither die nor spin, must keep what is queued, and should still tell the hub."""
    import json

    from sqlalchemy import event

    kept = [enrolled_store.record_press(PressFields(2)).press_id for _ in range(3)]
    full = {"on": True, "refused": 0}

    @event.listens_for(enrolled_store.engine, "connect")
    def _read_only(dbapi_conn, _record) -> None:  # every write now fails inside SQLite
        if full["on"]:
            dbapi_conn.execute("PRAGMA query_only=ON")

    @event.listens_for(enrolled_store.engine, "handle_error")
    def _count(context) -> None:
        full["refused"] += 1

    enrolled_store.engine.dispose()
    heartbeats, posted = [], []

    def hub(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/heartbeat"):
            heartbeats.append(json.loads(request.content))
            answer = fixture_json("heartbeat_response.json")
            answer.update(hub_epoch="epoch-1", last_seq=None)
            return httpx.Response(200, json=answer)
        if request.url.path.endswith("/catalogue"):
            return httpx.Response(304)
        n = len(json.loads(request.content)["presses"])
        posted.append(n)
        return httpx.Response(200, json={"schema_version": 1, "accepted": n, "duplicates": 0})

    agent = Agent(enrolled_store, SyncSection(heartbeat_interval_s=3600, catalogue_interval_s=3600,
                                              backoff_initial_s=0.01, backoff_max_s=0.05, idle_poll_s=0.01),
                  rng=random.Random(2),
                  client_factory=lambda ident: HubClient(ident.hub_url, ident.token,
                                                         transport=httpx.MockTransport(hub)))
    class Stop(threading.Event):
        """Records every wait the agent asks for (without spending it) and stops the agent once
        it has been refused three times and has told the hub: no wall-clock time in the test."""

        waits: list[float] = []

        def wait(self, timeout=None):
            self.waits.append(timeout)
            if (full["refused"] >= 3 and heartbeats) or len(self.waits) > 10_000:
                self.set()
            return super().wait(0)

    stop = Stop()
    agent.run(stop)  # returns only when stopped: a StoreFullError did not end the agent
    assert len(stop.waits) <= 10_000, "the agent never retried or never told the hub"
    assert full["refused"] >= 3
    # It retried with a backoff, not in a hot loop: a few refused writes per round, and a wait
    # of its backoff after each round.
    assert full["refused"] <= 3 * (len(stop.waits) + 1) and all(w and w > 0 for w in stop.waits)
    assert len(heartbeats) == 1 and "cannot be written" in heartbeats[0]["last_errors"][0]  # the hub hears
    assert posted == []  # nothing can be claimed, so nothing is sent
    full["on"] = False
    enrolled_store.engine.dispose()
    assert enrolled_store.queue_stats().depth == 3  # nothing stored was lost
    agent.run(threading.Event(), until_empty=True)  # space again: everything goes
    assert posted == [3] and enrolled_store.write_error is None and not agent._store_error_logged
    assert all(enrolled_store.outbox_row(p)["state"] == "delivered" for p in kept)


def test_a_request_delivered_while_a_heartbeat_is_in_flight_is_not_sent_again(enrolled_store: Store) -> None:
    """The kiosk delivers a request at once while the agent's heartbeat is on the wire: the
    hub's answer (last_seq) was computed without it. That is no sign of a restored hub."""
    first = enrolled_store.record_press(PressFields(2))
    item = enrolled_store.claim(["press"], 1, owner="agent-1")[0]
    enrolled_store.mark_delivered([(item.id, None, None)], hub_epoch="epoch-1")
    later = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                                  description="Дупка", anonymous=True)

    def hub(request: httpx.Request) -> httpx.Response:
        # Meanwhile, in the kiosk process: immediate delivery of the new request succeeds.
        kiosk_item = enrolled_store.claim_one(later.client_id, owner="immediate-1")
        enrolled_store.mark_delivered([(kiosk_item.id, "N1", "C1")], hub_epoch="epoch-1")
        answer = fixture_json("heartbeat_response.json")
        answer.update(hub_epoch="epoch-1", last_seq=first.seq)
        return httpx.Response(200, json=answer)

    agent = _agent_with(enrolled_store, hub)
    assert agent.heartbeat()
    assert enrolled_store.outbox_row(later.client_id)["state"] == "delivered"
    assert not any("lost events" in m for _at, _src, m in enrolled_store.recent_errors())
    # A hub that really lost the press is still noticed.
    def restored(request: httpx.Request) -> httpx.Response:
        answer = fixture_json("heartbeat_response.json")
        answer.update(hub_epoch="epoch-1", last_seq=None)
        return httpx.Response(200, json=answer)

    assert _agent_with(enrolled_store, restored).heartbeat()
    assert enrolled_store.queue_stats().depth == 2
