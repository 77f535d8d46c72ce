"""`/opendata/`: the datasets page, the DCAT-AP catalogue (JSON-LD) and each dataset as JSON and CSV.

Public, read through `hub.reads`. An aggregate is computed by the database and reused for
`opendata_cache_seconds` (per dataset and period) in this process.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from server_sync.hub.aggregate_cache import ttl_for_period
from server_sync.hub.catalogue_store import current_revision
from server_sync.hub.context import HubContext
from server_sync.hub.deadlines import SOFIA
from server_sync.hub.opendata import queries

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.autoescape = True

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
JSONLD_TYPE = "application/ld+json; charset=utf-8"
FILE_TYPES = {"csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
              "json": "http://publications.europa.eu/resource/authority/file-type/JSON"}
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


@dataclass(frozen=True)
class Dataset:
    id: str
    title: tuple[str, str]
    description: tuple[str, str]
    fields: list[str]
    keywords: tuple[str, ...]
    changes: tuple[str, ...]  # keys of queries.last_changes() (or "catalogue")
    periodic: bool = False  # has a ?month= period (default: the current month)


DATASETS = [
    Dataset("services", ("Каталог на административните услуги", "Catalogue of administrative services"),
            ("Услугите на общината: звено, код по ИИСДА, видове поръчка, срокове и такси в евро; по един ред "
             "за всяка услуга и вид поръчка.",
             "The municipality's services: unit, IISDA code, tiers, deadlines and fees in euro; one row per "
             "service and tier."),
            queries.SERVICE_FIELDS, ("услуги", "services", "такси", "fees"), ("catalogue",)),
    Dataset("signals", ("Сигнали по категория, състояние и месец", "Signals by category, status and month"),
            ("Брой подадени сигнали по категория, текущо състояние и месец на подаване (UTC). Без лични данни и "
             "без свободен текст; клетки под 5 са скрити.",
             "Signals filed per category, current status and month filed (UTC). No personal data and no free "
             "text; cells below 5 are suppressed."),
            queries.SIGNAL_FIELDS, ("сигнали", "signals"), ("signals", "status")),
    Dataset("requests", ("Заявления и срочност по услуга и месец", "Requests and on-time share per service and month"),
            ("Подадени заявления по услуга и месец (UTC), от тях решени и решени в срок, и делът в срок. "
             "Клетки под 5 са скрити.",
             "Service requests filed per service and month (UTC), how many are decided, how many on time, and the "
             "on-time share. Cells below 5 are suppressed."),
            queries.REQUEST_FIELDS, ("заявления", "requests", "срокове", "deadlines"), ("requests", "status")),
    Dataset("satisfaction", ("Удовлетвореност по гише и час", "Satisfaction per office, counter and hour"),
            ("Натискания на терминалите за оценка по офис, гише, час (UTC) и оценка, за един месец "
             "(?month=ГГГГ-ММ; по подразбиране текущият). Клетки под 5 са скрити.",
             "Presses on the satisfaction terminals per office, counter, hour (UTC) and score, for one month "
             "(?month=YYYY-MM; default the current one). Cells below 5 are suppressed."),
            queries.SATISFACTION_FIELDS, ("удовлетвореност", "satisfaction"), ("satisfaction",), periodic=True),
]
BY_ID = {d.id: d for d in DATASETS}


def _hub(request: Request) -> HubContext:
    return request.app.state.hub


def _cached(request: Request, key: tuple, compute: Callable[[], Any], until: datetime | None = None
            ) -> tuple[Any, datetime]:
    """`compute()`'s value for `key` and when it was computed: computed once at a time and reused for
    opendata_cache_seconds, or opendata_open_period_cache_seconds while its period (`until`) is running."""
    settings = _hub(request).settings
    ttl = settings.opendata_cache_seconds
    if until is not None:
        ttl = ttl_for_period(until, open_s=min(ttl, settings.opendata_open_period_cache_seconds), closed_s=ttl)
    return request.app.state.aggregates.get(("opendata",) + key, ttl, compute)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": "not_found" if status == 404 else "bad_request", "message": message,
                                   "field": None, "details": []}}, status_code=status)


def _rows(request: Request, dataset: Dataset, month: str | None) -> tuple[list[dict[str, Any]], datetime]:
    hub = _hub(request)
    with hub.reads() as session:
        current = hub.catalogue.get(session)
        catalogue = current[0] if current else None
        version = catalogue.version if catalogue else None
        if dataset.id == "services":
            return _cached(request, ("services", version), lambda: queries.services(catalogue) if catalogue else [])
        if dataset.id == "signals":
            return _cached(request, ("signals", version), lambda: queries.signals(session, catalogue))
        if dataset.id == "requests":
            return _cached(request, ("requests", version), lambda: queries.requests(session, catalogue))
        start, end = queries.month_range(month)
        return _cached(request, ("satisfaction", month), lambda: queries.satisfaction(session, start, end), until=end)


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def dataset(request: Request, name: str, fmt: str) -> Response:
    found = BY_ID.get(name)
    if found is None or fmt not in ("json", "csv"):
        return _error(404, "no such dataset")
    month = request.query_params.get("month") or datetime.now(timezone.utc).strftime("%Y-%m")
    if found.periodic:
        try:
            queries.month_range(month)
        except ValueError:
            return _error(400, "month: YYYY-MM")
    rows, generated = _rows(request, found, month if found.periodic else None)
    settings = _hub(request).settings
    headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300",
               "Last-Modified": generated.strftime("%a, %d %b %Y %H:%M:%S GMT")}

    def render() -> bytes:
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=found.fields, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in rows)
            return out.getvalue().encode("utf-8")
        body = {"dataset": found.id, "title": found.title[1],
                "licence": {"name": settings.opendata_licence_name, "url": settings.opendata_licence_url},
                "generated_at": generated.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "suppression": f"counts below {queries.MIN_CELL} are null with suppressed=true",
                "fields": found.fields, "rows": rows}
        if found.periodic:
            body["month"] = month
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    # The rendered file is reused with its rows (keyed by when they were computed): a flood of downloads
    # costs neither a query nor a serialisation each.
    content, _ = request.app.state.aggregates.get(("opendata-file", found.id, fmt, month if found.periodic else None,
                                                   generated), settings.opendata_cache_seconds, render)
    if fmt == "csv":
        headers["Content-Disposition"] = f'inline; filename="{found.id}{"-" + month if found.periodic else ""}.csv"'
        return Response(content, media_type=CSV_TYPE, headers=headers)
    return Response(content, media_type=JSON_TYPE, headers=headers)


def _modified(request: Request) -> dict[str, datetime | None]:
    hub = _hub(request)
    with hub.reads() as session:
        changes = queries.last_changes(session)
        revision = current_revision(session)
        changes["catalogue"] = revision.imported_at if revision else None
    return {d.id: max((changes[k] for k in d.changes if changes.get(k)), default=None) for d in DATASETS}


def _municipality(request: Request) -> tuple[str, str]:
    hub = _hub(request)
    with hub.reads() as session:
        current = hub.catalogue.get(session)
    if current is None:
        return "е-Община", "e-Obshtina"
    name = current[0].municipality.name
    return name.bg, name.en or name.bg


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z") if value else None


def _bilingual(pair: tuple[str, str]) -> list[dict[str, str]]:
    return [{"@language": "bg", "@value": pair[0]}, {"@language": "en", "@value": pair[1]}]


@router.get("/opendata/catalog.jsonld")
def dcat_catalogue(request: Request) -> Response:
    """The DCAT-AP catalogue of these datasets (JSON-LD), for a national portal to harvest."""
    base = str(request.base_url).rstrip("/")
    settings = _hub(request).settings
    licence = {"@id": settings.opendata_licence_url}
    bg, en = _municipality(request)
    publisher = {"@type": "foaf:Agent", "foaf:name": _bilingual((bg, en))}
    modified = _modified(request)
    datasets = []
    for d in DATASETS:
        distributions = [{
            "@id": f"{base}/opendata/{d.id}.{fmt}", "@type": "dcat:Distribution",
            "dct:title": f"{d.title[1]} ({fmt.upper()})",
            "dcat:accessURL": {"@id": f"{base}/opendata/{d.id}.{fmt}"},
            "dcat:downloadURL": {"@id": f"{base}/opendata/{d.id}.{fmt}"},
            "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"},
            "dct:format": {"@id": FILE_TYPES[fmt]}, "dct:license": licence,
        } for fmt in ("csv", "json")]
        item = {
            "@id": f"{base}/opendata/#{d.id}", "@type": "dcat:Dataset", "dct:identifier": d.id,
            "dct:title": _bilingual(d.title), "dct:description": _bilingual(d.description),
            "dct:publisher": publisher, "dct:license": licence, "dcat:keyword": list(d.keywords),
            "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/BUL"},
                             {"@id": "http://publications.europa.eu/resource/authority/language/ENG"}],
            "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/CONT"},
            "dcat:landingPage": {"@id": f"{base}/opendata/"}, "dcat:distribution": distributions,
        }
        if modified[d.id]:
            item["dct:modified"] = {"@value": _iso(modified[d.id]), "@type": "xsd:dateTime"}
        datasets.append(item)
    catalogue = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": f"{base}/opendata/catalog.jsonld", "@type": "dcat:Catalog",
        "dct:title": _bilingual((f"Отворени данни — {bg}", f"Open data — {en}")),
        "dct:description": _bilingual(("Отворени данни за услугите, сигналите и удовлетвореността на гражданите.",
                                       "Open data on the municipality's services, signals and citizen satisfaction.")),
        "dct:publisher": publisher, "dct:license": licence, "foaf:homepage": {"@id": f"{base}/opendata/"},
        "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/BUL"}],
        "dcat:dataset": datasets,
    }
    known = [m for m in modified.values() if m]
    if known:
        catalogue["dct:modified"] = {"@value": _iso(max(known)), "@type": "xsd:dateTime"}
    return Response(json.dumps(catalogue, ensure_ascii=False).encode("utf-8"), media_type=JSONLD_TYPE,
                    headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"})


@router.get("/opendata/", response_class=HTMLResponse)
def page(request: Request) -> Response:
    lang = request.query_params.get("lang") if request.query_params.get("lang") in ("bg", "en") else "bg"
    settings = _hub(request).settings
    modified = _modified(request)
    bg, en = _municipality(request)

    def t(b: str, e: str) -> str:
        return e if lang == "en" else b

    def when(value: datetime | None) -> str:
        return value.astimezone(SOFIA).strftime("%d.%m.%Y %H:%M") if value else t("няма данни", "no data yet")

    response = templates.TemplateResponse(request, "opendata.html", {
        "lang": lang, "t": t, "when": when, "datasets": DATASETS, "modified": modified,
        "municipality": en if lang == "en" else bg, "licence_name": settings.opendata_licence_name,
        "licence_url": settings.opendata_licence_url, "min_cell": queries.MIN_CELL,
        "cache_minutes": round(settings.opendata_cache_seconds / 60),
    })
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# Last: "/opendata/{name}.{fmt}" would also match catalog.jsonld.
router.add_api_route("/opendata/{name}.{fmt}", dataset, methods=["GET"])
