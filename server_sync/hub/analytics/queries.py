"""Satisfaction queries: index, counts per smiley, negative share, heatmap, trends, open-data rows, summary.

The satisfaction index of a group of counted presses is the mean of each press's score
normalised to 0–100 on its own scale: (score − 1) / (scale − 1) × 100, so 4 smileys give
0, 33.3, 66.7, 100 and mixed 3/4/5-button terminals stay comparable. A press is negative
when it is in the bottom third of its scale: score 1 on 3 buttons, 1–2 on 4, 1–2 on 5.
Filtered presses (response interval, outside hours) never enter the index or the shares;
they are counted separately.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Integer, cast, func, literal_column, select
from sqlalchemy.orm import Session

from server_sync.hub.models import FeedbackPress, Terminal

__all__ = [
    "GroupBy",
    "Period",
    "is_negative",
    "normalised",
    "satisfaction",
    "heatmap",
    "trend",
    "open_data_rows",
    "terminal_summary",
    "office_timezone",
]

GroupBy = Literal["counter", "office", "service", "terminal"]
_COLUMN = {"counter": "counter_id", "office": "office_id", "service": "service_id", "terminal": "terminal_id"}


def negative_threshold(scale: int) -> int:
    """Highest score that counts as negative: the bottom third of the scale."""
    return 1 if scale <= 3 else 2


def is_negative(score: int, scale: int) -> bool:
    return score <= negative_threshold(scale)


def normalised(score: int, scale: int) -> float:
    return (score - 1) / (scale - 1) * 100.0


@dataclass(frozen=True)
class Period:
    """A half-open interval [since, until) of terminal time; either end may be open."""

    since: datetime | None = None
    until: datetime | None = None


def _narrowed(q, period: Period, **equal: str | None):
    if period.since is not None:
        q = q.where(FeedbackPress.terminal_time >= period.since)
    if period.until is not None:
        q = q.where(FeedbackPress.terminal_time < period.until)
    for column, value in equal.items():
        if value is not None:
            q = q.where(getattr(FeedbackPress, column) == value)
    return q


def utc_hour_of(session: Session, column):
    """Whole hours since 1970-01-01 UTC of a stored time: the bucket that heatmaps and trends group by
    in the database and then place in the office's time zone (exact for zones whose offset is a whole
    number of hours, which every European zone's is)."""
    if session.get_bind().dialect.name == "postgresql":
        # date_part gives a double, divided by a literal double: bound parameters would make it
        # numeric division, several times slower per row (bench/hub_analytics.py)
        epoch_s = func.date_part(literal_column("'epoch'"), column)
        return cast(func.floor(epoch_s.op("/")(literal_column("3600.0::float8"))), BigInteger)
    return cast(func.strftime("%s", column), Integer) // 3600  # stored as naive UTC text


def _hour(session: Session):
    """A press's UTC hour: the stored one (set on insert), computed only for a row without it."""
    return func.coalesce(FeedbackPress.utc_hour, utc_hour_of(session, FeedbackPress.terminal_time)).label("hour")


def _grouped(session: Session, period: Period, keys: list, **equal: str | None) -> list[Any]:
    """Counts of presses per `keys` and per what decides how a press counts (score, scale, filtered
    and why): a GROUP BY in the database, so only the groups — never the presses — reach Python."""
    how = (FeedbackPress.score, FeedbackPress.scale, FeedbackPress.filtered, FeedbackPress.filter_reason,
           FeedbackPress.outside_hours)
    q = select(*keys, *how, func.count().label("n")).group_by(*keys, *how)
    return list(session.execute(_narrowed(q, period, **equal)))


