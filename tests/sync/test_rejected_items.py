"""A queued item the hub refuses (4xx) is parked as rejected, never retried, and reported.

The attack: a terminal queued a request whose form the hub now refuses ("NaN" copies). Before, it
could be retried for ever; now it is parked with the hub's reason, the agent's heartbeat carries
the count and the reason to the fleet page, and the rest of the queue is delivered."""

from __future__ import annotations

import random
import threading

from sqlalchemy import select

from hardware.idcard.mrz import compose_td1
from server_sync.agent import Agent
from server_sync.client import HubClient
from server_sync.config import SyncSection
from server_sync.connect import client_for_store
from server_sync.protocol import Applicant, PressFields
from server_sync.store import Store

from .conftest import CountingTransport, enroll_cli, hub_counts

FAST = SyncSection(heartbeat_interval_s=3600, catalogue_interval_s=3600, backoff_initial_s=0.01,
                   backoff_max_s=0.05, idle_poll_s=0.01, revoked_recheck_s=3600)


def test_a_refused_item_is_parked_reported_and_not_retried(hub, tmp_path) -> None:
    data_dir = tmp_path / "terminal"
    assert enroll_cli(hub, data_dir) == 0
    transport = CountingTransport()
    store = Store(data_dir)
    agent = Agent(store, FAST, rng=random.Random(7),
                  client_factory=lambda ident: HubClient(ident.hub_url, ident.token, transport=transport))
    try:
        with client_for_store(store) as client:
            store.save_catalogue(*client.catalogue())
        bad = store.submit("service_request", service_id="heirs-certificate", tier="fast",
                           form={"deceased_name": "Иван Петров", "copies": "NaN"},
                           applicant=Applicant(egn="7501020018", document_number="AA1234567",
                                               mrz=compose_td1("AA1234567", "7501020018")))
        store.record_press(PressFields(3, counter_id="c1"))
        agent.run(threading.Event(), until_empty=True)
        assert hub_counts(hub)[:2] == (1, 0)  # the press went; the request did not
        row = store.outbox_row(bad.client_id)
        assert row["state"] == "rejected" and "form.copies" in row["last_error"]
        stats = store.queue_stats()
        assert (stats.depth, stats.rejected) == (0, 1) and "form.copies" in stats.last_rejection
        sent = sum(1 for c in transport.calls if c[1] == "/api/v1/requests")
        agent.run(threading.Event(), until_empty=True)  # again: nothing is retried
        assert sum(1 for c in transport.calls if c[1] == "/api/v1/requests") == sent == 1
        assert agent.heartbeat()
        from server_sync.hub.models import Terminal

        with hub.session() as s:
            report = s.scalars(select(Terminal.last_heartbeat)).one()
        assert report["rejected_items"] == 1 and "form.copies" in report["last_rejection"]
    finally:
        agent.close()
        store.close()
