"""Administrators' catalogue pages for signal categories and hotlines (their edit forms) and the
import of a whole catalogue file. Published like a service's edit (`catalogue._publish_edit`)."""

from __future__ import annotations

import copy
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response

from server_sync.hub.services import catalogue_edit
from server_sync.hub.services.catalogue_edit import CatalogueInvalid
from server_sync.hub.web.catalogue import (
    FRIENDLY,
    TEXT,
    Admin,
    _changed,
    _common,
    _current,
    _index,
    _publish_edit,
    data_unchanged,
)
from server_sync.hub.web.common import PageError, Staff, audit, check_csrf, flash_url, hub_of, render, see_other, tr

router = APIRouter(include_in_schema=False)
UPLOAD_LIMIT = 2 * 1024 * 1024  # a real catalogue is tens of kilobytes


# ---------------------------------------------------------------------------------------------- signal categories, hotlines


ENTRY_KINDS = {
    "signal-categories": ("signal_categories", ("Категория сигнали", "Signal category")),
    "hotlines": ("hotlines", ("Гореща линия", "Hotline")),
}


def _entry_form(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    form = {"name_bg": entry["name"].get("bg", ""), "name_en": entry["name"].get("en", "")}
    if kind == "hotlines":
        hours = entry.get("hours") or {}
        form.update(phone=entry.get("phone", ""), hours_bg=hours.get("bg", ""), hours_en=hours.get("en", ""))
    else:
        description = entry.get("description") or {}
        form.update(description_bg=description.get("bg", ""), description_en=description.get("en", ""),
                    anonymous_allowed=bool(entry.get("anonymous_allowed", True)),
                    location_required=bool(entry.get("location_required", False)))
    return form


def _entry_page(request: Request, staff: Staff, revision: Any, data: dict[str, Any], kind: str, entry_id: str, *,
                form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                problems: list[str] | None = None, status: int = 200, conflict: bool = False) -> Response:
    if kind not in ENTRY_KINDS:
        raise PageError(404, "not_found")
    key, label = ENTRY_KINDS[kind]
    entry = data[key][_index(data.get(key, []), entry_id)]
    return render(request, "catalogue_entry.html", staff, status_code=status, revision=revision, kind=kind,
                  kind_label=label, entry=entry, form=form or _entry_form(kind, entry), errors=errors or {},
                  problems=problems or [], conflict=conflict, **_common(staff))


@router.get("/admin/catalogue/{kind}/{entry_id}")
def entry_page(request: Request, kind: str, entry_id: str, staff: Admin) -> Response:
    if kind not in ENTRY_KINDS:
        raise PageError(404, "not_found")
    revision, data = _current(request)
    if revision is None:
        raise PageError(404, "not_found")
    return _entry_page(request, staff, revision, data, kind, entry_id)


@router.post("/admin/catalogue/{kind}/{entry_id}")
def entry_save(
    request: Request, kind: str, entry_id: str, staff: Admin,
    csrf: Annotated[str, Form(max_length=100)] = "",
    version: Annotated[str, Form(max_length=64)] = "",
    name_bg: Annotated[str, Form(max_length=TEXT)] = "", name_en: Annotated[str, Form(max_length=TEXT)] = "",
    description_bg: Annotated[str, Form(max_length=TEXT)] = "",
    description_en: Annotated[str, Form(max_length=TEXT)] = "",
    anonymous_allowed: Annotated[str, Form(max_length=10)] = "",
    location_required: Annotated[str, Form(max_length=10)] = "",
    phone: Annotated[str, Form(max_length=64)] = "",
    hours_bg: Annotated[str, Form(max_length=TEXT)] = "", hours_en: Annotated[str, Form(max_length=TEXT)] = "",
) -> Response:
    check_csrf(staff, csrf)
    if kind not in ENTRY_KINDS:
        raise PageError(404, "not_found")
    t = tr(staff.lang)
    revision, data = _current(request)
    if revision is None:
        raise PageError(404, "not_found")
    key, _label = ENTRY_KINDS[kind]
    index = _index(data.get(key, []), entry_id)
    old = data[key][index]
    entry = copy.deepcopy(old)
    entry["name"] = {**old["name"], "bg": name_bg.strip(), "en": name_en.strip()}
    form: dict[str, Any] = {"name_bg": name_bg, "name_en": name_en}
    if kind == "hotlines":
        entry["phone"] = phone.strip()
        entry["hours"] = {"bg": hours_bg.strip(), "en": hours_en.strip()} if (hours_bg.strip() or hours_en.strip()) else None
        form.update(phone=phone, hours_bg=hours_bg, hours_en=hours_en)
    else:
        entry["description"] = ({"bg": description_bg.strip(), "en": description_en.strip()}
                                if (description_bg.strip() or description_en.strip()) else None)
        entry["anonymous_allowed"] = bool(anonymous_allowed)
        entry["location_required"] = bool(location_required)
        form.update(description_bg=description_bg, description_en=description_en,
                    anonymous_allowed=bool(anonymous_allowed), location_required=bool(location_required))
    data[key][index] = entry
    errors: dict[str, str] = {}
    problems: list[str] = []
    try:
        checked = catalogue_edit.validate(data)
    except CatalogueInvalid as exc:
        for problem in exc.problems:
            problems.append(problem.text)
            loc = problem.loc
            if len(loc) >= 3 and loc[0] == key and loc[1] == index:
                part = loc[2]
                sub = loc[3] if len(loc) > 3 and loc[3] in ("bg", "en") else "bg"
                field = "phone" if part == "phone" else f"{part}_{sub}"
                messages = {"phone": ("Телефон: цифри, интервали и + ( ) / -, от 3 до 32 знака.",
                                      "Phone: digits, spaces and + ( ) / -, 3 to 32 characters."),
                            "name_bg": FRIENDLY["name_bg"], "description_bg": FRIENDLY["description_bg"]}
                errors.setdefault(field, t(*messages.get(field, ("Невалидна стойност.", "Invalid value.")))
                                  + " — " + problem.text)
        return _entry_page(request, staff, revision, data_unchanged(revision), kind, entry_id, form=form,
                           errors=errors, problems=problems, status=422)
    new = checked.model_dump(mode="json")[key][index]
    changed = _changed(old, new)
    return _publish_edit(
        request, staff, revision, checked, version, f"{kind}/{entry_id}", changed,
        conflict=lambda: _entry_page(request, staff, revision, data_unchanged(revision), kind, entry_id, status=409,
                                     conflict=True))


# ---------------------------------------------------------------------------------------------- import


def _import_page(request: Request, staff: Staff, *, status: int = 200, problems: list[str] | None = None,
                 filename: str = "", checked: str | None = None, error: str | None = None) -> Response:
    revision, _data = _current(request)
    return render(request, "catalogue_import.html", staff, status_code=status, revision=revision,
                  problems=problems or [], filename=filename, checked=checked, error=error,
                  limit_kb=UPLOAD_LIMIT // 1024)


@router.get("/admin/catalogue/import")
def import_page(request: Request, staff: Admin) -> Response:
    return _import_page(request, staff)


@router.post("/admin/catalogue/import")
def import_file(request: Request, staff: Admin, csrf: Annotated[str, Form(max_length=100)] = "",
                file: UploadFile | None = None, check_only: Annotated[str, Form(max_length=10)] = "") -> Response:
    check_csrf(staff, csrf)
    if file is None or not file.filename:
        return _import_page(request, staff, status=422, error="missing")
    filename = file.filename[-200:]
    content = file.file.read(UPLOAD_LIMIT + 1)
    if len(content) > UPLOAD_LIMIT:
        return _import_page(request, staff, status=413, error="too_big", filename=filename)
    try:
        data = catalogue_edit.check_file(filename, content)
    except CatalogueInvalid as exc:
        return _import_page(request, staff, status=422, problems=[p.text for p in exc.problems], filename=filename)
    summary = (f"{len(data.services)} services, {len(data.signal_categories)} signal categories, "
               f"{len(data.hotlines)} hotlines, {len(data.offices)} offices")
    if check_only:
        return _import_page(request, staff, filename=filename, checked=summary)
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        previous = catalogue_edit.current(session)
        previous_version = previous.version if previous else None
        version = catalogue_edit.publish(session=session, data=data, source=f"web:{staff.username}:{filename}")
        audit(request, session, staff, "catalogue_import", filename, version=version, previous=previous_version,
              services=len(data.services), signal_categories=len(data.signal_categories),
              hotlines=len(data.hotlines), offices=len(data.offices))
    return see_other(flash_url("/admin/catalogue", "catalogue_published"))
