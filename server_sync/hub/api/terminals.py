"""Health, enrolment, heartbeats and the catalogue (ETag / If-None-Match)."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Header, Path, Response
from fastapi.responses import FileResponse
from starlette._utils import get_route_path

from server_sync.hub.api.deps import Hub, TerminalToken, bearer_of, terminal
from server_sync.hub.context import HubContext
from server_sync.hub.db import utcnow
from server_sync.hub.errors import ApiError, error_json, replayed_body
from server_sync.hub.input_checks import check_wire
from server_sync.hub.services import terminals as service
from server_sync.hub.services.technicians import wire_version
from server_sync.protocol import (
    EnrollRequest,
    EnrollResponse,
    ErrorResponse,
    HealthResponse,
    HeartbeatRequest,
    HeartbeatResponse,
)
from server_sync.protocol.technicians import VERSIONED as TECHNICIANS_VERSION

router = APIRouter(prefix="/api/v1", responses={422: {"model": ErrorResponse}})


def hub_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eobshtina-terminals")
    except PackageNotFoundError:
        return "0+unknown"


@router.get("/health", response_model=HealthResponse, tags=["terminals"])
def health(hub: Hub) -> HealthResponse:
    return HealthResponse(version=hub_version(), hub_epoch=hub.hub_epoch)


@router.post("/terminals/enroll", response_model=EnrollResponse, status_code=201, tags=["terminals"],
             responses={403: {"model": ErrorResponse}})
def enroll(body: EnrollRequest, hub: Hub) -> EnrollResponse:
    with hub.sessions.begin() as session:
        return service.enroll(session=session, request=body, hub_public_key=hub.keyring.public_key_b64,
                              hub_epoch=hub.hub_epoch)


@router.post("/terminals/heartbeat", response_model=HeartbeatResponse, tags=["terminals"],
             responses={401: {"model": ErrorResponse}}, response_model_exclude_none=True)
def heartbeat(body: HeartbeatRequest, hub: Hub, token: TerminalToken) -> Response:
    # A well-formed heartbeat is answered by `HeartbeatFastPath` before it reaches this route; this
    # route answers the rest (and declares the endpoint in the OpenAPI document).
    return Response(heartbeat_answer(hub, body, token), media_type="application/json")


def heartbeat_answer(hub: HubContext, body: HeartbeatRequest, token: str) -> bytes:
    """Record a validated heartbeat and return the answer's JSON; ApiError when refused."""
    received_at = utcnow()
    check_wire(body)
    if body.catalogue_version is not None and len(body.catalogue_version) > 64:  # the column's width
        raise ApiError(422, "validation_error", "catalogue_version: at most 64 characters", "catalogue_version")
    wants_technicians = "technicians" in body.features
    reporter = hub.heartbeat_transaction(lambda conn: service.record_heartbeat(
        conn=conn, token=token, report=body, received_at=received_at,
        retention_days=hub.settings.heartbeat_retention_days, technicians=wants_technicians))
    if reporter is None:
        raise ApiError(401, "unauthorized", "unknown or revoked terminal token", "Authorization",
                       headers={"WWW-Authenticate": "Bearer"})
    answer = HeartbeatResponse(server_time=utcnow(), catalogue_version=reporter.catalogue_version,
                               hub_epoch=hub.hub_epoch, last_seq=reporter.last_event_seq)
    if reporter.technicians is not None:
        # Maintenance mode's allow-list, hashed, for kiosks whose software reads it — and, to a kiosk
        # that names the version it holds, only when that is not the current one: with hundreds of
        # technicians the list is tens of kilobytes, every minute, on a village's mobile data.
        version = wire_version(reporter.technicians_version, hub.hub_epoch, hub.keyring.badge_key, reporter.office_id)
        versioned = TECHNICIANS_VERSION in body.features
        if versioned:
            answer.technicians_version = version
        if not versioned or body.technicians_version != version:
            answer.technicians = reporter.technicians
            answer.badge_key = hub.keyring.badge_key
    if "updates" in body.features:
        # The newest release of its channel, from a per-process cache: no query on this path.
        from server_sync.hub.releases.service import offer_for

        current = body.update.current if body.update is not None and body.update.current else body.software_version
        answer.release = offer_for(hub.reads, id(hub.engine), reporter.id, current)
    # Serialised here: FastAPI would validate the answer once more against the response model.
    return answer.model_dump_json(exclude_none=True).encode()


