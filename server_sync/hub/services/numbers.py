"""Incoming numbers: the year's counter, and numbers given out before a restore kept or mapped.

A hub restored from last night's backup has forgotten the numbers it gave out since; the
terminals re-send those requests with the number on the citizen's receipt (`SubmissionRequest.number`,
docs/store.md "Re-sending after a hub restore"). The hub keeps that number when it is free — and
moves the year's counter past it, so the next request does not take it — or, when a request filed
after the restore already took it, gives a new number and keeps the old one as `earlier_number`:
tracking by the old number and the receipt's code still finds the request.
"""

from __future__ import annotations

import re
import string
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.hub.deadlines import SOFIA
from server_sync.hub.models import NumberCounter, ServiceRequest
from server_sync.protocol import Catalogue

__all__ = ["locked_counter", "take_next", "parse_number", "keep_number"]


def _scope(catalogue: Catalogue) -> str:
    return f"requests:{catalogue.municipality.code}"


def _create_counter(session: Session, scope: str, year: int) -> None:
    """A new counter row (a new year, or a municipality code changed in the catalogue) starts after
    the year's highest number: the (year, seq) pair is unique across scopes."""
    start = session.scalar(select(func.max(ServiceRequest.number_seq))
                           .where(ServiceRequest.number_year == year)) or 0
    try:
        with session.begin_nested():
            session.execute(insert(NumberCounter).values(scope=scope, year=year, value=start))
    except IntegrityError:  # created concurrently
        pass


def take_next(session: Session, catalogue: Catalogue, year: int) -> int:
    """The next number of `year`: one `UPDATE … RETURNING`, which locks the year's counter row until
    the transaction ends — so the caller takes it as late as it can, just before its INSERT and
    COMMIT (every filing waits for the one holding it; server_sync/hub/README.md, filing requests)."""
    scope = _scope(catalogue)
    step = (update(NumberCounter).where(NumberCounter.scope == scope, NumberCounter.year == year)
            .values(value=NumberCounter.value + 1).returning(NumberCounter.value)
            .execution_options(synchronize_session=False))
    value = session.scalar(step)
    if value is None:
        _create_counter(session, scope, year)
        value = session.scalar(step)
    return value


def locked_counter(session: Session, catalogue: Catalogue, year: int) -> NumberCounter:
    """The municipality's counter of `year`, locked until the transaction ends (created when missing)."""
    scope = _scope(catalogue)
    if session.get(NumberCounter, (scope, year)) is None:
        _create_counter(session, scope, year)
    return session.scalars(
        select(NumberCounter).where(NumberCounter.scope == scope, NumberCounter.year == year)
        .with_for_update().execution_options(populate_existing=True)
    ).one()


def parse_number(number_format: str, index: object, number: str) -> tuple[int | None, int] | None:
    """(year or None, seq) of a number written with `number_format`, or None when it is not one.
    The year comes from a {year} field or a {date:…} field with a year in its format."""
    pattern, date_spec = "", None
    for literal, field, spec, _conv in string.Formatter().parse(number_format):
        pattern += re.escape(literal)
        if field is None:
            continue
        if field == "seq":
            pattern += r"(?P<seq>\d+)"
        elif field == "year":
            pattern += r"(?P<year>\d{4})"
        elif field == "date":
            pattern += r"(?P<date>.+?)"
            date_spec = spec or "%Y-%m-%d"
        elif field == "index":
            pattern += re.escape(format(index, spec or ""))
        else:
            return None
    match = re.fullmatch(pattern, number)
    if match is None or match.groupdict().get("seq") is None:
        return None
    year = int(match["year"]) if match.groupdict().get("year") else None
    if year is None and match.groupdict().get("date") and date_spec and "%Y" in date_spec:
        try:
            year = datetime.strptime(match["date"], date_spec).year
        except ValueError:
            return None
    return year, int(match["seq"])


def keep_number(session: Session, catalogue: Catalogue, number: str,
                filed_at: datetime) -> tuple[str, int, int] | None:
    """Take `number` again for a re-sent request: (number, year, seq) when it is this municipality's
    number and no request holds it (the counter moves past it), else None (a new number is due)."""
    m = catalogue.municipality
    parsed = parse_number(m.number_format, m.number_index, number)
    if parsed is None:
        return None
    year, seq = parsed
    year = year or filed_at.astimezone(SOFIA).year
    counter = locked_counter(session, catalogue, year)  # held: nobody takes a number meanwhile
    if session.scalar(select(ServiceRequest.id).where(ServiceRequest.number == number)) is not None:
        return None
    counter.value = max(counter.value, seq)
    return number, year, seq
