"""Staff login and logout, the start page that sends each role to its work, and the stylesheet."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, Response

from server_sync.hub.security import hash_password, password_needs_rehash
from server_sync.hub.services import staff as staff_service
from server_sync.hub.web.common import (
    HERE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    PageError,
    Staff,
    any_staff,
    audit,
    check_csrf,
    client_address,
    current_staff,
    hub_of,
    language,
    menu_for,
    render,
    secure_cookies,
    see_other,
)

router = APIRouter(include_in_schema=False)

def _safe_next(target: str | None) -> str | None:
    """Only a path on this site's staff pages: never another host (an open redirect)."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target \
            and not target.startswith("/admin/login") and len(target) < 2000:
        return target
    return None


def _login_page(request: Request, *, status: int = 200, error: str | None = None, username: str = "",
                retry_minutes: int | None = None) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    ended = request.query_params.get("ended")
    response = render(request, "login.html", None, status_code=status, error=error, username=username,
                      csrf=token, next=_safe_next(request.query_params.get("next")) or "",
                      retry_minutes=retry_minutes, ended=ended if ended in ("1", "post") else None,
                      idle_minutes=hub_of(request).settings.staff_session_idle_minutes,
                      max_hours=hub_of(request).settings.staff_session_max_hours)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/admin/login",
                        secure=secure_cookies(request))
    return response


@router.get("/admin/login")
def login_form(request: Request) -> Response:
    if current_staff(request) is not None:
        return see_other(_safe_next(request.query_params.get("next")) or "/admin")
    return _login_page(request)


@router.post("/admin/login")
def login(request: Request, username: Annotated[str, Form(max_length=200)] = "",
          password: Annotated[str, Form(max_length=500)] = "", csrf: Annotated[str, Form(max_length=100)] = "",
          next: Annotated[str, Form(max_length=2000)] = "") -> Response:
    hub = hub_of(request)
    settings = hub.settings
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if not csrf or not cookie or not hmac.compare_digest(csrf.encode(), cookie.encode()):
        raise PageError(403, "csrf")
    address = client_address(request)
    throttle = staff_service.Throttle(per_account=settings.staff_login_failures_per_account,
                                      per_address=settings.staff_login_failures_per_address,
                                      window=timedelta(minutes=settings.staff_login_window_minutes))
    username = username.strip()

    def throttled(exc: staff_service.LoginThrottled) -> Response:
        minutes = max(1, -(-exc.retry_after_s // 60))
        response = _login_page(request, status=429, username=username, retry_minutes=minutes, error="throttled")
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    with hub.reads() as session:
        try:  # refused without taking the write lock
            staff_service.check_throttle(session=session, username=username, address=address, throttle=throttle)
        except staff_service.LoginThrottled as exc:
            return throttled(exc)
        user = staff_service.find_user(session, username) if 0 < len(username) <= 64 else None
        stored = user.password_hash if user else None
        user_id, disabled = (user.id, user.disabled) if user else (None, True)
    # The attempt is counted (committed) before the password is checked, as a failure that a right
    # password takes back: guesses sent in parallel cannot all pass the throttle while they hash.
    with hub.sessions.begin() as session:
        try:
            attempt = staff_service.reserve_attempt(session=session, username=username, address=address,
                                                    throttle=throttle)
        except staff_service.LoginThrottled as exc:
            attempt = None
            refused = throttled(exc)
    if attempt is None:
        return refused
    # The slow hash runs outside any transaction (it must not hold the database's write lock).
    ok = staff_service.check_password(stored_hash=stored, password=password) and not disabled
    new_hash = hash_password(staff_service.nfc(password)) if ok and password_needs_rehash(stored) else None
    with hub.sessions.begin() as session:
        if not ok:
            staff_service.audit(session, actor=username[:64] or None, action="login_failed", address=address)
        else:
            staff_service.take_back_attempt(session=session, attempt=attempt)
            token, _row = staff_service.open_session(session=session, user_id=user_id, address=address)
            if new_hash:
                from sqlalchemy import update

                from server_sync.hub.models import StaffUser

                session.execute(update(StaffUser).where(StaffUser.id == user_id, StaffUser.password_hash == stored)
                                .values(password_hash=new_hash))
            staff_service.audit(session, actor=username, action="login", address=address)
    if not ok:
        return _login_page(request, status=401, username=username, error="wrong")
    response = see_other(_safe_next(next) or "/admin")
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=secure_cookies(request))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin/login")
    return response


@router.post("/admin/logout")
def logout(request: Request, staff: Annotated[Staff, Depends(any_staff())],
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(staff, csrf)
    hub = hub_of(request)
    with hub.sessions.begin() as session:
        staff_service.end_session(session=session, token=staff.token)
        audit(request, session, staff, "logout")
    response = see_other("/admin/login?" + ("lang=en" if staff.lang == "en" else "lang=bg"))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/admin")
@router.get("/admin/")
def home(request: Request, staff: Annotated[Staff, Depends(any_staff())]) -> Response:
    first = menu_for(staff)
    return see_other(first[0][0] if first else "/admin/login")


@router.get("/admin/static/{name}")
def static(name: str) -> Response:
    allowed = {"admin.css": "text/css; charset=utf-8", "admin.js": "text/javascript; charset=utf-8"}
    if name not in allowed:
        raise PageError(404, "not_found")
    response = FileResponse(HERE / "static" / name, media_type=allowed[name])
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


__all__ = ["router", "menu_for", "language"]
