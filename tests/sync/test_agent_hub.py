"""The agent against a real hub: enrol, drain, heartbeat, catalogue 304, captive portal, revoked token,
a hub restored from an older backup or with a new epoch."""

from __future__ import annotations

import json
import random
import threading

import httpx
import pytest
from sqlalchemy import delete, select, update

from hardware.idcard.mrz import compose_td1
from server_sync.agent import Agent
from server_sync.agent.__main__ import main as agent_main
from server_sync.client import HubClient
from server_sync.config import SyncSection
from server_sync.connect import client_for_store
from server_sync.delivery import deliver_now
from server_sync.protocol import Applicant, DeviceHealth, I18n, PressFields
from server_sync.store import Store

from .conftest import CountingTransport, enroll_cli, hub_counts

FAST = SyncSection(heartbeat_interval_s=3600, catalogue_interval_s=3600, backoff_initial_s=0.01,
                   backoff_max_s=0.05, idle_poll_s=0.01, revoked_recheck_s=3600)
APPLICANT = Applicant(egn="7501020018", document_number="AA1234567", given_names="Мария",
                      surname="Петрова", phone="0888123456", mrz=compose_td1("AA1234567", "7501020018"))


@pytest.fixture
def terminal(hub, tmp_path):
    data_dir = tmp_path / "terminal"
    assert enroll_cli(hub, data_dir) == 0
    transport = CountingTransport()
    store = Store(data_dir)
    agent = Agent(store, FAST, rng=random.Random(7),
                  client_factory=lambda ident: HubClient(ident.hub_url, ident.token, transport=transport))
    yield store, agent, transport
    agent.close()
    store.close()


def _fill(store: Store, presses: int = 30, signals: int = 3) -> list:
    if store.catalogue() is None:  # the kiosk files from the cached catalogue
        with client_for_store(store) as client:
            store.save_catalogue(*client.catalogue())
    records = [store.record_press(PressFields(1 + i % 4, counter_id="c1")) for i in range(presses)]
    for i in range(signals):
        records.append(store.submit("signal", signal_category_id="potholes", signal_type="problem",
                                    description=f"Дупка №{i}", applicant=APPLICANT))
    records.append(store.submit("service_request", service_id="heirs-certificate", tier="fast",
                                form={"deceased_name": "Иван Петров", "deceased_egn": "4501020012", "copies": 2},
                                applicant=APPLICANT))
    return records


def _drain(agent: Agent) -> None:
    agent.run(threading.Event(), until_empty=True)


