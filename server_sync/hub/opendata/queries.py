"""The open datasets' rows: aggregates computed by the database (GROUP BY), never by a Python loop over
requests or presses. A count below `MIN_CELL` could point at a person and is published as suppressed
(null with `suppressed: true`); so is a share computed from one. Months and hours are UTC."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from server_sync.hub.models import FeedbackPress, ServiceRequest, StatusChange
from server_sync.protocol import Catalogue

MIN_CELL = 5


def _fmt(session: Session, column, sqlite: str, postgres: str):
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), postgres)
    return func.strftime(sqlite, column)


def month_of(session: Session, column):
    return _fmt(session, column, "%Y-%m", "YYYY-MM")


def hour_of(session: Session, column):
    return _fmt(session, column, "%Y-%m-%dT%H:00Z", 'YYYY-MM-DD"T"HH24:00"Z"')


def hour_start_of(session: Session, column):
    """The UTC hour a time falls in, as ISO 8601 text ("2026-12-03T10:00:00Z")."""
    return _fmt(session, column, "%Y-%m-%dT%H:00:00Z", 'YYYY-MM-DD"T"HH24:00:00"Z"')


def cell(count: int | None) -> int | None:
    return count if count is not None and count >= MIN_CELL else None


def month_range(month: str) -> tuple[datetime, datetime]:
    """'2026-12' → [1 Dec 2026, 1 Jan 2027) in UTC; ValueError when it is no month."""
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=timezone.utc)
    if not 1970 <= start.year <= 2199:
        raise ValueError(month)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start, end


# --- the service catalogue ------------------------------------------------------------------------

SERVICE_FIELDS = ["service_id", "iisda_code", "local_code", "name_bg", "name_en", "unit_id", "unit_bg", "unit_en",
                  "tier", "deadline_unit", "deadline_amount", "fee_eur", "needs_identity"]


def services(catalogue: Catalogue) -> list[dict[str, Any]]:
    """One row per service and tier (a service with three tiers: three rows)."""
    units = {u.id: u for u in catalogue.units}
    rows = []
    for s in catalogue.services:
        unit = units.get(s.unit_id)
        for tier in s.tiers:
            rows.append({
                "service_id": s.id, "iisda_code": s.iisda_code or "", "local_code": s.local_code or "",
                "name_bg": s.name.bg, "name_en": s.name.en, "unit_id": s.unit_id,
                "unit_bg": unit.name.bg if unit else "", "unit_en": unit.name.en if unit else "",
                "tier": tier.tier.value, "deadline_unit": tier.deadline.unit.value if tier.deadline else "",
                "deadline_amount": tier.deadline.amount if tier.deadline else "",
                "fee_eur": str(tier.fee_eur) if tier.fee_eur is not None else "", "needs_identity": s.needs_identity,
            })
    return rows


# --- signals by category, status and month --------------------------------------------------------

SIGNAL_FIELDS = ["month", "category_id", "category_bg", "category_en", "status", "signals", "suppressed"]


def signals(session: Session, catalogue: Catalogue | None) -> list[dict[str, Any]]:
    month = month_of(session, ServiceRequest.registered_at).label("month")
    q = (select(month, ServiceRequest.signal_category_id, ServiceRequest.status, func.count().label("n"))
         .where(ServiceRequest.kind == "signal")
         .group_by(month, ServiceRequest.signal_category_id, ServiceRequest.status)
         .order_by(month, ServiceRequest.signal_category_id, ServiceRequest.status))
    names = {c.id: c.name for c in catalogue.signal_categories} if catalogue else {}
    out = []
    for r in session.execute(q):
        name = names.get(r.signal_category_id)
        out.append({"month": r.month, "category_id": r.signal_category_id or "",
                    "category_bg": name.bg if name else "", "category_en": name.en if name else "",
                    "status": r.status, "signals": cell(r.n), "suppressed": cell(r.n) is None})
    return out


# --- request volumes and on-time share per service and month ---------------------------------------

REQUEST_FIELDS = ["month", "service_id", "service_bg", "service_en", "requests", "decided", "decided_on_time",
                  "on_time_share", "suppressed"]


def requests(session: Session, catalogue: Catalogue | None) -> list[dict[str, Any]]:
    """Service requests registered per service and month; of them, how many are decided (resolved or
    rejected) and how many were decided by their deadline."""
    decided = (select(StatusChange.request_id, func.min(StatusChange.at).label("at"))
               .where(StatusChange.status.in_(("resolved", "rejected")))
               .group_by(StatusChange.request_id).subquery())
    month = month_of(session, ServiceRequest.registered_at).label("month")
    on_time = func.sum(case((decided.c.at <= ServiceRequest.deadline_at, 1), else_=0)).cast(Integer)
    q = (select(month, ServiceRequest.service_id, func.count().label("n"), func.count(decided.c.at).label("decided"),
                on_time.label("on_time"))
         .select_from(ServiceRequest).outerjoin(decided, decided.c.request_id == ServiceRequest.id)
         .where(ServiceRequest.kind == "service_request")
         .group_by(month, ServiceRequest.service_id).order_by(month, ServiceRequest.service_id))
    names = {s.id: s.name for s in catalogue.services} if catalogue else {}
    out = []
    for r in session.execute(q):
        name = names.get(r.service_id)
        n, done, in_time = cell(r.n), cell(r.decided), cell(r.on_time or 0)
        share = round(in_time / done, 4) if done is not None and in_time is not None else None
        out.append({"month": r.month, "service_id": r.service_id or "", "service_bg": name.bg if name else "",
                    "service_en": name.en if name else "", "requests": n, "decided": done,
                    "decided_on_time": in_time, "on_time_share": share,
                    "suppressed": None in (n, done, in_time)})
    return out


# --- satisfaction per office, counter and hour ------------------------------------------------------

SATISFACTION_FIELDS = ["hour_utc", "office_id", "counter_id", "scale", "score", "presses", "suppressed"]


def satisfaction(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Counted presses (not the filtered ones) per UTC hour, office, counter and score, in [start, end)."""
    hour = hour_of(session, FeedbackPress.terminal_time).label("hour")
    q = (select(hour, FeedbackPress.office_id, FeedbackPress.counter_id, FeedbackPress.scale, FeedbackPress.score,
                func.count().label("n"))
         .where(FeedbackPress.terminal_time >= start, FeedbackPress.terminal_time < end,
                FeedbackPress.filtered.is_(False))
         .group_by(hour, FeedbackPress.office_id, FeedbackPress.counter_id, FeedbackPress.scale, FeedbackPress.score)
         .order_by(hour, FeedbackPress.office_id, FeedbackPress.counter_id, FeedbackPress.scale, FeedbackPress.score))
    return [{"hour_utc": r.hour, "office_id": r.office_id or "", "counter_id": r.counter_id or "", "scale": r.scale,
             "score": r.score, "presses": cell(r.n), "suppressed": cell(r.n) is None} for r in session.execute(q)]


def last_changes(session: Session) -> dict[str, datetime | None]:
    """When each dataset last changed (cheap: indexed maxima)."""
    return {
        "signals": session.scalar(select(func.max(ServiceRequest.registered_at))
                                  .where(ServiceRequest.kind == "signal")),
        "requests": session.scalar(select(func.max(ServiceRequest.registered_at))
                                   .where(ServiceRequest.kind == "service_request")),
        "status": session.scalar(select(func.max(StatusChange.at))),
        "satisfaction": session.scalar(select(func.max(FeedbackPress.terminal_time))),
    }

