"""The clerks' inbox: requests and signals filtered, ordered and paged in SQL, scoped to a clerk's units.

Everything here stays fast with a million requests: each filter is an indexed column, the page is
a LIMIT/OFFSET over an index order, and the count stops at COUNT_CAP (a page says "10 000+" rather
than counting a million rows on every view). The list carries no personal data; `personal_data()`
is asked for only on a request's own page, by those allowed to see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from server_sync.hub.models import ServiceRequest, Terminal

# Statuses still waiting for the municipality; resolved and rejected items are never overdue.
OPEN = ("registered", "pending", "in_progress")
# Literal SQL (not bound parameters), the very text of the partial index ix_requests_open_deadline,
# so that SQLite's planner can prove the index applies.
OPEN_SQL = "status IN ('registered', 'pending', 'in_progress')"
PER_PAGE = 50
COUNT_CAP = 10_000
ORDERS = ("newest", "due")

LIST_COLUMNS = (
    ServiceRequest.id, ServiceRequest.number, ServiceRequest.kind, ServiceRequest.title, ServiceRequest.unit_id,
    ServiceRequest.status, ServiceRequest.registered_at, ServiceRequest.deadline_at, ServiceRequest.channel,
    ServiceRequest.office_id, ServiceRequest.terminal_id, ServiceRequest.service_id,
    ServiceRequest.signal_category_id,
)


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    service: str | None = None  # a catalogue service id
    category: str | None = None  # a signal category id
    unit: str | None = None
    status: str | None = None
    office: str | None = None
    channel: str | None = None
    overdue: bool = False
    order: str = "newest"  # "newest": registered, newest first; "due": open items, earliest deadline first


@dataclass
class InboxPage:
    rows: list[Any]
    page: int
    per_page: int
    total: int  # at most COUNT_CAP + 1
    terminal_names: dict[str, str]

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_CAP) // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def open_clause():
    return text(f"requests.{OPEN_SQL}")


def is_overdue(status: str, deadline_at: datetime | None, now: datetime) -> bool:
    return status in OPEN and deadline_at is not None and deadline_at < now


def scope(units: list[str] | None) -> list[Any]:
    """The rows a staff member may see: a clerk limited to units sees only theirs."""
    return [ServiceRequest.unit_id.in_(list(units))] if units else []


def in_scope(unit_id: str | None, units: list[str] | None) -> bool:
    return not units or unit_id in units


def conditions(filters: Filters, units: list[str] | None, now: datetime) -> list[Any]:
    where = scope(units)
    columns = {"kind": ServiceRequest.kind, "service": ServiceRequest.service_id,
               "category": ServiceRequest.signal_category_id, "unit": ServiceRequest.unit_id,
               "status": ServiceRequest.status, "office": ServiceRequest.office_id,
               "channel": ServiceRequest.channel}
    for name, column in columns.items():
        value = getattr(filters, name)
        if value:
            where.append(column == value)
    if filters.overdue or filters.order == "due":
        where.append(open_clause())
        where.append(ServiceRequest.deadline_at.is_not(None))
    if filters.overdue:
        where.append(ServiceRequest.deadline_at < now)
    return where


def page(*, session: Session, filters: Filters, units: list[str] | None, now: datetime, page: int = 1,
         per_page: int = PER_PAGE) -> InboxPage:
    where = conditions(filters, units, now)
    if filters.order == "due":
        order = (ServiceRequest.deadline_at.asc(), ServiceRequest.id.asc())
    else:
        order = (ServiceRequest.registered_at.desc(), ServiceRequest.id.desc())
    # Count at most COUNT_CAP + 1 matching rows: exact for small results, "10 000+" for big ones.
    capped = select(ServiceRequest.id).where(*where).limit(COUNT_CAP + 1).subquery()
    total = session.scalar(select(func.count()).select_from(capped)) or 0
    last_page = max(1, -(-min(total, COUNT_CAP) // per_page))
    page = min(max(1, page), last_page)
    rows = session.execute(select(*LIST_COLUMNS).where(*where).order_by(*order)
                           .limit(per_page).offset((page - 1) * per_page)).all()
    ids = sorted({r.terminal_id for r in rows if r.terminal_id})
    names = dict(session.execute(select(Terminal.id, Terminal.name).where(Terminal.id.in_(ids))).all()) if ids else {}
    return InboxPage(rows=rows, page=page, per_page=per_page, total=total, terminal_names=names)


def get(*, session: Session, number: str, units: list[str] | None) -> ServiceRequest | None:
    """A request by its number, or None when there is none or it is outside the staff member's units
    (the same answer: a number alone tells nothing about other units' requests)."""
    row = session.scalars(select(ServiceRequest).where(ServiceRequest.number == number.strip())).first()
    if row is None or not in_scope(row.unit_id, units):
        return None
    return row


def has_personal_data(row: ServiceRequest) -> bool:
    return any((row.given_names, row.surname, row.egn, row.contact, row.personal_fields))


def terminal_name(session: Session, terminal_id: str | None) -> str | None:
    if not terminal_id:
        return None
    return session.scalar(select(Terminal.name).where(Terminal.id == terminal_id))
