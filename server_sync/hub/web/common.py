"""What every staff page shares: templates, language, the logged-in staff member, roles, CSRF, audit.

A page handler declares who may see it with a dependency:

    @router.get("/admin/fleet")
    def fleet(request: Request, staff: Staff = Depends(require(Role.TECHNICIAN))): ...

`Staff` carries the user, the session's CSRF token and the page language; `render()` fills the
shared template context. Every POST handler calls `check_csrf(staff, form)` before it changes
anything. Administrators pass every role check.
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from server_sync.hub.context import HubContext
from server_sync.hub.deadlines import SOFIA
from server_sync.hub.models import StaffUser
from server_sync.hub.services import staff as staff_service
from server_sync.hub.services.staff import Role

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True  # every page; citizen text is never markup

SESSION_COOKIE = "eob_staff"
LANG_COOKIE = "eob_lang"
LOGIN_CSRF_COOKIE = "eob_login_csrf"

ROLE_NAMES = {
    Role.ADMINISTRATOR.value: ("Администратор", "Administrator"),
    Role.CLERK.value: ("Служител по заявленията", "Clerk"),  # not "деловодство": a unit is called so too
    Role.TECHNICIAN.value: ("Техник", "Technician"),
}
STATUS_NAMES = {
    "registered": ("Регистрирана", "Registered"),
    "pending": ("Чакаща", "Pending"),
    "in_progress": ("В процес на работа", "In progress"),
    "resolved": ("Решена", "Resolved"),
    "rejected": ("Отказана", "Rejected"),
}
KIND_NAMES = {
    "service_request": ("Заявление", "Service request"),
    "signal": ("Сигнал", "Signal"),
    "kiosk": ("Киоск", "Kiosk"),
    "feedback": ("Терминал за оценка", "Feedback terminal"),
}
TIER_NAMES = {"ordinary": ("Обикновена", "Ordinary"), "fast": ("Бърза", "Fast"), "express": ("Експресна", "Express")}
CHANNEL_NAMES = {
    "kiosk": ("Киоск", "Kiosk"), "web": ("Интернет", "Web"), "counter": ("Гише", "Counter"),
    "open311": ("Open311", "Open311"),
}


# The menu entries' paths that a mounted page serves (filled by `server_sync.hub.web.install`).
PAGE_PATHS: set[str] = set()

# Where each role starts; the menu lists the pages a role may open, in this order (administrators: all).
MENU = [
    ("/admin/requests", ("Входящи", "Inbox"), (Role.CLERK,)),
    ("/admin/fleet", ("Терминали", "Fleet"), (Role.TECHNICIAN,)),
    ("/admin/technicians", ("Техници", "Technicians"), (Role.TECHNICIAN,)),
    ("/admin/catalogue", ("Каталог", "Catalogue"), ()),
    ("/admin/satisfaction", ("Удовлетвореност", "Satisfaction"), ()),
    ("/admin/staff", ("Служители", "Staff"), ()),
    ("/admin/open311-keys", ("Ключове Open311", "Open311 keys"), ()),
    ("/admin/audit", ("Одит", "Audit log"), ()),
]


class PageError(Exception):
    """A page answer other than the page: 404, 403, or a redirect to the login page."""

    def __init__(self, status: int, message: str = "", location: str | None = None):
        super().__init__(message)
        self.status, self.message, self.location = status, message, location


def hub_of(request: Request) -> HubContext:
    return request.app.state.hub


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "bg"
    return lang if lang in ("bg", "en") else "bg"


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "") or "unknown"


def secure_cookies(request: Request) -> bool:
    hub = hub_of(request)
    return hub.settings.staff_secure_cookies == "always" or request.url.scheme == "https"


def local(value: datetime | None, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """A UTC time as staff in Bulgaria read it (Europe/Sofia), or an empty string."""
    return value.astimezone(SOFIA).strftime(fmt) if value else ""


@dataclass
class Staff:
    user: StaffUser
    token: str
    csrf: str
    lang: str

    @property
    def role(self) -> Role:
        return Role(self.user.role)

    def can(self, *roles: Role) -> bool:
        return self.role == Role.ADMINISTRATOR or self.role in roles

    @property
    def username(self) -> str:
        return self.user.username


def current_staff(request: Request) -> Staff | None:
    """The logged-in staff member of this request (the session's last-seen time is refreshed at
    most once a minute, so reading pages does not write on every request)."""
    token = request.cookies.get(SESSION_COOKIE) or ""
    if not token:
        return None
    hub = hub_of(request)
    settings = hub.settings
    with hub.reads() as session:
        found = staff_service.session_user(
            session=session, token=token, idle=timedelta(minutes=settings.staff_session_idle_minutes),
            absolute=timedelta(hours=settings.staff_session_max_hours))
    if found is None:
        return None
    staff_session, user = found
    from server_sync.hub.db import utcnow

    if utcnow() - staff_session.last_seen_at > timedelta(minutes=1):
        with hub.sessions.begin() as session:
            staff_service.touch(session=session, token=token)
    return Staff(user=user, token=token, csrf=staff_session.csrf_token, lang=language(request))


def menu_for(staff: Staff) -> list[tuple[str, tuple[str, str]]]:
    """The pages this staff member may open that this hub serves."""
    return [(path, label) for path, label, roles in MENU if staff.can(*roles) and path in PAGE_PATHS]


def require(*roles: Role) -> Callable[[Request], Staff]:
    """A dependency: the logged-in staff member when their role is one of `roles` (administrators
    always); otherwise the login page (not logged in) or 403 (logged in, other role)."""

    def dependency(request: Request) -> Staff:
        staff = current_staff(request)
        if staff is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            query = {"next": target}
            if request.cookies.get(SESSION_COOKIE):  # it had a session, which has ended: say so
                query["ended"] = "post" if request.method == "POST" else "1"
            raise PageError(303, location="/admin/login?" + urlencode(query))
        if roles and not staff.can(*roles):
            raise PageError(403, "forbidden")
        return staff

    return dependency


def any_staff() -> Callable[[Request], Staff]:
    return require()


def check_csrf(staff: Staff, sent: str | None) -> None:
    """Every form that changes something carries the session's CSRF token; a forged POST has none."""
    sent = sent or ""
    if not sent or not hmac.compare_digest(sent.encode(), staff.csrf.encode()):
        raise PageError(403, "csrf")


