"""Exactly-once delivery of 1,000 presses and 100 requests through a proxy that breaks the network
in every way we know (reset, half body, delay, blackhole, 500, captive portal, commit-then-drop)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import select

from server_sync.agent import Agent
from server_sync.config import HubSection, SyncSection
from server_sync.connect import client_for_store
from server_sync.protocol import Applicant, PressFields
from server_sync.store import Store

from .conftest import enroll_cli
from .faultproxy import FAULTS, FaultProxy

pytestmark = pytest.mark.slow

PRESSES, REQUESTS = 1000, 100


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_hub(request, tmp_path):
    """The hub on its embedded SQLite and on PostgreSQL (how it runs at scale)."""
    from server_sync.hub.testing import fixture_catalogue, running_hub

    settings = {}
    if request.param == "postgres":
        settings["database_url"] = request.getfixturevalue("postgres_database")
    with running_hub(tmp_path, **settings) as running:
        running.import_catalogue(fixture_catalogue())
        yield running


def test_every_item_arrives_exactly_once_through_faults(any_hub, tmp_path) -> None:
    hub = any_hub
    # The full load on the embedded hub; a lighter one on PostgreSQL keeps the suite quick.
    presses, requests = (PRESSES, REQUESTS) if "sqlite" in hub.settings.effective_database_url else (300, 30)
    from server_sync.hub.models import FeedbackPress, ServiceRequest

    data_dir = tmp_path / "terminal"
    assert enroll_cli(hub, data_dir) == 0
    store = Store(data_dir)
    with client_for_store(store) as direct:
        store.save_catalogue(*direct.catalogue())
    applicant = Applicant(egn="7501020018", document_number="AA1234567", surname="Петрова")
    press_ids = {str(store.record_press(PressFields(1 + i % 4, counter_id="c1")).press_id) for i in range(presses)}
    local = {}
    for i in range(requests):
        if i % 2:
            rec = store.submit("signal", signal_category_id="potholes", signal_type="problem",
                               description=f"Дупка №{i}", applicant=applicant if i % 4 == 1 else None,
                               anonymous=i % 4 == 3)
        else:
            rec = store.submit("service_request", service_id="info-request", applicant=applicant)
        local[str(rec.client_id)] = rec.provisional_ref

    port = int(hub.base_url.rsplit(":", 1)[1])
    weights = {"pass": 6, "delay": 1, "reset": 1, "half_body": 1, "blackhole": 0.3, "error_500": 1,
               "portal": 1, "commit_then_reset": 1, "commit_then_blackhole": 0.3}
    with FaultProxy(("127.0.0.1", port), seed=20261122, weights=weights) as proxy:
        sync = SyncSection(heartbeat_interval_s=2, catalogue_interval_s=5, press_batch=100,
                           backoff_initial_s=0.01, backoff_max_s=0.05, idle_poll_s=0.01)
        hub_cfg = HubSection(url=proxy.base_url, timeout_s=0.4, connect_timeout_s=0.4)
        agent = Agent(store, sync, hub_cfg, rng=random.Random(3))
        stop = threading.Event()
        worker = threading.Thread(target=agent.run, args=(stop,), kwargs={"until_empty": True})
        started = time.monotonic()
        worker.start()
        worker.join(timeout=120)
        stop.set()
        worker.join(timeout=10)
        agent.close()
        elapsed = time.monotonic() - started
    assert not worker.is_alive()
    assert set(FAULTS) <= set(proxy.counts), proxy.counts  # every fault happened
    # Faults are drawn per request, kept-alive connections included: every request drew one, and the
    # ones that were not "pass" were injected — a good share of all, as the weights say.
    assert sum(proxy.counts.values()) == proxy.requests
    assert proxy.injected == proxy.requests - proxy.counts["pass"]
    assert proxy.injected >= proxy.requests * 0.2, (proxy.injected, proxy.requests)
    assert proxy.requests > proxy.connections, (proxy.requests, proxy.connections)  # connections were reused
    stats = store.queue_stats()
    assert stats.depth == 0 and stats.rejected == 0, (stats, store.sync_state().last_error)

    with hub.session() as s:
        hub_presses = s.scalars(select(FeedbackPress.press_id)).all()
        hub_requests = s.execute(select(ServiceRequest.client_id, ServiceRequest.number,
                                        ServiceRequest.provisional_ref)).all()
        # The sealed applicant came through the faults intact and the hub opened it (it keeps
        # only the ЕГН's keyed hash for this service: one citizen, one hash, on every request).
        egn_hashes = s.scalars(select(ServiceRequest.egn_hmac)
                               .where(ServiceRequest.service_id == "info-request")).all()
    assert len(egn_hashes) == (requests + 1) // 2 and len(set(egn_hashes)) == 1 and egn_hashes[0]
    assert len(hub_presses) == presses and set(hub_presses) == press_ids  # none lost, none twice
    assert len(hub_requests) == requests
    assert {r.client_id: r.provisional_ref for r in hub_requests} == local
    # The terminal recorded exactly the number the hub registered, even when the first
    # answer was lost after the hub committed (the replay returned the same receipt).
    for _client_id, number, ref in hub_requests:
        assert store.submission(ref)["number"] == number
    print(f"faults: {dict(proxy.counts)}; {proxy.injected} injected into {proxy.requests} requests on "
          f"{proxy.connections} connections; drained in {elapsed:.1f} s")
    store.close()
