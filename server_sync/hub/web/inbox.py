"""The clerks' inbox: `/admin/requests` (filters, order, pages) and a request's page with its status change.

Clerks and administrators only (technicians get 403). A clerk limited to units sees only those
units' requests, everywhere: the list, a request's page (404 otherwise) and the status change.
Personal data appears only on a request's own page, and every view of a page that shows it is
written to the audit log.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from server_sync.hub.db import utcnow
from server_sync.hub.errors import ApiError
from server_sync.hub.services import inbox as inbox_service
from server_sync.hub.services import submissions
from server_sync.hub.services.staff import Role
from server_sync.hub.web.common import (
    CHANNEL_NAMES,
    KIND_NAMES,
    STATUS_NAMES,
    PageError,
    Staff,
    audit,
    check_csrf,
    flash_url,
    hub_of,
    int_param,
    render,
    require,
    see_other,
)
from server_sync.protocol import RequestStatus
from server_sync.protocol.catalogue import FieldType

router = APIRouter(include_in_schema=False)
Clerk = Annotated[Staff, Depends(require(Role.CLERK))]

NOTE_MAX = 2000  # the wire's Text: a public note travels to kiosks in TrackingResponse


def _catalogue(request: Request):
    hub = hub_of(request)
    with hub.reads() as session:
        current = hub.catalogue.get(session)
    return current[0] if current else None


def _names(items, lang: str) -> dict[str, str]:
    return {item.id: item.name.get(lang) for item in items}


def _choice(value: str | None, allowed) -> str | None:
    value = (value or "").strip()
    return value if value and value in allowed else None


def _units_of(staff: Staff) -> list[str] | None:
    return list(staff.user.units or []) or None


def _lookups(request: Request, staff: Staff) -> dict[str, Any]:
    catalogue = _catalogue(request)
    lang = staff.lang
    units = _names(catalogue.units, lang) if catalogue else {}
    limited = _units_of(staff)
    return {
        "units": {k: v for k, v in units.items() if not limited or k in limited},
        "all_units": units,
        "services": _names(catalogue.services, lang) if catalogue else {},
        "categories": _names(catalogue.signal_categories, lang) if catalogue else {},
        "offices": _names(catalogue.offices, lang) if catalogue else {},
        "catalogue": catalogue,
    }


@router.get("/admin/requests")
def inbox(request: Request, staff: Clerk) -> Response:
    q = request.query_params
    names = _lookups(request, staff)
    limited, catalogue = _units_of(staff), names["catalogue"]
    if limited and catalogue:  # a clerk of some units chooses among their services and categories only
        names["services"] = {s.id: names["services"][s.id] for s in catalogue.services if s.unit_id in limited}
        names["categories"] = {c.id: names["categories"][c.id] for c in catalogue.signal_categories
                               if c.unit_id in limited}
    filters = inbox_service.Filters(
        kind=_choice(q.get("kind"), ("service_request", "signal")),
        service=_choice(q.get("service"), names["services"]),
        category=_choice(q.get("category"), names["categories"]),
        unit=_choice(q.get("unit"), names["units"]),
        status=_choice(q.get("status"), STATUS_NAMES),
        office=_choice(q.get("office"), names["offices"]),
        channel=_choice(q.get("channel"), CHANNEL_NAMES),
        overdue=q.get("overdue") in ("1", "on", "true"),
        order=_choice(q.get("order"), inbox_service.ORDERS) or "newest",
    )
    now = utcnow()
    hub = hub_of(request)
    with hub.reads() as session:
        result = inbox_service.page(session=session, filters=filters, units=_units_of(staff), now=now,
                                    page=int_param(q.get("page"), 1, 1, 10_000))
    return render(request, "inbox.html", staff, result=result, filters=filters, now=now,
                  is_overdue=inbox_service.is_overdue, count_cap=inbox_service.COUNT_CAP,
                  kinds=("service_request", "signal"), statuses=list(STATUS_NAMES), channels=list(CHANNEL_NAMES),
                  **{k: v for k, v in names.items() if k != "catalogue"})


# How the request page names a signal's type and the language the citizen filed in.
SIGNAL_TYPE_NAMES = {"problem": ("проблем", "problem"), "complaint": ("жалба", "complaint"),
                     "praise": ("похвала", "praise"), "proposal": ("предложение", "proposal"),
                     "question": ("въпрос", "question")}
LANGUAGE_NAMES = {"bg": ("български", "Bulgarian"), "en": ("английски", "English")}


def _date_as_written(value: str) -> str:
    """A form's date ("2026-10-01") as Bulgarian documents write it ("01.10.2026")."""
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        return value


def _field_rows(row, catalogue, lang: str, personal: bool) -> list[tuple[str, Any, bool]]:
    """(label, value, is_personal) for the filed form, labelled from the catalogue where it can be."""
    service = next((s for s in catalogue.services if s.id == row.service_id), None) if catalogue else None
    fields = {f.name: f for f in service.form_fields} if service else {}
    out: list[tuple[str, Any, bool]] = []
    sources = [(row.form or {}, False)] + ([(row.personal_fields or {}, True)] if personal else [])
    for values, is_personal in sources:
        for name, value in values.items():
            f = fields.get(name)
            label = f.label.get(lang) if f else name
            if f is not None and f.choices:
                value = next((c.label.get(lang) for c in f.choices if c.value == value), value)
            if isinstance(value, bool):
                value = ("да", "yes")[lang == "en"] if value else ("не", "no")[lang == "en"]
            elif f is not None and f.type == FieldType.DATE and isinstance(value, str):
                value = _date_as_written(value)
            out.append((label, value, is_personal))
    return out