@dataclass
class Stats:
    """Counted and filtered presses of one group, and what follows from them."""

    counted: dict[str, int] = field(default_factory=dict)
    filtered: dict[str, int] = field(default_factory=dict)
    filtered_by_reason: dict[str, int] = field(default_factory=dict)
    _sum: float = 0.0
    _negative: int = 0

    def add(self, row: Any, n: int = 1) -> None:
        """Count `n` presses like `row` (a press, or a group of presses from `_grouped`)."""
        key = str(row.score)
        if row.filtered:
            self.filtered[key] = self.filtered.get(key, 0) + n
            reason = row.filter_reason or ("outside_hours" if row.outside_hours else "other")
            self.filtered_by_reason[reason] = self.filtered_by_reason.get(reason, 0) + n
            return
        self.counted[key] = self.counted.get(key, 0) + n
        self._sum += normalised(row.score, row.scale) * n
        self._negative += is_negative(row.score, row.scale) * n

    @property
    def responses(self) -> int:
        return sum(self.counted.values())

    @property
    def index(self) -> float | None:
        return round(self._sum / self.responses, 2) if self.responses else None

    @property
    def negative_share(self) -> float | None:
        return round(self._negative / self.responses, 4) if self.responses else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "responses": self.responses,
            "index": self.index,
            "negative": self._negative,
            "negative_share": self.negative_share,
            "counts": dict(sorted(self.counted.items())),
            "filtered": sum(self.filtered.values()),
            "filtered_counts": dict(sorted(self.filtered.items())),
            "filtered_by_reason": dict(sorted(self.filtered_by_reason.items())),
        }


def satisfaction(*, session: Session, group_by: GroupBy, period: Period = Period(),
                 office_id: str | None = None) -> list[dict[str, Any]]:
    """The index, counts per smiley and negative share per counter, office, service or terminal."""
    groups: dict[str | None, Stats] = defaultdict(Stats)
    column = getattr(FeedbackPress, _COLUMN[group_by]).label("key")
    for row in _grouped(session, period, [column], office_id=office_id):
        groups[row.key].add(row, row.n)
    return [{group_by: key, **stats.as_dict()}
            for key, stats in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]


def office_timezone(session: Session, office_id: str | None, default: str = "Europe/Sofia") -> str:
    """The office's time zone from the current catalogue (Europe/Sofia when unknown)."""
    if office_id is None:
        return default
    from server_sync.hub.catalogue_store import current_revision

    revision = current_revision(session)
    for office in (revision.data.get("offices", []) if revision else []):
        if office.get("id") == office_id:
            return office.get("timezone") or default
    return default


def heatmap(*, session: Session, period: Period = Period(), office_id: str | None = None,
            counter_id: str | None = None, tz: str | None = None) -> dict[str, Any]:
    """Counted responses and index per weekday (Monday = 0) × local hour in the office's time zone."""
    zone = ZoneInfo(tz or office_timezone(session, office_id))
    cells: dict[tuple[int, int], Stats] = defaultdict(Stats)
    for row in _grouped(session, period, [_hour(session)], office_id=office_id, counter_id=counter_id):
        local = _local_hour(row.hour, zone)
        cells[(local.weekday(), local.hour)].add(row, row.n)
    return {
        "timezone": zone.key,
        "cells": [{"weekday": wd, "hour": hour, "responses": s.responses, "index": s.index,
                   "negative_share": s.negative_share, "filtered": sum(s.filtered.values())}
                  for (wd, hour), s in sorted(cells.items())],
    }


