"""GeoReport v2 over the hub's catalogue and requests.

Service codes: a catalogue service is `service:<id>`, a signal category `signal:<id>` (catalogue ids
are `[a-z0-9][a-z0-9_.-]*`, so the prefix keeps the two apart). The incoming number is the
`service_request_id`. What Open311 GETs show: every signal (the public issues a city app maps) and
every request filed through Open311; a kiosk's or a counter's service request is tracked only with its
tracking code, never by its number alone. No GET answer carries personal data: no name, contact,
form, ЕГН; descriptions (free text) only with `open311_publish_descriptions`, and then only signals'.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.deadlines import SOFIA
from server_sync.hub.errors import ApiError
from server_sync.hub.models import ServiceRequest, StatusChange
from server_sync.hub.security import Keyring
from server_sync.hub.services import submissions
from server_sync.protocol import Applicant, Catalogue, Channel, FieldType, Location, SubmissionKind, SubmissionRequest
from server_sync.protocol.catalogue import SignalType

SERVICE, SIGNAL = "service:", "signal:"
MAX_DESCRIPTION = 4000
MAX_RESULTS = 1000
DEFAULT_SPAN = timedelta(days=90)
CLOSED = ("resolved", "rejected")
OPEN = ("registered", "pending", "in_progress")
# mySociety's servicerequestupdates statuses (lower case, as FixMyStreet reads them)
UPDATE_STATUS = {"registered": "open", "pending": "open", "in_progress": "in_progress", "resolved": "fixed",
                 "rejected": "closed"}
DATATYPES = {
    FieldType.TEXT: "string", FieldType.MULTILINE: "text", FieldType.NUMBER: "number", FieldType.DATE: "datetime",
    FieldType.PHONE: "string", FieldType.EMAIL: "string", FieldType.CHOICE: "singlevaluelist",
    FieldType.CHECKBOX: "singlevaluelist", FieldType.EGN: "string", FieldType.ADDRESS: "string",
    FieldType.NAME: "string",
}
SIGNAL_TYPES = {
    "problem": ("Проблем", "Problem"), "complaint": ("Оплакване", "Complaint"), "praise": ("Похвала", "Praise"),
    "proposal": ("Предложение", "Proposal"), "question": ("Въпрос", "Question"),
}


class Open311Error(Exception):
    """An answer in GeoReport's error shape: 400, 403, 404 or 429."""

    def __init__(self, status: int, description: str, headers: dict[str, str] | None = None):
        super().__init__(description)
        self.status, self.description, self.headers = status, description, headers


def lang_of(locale: str | None) -> str:
    return "en" if (locale or "").lower().replace("-", "_").startswith("en") else "bg"


def _t(lang: str, bg: str, en: str) -> str:
    return en if lang == "en" else bg


# --- services ------------------------------------------------------------------------------------


def _find(catalogue: Catalogue, code: str):
    """(kind, item) for a service code, or None."""
    if code.startswith(SERVICE):
        item = next((s for s in catalogue.services if s.id == code[len(SERVICE):]), None)
        return ("service", item) if item else None
    if code.startswith(SIGNAL):
        item = next((c for c in catalogue.signal_categories if c.id == code[len(SIGNAL):]), None)
        return ("signal", item) if item else None
    return None


def code_of(row_kind: str, service_id: str | None, category_id: str | None) -> str:
    return SERVICE + (service_id or "") if row_kind == SubmissionKind.SERVICE_REQUEST else SIGNAL + (category_id or "")


def _unit_name(catalogue: Catalogue, unit_id: str | None, lang: str) -> str:
    unit = next((u for u in catalogue.units if u.id == unit_id), None)
    return unit.name.get(lang) if unit else ""


def _form_attributes(service) -> list:
    # Personal fields travel sealed from a kiosk; an Open311 client files none.
    return [f for f in service.form_fields if not f.is_personal]


