"""Alert rules ("≥ 50 % negative in 15 minutes with at least 4 responses", per office) and their evaluation.

Evaluation is incremental by *receive* time, so presses that arrive late (a terminal that was
offline for a day) are still judged in their own terminal-time windows. For each counter that
received presses, every window ending at one of the new counted presses is checked; a
violation extends the counter's current alert while the episode lasts (windows overlap) and
raises a new alert otherwise.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.hub.analytics.models import (
    DEFAULT_RULE_OFFICE,
    FeedbackAlert,
    FeedbackAlertRule,
    FeedbackAlertState,
)
from server_sync.hub.analytics.queries import is_negative
from server_sync.hub.models import FeedbackPress

__all__ = ["Rule", "DEFAULT_RULE", "rule_for", "set_rule", "evaluate", "alerts", "acknowledge", "AlertNotFound"]

_WATERMARK = "alerts"
_NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)  # the migration's initial watermark
# Presses get their received_at when their transaction starts, but become visible when it commits:
# on PostgreSQL an evaluation in between moves the watermark past them. Each evaluation therefore
# looks again at this much before the watermark; judging a press twice changes nothing.
OVERLAP = timedelta(minutes=5)


@dataclass(frozen=True)
class Rule:
    window_s: int = 900
    min_responses: int = 4
    negative_share: float = 0.5
    enabled: bool = True

    def violated(self, responses: int, negative: int) -> bool:
        return self.enabled and responses >= self.min_responses and negative >= self.negative_share * responses


DEFAULT_RULE = Rule()


class AlertNotFound(LookupError):
    pass


def _rules(session: Session) -> dict[str, Rule]:
    return {r.office_id: Rule(r.window_s, r.min_responses, r.negative_share, r.enabled)
            for r in session.scalars(select(FeedbackAlertRule))}


def rule_for(session: Session, office_id: str | None) -> Rule:
    rules = _rules(session)
    return rules.get(office_id or "", rules.get(DEFAULT_RULE_OFFICE, DEFAULT_RULE))


def set_rule(*, session: Session, office_id: str | None, rule: Rule) -> Rule:
    """Create or replace an office's rule (office_id None: the default for every other office)."""
    key = office_id or DEFAULT_RULE_OFFICE
    row = session.get(FeedbackAlertRule, key) or FeedbackAlertRule(office_id=key)
    row.window_s, row.min_responses = rule.window_s, rule.min_responses
    row.negative_share, row.enabled = rule.negative_share, rule.enabled
    row.updated_at = datetime.now(timezone.utc)
    session.add(row)
    session.flush()
    return rule


def evaluate(*, session: Session, now: datetime | None = None) -> list[FeedbackAlert]:
    """Judge every press received since the last evaluation; returns alerts raised or extended."""
    now = now or datetime.now(timezone.utc)
    # FOR UPDATE (PostgreSQL): several hub processes evaluate one at a time, so no spell is
    # raised twice. The row is created by the migration; SQLite serialises writers anyway.
    state = session.get(FeedbackAlertState, _WATERMARK, with_for_update=True)
    if state is None:  # a schema made without the migration (create_all): make the row, once
        try:
            with session.begin_nested():
                session.add(FeedbackAlertState(key=_WATERMARK, evaluated_until=_NEVER))
        except IntegrityError:  # another hub process made it first: wait for it and lock it
            pass
        state = session.get(FeedbackAlertState, _WATERMARK, with_for_update=True, populate_existing=True)
    since = state.evaluated_until if state.evaluated_until > _NEVER else None
    q = select(FeedbackPress.office_id, FeedbackPress.counter_id, FeedbackPress.terminal_id,
               FeedbackPress.terminal_time).where(FeedbackPress.filtered.is_(False),
                                                  FeedbackPress.received_at <= now)
    if since is not None:
        q = q.where(FeedbackPress.received_at > since - OVERLAP)
    new_times: dict[tuple, list[datetime]] = defaultdict(list)
    terminals: dict[tuple, str] = {}
    for row in session.execute(q):
        key = (row.office_id, row.counter_id or f"terminal:{row.terminal_id}")
        new_times[key].append(row.terminal_time)
        terminals[key] = row.terminal_id
    rules = _rules(session)
    touched: list[FeedbackAlert] = []
    for (office_id, counter_key), times in new_times.items():
        rule = rules.get(office_id or "", rules.get(DEFAULT_RULE_OFFICE, DEFAULT_RULE))
        if not rule.enabled:
            continue
        touched.extend(_evaluate_group(session, office_id, counter_key, terminals[(office_id, counter_key)],
                                       sorted(times), rule, now))
    state.evaluated_until = now
    session.flush()
    return touched


