"""The hub's staff web (`/admin/…`): server-rendered pages for administrators, clerks and technicians.

Each page area is a module with a `router`; `PAGES` lists them, and `install(app)` mounts them with
the handler that turns a `PageError` into a login redirect, a 403 or a 404 page. Pages work
without JavaScript; the few lines of `static/admin.js` only add conveniences.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI, Request

from server_sync.hub.web.common import PAGE_PATHS, PageError, current_staff, render, see_other

PAGES: list[str] = [
    "server_sync.hub.web.auth",
    "server_sync.hub.web.staff_pages",
    "server_sync.hub.web.inbox",
    "server_sync.hub.web.fleet",
    "server_sync.hub.web.technicians",
    "server_sync.hub.web.catalogue",
    "server_sync.hub.web.catalogue_entries",  # after catalogue: its /{kind}/{id} routes come second
    "server_sync.hub.web.satisfaction",
    "server_sync.hub.web.open311_keys",
]


def install(app: FastAPI) -> None:
    for dotted in PAGES:
        router = import_module(dotted).router
        app.include_router(router)
        PAGE_PATHS.update(getattr(route, "path", "") for route in router.routes)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError):
        if exc.location:
            return see_other(exc.location)
        staff = current_staff(request) if exc.status != 404 else None
        return render(request, "error.html", staff, status_code=exc.status, status=exc.status, message=exc.message)
