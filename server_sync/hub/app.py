"""The hub's FastAPI application factory: `create_app(settings)` (no module-level app or engine)."""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI

from server_sync.hub.aggregate_cache import AggregateCache
from server_sync.hub.api import terminals
from server_sync.hub.context import HubContext, open_hub
from server_sync.hub.errors import BodyLimitMiddleware, ShieldMiddleware, install_error_handlers
from server_sync.hub.ratelimit import RateLimitMiddleware, RateLimits
from server_sync.hub.settings import HubSettings, configure_logging

log = logging.getLogger("server_sync.hub.access")

# Dotted paths of the routers mounted on every hub; another area adds its router with one line
# here (each module exposes `router`).
ROUTERS: list[str] = [
    "server_sync.hub.api.terminals",
    "server_sync.hub.api.requests",
    "server_sync.hub.api.feedback",
    "server_sync.hub.api.citizens",
    "server_sync.hub.api.public",
    "server_sync.hub.analytics.api",
    "server_sync.hub.open311.api",
    "server_sync.hub.opendata.api",
]


def printable(text: str, limit: int = 300) -> str:
    """A path as the log may print it: the decoded path holds what `%0A` and friends encode, so a
    client could forge log lines; control characters (and backslashes) are escaped, long paths cut."""
    out = "".join(ch if ch.isprintable() and ch != "\\" else ch.encode("unicode_escape").decode("ascii")
                  for ch in text[:limit])
    return out + ("…" if len(text) > limit else "")


class AccessLogMiddleware:
    """One line per request: method, path, status, time. Path only: the query string carries
    tracking codes and bodies carry personal data. (Plain ASGI: BaseHTTPMiddleware is slow.)"""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500

        async def send_and_note(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            log.info("%s %s %d %.1fms", printable(scope["method"]), printable(scope["path"]), status,
                     (time.perf_counter() - started) * 1000)


def create_app(settings: HubSettings | None = None, *, context: HubContext | None = None) -> FastAPI:
    """Open (create, migrate) the hub's database and keys and return the ASGI app serving it."""
    from importlib import import_module

    settings = settings or HubSettings()
    hub = context or open_hub(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if context is None:
            hub.close()

    app = FastAPI(title="e-Obshtina hub", version=terminals.hub_version(), lifespan=lifespan,
                  description="REST API of the е-Община terminals hub (JSON under /api/v1).")
    app.state.hub = hub
    # Public aggregates (open data) reused for their period, computed once per key at a time.
    app.state.aggregates = AggregateCache()
    install_error_handlers(app)
    for dotted in ROUTERS:
        app.include_router(import_module(dotted).router)
    from server_sync.hub import web

    web.install(app)  # the staff pages under /admin

    # The last added is the outermost. Innermost, inside all the others (rate limits, body limit,
    # access log, shield): well-formed heartbeats, answered without FastAPI's routing.
    app.add_middleware(terminals.HeartbeatFastPath, hub=hub)
    # The shield sits right inside Starlette's error middleware.
    app.add_middleware(ShieldMiddleware)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    # Outermost: a flood is refused before it reads a body or touches the database.
    app.add_middleware(RateLimitMiddleware, limits=RateLimits(settings))
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process of `kiosk-hub serve --workers N`: settings from HUB_* only
    (the parent process put its flags there and has already migrated the database)."""
    settings = HubSettings()
    configure_logging(settings.log_level)
    return create_app(settings)