def _evaluate_group(session: Session, office_id: str | None, counter_key: str, terminal_id: str,
                    ends: list[datetime], rule: Rule, now: datetime) -> list[FeedbackAlert]:
    window = timedelta(seconds=rule.window_s)
    q = select(FeedbackPress.terminal_time, FeedbackPress.score, FeedbackPress.scale).where(
        FeedbackPress.filtered.is_(False),
        FeedbackPress.terminal_time >= ends[0] - window,
        FeedbackPress.terminal_time <= ends[-1],
        FeedbackPress.office_id.is_(None) if office_id is None else FeedbackPress.office_id == office_id,
    )
    if counter_key.startswith("terminal:"):
        q = q.where(FeedbackPress.counter_id.is_(None), FeedbackPress.terminal_id == terminal_id)
        counter_id = None
    else:
        q = q.where(FeedbackPress.counter_id == counter_key)
        counter_id = counter_key
    rows = sorted(session.execute(q), key=lambda r: r.terminal_time)
    times = [r.terminal_time for r in rows]
    negatives = [0]
    for r in rows:
        negatives.append(negatives[-1] + is_negative(r.score, r.scale))
    touched: dict[int, FeedbackAlert] = {}
    for end in ends:
        # The window (end − w, end]: presses exactly w apart are in different windows.
        lo = bisect_left(times, end - window + timedelta(microseconds=1))
        hi = bisect_left(times, end + timedelta(microseconds=1))
        responses, negative = hi - lo, negatives[hi] - negatives[lo]
        if not rule.violated(responses, negative):
            continue
        start = times[lo]
        alert = _episode(session, office_id, counter_id, terminal_id, start, end)
        if alert is None:
            alert = FeedbackAlert(office_id=office_id, counter_id=counter_id, terminal_id=terminal_id,
                                  window_start=start, window_end=end, responses=responses, negative=negative,
                                  rule_window_s=rule.window_s, rule_min_responses=rule.min_responses,
                                  rule_negative_share=rule.negative_share, raised_at=now)
            session.add(alert)
            session.flush()
        else:
            before = (alert.window_start, alert.window_end, alert.responses, alert.negative)
            alert.window_start = min(alert.window_start, start)
            alert.window_end = max(alert.window_end, end)
            alert.responses = max(alert.responses, responses)
            alert.negative = max(alert.negative, negative)
            if (alert.window_start, alert.window_end, alert.responses, alert.negative) == before:
                continue  # judged before (the overlap): not raised, not extended
        touched[alert.id] = alert
    return list(touched.values())


def _episode(session: Session, office_id: str | None, counter_id: str | None, terminal_id: str,
             start: datetime, end: datetime) -> FeedbackAlert | None:
    """The alert whose violating windows overlap this one (the same bad spell), if any."""
    q = select(FeedbackAlert).where(
        FeedbackAlert.office_id.is_(None) if office_id is None else FeedbackAlert.office_id == office_id,
        FeedbackAlert.window_start <= end,
        FeedbackAlert.window_end >= start,
    )
    if counter_id is None:
        q = q.where(FeedbackAlert.counter_id.is_(None), FeedbackAlert.terminal_id == terminal_id)
    else:
        q = q.where(FeedbackAlert.counter_id == counter_id)
    return session.scalars(q.order_by(FeedbackAlert.id.desc()).limit(1)).first()


def alert_dict(alert: FeedbackAlert) -> dict[str, Any]:
    return {
        "id": alert.id, "office_id": alert.office_id, "counter_id": alert.counter_id,
        "terminal_id": alert.terminal_id, "window_start": alert.window_start.isoformat(),
        "window_end": alert.window_end.isoformat(), "responses": alert.responses, "negative": alert.negative,
        "rule": {"window_s": alert.rule_window_s, "min_responses": alert.rule_min_responses,
                 "negative_share": alert.rule_negative_share},
        "raised_at": alert.raised_at.isoformat(),
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "acknowledged_by": alert.acknowledged_by, "note": alert.note,
    }


def alerts(*, session: Session, open_only: bool = False, office_id: str | None = None,
           limit: int = 200) -> list[FeedbackAlert]:
    q = select(FeedbackAlert)
    if open_only:
        q = q.where(FeedbackAlert.acknowledged_at.is_(None))
    if office_id is not None:
        q = q.where(FeedbackAlert.office_id == office_id)
    return list(session.scalars(q.order_by(FeedbackAlert.id.desc()).limit(limit)))


def acknowledge(*, session: Session, alert_id: int, by: str, note: str | None = None) -> FeedbackAlert:
    alert = session.get(FeedbackAlert, alert_id)
    if alert is None:
        raise AlertNotFound(alert_id)
    if alert.acknowledged_at is None:  # the first acknowledgement stands; repeating it is harmless
        alert.acknowledged_at = datetime.now(timezone.utc)
        alert.acknowledged_by = by
        alert.note = note
    return alert
