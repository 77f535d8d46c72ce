"""The Open311 GeoReport v2 endpoints under `/open311/v2/` (JSON and XML, by the path's suffix).

GETs are public and read through `hub.reads` (never the write lock); a POST needs an administrator's
API key (`api_key`), is counted against the key's rate limit first (its own committed transaction),
and is filed like any kiosk request. Every refusal is GeoReport's error list, never the hub's JSON.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from server_sync.hub.context import HubContext
from server_sync.hub.open311 import keys as key_service
from server_sync.hub.open311 import service
from server_sync.hub.open311.render import FORMATS, errors, respond
from server_sync.hub.open311.service import Open311Error, lang_of

PREFIX = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00Z"  # when this endpoint's behaviour last changed (discovery)

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _hub(request: Request) -> HubContext:
    return request.app.state.hub


def _public(response: Response) -> Response:
    """GET answers are public data: any web app may read them (CORS), and they change often."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _catalogue(hub: HubContext, session):
    current = hub.catalogue.get(session)
    if current is None:
        raise Open311Error(404, "no service catalogue is published yet")
    return current[0]


def _check_jurisdiction(params, catalogue) -> None:
    jurisdiction = (params.get("jurisdiction_id") or "").strip()
    if jurisdiction and jurisdiction != catalogue.municipality.code:
        raise Open311Error(400, f"jurisdiction_id: this endpoint serves {catalogue.municipality.code!r} only")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, "format: .json or .xml")
    return fmt


def _get(request: Request, fmt: str, root: str, produce) -> Response:
    """Run `produce(session, catalogue, params)` in a read session and answer in `fmt`."""
    try:
        fmt = _format(fmt)
        hub = _hub(request)
        with hub.reads() as session:
            catalogue = _catalogue(hub, session)
            _check_jurisdiction(request.query_params, catalogue)
            value = produce(session, catalogue, request.query_params)
    except Open311Error as exc:
        return _public(errors(fmt, exc.status, exc.description, exc.headers))
    return _public(respond(fmt, root, value))


def _extensions(params) -> bool:
    return (params.get("extensions") or "").strip().lower() in ("true", "1", "yes")


@router.get("/discovery.{fmt}")
def discovery(request: Request, fmt: str) -> Response:
    base = str(request.base_url).rstrip("/") + PREFIX + "/"

    def produce(_session, catalogue, params):
        lang = lang_of(params.get("locale"))
        contact = _hub(request).settings.open311_contact or catalogue.municipality.name.get(lang)
        return {
            "changeset": CHANGESET, "contact": contact,
            "key_service": ("API keys are issued by the municipality's hub administrators"
                            if lang == "en" else "Ключове за API се издават от администраторите на общината"),
            "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET, "type": "production",
                           "formats": ["text/xml", "application/json"]}],
        }

    return _get(request, fmt, "discovery", produce)


@router.get("/services.{fmt}")
def services(request: Request, fmt: str) -> Response:
    return _get(request, fmt, "services",
                lambda _s, catalogue, params: service.services(catalogue, lang_of(params.get("locale"))))


@router.get("/services/{code}.{fmt}")
def service_definition(request: Request, code: str, fmt: str) -> Response:
    return _get(request, fmt, "service_definition",
                lambda _s, catalogue, params: service.definition(catalogue, code, lang_of(params.get("locale"))))


def _requests(request: Request, session, catalogue, rows) -> list:
    hub = _hub(request)
    params = request.query_params
    return service.present(session, rows, catalogue, lang_of(params.get("locale")),
                           extensions=_extensions(params), descriptions=hub.settings.open311_publish_descriptions)


@router.get("/requests.{fmt}")
def requests_list(request: Request, fmt: str) -> Response:
    return _get(request, fmt, "service_requests", lambda session, catalogue, params: _requests(
        request, session, catalogue, service.find_rows(session, service.make_query(params))))


@router.get("/requests/{ref:path}")
def request_one(request: Request, ref: str) -> Response:
    number, dot, fmt = ref.rpartition(".")
    if not dot:
        number, fmt = ref, ""
    return _get(request, fmt, "service_requests", lambda session, catalogue, _p: _requests(
        request, session, catalogue, service.find_one(session, number)))


@router.get("/tokens/{value}.{fmt}")
def token(request: Request, value: str, fmt: str) -> Response:
    return _get(request, fmt, "tokens", lambda session, _c, _p: service.token(session, value))


@router.get("/servicerequestupdates.{fmt}")
def request_updates(request: Request, fmt: str) -> Response:
    return _get(request, fmt, "service_request_updates", lambda session, _c, params: service.updates(session, params))


def _post(hub: HubContext, form, fmt: str) -> Response:
    settings = hub.settings
    api_key = form.get("api_key")
    with hub.sessions.begin() as session:  # counted and committed before anything is filed
        admission = key_service.admit(session=session, key=api_key if isinstance(api_key, str) else None,
                                      limit=settings.open311_posts_per_window,
                                      window=timedelta(seconds=settings.open311_window_seconds))
    if admission.status == 403:
        raise Open311Error(403, "api_key: missing, unknown or revoked")
    if admission.status == 429:
        raise Open311Error(429, f"api_key: more than {settings.open311_posts_per_window} requests within "
                                f"{settings.open311_window_seconds:g} s; try again later",
                           {"Retry-After": str(admission.retry_after)})
    with hub.sessions.begin() as session:
        catalogue = _catalogue(hub, session)
        _check_jurisdiction(form, catalogue)
        value = service.file(session=session, form=form, catalogue=catalogue, keyring=hub.keyring)
    return respond(fmt, "service_requests", value, status=201)


@router.post("/requests.{fmt}")
async def requests_post(request: Request, fmt: str) -> Response:
    try:
        fmt = _format(fmt)
        try:
            form = await request.form(max_files=0, max_fields=200)
        except Exception:
            raise Open311Error(400, "body: not a form (application/x-www-form-urlencoded)") from None
        return await run_in_threadpool(_post, _hub(request), form, fmt)
    except Open311Error as exc:
        return errors(fmt, exc.status, exc.description, exc.headers)


@router.api_route("/{rest:path}", methods=["GET", "POST"])
def not_found(rest: str) -> Response:
    fmt = rest.rpartition(".")[2]
    return errors(fmt if fmt in FORMATS else "json", 404, "no such Open311 endpoint")
