"""Technicians' credentials for maintenance mode (`/admin/technicians`): add, list, withdraw.

The badge UID is kept only as the hub's keyed hash and the PIN only as Argon2id; kiosks receive the
active list (a technician limited to an office: only its kiosks) with their heartbeat answer. The
page never shows a hash.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from server_sync.hub.security import hash_password
from server_sync.hub.services import technicians as service
from server_sync.hub.services.staff import Role
from server_sync.hub.services.technicians import TechnicianError
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
from server_sync.hub.web.fleet import catalogue_offices

router = APIRouter(include_in_schema=False)
Tech = Annotated[Staff, Depends(require(Role.TECHNICIAN))]


def _page(request: Request, staff: Staff, *, status: int = 200, errors: dict[str, str] | None = None,
          form: dict[str, str] | None = None) -> Response:
    hub = hub_of(request)
    with hub.reads() as session:
        rows = service.list_all(session=session)
        session.expunge_all()
    offices = catalogue_offices(request, staff.lang)
    return render(request, "technicians.html", staff, status_code=status, technicians=rows, errors=errors or {},
                  form=form or {}, offices=offices, office_names=dict(offices))


@router.get("/admin/technicians")
def technicians(request: Request, staff: Tech) -> Response:
    return _page(request, staff)


@router.post("/admin/technicians")
def technician_add(request: Request, staff: Tech, csrf: Annotated[str, Form(max_length=100)] = "",
                   name: Annotated[str, Form(max_length=500)] = "", badge: Annotated[str, Form(max_length=200)] = "",
                   pin: Annotated[str, Form(max_length=100)] = "",
                   office: Annotated[str, Form(max_length=64)] = "") -> Response:
    check_csrf(staff, csrf)
    form = {"name": name, "badge": badge, "office": office}  # never the PIN back into the page
    errors: dict[str, str] = {}
    uid = None
    try:
        name = service.normal_name(name)
    except TechnicianError:
        errors["name"] = "invalid"
    try:
        uid = service.normal_badge(badge)
    except TechnicianError:
        errors["badge"] = "invalid"
    try:
        service.check_pin(pin)
    except TechnicianError as exc:
        errors["pin"] = exc.code
    if office and office not in dict(catalogue_offices(request, staff.lang)):
        errors["office"] = "invalid"
    if errors:
        return _page(request, staff, status=422, errors=errors, form=form)
    hub = hub_of(request)
    badge_hash = hub.keyring.badge_hash(uid) if uid else None
    pin_hash = hash_password(pin)  # before the transaction: the hash is slow by design
    try:
        with hub.sessions.begin() as session:
            service.add(session=session, name=name, badge_hash=badge_hash, pin_hash=pin_hash,
                        created_by=staff.username, office_id=office or None)
            audit(request, session, staff, "technician_add", name, badge=bool(badge_hash), office=office or None)
    except TechnicianError as exc:
        return _page(request, staff, status=422, errors={exc.field: exc.code}, form=form)
    return see_other(flash_url("/admin/technicians", "technician_added"))


@router.post("/admin/technicians/{technician_id}/disable")
def technician_disable(request: Request, technician_id: int, staff: Tech,
                       csrf: Annotated[str, Form(max_length=100)] = "",
                       confirm: Annotated[str, Form(max_length=10)] = "") -> Response:
    check_csrf(staff, csrf)
    if confirm != "yes":
        # for good: a withdrawn technician is added again only as a new entry with a new name
        return _page(request, staff, status=422, errors={"withdraw": str(technician_id)})
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        row = service.disable(session=session, technician_id=technician_id)
        if row is None:
            raise PageError(404, "not_found")
        audit(request, session, staff, "technician_disable", row.name)
    return see_other(flash_url("/admin/technicians", "technician_disabled"))