def services(catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    out = []
    for s in catalogue.services:
        out.append({
            "service_code": SERVICE + s.id, "service_name": s.name.get(lang), "description": s.description.get(lang),
            "metadata": bool(_form_attributes(s)), "type": "realtime", "keywords": ", ".join(s.keywords),
            "group": _unit_name(catalogue, s.unit_id, lang) or _t(lang, "Услуги", "Services"),
        })
    for c in catalogue.signal_categories:
        out.append({
            "service_code": SIGNAL + c.id, "service_name": c.name.get(lang),
            "description": c.description.get(lang) if c.description else "",
            "metadata": True, "type": "realtime", "keywords": _t(lang, "сигнал", "signal"),
            "group": _t(lang, "Сигнали", "Signals"),
        })
    return out


def definition(catalogue: Catalogue, code: str, lang: str) -> dict[str, Any]:
    found = _find(catalogue, code)
    if found is None:
        raise Open311Error(404, f"service_code: no service {code!r}")
    kind, item = found
    attributes: list[dict[str, Any]] = []
    if kind == "signal":
        attributes.append({
            "variable": True, "code": "signal_type", "datatype": "singlevaluelist", "required": False,
            "datatype_description": _t(lang, "По подразбиране: проблем", "Default: problem"), "order": 1,
            "description": _t(lang, "Вид на сигнала", "Kind of signal"),
            "values": [{"key": k, "name": _t(lang, *v)} for k, v in SIGNAL_TYPES.items()],
        })
    else:
        for order, f in enumerate(_form_attributes(item), start=1):
            values = []
            if f.type == FieldType.CHOICE:
                values = [{"key": c.value, "name": c.label.get(lang)} for c in f.choices]
            elif f.type == FieldType.CHECKBOX:
                values = [{"key": "true", "name": _t(lang, "да", "yes")}, {"key": "false", "name": _t(lang, "не", "no")}]
            hint = f.help.get(lang) if f.help else ""
            if f.type == FieldType.DATE:
                hint = hint or _t(lang, "Дата (ГГГГ-ММ-ДД)", "A date (YYYY-MM-DD)")
            attributes.append({
                "variable": True, "code": f.name, "datatype": DATATYPES[f.type], "required": f.required,
                "datatype_description": hint, "order": order, "description": f.label.get(lang), "values": values,
            })
    return {"service_code": code, "attributes": attributes}


# --- requests ------------------------------------------------------------------------------------


def visible():
    """The rows Open311 GETs may show (see the module's docstring)."""
    return or_(ServiceRequest.kind == SubmissionKind.SIGNAL.value, ServiceRequest.channel == Channel.OPEN311.value)


COLUMNS = (ServiceRequest.id, ServiceRequest.number, ServiceRequest.kind, ServiceRequest.channel,
           ServiceRequest.status, ServiceRequest.service_id, ServiceRequest.signal_category_id,
           ServiceRequest.title, ServiceRequest.unit_id, ServiceRequest.registered_at, ServiceRequest.deadline_at,
           ServiceRequest.location, ServiceRequest.description, ServiceRequest.signal_type)


@dataclass
class Query:
    ids: list[str] | None = None
    codes: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    status: str | None = None  # "open" / "closed"


def parse_time(name: str, value: str | None) -> datetime | None:
    if value is None or value.strip() == "":
        return None
    text = value.strip().replace("Z", "+00:00").replace(" ", "+")  # a '+' in a query often arrives as a space
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            raise Open311Error(400, f"{name}: not a W3C date and time ({value[:40]!r})") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SOFIA)  # a time without an offset is the municipality's
    if not 1970 <= moment.year <= 2199:
        raise Open311Error(400, f"{name}: out of range")
    return moment


def make_query(params) -> Query:
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:  # the specification: other parameters are then ignored
        if len(ids) > MAX_RESULTS:
            raise Open311Error(400, f"service_request_id: at most {MAX_RESULTS} ids")
        return Query(ids=ids)
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()] or None
    status = (params.get("status") or "").strip().lower() or None
    if status is not None and status not in ("open", "closed"):
        raise Open311Error(400, "status: open or closed")
    start, end = parse_time("start_date", params.get("start_date")), parse_time("end_date", params.get("end_date"))
    if start and end and end < start:
        raise Open311Error(400, "end_date: before start_date")
    if start and end and end - start > DEFAULT_SPAN:
        raise Open311Error(400, "start_date, end_date: the range may not span more than 90 days")
    if end is None:
        end = start + DEFAULT_SPAN if start else utcnow()
    if start is None:
        start = end - DEFAULT_SPAN
    return Query(codes=codes, start=start, end=end, status=status)


