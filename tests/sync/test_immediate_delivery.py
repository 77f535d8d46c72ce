"""The kiosk's immediate delivery through a network that swallows answers: it gives up within its
timeout, and the agent's later delivery with the SAME client id registers the request once."""

from __future__ import annotations

import random
import threading

from sqlalchemy import select

from server_sync.agent import Agent
from server_sync.client import HubClient, HubTimeout
from server_sync.config import SyncSection
from server_sync.delivery import deliver_now
from server_sync.store import Store

from .conftest import enroll_cli
from .faultproxy import FaultProxy


def test_timeout_after_commit_then_agent_delivers_the_same_request_once(hub, tmp_path) -> None:
    from server_sync.hub.models import ServiceRequest

    data_dir = tmp_path / "terminal"
    assert enroll_cli(hub, data_dir) == 0
    store = Store(data_dir)
    port = int(hub.base_url.rsplit(":", 1)[1])
    with FaultProxy(("127.0.0.1", port), schedule=["blackhole", "commit_then_blackhole"],
                    weights={"pass": 1}) as proxy:
        kiosk = HubClient(proxy.base_url, store.identity().token)
        first = store.submit("signal", signal_category_id="potholes", signal_type="problem",
                             description="Паднало дърво", anonymous=True)
        lost = deliver_now(store, kiosk, first.client_id, timeout_s=0.5)
        assert not lost.delivered and isinstance(lost.error, HubTimeout)
        second = store.submit("signal", signal_category_id="potholes", signal_type="problem",
                              description="Счупена лампа", anonymous=True)
        committed = deliver_now(store, kiosk, second.client_id, timeout_s=0.5)
        assert not committed.delivered and isinstance(committed.error, HubTimeout)
        kiosk.close()
        with hub.session() as s:  # the hub did register the second one
            assert s.scalar(select(ServiceRequest.provisional_ref)) == second.provisional_ref
        # Both go back to the queue; the agent delivers them with the same client ids.
        assert store.queue_stats().depth == 2
        agent = Agent(store, SyncSection(idle_poll_s=0.01, backoff_initial_s=0.01, backoff_max_s=0.05),
                      rng=random.Random(1),
                      client_factory=lambda ident: HubClient(proxy.base_url, ident.token, timeout_s=5))
        agent.run(threading.Event(), until_empty=True)
        agent.close()
        # Both scheduled faults hit a request (the one per request, whatever the connection).
        assert proxy.injected == 2 and proxy.counts["blackhole"] == proxy.counts["commit_then_blackhole"] == 1
    with hub.session() as s:
        rows = s.execute(select(ServiceRequest.client_id, ServiceRequest.number)).all()
    assert sorted(r.client_id for r in rows) == sorted([str(first.client_id), str(second.client_id)])
    for client_id, number in rows:
        assert store.outbox_row(client_id)["hub_number"] == number
    store.close()
