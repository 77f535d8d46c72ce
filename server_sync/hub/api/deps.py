"""Shared request plumbing: the hub context, terminal bearer auth, citizen tokens, staff basic auth."""

from __future__ import annotations

import binascii
import time
from base64 import b64decode
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBasic, HTTPBasicCredentials, HTTPBearer
from sqlalchemy.orm import Session

from server_sync.hub.context import HubContext
from server_sync.hub.errors import ApiError
from server_sync.hub.models import StaffUser, Terminal
from server_sync.hub.security import token_hash
from server_sync.hub.services import staff as staff_service
from server_sync.hub.services import terminals as terminal_service


class StaffBasicCredentials(HTTPBasicCredentials):
    address: str = ""  # the client's address: failed logins are throttled per address too


class Utf8Basic(HTTPBasic):
    """Basic credentials decoded as UTF-8 (RFC 7617's charset): FastAPI's decode as ASCII, so a
    staff member with a Cyrillic password could never log in. Refusals are our JSON errors."""

    async def __call__(self, request: Request) -> HTTPBasicCredentials | None:
        scheme, _, param = (request.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            username, colon, password = b64decode(param.strip(), validate=True).decode("utf-8").partition(":")
        except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
            colon = ""
        if not colon:
            raise ApiError(401, "unauthorized", "Authorization: malformed Basic credentials", "Authorization",
                           headers={"WWW-Authenticate": 'Basic realm="kiosk-hub", charset="UTF-8"'})
        address = (request.client.host if request.client else "") or "unknown"
        return StaffBasicCredentials(username=username, password=password, address=address)


# Declared for the OpenAPI document; the header is parsed below so errors stay in our format.
bearer_scheme = HTTPBearer(auto_error=False, description="terminal token from enrolment")
basic_scheme = Utf8Basic(scheme_name="HTTPBasic", auto_error=False, description="staff user")


# The two dependencies every terminal request resolves are coroutines: FastAPI runs a plain `def`
# dependency on the thread pool, a hop per dependency per request (a fifth of a heartbeat's time).
async def get_hub(request: Request) -> HubContext:
    return request.app.state.hub


Hub = Annotated[HubContext, Depends(get_hub)]


async def bearer_token(authorization: Annotated[str | None, Header()] = None,
                       _doc=Depends(bearer_scheme)) -> str:
    if not authorization:
        raise ApiError(401, "unauthorized", "Authorization: a terminal bearer token is required",
                       "Authorization", headers={"WWW-Authenticate": "Bearer"})
    token = bearer_of(authorization)
    if token is None:
        raise ApiError(401, "unauthorized", "Authorization: expected 'Bearer <token>'", "Authorization",
                       headers={"WWW-Authenticate": "Bearer"})
    return token


def bearer_of(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value, or None when it is not one."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return token


# How long a token seen valid skips the look-up before the body (never the route's own check).
KNOWN_TOKEN_S = 30.0
KNOWN_TOKENS_MAX = 50_000


async def terminal_token(hub: Hub, token: Annotated[str, Depends(bearer_token)]) -> str:
    """The bearer token, once it names an enrolled, unrevoked terminal. FastAPI resolves this before
    it validates the body, so a caller without a valid token gets 401, never a 422 that names the
    body's fields. The route still authenticates in its own transaction (`terminal`): that check
    decides, so a token revoked a moment ago is refused there. A token seen valid in the last
    KNOWN_TOKEN_S is not looked up again here: a terminal's requests pay no extra query."""
    key = token_hash(token)
    now = time.monotonic()
    if hub.known_tokens.get(key, 0.0) > now:
        return token

    def look_up() -> None:
        with hub.reads() as session:
            terminal_service.authenticate(session=session, token=token)  # 401 when unknown or revoked

    await run_in_threadpool(look_up)
    if len(hub.known_tokens) >= KNOWN_TOKENS_MAX:
        hub.known_tokens.clear()
    hub.known_tokens[key] = now + KNOWN_TOKEN_S
    return token


TerminalToken = Annotated[str, Depends(terminal_token)]


KIOSKS_ONLY = ("kiosk",)


def terminal(session: Session, token: str, kinds: tuple[str, ...] | None = None) -> Terminal:
    """The terminal of a bearer token; with `kinds`, only a terminal of those kinds (a feedback
    terminal's token — on a counter box anyone can carry away — files no request in a citizen's
    name). The refusal names no credential field, so the terminal does not take it for a revoked token."""
    found = terminal_service.authenticate(session=session, token=token)
    if kinds is not None and found.kind not in kinds:
        raise ApiError(403, "not_for_this_terminal_kind",
                       f"a {found.kind} terminal may not do this (only: {', '.join(kinds)})")
    return found


def staff_user(hub: HubContext, credentials: HTTPBasicCredentials | None,
               roles: tuple[str, ...] = ("administrator",)) -> StaffUser:
    """The staff member of Basic credentials, when their role is one of `roles` (administrators always).

    Called before the endpoint opens its own transaction: the user is read through a read-only session
    and the slow password hash is checked after it closed, so wrong passwords never hold the
    database's write lock (nor any transaction). The user returned is detached: read its columns only."""
    if credentials is None:
        raise ApiError(401, "unauthorized", "Authorization: staff basic credentials required", "Authorization",
                       headers={"WWW-Authenticate": 'Basic realm="kiosk-hub"'})
    user = stored = None
    username = credentials.username
    address = getattr(credentials, "address", "") or "unknown"
    settings = hub.settings
    throttle = staff_service.Throttle(per_account=settings.staff_login_failures_per_account,
                                      per_address=settings.staff_login_failures_per_address,
                                      window=timedelta(minutes=settings.staff_login_window_minutes))
    wrong = ApiError(401, "unauthorized", "wrong staff user name or password", "Authorization",
                     headers={"WWW-Authenticate": 'Basic realm="kiosk-hub"'})
    if len(username) > 64 or "\x00" in username:  # no such user can exist
        raise wrong
    with hub.reads() as session:
        try:  # the login throttle of the staff pages holds for Basic credentials too, before any hash
            staff_service.check_throttle(session=session, username=username, address=address, throttle=throttle)
        except staff_service.LoginThrottled as exc:
            raise ApiError(429, "too_many_attempts", "too many failed staff logins; try later", "Authorization",
                           headers={"Retry-After": str(exc.retry_after_s)}) from None
        user = staff_service.find_user(session, username)
        stored = user.password_hash if user is not None else None
    ok = staff_service.check_password(stored_hash=stored, password=credentials.password)
    if not ok or user is None or user.disabled:
        with hub.sessions.begin() as session:
            staff_service.note_failure(session=session, username=username, address=address)
        raise wrong
    if user.role != "administrator" and user.role not in roles:
        raise ApiError(403, "forbidden", f"a {user.role} may not do this", "Authorization")
    return user


StaffCredentials = Annotated[HTTPBasicCredentials | None, Depends(basic_scheme)]


def staff_of(*roles: str):
    """A dependency: the staff member of the request's Basic credentials whose role is one of
    `roles` (administrators always). Resolved before FastAPI validates the query and the body, so a
    caller without valid credentials gets 401 and learns nothing of the route's fields."""

    def staff_member(hub: Hub, credentials: StaffCredentials) -> StaffUser:
        return staff_user(hub, credentials, roles)

    return Depends(staff_member)


Administrator = Annotated[StaffUser, staff_of("administrator")]
Clerk = Annotated[StaffUser, staff_of("clerk")]
