"""Buttons → store → sync agent → hub → feedback-summary, and a stuck button in the heartbeat."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select, update

from hardware.buttons import SimulatedButtonPanel
from server_sync.agent.agent import Agent
from server_sync.hub.analytics.queries import terminal_summary
from server_sync.hub.models import Terminal
from server_sync.hub.testing import running_hub
from server_sync.store import Identity, Store
from terminal_feedback.__main__ import report_health
from terminal_feedback.config import parse_feedback_section
from terminal_feedback.terminal import FeedbackTerminal


def test_presses_reach_the_hub_and_health_reaches_the_fleet_page(tmp_path, clock):
    with running_hub(tmp_path) as hub, Store(tmp_path / "terminal") as store:
        enrolled = hub.enroll("feedback", "Гише 3 — ГРАО")
        # The terminal's (fake) clock is in March: enrolled before that, or the hub would flag every
        # press as older than its terminal.
        with hub.context.sessions.begin() as s:
            s.execute(update(Terminal).where(Terminal.id == enrolled.terminal_id)
                      .values(enrolled_at=clock.now() - timedelta(days=30)))
        store.save_identity(Identity(
            terminal_id=enrolled.terminal_id, kind=enrolled.kind.value, name=enrolled.name,
            location=enrolled.location, token=enrolled.token, hub_url=hub.base_url,
            hub_public_key=enrolled.hub_public_key, hub_epoch=enrolled.hub_epoch, enrolled_at=time.time()))

        config = parse_feedback_section({"counter_id": "grao-3", "office_id": "centre", "stuck_after_s": 5})
        terminal = FeedbackTerminal(config, store, clock=clock, wall_clock=clock.now)
        panel = SimulatedButtonPanel(config.panel, terminal, clock=clock)
        panel.press(4)
        clock.advance(1)
        panel.press(1)  # inside the response interval: filtered
        clock.advance(10)
        panel.press(3)
        panel.pin(2).drive_low()  # … and button 2 jams at once (a press inside the interval: filtered)
        clock.advance(6)
        report_health(store, "buttons", panel.health())

        agent = Agent(store)
        try:
            assert agent.drain_once() is not None
            assert agent.heartbeat() is True
        finally:
            agent.close()
        panel.close()
        assert store.queue_stats().depth == 0

        with hub.session() as s:
            summary = terminal_summary(session=s)
            row = s.scalars(select(Terminal).where(Terminal.id == enrolled.terminal_id)).one()
            devices = (row.last_heartbeat or {}).get("devices", {})
        (mine,) = [t for t in summary["terminals"] if t["terminal_id"] == enrolled.terminal_id]
        assert mine == {"terminal_id": enrolled.terminal_id, "name": "Гише 3 — ГРАО",
                        "counted": {"1": 0, "2": 0, "3": 1, "4": 1}, "filtered": {"1": 1, "2": 1, "3": 0, "4": 0}}
        assert devices["buttons"]["state"] == "degraded"
        assert devices["buttons"]["detail"]["stuck"] == "2"
