"""The hub's /metrics: a Prometheus collector that only reads (through the hub's read-only sessions).

Nothing is written on a scrape: the satisfaction alerts shown are those of the last evaluation
(the alerts API, the satisfaction page and `kiosk-hub feedback-alerts` evaluate them).

| metric | type | labels |
|---|---|---|
| `eobshtina_feedback_presses_total` | counter | terminal, counter, score, filtered |
| `eobshtina_feedback_alerts_open` | gauge | office, counter |
| `eobshtina_feedback_alerts_raised_total` | counter | — |
| `eobshtina_terminals` | gauge | state (online, stale, offline, never, revoked) |
| `eobshtina_fleet_queue_items` | gauge | — (sum of the last reported queue depths) |
| `eobshtina_fleet_queue_items_max` | gauge | — (the deepest terminal queue) |
| `eobshtina_fleet_oldest_undelivered_age_seconds` | gauge | — (0 when nothing waits) |

Revoked terminals count only in `eobshtina_terminals`; their queues are not the fleet's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server_sync.hub.analytics.models import FeedbackAlert
from server_sync.hub.db import utcnow
from server_sync.hub.models import FeedbackPressCount, Terminal
from server_sync.hub.services.fleet import STATES, Thresholds, state_expr

__all__ = ["HubCollector", "metrics_text", "CONTENT_TYPE"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class HubCollector(Collector):
    """Reads the feedback and fleet figures on each `collect()`, in one read-only session."""

    def __init__(self, reads: sessionmaker[Session], limits: Thresholds) -> None:
        self.reads, self.limits = reads, limits

    def collect(self) -> Iterator[Metric]:
        with self.reads() as session:
            yield from feedback_metrics(session)
            yield from fleet_metrics(session, self.limits)


def feedback_metrics(session: Session) -> Iterator[Metric]:
    presses = CounterMetricFamily("eobshtina_feedback_presses",
                                  "Satisfaction presses received, by terminal, counter and score.",
                                  labels=["terminal", "counter", "score", "filtered"])
    # Kept by the ingest (services.feedback.count_presses): a few rows per counter, not every press.
    c = FeedbackPressCount
    for terminal_id, counter_id, score, filtered, count in session.execute(
            select(c.terminal_id, c.counter_id, c.score, c.filtered, c.presses)
            .order_by(c.terminal_id, c.counter_id, c.score, c.filtered)):
        presses.add_metric([terminal_id, counter_id, str(score), str(bool(filtered)).lower()], count)
    yield presses

    open_alerts = GaugeMetricFamily("eobshtina_feedback_alerts_open",
                                    "Satisfaction alerts not yet acknowledged, by office and counter "
                                    "(as of the last evaluation).", labels=["office", "counter"])
    for office_id, counter_id, count in session.execute(
            select(FeedbackAlert.office_id, FeedbackAlert.counter_id, func.count())
            .where(FeedbackAlert.acknowledged_at.is_(None))
            .group_by(FeedbackAlert.office_id, FeedbackAlert.counter_id)
            .order_by(FeedbackAlert.office_id, FeedbackAlert.counter_id)):
        open_alerts.add_metric([office_id or "", counter_id or ""], count)
    yield open_alerts

    raised = CounterMetricFamily("eobshtina_feedback_alerts_raised", "Satisfaction alerts ever raised.")
    raised.add_metric([], session.scalar(select(func.count(FeedbackAlert.id))) or 0)
    yield raised


def fleet_metrics(session: Session, limits: Thresholds, now: datetime | None = None) -> Iterator[Metric]:
    now = now or utcnow()
    state = state_expr(now, limits)
    by_state = dict.fromkeys(STATES, 0)
    for name, count in session.execute(select(state, func.count()).group_by(state)):
        by_state[name] = count
    terminals = GaugeMetricFamily("eobshtina_terminals", "Terminals by state of their last heartbeat.",
                                  labels=["state"])
    for name in STATES:
        terminals.add_metric([name], by_state[name])
    yield terminals

    active = Terminal.revoked_at.is_(None)
    total, deepest = session.execute(
        select(func.coalesce(func.sum(Terminal.queue_depth), 0), func.coalesce(func.max(Terminal.queue_depth), 0))
        .where(active)).one()
    queue = GaugeMetricFamily("eobshtina_fleet_queue_items",
                              "Items waiting in terminals' outboxes, as last reported (sum over the fleet).")
    queue.add_metric([], total)
    yield queue
    queue_max = GaugeMetricFamily("eobshtina_fleet_queue_items_max",
                                  "The deepest terminal outbox, as last reported.")
    queue_max.add_metric([], deepest)
    yield queue_max

    # The reported age grows while a terminal is silent: add the time since its heartbeat. Only
    # terminals with a backlog are read (their last report is a JSON column, not indexed).
    oldest = 0.0
    for seen_at, report in session.execute(
            select(Terminal.last_heartbeat_at, Terminal.last_heartbeat)
            .where(active, Terminal.queue_depth > 0, Terminal.last_heartbeat_at.is_not(None))):
        age = (report or {}).get("oldest_undelivered_age_s")
        if isinstance(age, (int, float)):
            oldest = max(oldest, float(age) + max(0.0, (now - seen_at).total_seconds()))
    age_metric = GaugeMetricFamily("eobshtina_fleet_oldest_undelivered_age_seconds",
                                   "Age of the oldest item any terminal has not delivered yet.")
    age_metric.add_metric([], oldest)
    yield age_metric


def metrics_text(reads: sessionmaker[Session], limits: Thresholds) -> bytes:
    """The Prometheus text exposition of `HubCollector` (one scrape)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HubCollector(reads, limits))
    return generate_latest(registry)