def _request_page(request: Request, staff: Staff, number: str, *, status_code: int = 200,
                  errors: dict[str, str] | None = None, form: dict[str, str] | None = None) -> Response:
    hub = hub_of(request)
    names = _lookups(request, staff)
    catalogue = names["catalogue"]
    units = _units_of(staff)
    # Reaching this page at all means: an administrator, or a clerk of this request's unit (a clerk
    # limited to other units gets 404 below; an unlimited clerk is a clerk of every unit).
    with hub.sessions.begin() as session:
        row = inbox_service.get(session=session, number=number, units=units)
        if row is None:
            raise PageError(404, "not_found")
        personal = inbox_service.has_personal_data(row)
        if personal:
            audit(request, session, staff, "personal_data_view", row.number)
        history = list(row.history)
        terminal = inbox_service.terminal_name(session, row.terminal_id)
        session.expunge_all()
    now = utcnow()
    place = None
    if row.location and catalogue and row.location.get("place_id"):
        place = next((p.name.get(staff.lang) for p in catalogue.places if p.id == row.location["place_id"]), None)
    allowed = sorted((s.value for s in submissions.ALLOWED.get(RequestStatus(row.status), set())),
                     key=list(STATUS_NAMES).index)
    if allowed:  # first, and chosen unless the clerk chose otherwise: a note without a new status
        allowed.insert(0, row.status)
    return render(request, "request.html", staff, status_code=status_code, item=row, history=history,
                  personal=personal, fields=_field_rows(row, catalogue, staff.lang, personal),
                  overdue=inbox_service.is_overdue(row.status, row.deadline_at, now), terminal=terminal,
                  place=place, allowed=allowed, errors=errors or {}, form=form or {},
                  unit_name=names["all_units"].get(row.unit_id or "", row.unit_id),
                  service_name=names["services"].get(row.service_id or "", row.service_id),
                  category_name=names["categories"].get(row.signal_category_id or "", row.signal_category_id),
                  office_name=names["offices"].get(row.office_id or "", row.office_id),
                  kind_names=KIND_NAMES, signal_type_names=SIGNAL_TYPE_NAMES, language_names=LANGUAGE_NAMES,
                  saved=request.query_params.get("done") in ("status_changed", "note_added"))


@router.get("/admin/requests/{number:path}")
def request_page(request: Request, number: str, staff: Clerk) -> Response:
    return _request_page(request, staff, number)


# What a public note must not carry by mistake: anyone with the receipt's code reads it on /t/.
_LOOKS_PERSONAL = [
    ("egn", re.compile(r"(?<!\d)\d{10}(?!\d)")),
    ("email", re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")),
    ("phone", re.compile(r"(?<![\d])(?:\+359|0)[\s/-]?\d(?:[\s/-]?\d){7,8}(?!\d)")),
]


def looks_personal(note: str | None) -> list[str]:
    """Which kinds of personal data (ЕГН, e-mail, phone) a note seems to hold."""
    if not note:
        return []
    return [kind for kind, pattern in _LOOKS_PERSONAL if pattern.search(note)]


def _note(value: str) -> str | None:
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    return value or None


@router.post("/admin/requests/{number:path}")
def change_status(request: Request, number: str, staff: Clerk, csrf: Annotated[str, Form(max_length=200)] = "",
                  status: Annotated[str, Form(max_length=100)] = "",
                  note: Annotated[str, Form(max_length=100_000)] = "",
                  internal_note: Annotated[str, Form(max_length=100_000)] = "",
                  publish_anyway: Annotated[str, Form(max_length=10)] = "",
                  confirm_final: Annotated[str, Form(max_length=10)] = "") -> Response:
    check_csrf(staff, csrf)
    public, internal = _note(note), _note(internal_note)
    form = {"status": status, "note": note, "internal_note": internal_note}
    errors: dict[str, str] = {}
    if status not in {s.value for s in RequestStatus}:
        errors["status"] = "status"
    elif RequestStatus(status) in submissions.FINAL and not confirm_final:
        errors["status"] = "confirm_final"  # closing is for good: asked, not done on one stray Enter
    personal = looks_personal(public)
    if personal and not publish_anyway:
        errors["note"] = "looks_personal:" + ",".join(personal)
    for key, value in (("note", public), ("internal_note", internal)):
        if value and len(value) > NOTE_MAX:
            errors[key] = "too_long"
        elif value and "\x00" in value:
            errors[key] = "bad_char"
    hub = hub_of(request)
    if not errors:
        try:
            with hub.sessions.begin() as session:
                row = inbox_service.get(session=session, number=number, units=_units_of(staff))
                if row is None:
                    raise PageError(404, "not_found")
                before = row.status
                flash = "note_added" if status == before else "status_changed"
                submissions.change_status(session=session, number=row.number, status=RequestStatus(status),
                                          note=public, internal_note=internal, staff=staff.username)
                audit(request, session, staff, "status_change", row.number, old=before, new=status,
                      public_note=bool(public), internal_note=bool(internal))
                number = row.number
        except ApiError as exc:
            if exc.status == 404:
                raise PageError(404, "not_found") from None
            errors["status" if exc.status == 409 else "note"] = "transition" if exc.status == 409 else "needed"
    if errors:
        return _request_page(request, staff, number, status_code=422, errors=errors, form=form)
    return see_other(flash_url("/admin/requests/" + quote(number, safe=""), flash))
