"""The catalogue in the hub's database: import (validated), version = hash of canonical JSON, current."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.models import CatalogueRevision
from server_sync.protocol import Catalogue, CatalogueData

SHIPPED_CATALOGUE = Path(__file__).parent / "data" / "catalogue.toml"


class CatalogueImportError(ValueError):
    """The catalogue cannot be imported; the message names the entry and the field."""


def catalogue_version(data: CatalogueData) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return "c-" + hashlib.sha256(canonical.encode()).hexdigest()[:20]


def check_number_format(data: CatalogueData) -> None:
    fmt = data.municipality.number_format
    try:
        sample = fmt.format(index=data.municipality.number_index, seq=1, date=date(2026, 1, 2), year=2026)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise CatalogueImportError(
            f"municipality.number_format: cannot format {fmt!r} ({exc}); "
            "use {index}, {seq}, {date} and {year}") from exc
    if "{seq" not in fmt:
        raise CatalogueImportError("municipality.number_format: must contain {seq} (numbers must be unique)")

    def number(seq: int, day: date) -> str:
        return fmt.format(index=data.municipality.number_index, seq=seq, date=day, year=day.year)

    if number(1, date(2026, 1, 2)) == number(2, date(2026, 1, 2)):
        raise CatalogueImportError("municipality.number_format: numbers 1 and 2 come out the same; "
                                   "use {seq} so every number is unique")
    # The sequence restarts every year: without the year in it, January would repeat last year's numbers.
    if number(1, date(2026, 1, 2)) == number(1, date(2027, 1, 2)):
        raise CatalogueImportError("municipality.number_format: must contain the year ({year}, or {date} "
                                   "with %Y or %y): numbering restarts every year and numbers must be unique")
    if len(sample) > 80:
        raise CatalogueImportError("municipality.number_format: numbers longer than 80 characters")


def import_catalogue(session: Session, data: CatalogueData, source: str | None = None) -> str:
    """Store `data` as the current catalogue (no new revision when unchanged); return its version."""
    check_number_format(data)
    version = catalogue_version(data)
    current = current_revision(session)
    if current is not None and current.version == version:
        return version
    session.add(CatalogueRevision(version=version, data=data.model_dump(mode="json"),
                                  imported_at=utcnow(), source=source))
    session.flush()
    return version


def current_revision(session: Session) -> CatalogueRevision | None:
    return session.scalars(select(CatalogueRevision).order_by(CatalogueRevision.id.desc()).limit(1)).first()


class CatalogueCache:
    """Parsed current catalogue, reloaded only when a newer revision appears (cheap check by id)."""

    def __init__(self) -> None:
        self._id: int | None = None
        self._catalogue: Catalogue | None = None
        self._body: bytes | None = None

    def get(self, session: Session) -> tuple[Catalogue, bytes] | None:
        newest = session.scalar(select(CatalogueRevision.id).order_by(CatalogueRevision.id.desc()).limit(1))
        if newest is None:
            return None
        if newest != self._id:
            rev = session.get(CatalogueRevision, newest)
            catalogue = Catalogue.model_validate({**rev.data, "version": rev.version})
            self._catalogue, self._body, self._id = catalogue, catalogue.model_dump_json().encode(), newest
        return self._catalogue, self._body


    def version(self, conn) -> str:
        """The current catalogue's version ("" when none), one indexed query, nothing parsed."""
        row = conn.execute(select(CatalogueRevision.version).order_by(CatalogueRevision.id.desc()).limit(1)).first()
        return row[0] if row else ""


def load_catalogue_path(path: Path) -> CatalogueData:
    """Read a catalogue file (.toml or .json) into validated data; errors name entry and field."""
    from server_sync.hub.catalogue_file import CatalogueFileError, load_catalogue_file

    try:
        return load_catalogue_file(path)
    except CatalogueFileError as exc:
        raise CatalogueImportError(str(exc)) from exc
