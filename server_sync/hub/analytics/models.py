"""Tables of the feedback analytics: alert rules per office, alerts raised, and their acknowledgement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server_sync.hub.db import Base, UTCDateTime

__all__ = ["FeedbackAlertRule", "FeedbackAlert", "FeedbackAlertState"]

# The office id of the rule that applies where an office has none of its own.
DEFAULT_RULE_OFFICE = "*"


class FeedbackAlertRule(Base):
    """"≥ `negative_share` negative answers within `window_s` with at least `min_responses`"."""

    __tablename__ = "feedback_alert_rules"
    office_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # "*" = the default rule
    window_s: Mapped[int] = mapped_column(Integer, default=900)
    min_responses: Mapped[int] = mapped_column(Integer, default=4)
    negative_share: Mapped[float] = mapped_column(Float, default=0.5)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FeedbackAlert(Base):
    """One episode of a counter's bad window; extended while it lasts, acknowledged by staff."""

    __tablename__ = "feedback_alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_id: Mapped[str | None] = mapped_column(String(64))
    counter_id: Mapped[str | None] = mapped_column(String(64))
    terminal_id: Mapped[str | None] = mapped_column(String(16))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)  # the newest violating window's end
    responses: Mapped[int] = mapped_column(Integer)
    negative: Mapped[int] = mapped_column(Integer)
    rule_window_s: Mapped[int] = mapped_column(Integer)
    rule_min_responses: Mapped[int] = mapped_column(Integer)
    rule_negative_share: Mapped[float] = mapped_column(Float)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_feedback_alerts_group", "office_id", "counter_id", "window_end"),)


class FeedbackAlertState(Base):
    """Up to which terminal time presses have been evaluated against the rules."""

    __tablename__ = "feedback_alert_state"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    evaluated_until: Mapped[datetime] = mapped_column(UTCDateTime)
