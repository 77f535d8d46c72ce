"""Administrators' pages: staff accounts (add, disable, enable, new password) and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from server_sync.hub.security import hash_password
from server_sync.hub.services import staff as staff_service
from server_sync.hub.services.staff import Role, StaffError
from server_sync.hub.web.common import (
    KIND_NAMES,
    ROLE_NAMES,
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

router = APIRouter(include_in_schema=False)
Admin = Annotated[Staff, Depends(require(Role.ADMINISTRATOR))]

AUDIT_ACTIONS = {
    "login": ("Вход", "Log in"), "login_failed": ("Неуспешен вход", "Failed log in"), "logout": ("Изход", "Log out"),
    "staff_add": ("Нов служител", "Staff added"), "staff_disable": ("Деактивиран служител", "Staff disabled"),
    "staff_enable": ("Активиран служител", "Staff enabled"), "staff_password": ("Нова парола", "Password set"),
    "status_change": ("Промяна на състояние", "Status change"),
    "personal_data_view": ("Преглед на лични данни", "Personal data viewed"),
    "catalogue_edit": ("Промяна в каталога", "Catalogue edit"),
    "catalogue_import": ("Внос на каталог", "Catalogue import"),
    "terminal_revoke": ("Отменен терминал", "Terminal revoked"),
    "enrollment_code": ("Код за регистрация", "Enrolment code"),
    "technician_add": ("Нов техник", "Technician added"),
    "technician_disable": ("Спрян техник", "Technician withdrawn"),
    "alert_ack": ("Потвърден сигнал за оценка", "Alert acknowledged"),
    "open311_key_create": ("Нов ключ Open311", "Open311 key created"),
    "open311_key_revoke": ("Отменен ключ Open311", "Open311 key revoked"),
}


def _units(request: Request, lang: str) -> list[tuple[str, str]]:
    """The catalogue's units as (id, name) in the page's language (the staff member's, as the page)."""
    hub = hub_of(request)
    with hub.reads() as session:
        current = hub.catalogue.get(session)
    if current is None:
        return []
    return [(u.id, u.name.get(lang) if hasattr(u.name, "get") else str(u.name)) for u in current[0].units]


def _staff_page(request: Request, staff: Staff, *, status: int = 200, errors: dict[str, str] | None = None,
                form: dict[str, str] | None = None) -> Response:
    hub = hub_of(request)
    with hub.reads() as session:
        users = staff_service.list_users(session)
    units = _units(request, staff.lang)
    return render(request, "staff.html", staff, status_code=status, users=users, units=units,
                  unit_names=dict(units), roles=[r.value for r in Role], errors=errors or {}, form=form or {})


@router.get("/admin/staff")
def staff_list(request: Request, staff: Admin) -> Response:
    return _staff_page(request, staff)


@router.post("/admin/staff")
def staff_add(request: Request, staff: Admin, csrf: Annotated[str, Form(max_length=100)] = "",
              username: Annotated[str, Form(max_length=200)] = "", full_name: Annotated[str, Form(max_length=200)] = "",
              role: Annotated[str, Form(max_length=20)] = "", units: Annotated[list[str], Form()] = [],  # noqa: B006
              password: Annotated[str, Form(max_length=500)] = "") -> Response:
    check_csrf(staff, csrf)
    form = {"username": username, "full_name": full_name, "role": role, "units": units}
    errors: dict[str, str] = {}
    try:
        staff_service.normal_username(username)
    except StaffError:
        errors["username"] = "username"
    if role not in {r.value for r in Role}:
        errors["role"] = "role"
    try:
        password = staff_service.check_password_rules(password)
    except StaffError:
        errors["password"] = "password"
    known_units = {u for u, _ in _units(request, staff.lang)}
    if any(u not in known_units for u in units):
        errors["units"] = "units"
    if errors:
        return _staff_page(request, staff, status=422, errors=errors, form=form)
    password_hash = hash_password(password)  # before the transaction: the hash is slow by design
    hub = hub_of(request)
    try:
        with hub.sessions.begin() as session:
            staff_service.add_user(session=session, username=username, password_hash=password_hash, role=role,
                                   units=units, full_name=full_name)
            audit(request, session, staff, "staff_add", username.strip(), role=role, units=units or None)
    except StaffError:
        return _staff_page(request, staff, status=422, errors={"username": "exists"}, form=form)
    return see_other(flash_url("/admin/staff", "user_added"))


@router.post("/admin/staff/{username}/disable")
def staff_disable(request: Request, username: str, staff: Admin,
                  csrf: Annotated[str, Form(max_length=100)] = "",
                  confirm: Annotated[str, Form(max_length=10)] = "") -> Response:
    check_csrf(staff, csrf)
    if confirm != "yes":
        # it ends the person's sessions at once, mid-answer: asked for, not a stray click
        return _staff_page(request, staff, status=422, errors={"disable": username})
    return _set_disabled(request, staff, username, True)


@router.post("/admin/staff/{username}/enable")
def staff_enable(request: Request, username: str, staff: Admin,
                 csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(staff, csrf)
    return _set_disabled(request, staff, username, False)


def _set_disabled(request: Request, staff: Staff, username: str, disabled: bool) -> Response:
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        user = staff_service.find_user(session, username)
        if user is None:
            raise PageError(404, "not_found")
        if disabled and user.role == Role.ADMINISTRATOR.value and not user.disabled \
                and staff_service.active_administrators(session) <= 1:
            raise PageError(409, "last_admin")
        staff_service.set_disabled(session=session, username=username, disabled=disabled)
        audit(request, session, staff, "staff_disable" if disabled else "staff_enable", user.username)
    return see_other(flash_url("/admin/staff", "user_disabled" if disabled else "user_enabled"))


@router.post("/admin/staff/{username}/password")
def staff_password(request: Request, username: str, staff: Admin, csrf: Annotated[str, Form(max_length=100)] = "",
                   password: Annotated[str, Form(max_length=500)] = "") -> Response:
    check_csrf(staff, csrf)
    try:
        password = staff_service.check_password_rules(password)
    except StaffError:
        return _staff_page(request, staff, status=422, errors={f"password:{username}": "password"})
    password_hash = hash_password(password)
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        user = staff_service.find_user(session, username)
        if user is None:
            raise PageError(404, "not_found")
        user.password_hash = password_hash
        staff_service.end_sessions(session=session, user_id=user.id)  # a new password ends the old sessions
        audit(request, session, staff, "staff_password", user.username)
    return see_other(flash_url("/admin/staff", "password_set"))


# How the audit page words an entry's details (keys and the values that are codes).
_DETAIL_NAMES = {
    "old": ("преди", "before"), "new": ("след", "after"), "public_note": ("бележка за гражданина", "note for the citizen"),
    "internal_note": ("вътрешна бележка", "internal note"), "changed": ("променено", "changed"),
    "kind": ("вид", "kind"), "office": ("място", "office"), "role": ("роля", "role"), "units": ("звена", "units"),
    "version": ("версия", "version"), "previous": ("предишна", "previous"), "channel": ("канал", "channel"),
    "badge": ("карта", "badge"),
}


def audit_details(detail: dict | None, lang: str) -> str:
    """An entry's details as a person reads them: "преди: Регистрирана; след: В процес на работа"."""
    pick = (lambda pair: pair[1]) if lang == "en" else (lambda pair: pair[0])
    words = []
    for key, value in (detail or {}).items():
        if isinstance(value, bool):
            value = pick(("да", "yes")) if value else pick(("не", "no"))
        elif key in ("old", "new") and value in STATUS_NAMES:
            value = pick(STATUS_NAMES[value])
        elif key == "role" and value in ROLE_NAMES:
            value = pick(ROLE_NAMES[value])
        elif key == "kind" and value in KIND_NAMES:
            value = pick(KIND_NAMES[value])
        elif isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        words.append(f"{pick(_DETAIL_NAMES[key]) if key in _DETAIL_NAMES else key}: {value}")
    return "; ".join(words)


@router.get("/admin/audit")
def audit_log(request: Request, staff: Admin) -> Response:
    hub = hub_of(request)
    actor = (request.query_params.get("actor") or "").strip()[:64] or None
    action = request.query_params.get("action") or None
    action = action if action in AUDIT_ACTIONS else None
    before = int_param(request.query_params.get("before"), 0, 0, 2**62) or None
    with hub.reads() as session:
        entries = staff_service.audit_page(session, actor=actor, action=action, before_id=before, limit=100)
    return render(request, "audit.html", staff, entries=entries, actions=AUDIT_ACTIONS, actor=actor or "",
                  details=lambda detail: audit_details(detail, staff.lang),
                  action=action or "", next_before=entries[-1].id if len(entries) == 100 else None)
