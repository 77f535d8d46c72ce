"""GeoReport v2 bodies in JSON and XML from one value: lists of dicts under the specification's names.

A list answer is an array at the JSON root and `<root><item>…</item>…</root>` in XML (`services` →
`service`, `service_requests` → `request`, `errors` → `error`…). Nested lists name their items in
`ITEM_NAMES` (`attributes` → `attribute`, `values` → `value`, `formats` → `format`).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.responses import Response

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
FORMATS = ("json", "xml")

ITEM_NAMES = {
    "services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
    "values": "value", "endpoints": "endpoint", "formats": "format", "service_request_updates": "request_update",
    "history": "change", "tokens": "token",
}


def w3c(value: datetime | None) -> str | None:
    """A time as GeoReport writes it (W3C / ISO 8601 with its offset), in UTC."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value) or ""
    return "" if value is None else str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> str:
    element = ET.Element(root)
    _fill(element, value)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def respond(fmt: str, root: str, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """`value` as JSON (as it is: an array stays the root) or as XML under `root`."""
    if fmt == "xml":
        body, media = to_xml(root, value).encode("utf-8"), XML_TYPE
    else:
        body, media = json.dumps(_jsonable(value), ensure_ascii=False).encode("utf-8"), JSON_TYPE
    response = Response(body, status_code=status, headers=headers)
    response.headers["content-type"] = media
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def errors(fmt: str, status: int, description: str, headers: dict[str, str] | None = None) -> Response:
    """GeoReport's error answer: `[{"code": status, "description": …}]` / `<errors><error>…`."""
    return respond(fmt if fmt in FORMATS else "json", "errors", [{"code": status, "description": description}],
                   status=status, headers=headers)
