"""Catalogue changes made on the staff web: validated exactly as `kiosk-hub import-catalogue` validates a
file (the wire model, `catalogue_problems`, `check_number_format`), then published as a new revision.

A problem keeps its location (`("services", 0, "tiers", 1, "fee_eur")`) so a page can put it next to the
form field it belongs to, and its text is the line the command prints for the same mistake.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from server_sync.hub.catalogue_file import CatalogueFileError, catalogue_problems, format_location
from server_sync.hub.catalogue_store import (
    CatalogueImportError,
    check_number_format,
    current_revision,
    import_catalogue,
    load_catalogue_path,
)
from server_sync.hub.models import CatalogueRevision
from server_sync.protocol import CatalogueData

__all__ = ["Problem", "CatalogueInvalid", "CatalogueChanged", "validate", "check_file", "publish", "current"]

UPLOAD_SUFFIXES = (".toml", ".json")


@dataclass(frozen=True)
class Problem:
    """One mistake: where (a pydantic location, or () for a whole-catalogue check) and the printed line."""

    loc: tuple[str | int, ...]
    text: str


class CatalogueInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.text for p in problems))
        self.problems = problems


class CatalogueChanged(RuntimeError):
    """Someone published another catalogue since the editor opened the page."""


def _plain(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def validate(raw: dict[str, Any]) -> CatalogueData:
    """`raw` (a catalogue as JSON data) as validated CatalogueData, or CatalogueInvalid with every problem."""
    try:
        data = CatalogueData.model_validate(raw)
    except ValidationError as exc:
        problems: list[Problem] = []
        for err in exc.errors(include_url=False):
            loc = tuple(err.get("loc", ()))
            where = format_location(loc, raw)
            message = _plain(err.get("msg", "invalid value"))
            value = err.get("input")
            if err.get("type") != "missing" and isinstance(value, (str, int, float, bool)) and loc:
                shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…'"
                message += f" (got {shown})"
            if where:
                problems.append(Problem(loc, f"{where}: {message}"))
            else:  # whole-catalogue checks (references) name the entry themselves: one line each
                problems.extend(Problem((), part.strip()) for part in message.split("; ") if part.strip())
        raise CatalogueInvalid(problems) from exc
    problems = [Problem((), text) for text in catalogue_problems(data)]
    try:
        check_number_format(data)
    except CatalogueImportError as exc:
        problems.append(Problem(("municipality", "number_format"), str(exc)))
    if problems:
        raise CatalogueInvalid(problems)
    return data


def check_file(filename: str, content: bytes) -> CatalogueData:
    """An uploaded catalogue file, validated by the very code `kiosk-hub import-catalogue FILE` runs
    (its problems are the lines the command prints)."""
    name = Path(filename.replace("\\", "/")).name or "catalogue"
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        suffix = Path(name).suffix.lower()
        raise CatalogueInvalid([Problem((), f"unsupported file type '{suffix or '(none)'}': use .toml or .json")])
    with tempfile.TemporaryDirectory(prefix="eob-catalogue-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            data = load_catalogue_path(path)
            check_number_format(data)
        except CatalogueImportError as exc:
            cause = exc.__cause__
            if isinstance(cause, CatalogueFileError):
                raise CatalogueInvalid([Problem((), p) for p in cause.problems]) from None
            raise CatalogueInvalid([Problem((), str(exc))]) from None
    return data


def current(session: Session) -> CatalogueRevision | None:
    return current_revision(session)


def publish(*, session: Session, data: CatalogueData, source: str, expected_version: str | None = None) -> str:
    """Publish `data` as the current catalogue (a new revision: a new version and ETag, so terminals
    fetch it with their next pull). With `expected_version`, refuse when another catalogue was
    published since (CatalogueChanged) rather than silently undo someone else's change."""
    if expected_version is not None:
        revision = current_revision(session)
        if revision is None or revision.version != expected_version:
            raise CatalogueChanged(expected_version)
    return import_catalogue(session, data, source=source[:300])
