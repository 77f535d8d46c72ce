"""The fleet page's queries: every terminal's state from its last heartbeat, in SQL.

A terminal's state is a SQL `CASE` over `last_heartbeat_at` against the thresholds, so filtering
by state, counting by state, sorting "problems first" and paging all happen in the database
(10,000 terminals: one indexed scan, never a Python loop over the fleet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import EnrollmentCode, Heartbeat, Terminal

STATES = ("online", "stale", "offline", "never", "revoked")
# Queue depth from which a terminal counts as backlogged (its deliveries are not getting through).
BACKLOG_ITEMS = 20
SORTS = {
    "problems": None, "id": Terminal.id, "name": Terminal.name, "kind": Terminal.kind,
    "office": Terminal.office_id, "version": Terminal.software_version,
    "seen": Terminal.last_heartbeat_at, "queue": Terminal.queue_depth,
}


@dataclass(frozen=True)
class Thresholds:
    stale_minutes: float
    offline_minutes: float


def state_expr(now: datetime, limits: Thresholds):
    """The terminal's state as a SQL expression."""
    stale_at = now - timedelta(minutes=limits.stale_minutes)
    offline_at = now - timedelta(minutes=limits.offline_minutes)
    return case(
        (Terminal.revoked_at.is_not(None), "revoked"),
        (Terminal.last_heartbeat_at.is_(None), "never"),
        (Terminal.last_heartbeat_at >= stale_at, "online"),
        (Terminal.last_heartbeat_at >= offline_at, "stale"),
        else_="offline",
    )


def problem_rank(state):
    """0 = worst: offline, stale, online with a device problem or a backlog, never reported, healthy, revoked."""
    troubled = (func.coalesce(Terminal.device_problems, 0) > 0) | (func.coalesce(Terminal.queue_depth, 0)
                                                                    >= BACKLOG_ITEMS)
    return case(
        (state == "offline", 0),
        (state == "stale", 1),
        (and_(state == "online", troubled), 2),
        (state == "never", 3),
        (state == "online", 4),
        else_=5,
    )


@dataclass
class FleetPage:
    rows: list[tuple[Terminal, str]]  # (terminal, state)
    total: int  # matching the filters
    counts: dict[str, int]  # by state, under the kind/office filters (not the state filter)


def fleet_page(*, session: Session, limits: Thresholds, state: str | None = None, kind: str | None = None,
               office: str | None = None, sort: str = "problems", descending: bool = False,
               offset: int = 0, limit: int = 100, now: datetime | None = None) -> FleetPage:
    now = now or utcnow()
    st = state_expr(now, limits)
    where = []
    if kind:
        where.append(Terminal.kind == kind)
    if office == "-":  # terminals placed in no office
        where.append(Terminal.office_id.is_(None))
    elif office:
        where.append(Terminal.office_id == office)
    counts = {s: 0 for s in STATES}
    for name, n in session.execute(select(st.label("state"), func.count()).where(*where).group_by(st)):
        counts[name] = n
    if state in STATES:
        where.append(st == state)
        total = counts[state]
    else:
        total = sum(counts.values())
    column = SORTS.get(sort)
    if column is None:
        rank = problem_rank(st)
        order = [rank.desc() if descending else rank, Terminal.last_heartbeat_at.asc(), Terminal.id]
    else:
        nulls_last = (column.is_(None))  # empty values at the end whichever the direction
        order = [nulls_last, column.desc() if descending else column.asc(), Terminal.id]
    rows = session.execute(select(Terminal, st.label("state")).where(*where).order_by(*order)
                           .offset(offset).limit(limit)).all()
    return FleetPage(rows=[(t, s) for t, s in rows], total=total, counts=counts)


def terminal_state(terminal: Terminal, limits: Thresholds, now: datetime | None = None) -> str:
    """The same rule as `state_expr`, for one terminal already loaded."""
    now = now or utcnow()
    if terminal.revoked_at is not None:
        return "revoked"
    if terminal.last_heartbeat_at is None:
        return "never"
    age = now - terminal.last_heartbeat_at
    if age <= timedelta(minutes=limits.stale_minutes):
        return "online"
    if age <= timedelta(minutes=limits.offline_minutes):
        return "stale"
    return "offline"


def heartbeats(*, session: Session, terminal_id: str, since: datetime | None = None,
               limit: int = 2000) -> list[Heartbeat]:
    """The terminal's recent heartbeats, newest first."""
    q = select(Heartbeat).where(Heartbeat.terminal_id == terminal_id)
    if since is not None:
        q = q.where(Heartbeat.received_at >= since)
    return list(session.scalars(q.order_by(Heartbeat.received_at.desc(), Heartbeat.id.desc()).limit(limit)))


def recent_errors(beats: list[Heartbeat], limit: int = 30) -> list[dict[str, Any]]:
    """Distinct errors reported in these heartbeats (newest first): text, first and last report."""
    seen: dict[str, dict[str, Any]] = {}
    for beat in beats:  # newest first
        for message in beat.last_errors or []:
            entry = seen.get(message)
            if entry is None:
                seen[message] = {"message": message, "last": beat.received_at, "first": beat.received_at}
            else:
                entry["first"] = beat.received_at
    return list(seen.values())[:limit]


def open_enrollment_codes(*, session: Session, limit: int = 200) -> list[EnrollmentCode]:
    """Unused, unexpired enrolment codes (the code itself is only a hash here)."""
    now = utcnow()
    return list(session.scalars(
        select(EnrollmentCode).where(EnrollmentCode.used_at.is_(None), EnrollmentCode.expires_at > now)
        .order_by(EnrollmentCode.expires_at).limit(limit)))


def open_enrollment_code_count(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(EnrollmentCode)
                          .where(EnrollmentCode.used_at.is_(None), EnrollmentCode.expires_at > utcnow())) or 0