def audit(request: Request, session, staff: Staff | None, action: str, target: str | None = None,
          **detail: Any) -> None:
    staff_service.audit(session, actor=staff.username if staff else None, action=action, target=target,
                        detail={k: v for k, v in detail.items() if v is not None} or None,
                        address=client_address(request))


def tr(lang: str) -> Callable[[str, str], str]:
    def t(bg: str, en: str) -> str:
        return en if lang == "en" else bg

    return t


def name_of(table: dict[str, tuple[str, str]], lang: str) -> Callable[[Any], str]:
    def name(key: Any) -> str:
        key = str(getattr(key, "value", key))
        pair = table.get(key)
        return (pair[1] if lang == "en" else pair[0]) if pair else key

    return name


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return request.url.path + ("?" + urlencode(params) if params else "")


@dataclass
class Pager:
    page: int
    per_page: int
    total: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def int_param(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        return min(hi, max(lo, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def render(request: Request, template: str, staff: Staff | None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    lang = staff.lang if staff else language(request)
    base = {
        "lang": lang, "t": tr(lang), "staff": staff, "Role": Role, "when": local,
        "status_name": name_of(STATUS_NAMES, lang), "kind_name": name_of(KIND_NAMES, lang),
        "role_name": name_of(ROLE_NAMES, lang), "channel_name": name_of(CHANNEL_NAMES, lang),
        "tier_name": name_of(TIER_NAMES, lang),
        "url_with": lambda **kw: url_with(request, **kw), "path": request.url.path,
        "quote": lambda s: quote(str(s), safe=""),
        "other_lang_url": url_with(request, lang="en" if lang == "bg" else "bg", done=None),
        "menu": menu_for(staff) if staff else [],
        "flash": (lambda pair: pair[1] if lang == "en" else pair[0])(FLASH[request.query_params["done"]])
        if request.query_params.get("done") in FLASH else None,
    }
    response = templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
    no_store(response)
    if request.query_params.get("lang") in ("bg", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True,
                            secure=secure_cookies(request))
    return response


def no_store(response: Response) -> Response:
    """Staff pages hold personal data: never cached, never framed, never leaking their URL."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    return response


def see_other(location: str) -> RedirectResponse:
    return no_store(RedirectResponse(location, status_code=303))


# Confirmations shown after a POST redirects back (by code: a URL cannot make a page say anything else).
FLASH = {
    "status_changed": ("Състоянието е променено; гражданинът го вижда при проследяване.",
                       "Status changed; the citizen sees it when tracking."),
    "note_added": ("Бележката е записана; състоянието е непроменено.", "Note saved; the status is unchanged."),
    "user_added": ("Служителят е добавен.", "Staff member added."),
    "user_disabled": ("Служителят е деактивиран; сесиите му са прекратени.",
                      "Staff member disabled; their sessions have ended."),
    "user_enabled": ("Служителят е активиран.", "Staff member enabled."),
    "password_set": ("Паролата е сменена.", "Password changed."),
    "terminal_revoked": ("Терминалът е отменен; ключът му вече не действа.",
                         "Terminal revoked; its token no longer works."),
    "saved": ("Промените са записани.", "Changes saved."),
    "catalogue_published": ("Каталогът е публикуван; терминалите ще го изтеглят при следващата синхронизация.",
                            "Catalogue published; terminals pick it up with their next sync."),
    "alert_acknowledged": ("Сигналът за ниска оценка е потвърден.", "Alert acknowledged."),
    "technician_added": ("Техникът е добавен; терминалите ще получат данните при следващата синхронизация.",
                         "Technician added; terminals get the credentials with their next sync."),
    "technician_disabled": ("Достъпът на техника е спрян.", "Technician access withdrawn."),
    "open311_key_revoked": ("Ключът за Open311 е отменен; заявките с него се отказват.",
                            "Open311 key revoked; requests with it are refused."),
}


def flash_url(path: str, code: str) -> str:
    """A redirect target that shows one of the FLASH confirmations."""
    assert code in FLASH, code
    sep = "&" if "?" in path else "?"
    return f"{path}{sep}done={code}"
