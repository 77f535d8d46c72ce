"""The agent rides out a hub restart: delivery pauses while it is down and resumes, exactly once."""

from __future__ import annotations

import random
import threading

from server_sync.agent import Agent
from server_sync.config import HubSection, SyncSection
from server_sync.hub.testing import fixture_catalogue, free_port, running_hub
from server_sync.protocol import PressFields
from server_sync.store import Store

from .conftest import enroll_cli, hub_counts
from .faultproxy import FaultProxy


def _port(hub) -> int:
    return int(hub.base_url.rsplit(":", 1)[1])


def test_delivery_resumes_after_the_hub_restarts(tmp_path) -> None:
    data_dir = tmp_path / "terminal"
    store = Store(data_dir)
    sync = SyncSection(idle_poll_s=0.01, backoff_initial_s=0.01, backoff_max_s=0.05)
    # The terminal talks to a fixed address (the proxy); the hub behind it goes away and back.
    with FaultProxy(("127.0.0.1", free_port()), schedule=[], weights={"pass": 1}) as proxy:
        agent = Agent(store, sync, HubSection(url=proxy.base_url, timeout_s=2), rng=random.Random(5))
        with running_hub(tmp_path) as first:
            first.import_catalogue(fixture_catalogue())
            proxy.upstream = ("127.0.0.1", _port(first))
            assert enroll_cli(first, data_dir) == 0
            epoch = store.identity().hub_epoch
            for _ in range(50):
                store.record_press(PressFields(4))
            agent.run(threading.Event(), until_empty=True)
            assert hub_counts(first)[0] == 50
        # The hub is down: presses queue, the agent fails and backs off without losing anything.
        for _ in range(30):
            store.record_press(PressFields(1))
        for _ in range(3):
            agent._hub_wait_until = 0.0
            assert agent.drain_once() is False
        assert store.queue_stats().depth == 30 and store.sync_state().last_error
        with running_hub(tmp_path) as second:  # same database, new process and port
            proxy.upstream = ("127.0.0.1", _port(second))
            agent._hub_wait_until = 0.0
            agent._next_heartbeat = 0.0
            agent.run(threading.Event(), until_empty=True)
            assert hub_counts(second)[0] == 80
            assert store.identity().hub_epoch == epoch  # a restart is not a restore
        agent.close()
    store.close()