def _local_hour(hours_since_epoch: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(int(hours_since_epoch) * 3600, timezone.utc).astimezone(zone)


def trend(*, session: Session, interval: Literal["day", "week"], period: Period = Period(),
          office_id: str | None = None, counter_id: str | None = None, tz: str | None = None) -> dict[str, Any]:
    """Per local day (or ISO week, starting Monday) in the office's time zone: responses and index."""
    zone = ZoneInfo(tz or office_timezone(session, office_id))
    buckets: dict[date, Stats] = defaultdict(Stats)
    for row in _grouped(session, period, [_hour(session)], office_id=office_id, counter_id=counter_id):
        day = _local_hour(row.hour, zone).date()
        if interval == "week":
            day -= timedelta(days=day.weekday())
        buckets[day].add(row, row.n)
    return {
        "timezone": zone.key,
        "interval": interval,
        "points": [{"start": day.isoformat(), **stats.as_dict()} for day, stats in sorted(buckets.items())],
    }


def open_data_rows(*, session: Session, period: Period = Period()) -> list[dict[str, Any]]:
    """Open data: counted presses per office, counter, service and UTC hour, per score; the follow-up
    reasons and terminal ids are left out. Counted by the database (GROUP BY over the indexed press
    time): only the groups come back to Python, never the presses.

    Small counts are suppressed as in `/opendata/` (server_sync/hub/opendata/queries.py): one press at a
    counter in an hour is one citizen's answer, and whoever served that hour knows whom. A score
    counted 1–4 times is null; so is the row's `responses` then (else the hidden score would be
    `responses` minus the others) and whenever it is itself under 5; `suppressed` says so."""
    from server_sync.hub.opendata.queries import MIN_CELL, hour_start_of

    hour = hour_start_of(session, FeedbackPress.terminal_time).label("hour")
    keys = (hour, FeedbackPress.office_id, FeedbackPress.counter_id, FeedbackPress.service_id, FeedbackPress.scale)
    q = (select(*keys, FeedbackPress.score, func.count().label("n"))
         .where(FeedbackPress.filtered.is_(False))
         .group_by(*keys, FeedbackPress.score))
    if period.since is not None:
        q = q.where(FeedbackPress.terminal_time >= period.since)
    if period.until is not None:
        q = q.where(FeedbackPress.terminal_time < period.until)
    rows: dict[tuple, dict[str, Any]] = {}
    for row in session.execute(q):
        key = (row.hour, row.office_id or "", row.counter_id or "", row.service_id or "", row.scale)
        item = rows.setdefault(key, {
            "hour_utc": row.hour, "office_id": key[1], "counter_id": key[2], "service_id": key[3],
            "scale": row.scale, "responses": 0, **{f"score_{n}": 0 for n in range(1, 6)},
        })
        item["responses"] += row.n
        item[f"score_{row.score}"] += row.n
    published = []
    for key in sorted(rows):
        item = rows[key]
        hidden = [f"score_{n}" for n in range(1, 6) if 0 < item[f"score_{n}"] < MIN_CELL]
        if hidden or item["responses"] < MIN_CELL:
            hidden.append("responses")
        item.update(dict.fromkeys(hidden), suppressed=bool(hidden))
        published.append(item)
    return published


OPEN_DATA_FIELDS = ["hour_utc", "office_id", "counter_id", "service_id", "scale", "responses",
                    "score_1", "score_2", "score_3", "score_4", "score_5", "suppressed"]


def terminal_summary(*, session: Session, since: datetime | None = None) -> dict[str, Any]:
    """`{"terminals": [{"terminal_id", "name", "counted": {"1": n, …}, "filtered": {…}}]}` over
    every feedback terminal (and any terminal with presses), keys being the button's score."""
    names = {t.id: (t.name, t.kind) for t in session.scalars(select(Terminal))}
    scales: dict[str, int] = {}
    counted: dict[str, dict[str, int]] = defaultdict(dict)
    filtered: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _grouped(session, Period(since=since), [FeedbackPress.terminal_id]):
        scales[row.terminal_id] = max(scales.get(row.terminal_id, 0), row.scale)
        target = filtered if row.filtered else counted
        bucket = target[row.terminal_id]
        bucket[str(row.score)] = bucket.get(str(row.score), 0) + row.n
    ids = sorted({tid for tid, (_, kind) in names.items() if kind == "feedback"} | set(scales))
    terminals = []
    for tid in ids:
        scale = scales.get(tid, 4)
        keys = [str(n) for n in range(1, scale + 1)]
        terminals.append({
            "terminal_id": tid,
            "name": names.get(tid, (tid, None))[0],
            "counted": {k: counted[tid].get(k, 0) for k in keys},
            "filtered": {k: filtered[tid].get(k, 0) for k in keys},
        })
    return {"terminals": terminals}