def _code_conditions(codes: list[str]):
    service_ids = [c[len(SERVICE):] for c in codes if c.startswith(SERVICE)]
    category_ids = [c[len(SIGNAL):] for c in codes if c.startswith(SIGNAL)]
    parts = []
    if service_ids:
        parts.append(and_(ServiceRequest.kind == SubmissionKind.SERVICE_REQUEST.value,
                          ServiceRequest.service_id.in_(service_ids)))
    if category_ids:
        parts.append(and_(ServiceRequest.kind == SubmissionKind.SIGNAL.value,
                          ServiceRequest.signal_category_id.in_(category_ids)))
    return or_(*parts) if parts else None


def find_rows(session: Session, query: Query) -> list[Any]:
    q = select(*COLUMNS).where(visible())
    if query.ids is not None:
        q = q.where(ServiceRequest.number.in_(query.ids))
        return list(session.execute(q.order_by(ServiceRequest.registered_at.desc()).limit(MAX_RESULTS)).all())
    if query.codes:
        condition = _code_conditions(query.codes)
        if condition is None:
            return []
        q = q.where(condition)
    if query.status == "open":
        q = q.where(ServiceRequest.status.in_(OPEN))
    elif query.status == "closed":
        q = q.where(ServiceRequest.status.in_(CLOSED))
    q = q.where(ServiceRequest.registered_at >= query.start, ServiceRequest.registered_at <= query.end)
    return list(session.execute(q.order_by(ServiceRequest.registered_at.desc(), ServiceRequest.id.desc())
                                .limit(MAX_RESULTS)).all())


def find_one(session: Session, ref: str) -> list[Any]:
    ref = ref.strip()
    rows = list(session.execute(select(*COLUMNS).where(visible(), ServiceRequest.number == ref)).all())
    if not rows and ref and "/" not in ref:  # the number without its "/date" part
        rows = [r for r in session.execute(select(*COLUMNS).where(
            visible(), ServiceRequest.number.startswith(ref + "/", autoescape=True))
            .order_by(ServiceRequest.id.desc()).limit(2)).all() if r.number.startswith(ref + "/")][:1]
    if not rows:
        raise Open311Error(404, f"service_request_id: no request {ref[:80]!r}")
    return rows


