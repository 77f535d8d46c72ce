"""Administrators' catalogue pages: the current catalogue (services, signal categories, hotlines) and a
service's edit form; signal categories, hotlines and the import of a catalogue file are in
`catalogue_entries` (mounted after this module: its `/admin/catalogue/{kind}/…` must not catch
`/admin/catalogue/services/…`).

Every change is validated by the code `kiosk-hub import-catalogue` runs and published as a new revision
(a new version, so the terminals' ETag changes and they fetch it with their next pull).
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from server_sync.hub.services import catalogue_edit
from server_sync.hub.services.catalogue_edit import CatalogueChanged, CatalogueInvalid, Problem
from server_sync.hub.services.staff import Role
from server_sync.hub.web.common import (
    TIER_NAMES,
    PageError,
    Staff,
    audit,
    check_csrf,
    flash_url,
    hub_of,
    render,
    require,
    see_other,
    tr,
)
from server_sync.protocol.catalogue import DeadlineUnit, Tier

router = APIRouter(include_in_schema=False)
Admin = Annotated[Staff, Depends(require(Role.ADMINISTRATOR))]

TEXT = 2000  # per form field (the model allows longer descriptions; nobody types more here)
TIERS = [t.value for t in Tier]
DEADLINE_NAMES = {"immediate": ("веднага", "immediately"), "same_day": ("в същия ден", "the same day"),
                  "hours": ("часа", "hours"), "days": ("дни", "days"),
                  "working_days": ("работни дни", "working days")}
FIELD_TYPE_NAMES = {"text": ("текст", "text"), "multiline": ("текст на няколко реда", "multi-line text")}


def _current(request: Request) -> tuple[Any, dict[str, Any]]:
    """(the current revision, its data); 404 page when no catalogue was ever imported."""
    hub = hub_of(request)
    with hub.reads() as session:
        revision = catalogue_edit.current(session)
        if revision is None:
            return None, {}
        session.expunge(revision)
    return revision, copy.deepcopy(revision.data)


def _index(items: list[dict[str, Any]], entry_id: str) -> int:
    for i, item in enumerate(items):
        if item.get("id") == entry_id:
            return i
    raise PageError(404, "not_found")


def _i18n(value: Any, lang: str) -> str:
    if not isinstance(value, dict):
        return ""
    return (value.get("en") or value.get("bg") or "") if lang == "en" else (value.get("bg") or "")


def _common(staff: Staff) -> dict[str, Any]:
    return {"tiers_names": TIER_NAMES, "deadline_names": DEADLINE_NAMES, "i18n": lambda v: _i18n(v, staff.lang)}


# ---------------------------------------------------------------------------------------------- overview


def source_words(source: str | None, lang: str) -> str:
    """Where a published catalogue came from, in words: the import's `source` is a code."""
    if not source:
        return ""
    en = lang == "en"
    if source == "shipped":
        return "the catalogue shipped with the software" if en else "каталогът, доставен с програмата"
    if source == "seed-demo":
        return "demo data" if en else "демонстрационни данни"
    if source.startswith("web:"):
        who, _, filename = source[4:].partition(":")
        if filename:
            return f"file {filename} imported by {who}" if en else f"файл {filename}, внесен от {who}"
        return f"edited here by {who}" if en else f"редактиран тук от {who}"
    return f"imported from {source}" if en else f"внесен от {source}"


@router.get("/admin/catalogue")
def catalogue_page(request: Request, staff: Admin) -> Response:
    revision, data = _current(request)
    return render(request, "catalogue.html", staff, revision=revision, data=data,
                  source=source_words(revision.source if revision else None, staff.lang), **_common(staff))


# ---------------------------------------------------------------------------------------------- service