HEARTBEAT_PATH = "/api/v1/terminals/heartbeat"


class HeartbeatFastPath:
    """The heartbeat, the hub's hottest request, answered without FastAPI's routing, dependency
    solving and thread-pool hops per dependency (most of a heartbeat's CPU time in the profile,
    server_sync/hub/README.md): inside the hub's middleware (rate limits, body limit, access log,
    shield), a `POST /api/v1/terminals/heartbeat` with a well-formed bearer token and a JSON body the
    wire model accepts is validated as FastAPI would (`json.loads`, then the model), recorded by the
    same `heartbeat_answer` on one of its own threads, and answered. Anything else — no or a malformed
    token, another content type, a body the model refuses — goes to the FastAPI route with its body
    replayed, so every refusal is the route's own."""

    THREADS = 12  # as many as the heartbeat pool's connections (db.make_engine)

    def __init__(self, app, hub: HubContext) -> None:
        self.app, self.hub = app, hub
        self._executor: ThreadPoolExecutor | None = None

    def _threads(self) -> ThreadPoolExecutor:
        # Its own threads, handed work by the event loop directly: anyio's `to_thread` (the
        # limiter, its cancel scopes, the backend look-ups) cost as much as the hop itself.
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.THREADS, thread_name_prefix="heartbeat")
        return self._executor

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or get_route_path(scope) != HEARTBEAT_PATH:
            return await self.app(scope, receive, send)
        authorization = content_type = None
        for name, value in scope["headers"]:  # the first of each, as Starlette's `headers.get`
            if name == b"authorization" and authorization is None:
                authorization = value
            elif name == b"content-type" and content_type is None:
                content_type = value
        token = bearer_of(authorization.decode("latin-1")) if authorization is not None else None
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        body = None
        if token is not None and content_type is not None and _is_json(content_type):
            try:
                body = HeartbeatRequest.model_validate(json.loads(raw))
            except (ValueError, TypeError, RecursionError):  # pydantic's ValidationError is a ValueError
                body = None
        if body is None:
            return await self.app(scope, replayed_body(raw, receive), send)
        try:
            content = await asyncio.get_running_loop().run_in_executor(
                self._threads(), heartbeat_answer, self.hub, body, token)
        except ApiError as exc:
            return await error_json(exc.status, exc.code, exc.message, exc.field,
                                    headers=exc.headers)(scope, receive, send)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(content)).encode()),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": content})


def _is_json(content_type: bytes) -> bool:
    main = content_type.split(b";", 1)[0].strip().lower()
    return main == b"application/json"


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    for candidate in header.split(","):
        candidate = candidate.strip().removeprefix("W/")
        if candidate == etag:
            return True
    return False


@router.get("/catalogue", tags=["catalogue"], responses={
    200: {"description": "the catalogue (server_sync.protocol.Catalogue)"},
    304: {"description": "unchanged since If-None-Match"}, 401: {"model": ErrorResponse}})
def catalogue(hub: Hub, token: TerminalToken,
              if_none_match: str | None = Header(default=None, max_length=2000)) -> Response:
    with hub.reads() as session:  # only reads: never waits for (or holds) the write lock
        terminal(session, token)
        current = hub.catalogue.get(session)
    if current is None:
        raise ApiError(503, "no_catalogue", "no catalogue has been imported yet (kiosk-hub import-catalogue)")
    cat, body = current
    etag = f'"{cat.version}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match and _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/releases/{version}/bundle", tags=["terminals"], responses={
    200: {"description": "the release's file (a wheel or a .tar of wheels), as signed"},
    401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}})
def release_bundle(hub: Hub, token: TerminalToken,
                   version: str = Path(max_length=40, pattern=r"^[0-9][0-9A-Za-z.+-]*$")) -> Response:
    from sqlalchemy import select

    from server_sync.hub.releases.models import Release
    from server_sync.hub.releases.service import bundle_path

    with hub.sessions.begin() as session:
        terminal(session, token)
        release = session.scalar(select(Release).where(Release.version == version, Release.withdrawn_at.is_(None)))
        if release is None:
            raise ApiError(404, "not_found", f"no release {version}", "version")
        path, filename = bundle_path(hub.settings.data_dir, release), release.filename
    if not path.is_file():
        raise ApiError(404, "not_found", f"release {version}: its file is missing on the hub", "version")
    return FileResponse(path, media_type="application/octet-stream", filename=filename)