def _histories(session: Session, ids: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for h in session.execute(select(StatusChange.request_id, StatusChange.status, StatusChange.at,
                                        StatusChange.note).where(StatusChange.request_id.in_(chunk))
                                 .order_by(StatusChange.id)).all():
            out[h.request_id].append(h)
    return out


def present(session: Session, rows: list[Any], catalogue: Catalogue, lang: str, *, extensions: bool,
            descriptions: bool) -> list[dict[str, Any]]:
    """The rows as GeoReport requests (no personal data: see the module's docstring)."""
    histories = _histories(session, [r.id for r in rows])
    out = []
    for r in rows:
        history = histories.get(r.id, [])
        notes = [h.note for h in history if h.note]
        location = r.location or {}
        is_signal = r.kind == SubmissionKind.SIGNAL.value
        item: dict[str, Any] = {
            "service_request_id": r.number,
            "status": "closed" if r.status in CLOSED else "open",
            "status_notes": notes[-1] if notes else "",
            "service_name": (r.title or {}).get(lang) or (r.title or {}).get("bg", ""),
            "service_code": code_of(r.kind, r.service_id, r.signal_category_id),
            "description": (r.description or "") if descriptions and is_signal else "",
            "agency_responsible": _unit_name(catalogue, r.unit_id, lang),
            "service_notice": "",
            "requested_datetime": r.registered_at,
            "updated_datetime": history[-1].at if history else r.registered_at,
            "expected_datetime": r.deadline_at,
            # A signal's place is the problem's; a service request's could be someone's home: never shown.
            "address": (location.get("address_text") or "") if is_signal else "",
            "address_id": (location.get("place_id") or "") if is_signal else "",
            "zipcode": "",
            "lat": location.get("lat") if is_signal else None,
            "long": location.get("lon") if is_signal else None,
            "media_url": "",
        }
        if extensions:
            item["extended_attributes"] = {
                "detailed_status": r.status, "kind": r.kind, "channel": r.channel,
                "signal_type": r.signal_type or "",
                "history": [{"status": h.status, "status_notes": h.note or "", "updated_datetime": h.at}
                            for h in history],
            }
        out.append(item)
    return out


def updates(session: Session, params) -> list[dict[str, Any]]:
    """mySociety's servicerequestupdates: every status change by staff within start_date…end_date
    (default: the last 90 days), oldest first, at most 1000."""
    start, end = parse_time("start_date", params.get("start_date")), parse_time("end_date", params.get("end_date"))
    if start and end and end < start:
        raise Open311Error(400, "end_date: before start_date")
    if end is None:
        end = start + DEFAULT_SPAN if start else utcnow()
    if start is None:
        start = end - DEFAULT_SPAN
    if end - start > DEFAULT_SPAN:
        raise Open311Error(400, "start_date, end_date: the range may not span more than 90 days")
    rows = session.execute(
        select(StatusChange.id, StatusChange.status, StatusChange.at, StatusChange.note, ServiceRequest.number)
        .join(ServiceRequest, ServiceRequest.id == StatusChange.request_id)
        .where(StatusChange.at >= start, StatusChange.at <= end, StatusChange.by_staff.is_not(None), visible())
        .order_by(StatusChange.at, StatusChange.id).limit(MAX_RESULTS)).all()
    return [{"update_id": str(r.id), "service_request_id": r.number, "status": UPDATE_STATUS.get(r.status, "open"),
             "updated_datetime": r.at, "description": r.note or "", "media_url": ""} for r in rows]


def token(session: Session, value: str) -> list[dict[str, Any]]:
    """A POST's token (its client id) → its service_request_id."""
    try:
        client_id = str(uuid.UUID(value.strip()))
    except ValueError:
        raise Open311Error(404, "token: unknown") from None
    number = session.scalar(select(ServiceRequest.number).where(ServiceRequest.client_id == client_id,
                                                                ServiceRequest.channel == Channel.OPEN311.value))
    if number is None:
        raise Open311Error(404, "token: unknown")
    return [{"token": client_id, "service_request_id": number}]


# --- POST ----------------------------------------------------------------------------------------


def _float(name: str, value: str | None, lo: float, hi: float) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, f"{name}: not a number") from None
    if not (lo <= number <= hi):  # NaN fails too
        raise Open311Error(400, f"{name}: out of range")
    return number