def test_enrol_drain_and_status(hub, terminal, capsys) -> None:
    store, agent, transport = terminal
    records = _fill(store)
    store.report_device("printer", DeviceHealth(state="degraded", reason="paper low"))
    _drain(agent)
    assert hub_counts(hub) == (30, 4, 0)
    assert store.queue_stats().depth == 0
    # The hub opened the sealed applicant and the personal form field.
    from server_sync.hub.models import Heartbeat, ServiceRequest, Terminal

    with hub.session() as s:
        request = s.scalars(select(ServiceRequest).where(ServiceRequest.service_id == "heirs-certificate")).one()
        assert request.surname == "Петрова" and request.personal_fields == {"deceased_egn": "4501020012"}
        assert request.provisional_ref == records[-1].provisional_ref
        beat = s.scalars(select(Heartbeat)).first()
        assert s.scalar(select(Terminal.last_event_seq)) == records[-1].seq
    assert beat is not None  # the agent heartbeats before delivering
    assert store.submission(records[-1].provisional_ref)["number"] == request.number
    assert store.catalogue() is not None and store.catalogue().services
    capsys.readouterr()
    assert agent_main(["--data-dir", str(store.data_dir), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["terminal_id"] == store.identity().terminal_id and status["queue_depth"] == 0
    assert status["last_contact_at"] and not status["revoked"]
    # Presses went in batches, requests one by one.
    feedback_posts = [c for c in transport.calls if c[1] == "/api/v1/feedback"]
    assert len(feedback_posts) == 1


def test_heartbeat_reports_every_field(hub, terminal) -> None:
    store, agent, _ = terminal
    store.record_press(PressFields(2))
    store.report_device("id_reader", DeviceHealth(state="offline", reason="unplugged"))
    store.record_error("kiosk", "printer offline")
    report = agent.build_heartbeat()
    assert report.queue_depth == 1 and report.oldest_undelivered_age_s is not None
    assert report.disk_free_bytes and report.uptime_s > 0 and report.software_version
    assert report.devices["id_reader"].state == "offline"
    assert report.last_errors == ["kiosk: printer offline"]
    assert agent.heartbeat()
    from server_sync.hub.models import Heartbeat

    with hub.session() as s:
        row = s.scalars(select(Heartbeat)).one()
        assert row.queue_depth == 1


def test_catalogue_304_costs_no_body_and_new_version_replaces(hub, terminal) -> None:
    store, agent, transport = terminal
    assert agent.pull_catalogue()
    first = store.catalogue()
    assert agent.pull_catalogue()
    catalogue_calls = [c for c in transport.calls if c[1] == "/api/v1/catalogue"]
    assert catalogue_calls[0][2] == 200 and catalogue_calls[0][3] > 1000
    assert catalogue_calls[1][2:] == (304, 0)
    assert store.catalogue().version == first.version
    from server_sync.hub.testing import fixture_catalogue

    data = fixture_catalogue()
    data.hotlines[0].hours = I18n(bg="денонощно")
    new_version = hub.import_catalogue(data)
    assert agent.heartbeat()  # the heartbeat announces the new version; the next step pulls it
    assert agent.step() is not None
    assert store.catalogue().version == new_version != first.version


def test_captive_portal_is_not_delivery(hub, terminal) -> None:
    store, agent, transport = terminal
    _fill(store, presses=5, signals=1)
    transport.override = lambda request: httpx.Response(
        200, content=b"<html><body>Welcome to Municipal Wi-Fi. Accept the terms.</body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"})
    for _ in range(5):
        agent.step()
        agent._hub_wait_until = 0.0  # skip the backoff wait in this test
    assert store.queue_stats().depth == 7 and hub_counts(hub) == (0, 0, 0)
    assert "NotJsonResponse" in store.sync_state().last_error
    transport.override = None
    _drain(agent)
    assert hub_counts(hub) == (5, 2, 0)


def test_revoked_token_stops_delivery_without_a_retry_loop(hub, terminal, capsys) -> None:
    store, agent, transport = terminal
    _drain(agent)
    from server_sync.hub.services import terminals

    with hub.context.sessions.begin() as s:
        assert terminals.revoke(session=s, terminal_id=store.identity().terminal_id)
    store.record_press(PressFields(3))
    before = len(transport.calls)
    agent._next_heartbeat = 0.0
    for _ in range(20):
        agent.step()
    assert len(transport.calls) == before + 1  # one refused call, then it waits an hour
    state = store.sync_state()
    assert state.revoked and "re-enrolled" in state.revoked_reason
    assert store.queue_stats().depth == 1  # kept, not dropped
    capsys.readouterr()
    assert agent_main(["--data-dir", str(store.data_dir), "status"]) == 3
    assert "REVOKED" in capsys.readouterr().out
    # Re-enrolment clears the state and delivery resumes.
    assert enroll_cli(hub, store.data_dir) == 0
    assert not store.sync_state().revoked
    _drain(agent)  # the running agent notices the new token at once, not after the hour
    assert hub_counts(hub)[0] == 1


def test_hub_restored_from_older_backup_gets_everything_again(hub, terminal) -> None:
    store, agent, _ = terminal
    _fill(store, presses=20, signals=2)
    _drain(agent)
    assert hub_counts(hub) == (20, 3, 0)
    from server_sync.hub.models import FeedbackPress, ServiceRequest, StatusChange, Terminal

    # "Restore" the hub to a backup taken before any of it arrived (same epoch).
    with hub.context.sessions.begin() as s:
        s.execute(delete(StatusChange))
        s.execute(delete(ServiceRequest))
        s.execute(delete(FeedbackPress))
        s.execute(update(Terminal).values(last_event_seq=None))
    assert agent.heartbeat()
    assert store.queue_stats().depth == 23
    _drain(agent)
    assert hub_counts(hub) == (20, 3, 0)
    with hub.session() as s:  # the sealed applicant was still there (retention window) and opened
        heirs = s.scalars(select(ServiceRequest).where(ServiceRequest.service_id == "heirs-certificate")).one()
        assert heirs.surname == "Петрова" and heirs.personal_fields == {"deceased_egn": "4501020012"}


def test_hub_epoch_change_resends_and_is_remembered(hub, terminal) -> None:
    store, agent, _ = terminal
    _fill(store, presses=10, signals=1)
    _drain(agent)
    old_epoch = store.identity().hub_epoch
    hub.context.hub_epoch = "e-restored"
    assert agent.heartbeat()
    assert store.identity().hub_epoch == "e-restored" != old_epoch
    assert store.queue_stats().depth == 12
    _drain(agent)
    assert hub_counts(hub) == (10, 2, 0)  # idempotent: the hub still had them, nothing doubled
    assert agent.heartbeat() and store.queue_stats().depth == 0


def test_immediate_delivery_and_agent_never_double_submit(hub, terminal) -> None:
    store, agent, _ = terminal
    rec = store.submit("signal", signal_category_id="potholes", signal_type="problem",
                       description="Счупена пейка", applicant=APPLICANT)
    client = client_for_store(store)
    result = deliver_now(store, client, rec.client_id, timeout_s=3)
    assert result.delivered and result.number
    _drain(agent)
    assert hub_counts(hub) == (0, 1, 0)
    tracked = client.track(result.number, result.tracking_code)
    assert tracked.provisional_ref == rec.provisional_ref
    # Tracking by the provisional reference works as well.
    assert client.track(rec.provisional_ref, result.tracking_code).number == result.number
    client.close()


def test_citizen_session_dossier_and_wrong_code(hub, terminal) -> None:
    from server_sync.client import HubRefused, TokenRefused
    from server_sync.protocol import CitizenSessionRequest

    store, agent, _ = terminal
    hub.create_citizen("7501020018", "4321", document_number="AA1234567", display_name="Мария Петрова")
    rec = store.submit("signal", signal_category_id="potholes", signal_type="problem",
                       description="Дупка", applicant=APPLICANT)
    _drain(agent)
    with client_for_store(store) as client:
        session = client.citizen_session(CitizenSessionRequest(
            egn="7501020018", document_number="AA1234567", access_code="4321"))
        dossier = client.dossier(session.token)
        assert [item.number for item in dossier.requests] == [store.submission(rec.provisional_ref)["number"]]
        with pytest.raises(HubRefused) as wrong:
            client.citizen_session(CitizenSessionRequest(
                egn="7501020018", document_number="AA1234567", access_code="0000"))
        assert not isinstance(wrong.value, TokenRefused)  # a citizen's mistake revokes nothing
        with pytest.raises(HubRefused) as expired:
            client.dossier("not-a-session")
        assert not isinstance(expired.value, TokenRefused)
        assert client.consultations().consultations == []
