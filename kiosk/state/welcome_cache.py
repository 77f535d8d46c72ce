"""The names the welcome screen shows, kept in a tiny JSON file beside the terminal store.

The welcome frame is painted before the store and the catalogue are loaded (they cost half a
second of imports on a Raspberry Pi); this file lets that first frame already say which
municipality and which office the kiosk stands in. The kiosk rewrites it whenever it loads a
catalogue whose names differ, so it is at most one catalogue refresh old; on the first boot
there is no file and the names appear once the catalogue is loaded.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILE_NAME = "kiosk-welcome.json"


@dataclass(frozen=True)
class WelcomeNames:
    """{"bg": ..., "en": ...} names; `offices` maps an office id to its names."""

    municipality: dict[str, str] = field(default_factory=dict)
    offices: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the office shown when the configured one is not listed (the catalogue's first office)
    first_office: str | None = None

    def office(self, office_id: str | None) -> dict[str, str]:
        return self.offices.get(office_id or "") or self.offices.get(self.first_office or "") or {}

    def to_json(self) -> dict[str, Any]:
        return {"municipality": self.municipality, "offices": self.offices, "first_office": self.first_office}

    @classmethod
    def from_catalogue(cls, catalogue: Any) -> "WelcomeNames":
        def names(i18n: Any) -> dict[str, str]:
            return {lang: getattr(i18n, lang) for lang in ("bg", "en") if getattr(i18n, lang, None)}

        offices = {o.id: names(o.name) for o in catalogue.offices}
        return cls(names(catalogue.municipality.name), offices,
                   catalogue.offices[0].id if catalogue.offices else None)


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if k in ("bg", "en") and isinstance(v, str)}


def read_welcome_names(path: Path | None) -> WelcomeNames | None:
    """The cached names, or None (no file: the first boot; a damaged file is ignored and logged)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("welcome names cache %s unreadable (%s); names appear once the catalogue loads", path, exc)
        return None
    if not isinstance(data, dict):
        return None
    offices = data.get("offices") if isinstance(data.get("offices"), dict) else {}
    first = data.get("first_office")
    return WelcomeNames(_strings(data.get("municipality")),
                        {str(k): _strings(v) for k, v in offices.items()},
                        first if isinstance(first, str) else None)


def write_welcome_names(path: Path, names: WelcomeNames) -> None:
    """Atomically replace the cache (a power cut leaves the old file or the new one)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(names.to_json(), ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
