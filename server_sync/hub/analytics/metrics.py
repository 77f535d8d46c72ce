"""Feedback gauges and counters in Prometheus text format (for the hub's /metrics)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_sync.hub.analytics.models import FeedbackAlert
from server_sync.hub.models import FeedbackPress

__all__ = ["metrics_text"]


def _label(value: str | None) -> str:
    text = value or ""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def metrics_text(session: Session) -> str:
    """Counters of presses per terminal, counter, score and filtered flag; open alerts per counter."""
    lines = [
        "# HELP eobshtina_feedback_presses_total Satisfaction presses received, by terminal, counter and score.",
        "# TYPE eobshtina_feedback_presses_total counter",
    ]
    rows = session.execute(
        select(FeedbackPress.terminal_id, FeedbackPress.counter_id, FeedbackPress.score, FeedbackPress.filtered,
               func.count()).group_by(FeedbackPress.terminal_id, FeedbackPress.counter_id, FeedbackPress.score,
                                      FeedbackPress.filtered)
        .order_by(FeedbackPress.terminal_id, FeedbackPress.counter_id, FeedbackPress.score, FeedbackPress.filtered)
    )
    for terminal_id, counter_id, score, filtered, count in rows:
        lines.append(
            f'eobshtina_feedback_presses_total{{terminal="{_label(terminal_id)}",counter="{_label(counter_id)}",'
            f'score="{score}",filtered="{str(bool(filtered)).lower()}"}} {count}'
        )
    lines += [
        "# HELP eobshtina_feedback_alerts_open Satisfaction alerts not yet acknowledged, by office and counter.",
        "# TYPE eobshtina_feedback_alerts_open gauge",
    ]
    open_rows = session.execute(
        select(FeedbackAlert.office_id, FeedbackAlert.counter_id, func.count())
        .where(FeedbackAlert.acknowledged_at.is_(None))
        .group_by(FeedbackAlert.office_id, FeedbackAlert.counter_id)
        .order_by(FeedbackAlert.office_id, FeedbackAlert.counter_id)
    ).all()
    for office_id, counter_id, count in open_rows:
        lines.append(f'eobshtina_feedback_alerts_open{{office="{_label(office_id)}",counter="{_label(counter_id)}"}} '
                     f"{count}")
    total_open = sum(r[2] for r in open_rows)
    lines += [
        "# HELP eobshtina_feedback_alerts_open_total All satisfaction alerts not yet acknowledged.",
        "# TYPE eobshtina_feedback_alerts_open_total gauge",
        f"eobshtina_feedback_alerts_open_total {total_open}",
        "# HELP eobshtina_feedback_alerts_raised_total Satisfaction alerts ever raised.",
        "# TYPE eobshtina_feedback_alerts_raised_total counter",
        f"eobshtina_feedback_alerts_raised_total {session.scalar(select(func.count(FeedbackAlert.id)))}",
    ]
    return "\n".join(lines) + "\n"
