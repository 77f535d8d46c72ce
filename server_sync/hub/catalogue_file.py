"""Read the clerk-edited catalogue file (TOML or JSON) and explain every mistake by entry and field."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ValidationError

from server_sync.protocol import CatalogueData

__all__ = [
    "CatalogueFileError",
    "load_catalogue_file",
    "catalogue_problems",
    "read_structured_file",
    "validate_document",
    "format_location",
]

M = TypeVar("M", bound=BaseModel)

# Keys that name a list entry better than its index: a clerk looks for "heirs-certificate",
# not "services[7]". Tiers keep their index (the example the clerk sees in the file header).
_ENTRY_KEYS = ("id", "name")


class CatalogueFileError(ValueError):
    """A catalogue (or demo) file cannot be used; `problems` lists one plain line per mistake."""

    def __init__(self, path: Path | str, problems: Sequence[str]):
        self.path = Path(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"{self.path}: {count} problem{'s' if count != 1 else ''}:\n{lines}")


def read_structured_file(path: Path | str) -> dict[str, Any]:
    """Parse a .toml or .json file into a dict; syntax errors carry the line number."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise CatalogueFileError(path, [f"unsupported file type '{suffix or '(none)'}': use .toml or .json"])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueFileError(path, ["file not found"]) from None
    except OSError as exc:
        raise CatalogueFileError(path, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogueFileError(
            path, [f"line {line}: the file is not UTF-8 text; save it as UTF-8"]) from exc
    try:
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib already says "(at line N, column M)"; keep its wording.
        raise CatalogueFileError(path, [f"TOML syntax error: {exc}"]) from exc
    except json.JSONDecodeError as exc:
        raise CatalogueFileError(
            path, [f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from exc
    if not isinstance(data, dict):
        raise CatalogueFileError(path, ["the top level must be a table/object"])
    return data


def format_location(loc: Sequence[str | int], data: Any) -> str:
    """Turn a pydantic location into `services[heirs-certificate].tiers[1].fee_eur`."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = str(item)
            entry = node[item] if isinstance(node, list) and -len(node) <= item < len(node) else None
            if isinstance(entry, dict):
                key = next((k for k in _ENTRY_KEYS if isinstance(entry.get(k), str) and entry.get(k)), None)
                if key is not None:
                    label = entry[key]
            parts.append(f"[{label}]")
            node = entry
        else:
            parts.append(f".{item}" if parts else str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts)


def _plain(message: str) -> str:
    # pydantic prefixes errors raised in our own validators; the clerk does not need that.
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def _line_of_entry(text: str | None, entry_id: str) -> int | None:
    if not text:
        return None
    match = re.search(rf'^\s*(?:id|name)\s*=\s*"{re.escape(entry_id)}"', text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _problems(exc: ValidationError, data: dict[str, Any], text: str | None) -> list[str]:
    problems: list[str] = []
    for err in exc.errors(include_url=False):
        loc = err.get("loc", ())
        where = format_location(loc, data)
        message = _plain(err.get("msg", "invalid value"))
        value = err.get("input")
        if err.get("type") != "missing" and isinstance(value, (str, int, float, bool)) and loc:
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…'"
            message += f" (got {shown})"
        if len(loc) >= 2 and isinstance(loc[1], int):
            label = format_location(loc[:2], data)
            entry_id = label[label.index("[") + 1 : -1]
            line = _line_of_entry(text, entry_id)
            if line is not None:
                message += f" [entry at line {line}]"
        if where:
            problems.append(f"{where}: {message}")
        else:
            # Whole-catalogue checks (references) already name the entry: split them one per line.
            problems.extend(part.strip() for part in message.split("; ") if part.strip())
    return problems


def validate_document(path: Path | str, model: type[M], transform: Callable[[dict], dict] | None = None) -> M:
    """Read `path` and validate it as `model`, raising CatalogueFileError with every problem."""
    path = Path(path)
    data = read_structured_file(path)
    if transform is not None:
        data = transform(data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = None
        raise CatalogueFileError(path, _problems(exc, data, text)) from exc


def catalogue_problems(catalogue: CatalogueData) -> list[str]:
    """Mistakes the wire model lets through but a terminal would trip over, one line each."""
    problems: list[str] = []
    for service in catalogue.services:
        where = f"services[{service.id}]"
        names = [f.name for f in service.form_fields]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"{where}.form_fields[{name}]: the same field name twice")
        for field in service.form_fields:
            at = f"{where}.form_fields[{field.name}]"
            if field.pattern is not None:
                try:
                    re.compile(field.pattern)
                except re.error as exc:
                    problems.append(f"{at}.pattern: not a valid regular expression ({exc})")
            if field.min_value is not None and field.max_value is not None and field.min_value > field.max_value:
                problems.append(f"{at}.min_value: larger than max_value")
            values = [c.value for c in field.choices]
            for value in sorted({v for v in values if values.count(v) > 1}):
                problems.append(f"{at}.choices[{value}]: the same value twice")
    seen_counters: dict[str, str] = {}
    for office in catalogue.offices:
        for index, hours in enumerate(office.opening_hours):
            if hours.closes != "24:00" and hours.closes <= hours.opens:
                problems.append(f"offices[{office.id}].opening_hours[{index}].closes: not after opens")
        for counter in office.counters:
            if counter in seen_counters:
                problems.append(f"offices[{office.id}].counters: '{counter}' is also in offices[{seen_counters[counter]}]")
            seen_counters[counter] = office.id
        try:
            ZoneInfo(office.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"offices[{office.id}].timezone: unknown time zone '{office.timezone}'")
    return problems


def load_catalogue_file(path: Path | str) -> CatalogueData:
    """Load and validate a catalogue from .toml or .json; errors name the entry and the field."""
    catalogue = validate_document(path, CatalogueData)
    problems = catalogue_problems(catalogue)
    if problems:
        raise CatalogueFileError(path, problems)
    return catalogue