def _attribute_value(f, values: list[str]) -> Any:
    value = values[-1].strip() if values else ""
    if value == "":
        return None
    if f.type == FieldType.NUMBER:
        try:
            number = float(value)
        except ValueError:
            raise Open311Error(400, f"attribute[{f.name}]: not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise Open311Error(400, f"attribute[{f.name}]: not a number")
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if f.type == FieldType.CHECKBOX:
        if value.lower() not in ("true", "false"):
            raise Open311Error(400, f"attribute[{f.name}]: true or false")
        return value.lower() == "true"
    if f.type == FieldType.DATE:
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            raise Open311Error(400, f"attribute[{f.name}]: not a date") from None
    return value


def attributes_of(form) -> dict[str, list[str]]:
    """`attribute[code]=v` and `attribute[code][]=v` (multivaluelist) from a parsed form."""
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key.startswith("attribute[") and isinstance(value, str):
            code = key[len("attribute["):].removesuffix("[]").removesuffix("]")
            out.setdefault(code, []).append(value)
    return out


def file(*, session: Session, form, catalogue: Catalogue, keyring: Keyring) -> list[dict[str, Any]]:
    """File an Open311 POST as a request or a signal through `submissions.submit` (same numbers, same
    inbox, channel open311). Raises Open311Error(400/404)."""
    def field(name: str) -> str | None:
        value = form.get(name)
        return value if isinstance(value, str) else None

    code = (field("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code: required")
    found = _find(catalogue, code)
    if found is None:
        raise Open311Error(404, f"service_code: no service {code[:80]!r}")
    kind, item = found
    lang = lang_of(field("locale"))
    description = (field("description") or "").replace("\r\n", "\n").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description: at most {MAX_DESCRIPTION} characters")
    lat, lon = _float("lat", field("lat"), -90, 90), _float("long", field("long"), -180, 180)
    if (lat is None) != (lon is None):
        raise Open311Error(400, "lat, long: give both or neither")
    address = (field("address_string") or "").strip()
    if len(address) > 300:
        raise Open311Error(400, "address_string: at most 300 characters")
    address_id = (field("address_id") or "").strip()
    if address_id and address_id not in {p.id for p in catalogue.places}:
        raise Open311Error(400, f"address_id: no place {address_id[:64]!r}")
    if lat is None and not address and not address_id:
        raise Open311Error(400, "location: lat and long, address_string or address_id is required")
    contact = {k: (field(k) or "").strip() or None for k in ("first_name", "last_name", "email", "phone")}
    try:
        applicant = Applicant(given_names=contact["first_name"], surname=contact["last_name"],
                              email=contact["email"], phone=contact["phone"]) if any(contact.values()) else None
    except ValidationError as exc:
        where = str(exc.errors()[0]["loc"][0]) if exc.errors() else "contact"
        where = {"given_names": "first_name", "surname": "last_name"}.get(where, where)
        raise Open311Error(400, f"{where}: invalid") from None
    attributes = attributes_of(form)
    body: dict[str, Any] = {
        "client_id": uuid.uuid4(), "channel": Channel.OPEN311, "terminal_time": utcnow(), "seq": 0,
        "language": lang, "description": description or None,
        "location": Location(address_text=address or None, place_id=address_id or None, lat=lat, lon=lon),
    }
    if kind == "signal":
        unknown = [c for c in attributes if c != "signal_type"]
        if unknown:
            raise Open311Error(400, f"attribute[{unknown[0][:64]}]: not an attribute of {code}")
        signal_type = (attributes.get("signal_type") or ["problem"])[-1].strip() or "problem"
        if signal_type not in SignalType.__members__.values():
            raise Open311Error(400, "attribute[signal_type]: not one of the values")
        if not description:
            raise Open311Error(400, "description: required for a signal")
        has_contact = bool(applicant and (applicant.email or applicant.phone))
        if not item.anonymous_allowed and not has_contact:
            raise Open311Error(400, "email, phone: this category needs the sender's e-mail or phone")
        body.update(kind=SubmissionKind.SIGNAL, signal_category_id=item.id, signal_type=signal_type,
                    anonymous=not has_contact, applicant=applicant if has_contact else None)
    else:
        if item.needs_identity:
            raise Open311Error(400, f"service_code: {code} needs the applicant's identity card; "
                                    "file it at a kiosk or a counter")
        fields = {f.name: f for f in _form_attributes(item)}
        form_values: dict[str, Any] = {}
        for name, values in attributes.items():
            if name not in fields:
                raise Open311Error(400, f"attribute[{name[:64]}]: not an attribute of {code}")
            value = _attribute_value(fields[name], values)
            if value is not None:
                form_values[name] = value
        body.update(kind=SubmissionKind.SERVICE_REQUEST, service_id=item.id, form=form_values, applicant=applicant)
    try:
        request = SubmissionRequest.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "request"
        raise Open311Error(400, f"{where}: {str(err['msg']).removeprefix('Value error, ')}") from None
    try:
        receipt, _ = submissions.submit(session=session, request=request, catalogue=catalogue, keyring=keyring,
                                        terminal_id=None)
    except ApiError as exc:
        message = exc.message.replace("form.", "attribute[", 1)
        if message.startswith("attribute[") and ":" in message:
            head, rest = message.split(":", 1)
            message = f"{head}]:{rest}"
        raise Open311Error(400, message) from None
    notice = ""
    if receipt.deadline_at:
        notice = _t(lang, "Срок за отговор: ", "Answer due by: ") + \
            receipt.deadline_at.astimezone(SOFIA).strftime("%d.%m.%Y %H:%M")
    return [{"service_request_id": receipt.number, "token": str(request.client_id), "service_notice": notice,
             "account_id": None}]