def _service_form(service: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the page shows them, from a service in the catalogue."""
    form: dict[str, Any] = {
        "name_bg": service["name"].get("bg", ""), "name_en": service["name"].get("en", ""),
        "description_bg": service["description"].get("bg", ""),
        "description_en": service["description"].get("en", ""),
        "unit_id": service.get("unit_id", ""), "tiers": [], "fields": [],
        "new_name": "", "new_label_bg": "", "new_label_en": "", "new_type": "text", "new_required": False,
    }
    for tier in service.get("tiers", []):
        deadline = tier.get("deadline") or {}
        fee = tier.get("fee_eur")
        form["tiers"].append({"tier": tier["tier"], "fee": "" if fee is None else str(fee),
                              "deadline_unit": deadline.get("unit", ""),
                              "deadline_amount": str(deadline.get("amount") or "") if deadline else ""})
    for field in service.get("form_fields", []):
        form["fields"].append({"name": field["name"], "type": field["type"], "label_bg": field["label"].get("bg", ""),
                               "label_en": field["label"].get("en", ""), "required": bool(field.get("required")),
                               "remove": False})
    return form


def _service_page(request: Request, staff: Staff, revision: Any, data: dict[str, Any], service_id: str, *,
                  form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                  problems: list[str] | None = None, status: int = 200, conflict: bool = False) -> Response:
    service = data["services"][_index(data.get("services", []), service_id)]
    return render(request, "catalogue_service.html", staff, status_code=status, revision=revision, data=data,
                  service=service, form=form or _service_form(service), errors=errors or {},
                  problems=problems or [], conflict=conflict, units=data.get("units", []),
                  deadline_units=[u.value for u in DeadlineUnit], field_types=FIELD_TYPE_NAMES, **_common(staff))


@router.get("/admin/catalogue/services/{service_id}")
def service_page(request: Request, service_id: str, staff: Admin) -> Response:
    revision, data = _current(request)
    if revision is None:
        raise PageError(404, "not_found")
    return _service_page(request, staff, revision, data, service_id)


def _parse_fee(text: str) -> Decimal | None | str:
    text = text.strip().replace(",", ".").replace("€", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return "bad"
    return value if value.is_finite() else "bad"


def _field_key(loc: tuple, fields: list[dict[str, Any]], new_index: int | None) -> str | None:
    """The form field a problem inside a service's `form_fields[j]` belongs to."""
    if not loc or not isinstance(loc[0], int):
        return None
    j = loc[0]
    part = loc[1] if len(loc) > 1 else None
    sub = loc[2] if len(loc) > 2 else "bg"
    if j == new_index:
        return {"name": "new_name", "label": f"new_label_{sub}" if sub in ("bg", "en") else "new_label_bg"}.get(
            part, "new_name")
    if 0 <= j < len(fields):
        name = fields[j]["name"]
        if part == "label":
            return f"field:{name}:label_{sub if sub in ('bg', 'en') else 'bg'}"
        return f"field:{name}:label_bg"
    return None


def _service_error_key(problem: Problem, service_id: str, index: int, tiers: list[str],
                       fields: list[dict[str, Any]], new_index: int | None) -> str | None:
    loc = problem.loc
    if len(loc) >= 3 and loc[0] == "services" and loc[1] == index:
        part = loc[2]
        if part in ("name", "description"):
            lang = loc[3] if len(loc) > 3 and loc[3] in ("bg", "en") else "bg"
            return f"{part}_{lang}"
        if part == "unit_id":
            return "unit_id"
        if part == "tiers" and len(loc) >= 4 and isinstance(loc[3], int) and loc[3] < len(tiers):
            tier = tiers[loc[3]]
            return f"deadline:{tier}" if len(loc) >= 5 and loc[4] == "deadline" else f"fee:{tier}"
        if part == "form_fields":
            return _field_key(loc[3:], fields, new_index)
        return None
    prefix = f"services[{service_id}]."
    if not loc and problem.text.startswith(prefix):
        rest = problem.text[len(prefix):]
        if rest.startswith("unit_id"):
            return "unit_id"
        if rest.startswith("form_fields["):
            name = rest[len("form_fields["):].split("]", 1)[0]
            return "new_name" if new_index is not None else f"field:{name}:label_bg"
    return None


FRIENDLY = {
    "name_bg": ("Въведете наименование на български (до 8000 знака).", "Enter the Bulgarian name (up to 8000 characters)."),
    "name_en": ("Наименованието на английски е твърде дълго.", "The English name is too long."),
    "description_bg": ("Въведете описание на български.", "Enter the Bulgarian description."),
    "description_en": ("Описанието на английски е твърде дълго.", "The English description is too long."),
    "unit_id": ("Изберете звено от каталога.", "Choose a unit from the catalogue."),
    "fee": ("Таксата е сума в евро, 0 или повече, с до 2 знака след десетичната запетая (празно: не е обявена).",
            "The fee is an amount in euro, 0 or more, with up to 2 decimals (empty: not published)."),
    "deadline": ("Срокът: „веднага“ и „в същия ден“ са без брой; часове и дни — цяло число от 1 до 3650.",
                 "Deadline: 'immediately' and 'the same day' take no amount; hours and days a whole number 1–3650."),
    "label_bg": ("Въведете етикет на български.", "Enter the Bulgarian label."),
    "label_en": ("Етикетът на английски е твърде дълъг.", "The English label is too long."),
    "new_name": ("Име на поле: малки латински букви, цифри, „_“, „-“ или „.“, различно от другите полета.",
                 "Field name: lower-case Latin letters, digits, '_', '-' or '.', unlike the other fields."),
}


def _friendly(key: str) -> tuple[str, str]:
    base = key.split(":")[0] if not key.startswith("field:") else key.rsplit(":", 1)[1]
    if key.startswith("new_label_"):
        base = key[len("new_"):]
    return FRIENDLY.get(base, ("Невалидна стойност.", "Invalid value."))


@router.post("/admin/catalogue/services/{service_id}")
def service_save(
    request: Request, service_id: str, staff: Admin,
    csrf: Annotated[str, Form(max_length=100)] = "",
    version: Annotated[str, Form(max_length=64)] = "",
    name_bg: Annotated[str, Form(max_length=TEXT)] = "", name_en: Annotated[str, Form(max_length=TEXT)] = "",
    description_bg: Annotated[str, Form(max_length=8000)] = "",
    description_en: Annotated[str, Form(max_length=8000)] = "",
    unit_id: Annotated[str, Form(max_length=64)] = "",
    tier: Annotated[list[str], Form()] = [],  # noqa: B006
    fee: Annotated[list[str], Form()] = [],  # noqa: B006
    deadline_unit: Annotated[list[str], Form()] = [],  # noqa: B006
    deadline_amount: Annotated[list[str], Form()] = [],  # noqa: B006
    field_name: Annotated[list[str], Form()] = [],  # noqa: B006
    field_label_bg: Annotated[list[str], Form()] = [],  # noqa: B006
    field_label_en: Annotated[list[str], Form()] = [],  # noqa: B006
    field_required: Annotated[list[str], Form()] = [],  # noqa: B006
    field_remove: Annotated[list[str], Form()] = [],  # noqa: B006
    new_name: Annotated[str, Form(max_length=64)] = "",
    new_label_bg: Annotated[str, Form(max_length=TEXT)] = "",
    new_label_en: Annotated[str, Form(max_length=TEXT)] = "",
    new_type: Annotated[str, Form(max_length=20)] = "text",
    new_required: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    check_csrf(staff, csrf)
    t = tr(staff.lang)
    revision, data = _current(request)
    if revision is None:
        raise PageError(404, "not_found")
    index = _index(data.get("services", []), service_id)
    old = data["services"][index]
    service = copy.deepcopy(old)
    errors: dict[str, str] = {}

    # The form as it came (shown again when something is wrong).
    old_tiers = [tr_["tier"] for tr_ in old.get("tiers", [])]
    tiers_in = [{"tier": name, "fee": (fee[i] if i < len(fee) else "")[:40],
                 "deadline_unit": (deadline_unit[i] if i < len(deadline_unit) else "")[:20],
                 "deadline_amount": (deadline_amount[i] if i < len(deadline_amount) else "")[:10]}
                for i, name in enumerate(tier[:len(TIERS)])]
    old_fields = {f["name"]: f for f in old.get("form_fields", [])}
    fields_in = [{"name": name, "type": old_fields.get(name, {}).get("type", "text"),
                  "label_bg": (field_label_bg[i] if i < len(field_label_bg) else "")[:TEXT],
                  "label_en": (field_label_en[i] if i < len(field_label_en) else "")[:TEXT],
                  "required": name in field_required, "remove": name in field_remove}
                 for i, name in enumerate(field_name[:200])]
    form = {"name_bg": name_bg, "name_en": name_en, "description_bg": description_bg,
            "description_en": description_en, "unit_id": unit_id, "tiers": tiers_in, "fields": fields_in,
            "new_name": new_name, "new_label_bg": new_label_bg, "new_label_en": new_label_en,
            "new_type": new_type if new_type in FIELD_TYPE_NAMES else "text", "new_required": bool(new_required)}
    if [x["tier"] for x in tiers_in] != old_tiers or [f["name"] for f in fields_in] != list(old_fields):
        # The form no longer matches the service (an old page after someone else's change).
        return _service_page(request, staff, revision, data, service_id, status=409, conflict=True)

    # Build the changed service.
    # Trimmed here: the wire model trims after its length check, so "   " would pass as a name.
    service["name"] = {**old["name"], "bg": name_bg.strip(), "en": name_en.strip()}
    service["description"] = {**old["description"], "bg": description_bg.strip(), "en": description_en.strip()}
    service["unit_id"] = unit_id.strip()
    new_tiers = []
    for old_tier, given in zip(old["tiers"], tiers_in):
        tier_data = copy.deepcopy(old_tier)
        parsed = _parse_fee(given["fee"])
        if parsed == "bad":
            errors[f"fee:{given['tier']}"] = t(*FRIENDLY["fee"])
        else:
            tier_data["fee_eur"] = None if parsed is None else str(parsed)
        unit = given["deadline_unit"]
        if not unit:
            tier_data["deadline"] = None
        else:
            amount_text = given["deadline_amount"].strip()
            try:
                amount = int(amount_text) if amount_text else 0
            except ValueError:
                errors[f"deadline:{given['tier']}"] = t(*FRIENDLY["deadline"])
                amount = 0
            tier_data["deadline"] = {"unit": unit, "amount": amount}
        new_tiers.append(tier_data)
    service["tiers"] = new_tiers
    new_form_fields = []
    for given in fields_in:
        if given["remove"]:
            continue
        field_data = copy.deepcopy(old_fields[given["name"]])
        field_data["label"] = {**field_data["label"], "bg": given["label_bg"].strip(),
                               "en": given["label_en"].strip()}
        field_data["required"] = given["required"]
        new_form_fields.append(field_data)
    new_index = None
    if new_name.strip() or new_label_bg.strip() or new_label_en.strip():
        new_index = len(new_form_fields)
        new_form_fields.append({"name": new_name.strip(), "label": {"bg": new_label_bg.strip(), "en": new_label_en.strip()},
                                "type": form["new_type"], "required": bool(new_required), "max_length": 500})
    service["form_fields"] = new_form_fields
    data["services"][index] = service

    # Validate the whole catalogue as an import would.
    problems: list[str] = []
    try:
        checked = catalogue_edit.validate(data)
    except CatalogueInvalid as exc:
        checked = None
        remaining = [f for f in fields_in if not f["remove"]]
        for problem in exc.problems:
            problems.append(problem.text)
            key = _service_error_key(problem, service_id, index, old_tiers, remaining, new_index)
            if key and key not in errors:
                errors[key] = t(*_friendly(key)) + " — " + problem.text
    if errors or checked is None:
        if not problems:
            problems = [t("Поправете отбелязаните полета.", "Correct the marked fields.")]
        return _service_page(request, staff, revision, data_unchanged(revision), service_id, form=form,
                             errors=errors, problems=problems, status=422)

    changed = _changed(old, checked.services[index].model_dump(mode="json"))
    return _publish_edit(
        request, staff, revision, checked, version, f"services/{service_id}", changed,
        conflict=lambda: _service_page(request, staff, revision, data_unchanged(revision), service_id, status=409,
                                       conflict=True))


def _publish_edit(request: Request, staff: Staff, revision: Any, checked: Any, version: str | None, target: str,
                  changed: list[str], *, conflict) -> Response:
    """Publish an edited entry as a new catalogue version (audit-logged) and show its page again;
    nothing changed: nothing published; someone published meanwhile: `conflict()` (409)."""
    page = f"/admin/catalogue/{target}"
    if not changed:
        return see_other(flash_url(page, "saved"))
    hub = hub_of(request)
    try:
        with hub.sessions.begin() as session:
            new_version = catalogue_edit.publish(session=session, data=checked, source=f"web:{staff.username}",
                                                 expected_version=version or revision.version)
            audit(request, session, staff, "catalogue_edit", target, changed=changed,
                  version=new_version, previous=revision.version)
    except CatalogueChanged:
        return conflict()
    return see_other(flash_url(page, "catalogue_published"))


def data_unchanged(revision: Any) -> dict[str, Any]:
    return copy.deepcopy(revision.data)


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names of what differs between two versions of an entry (tiers and fields itemised)."""
    out: list[str] = []
    for key in sorted(set(old) | set(new)):
        if key == "tiers":
            olds = {x["tier"]: x for x in old.get("tiers", [])}
            for x in new.get("tiers", []):
                before = olds.get(x["tier"], {})
                for part in ("fee_eur", "deadline"):
                    if _norm(before.get(part)) != _norm(x.get(part)):
                        out.append(f"tiers.{x['tier']}.{part}")
        elif key == "form_fields":
            olds = {x["name"]: x for x in old.get("form_fields", [])}
            news = {x["name"]: x for x in new.get("form_fields", [])}
            out += [f"form_fields.{n}:removed" for n in olds if n not in news]
            out += [f"form_fields.{n}:added" for n in news if n not in olds]
            out += [f"form_fields.{n}" for n in news if n in olds and _norm(olds[n]) != _norm(news[n])]
        elif _norm(old.get(key)) != _norm(new.get(key)):
            out.append(key)
    return out


def _norm(value: Any) -> Any:
    """JSON data compared by meaning: defaults omitted or given, amounts as numbers."""
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if v not in (None, [], "", False, 0)}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, str):
        try:
            return Decimal(value) if value and value[0].isdigit() else value
        except InvalidOperation:
            return value
    return value
