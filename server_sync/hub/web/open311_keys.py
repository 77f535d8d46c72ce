"""Open311 API keys (`/admin/open311-keys`, administrators only): create (the key is shown once, on the
answer to the POST, and kept only as its SHA-256) and revoke. Both are written to the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from server_sync.hub.open311 import keys as key_service
from server_sync.hub.services.staff import Role
from server_sync.hub.web.common import (
    PageError,
    Staff,
    audit,
    check_csrf,
    flash_url,
    hub_of,
    render,
    require,
    see_other,
)

router = APIRouter(include_in_schema=False)
Admin = Annotated[Staff, Depends(require(Role.ADMINISTRATOR))]
PATH = "/admin/open311-keys"


def _page(request: Request, staff: Staff, *, status: int = 200, errors: dict[str, str] | None = None,
          form: dict[str, str] | None = None, new_key: str | None = None, new_name: str | None = None) -> Response:
    hub = hub_of(request)
    with hub.reads() as session:
        rows = key_service.list_all(session=session)
        session.expunge_all()
    response = render(request, "open311_keys.html", staff, status_code=status, keys=rows, errors=errors or {},
                      form=form or {}, new_key=new_key, new_name=new_name,
                      limit=hub.settings.open311_posts_per_window, window=hub.settings.open311_window_seconds)
    return response


@router.get(PATH)
def keys_page(request: Request, staff: Admin) -> Response:
    return _page(request, staff)


@router.post(PATH)
def key_create(request: Request, staff: Admin, csrf: Annotated[str, Form(max_length=100)] = "",
               name: Annotated[str, Form(max_length=500)] = "") -> Response:
    check_csrf(staff, csrf)
    try:
        name = key_service.normal_name(name)
    except key_service.Open311KeyError:
        return _page(request, staff, status=422, errors={"name": "invalid"}, form={"name": name})
    hub = hub_of(request)
    try:
        with hub.sessions.begin() as session:
            _row, key = key_service.create(session=session, name=name, created_by=staff.username)
            audit(request, session, staff, "open311_key_create", name)
    except key_service.Open311KeyError:
        return _page(request, staff, status=422, errors={"name": "exists"}, form={"name": name})
    # Shown once, in this answer only (no redirect: the key must not travel in a URL).
    return _page(request, staff, new_key=key, new_name=name)


@router.post(PATH + "/{key_id}/revoke")
def key_revoke(request: Request, key_id: int, staff: Admin, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(staff, csrf)
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        try:
            row = key_service.revoke(session=session, key_id=key_id)
        except key_service.Open311KeyError:
            raise PageError(404, "not_found") from None
        audit(request, session, staff, "open311_key_revoke", row.name)
    return see_other(flash_url(PATH, "open311_key_revoked"))
