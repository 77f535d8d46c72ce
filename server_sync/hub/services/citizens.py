"""Citizen sessions (ID data + personal access code), throttling of wrong codes, the dossier."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.errors import ApiError
from server_sync.hub.models import AuthFailure, Citizen, CitizenSession, ServiceRequest
from server_sync.hub.security import Keyring, hash_secret, new_token, token_hash, verify_secret
from server_sync.hub.services.submissions import tracking
from server_sync.hub.settings import HubSettings
from server_sync.protocol import (
    CitizenSessionRequest,
    CitizenSessionResponse,
    DossierItem,
    DossierResponse,
)
from server_sync.protocol.identifiers import egn_problem

# Verified against when the ЕГН is unknown, so both answers cost the same time.
_DUMMY_HASH = hash_secret("not-a-real-code")


def register_citizen(*, session: Session, keyring: Keyring, egn: str, document_number: str | None,
                     access_code: str, display_name: str | None = None) -> Citizen:
    """Issue (or re-issue) a personal access code to a citizen (the municipality's counter does this)."""
    problem = egn_problem(egn)
    if problem:
        raise ValueError(f"egn: {problem}")
    egn_hmac = keyring.hmac(egn)
    citizen = session.scalars(select(Citizen).where(Citizen.egn_hmac == egn_hmac)).first()
    if citizen is None:
        citizen = Citizen(egn_hmac=egn_hmac, created_at=utcnow(), access_code_hash="")
        session.add(citizen)
    citizen.document_hmac = keyring.hmac(document_number, "document") if document_number else None
    citizen.access_code_hash = hash_secret(access_code)
    citizen.display_name = display_name
    session.flush()
    return citizen


def _recent_failures(session: Session, scope: str, key: str, since) -> int:
    return session.scalar(select(func.count()).select_from(AuthFailure).where(
        AuthFailure.scope == scope, AuthFailure.key == key, AuthFailure.at >= since)) or 0


def _serialise(session: Session, scope: str, key: str) -> None:
    """On PostgreSQL, one attempt per person (and per terminal) at a time; SQLite's BEGIN IMMEDIATE
    already serialises every writing transaction."""
    if session.get_bind().dialect.name == "postgresql":
        lock = int.from_bytes(hashlib.sha256(f"auth:{scope}:{key}".encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": lock})


def reserve_attempt(*, session: Session, keyring: Keyring, settings: HubSettings, egn: str,
                    terminal_id: str) -> list[int]:
    """Count an attempt as a failure *before* its code is checked (the caller commits this at once), or
    refuse it with 429 when the person or the terminal has had too many. Counting first, the limit
    holds for guesses sent in parallel too: counted afterwards, they all passed the check during the
    slow scrypt verification. A right code takes its attempt back (`open_session`)."""
    window = utcnow() - timedelta(minutes=settings.citizen_failure_window_minutes)
    egn_hmac = keyring.hmac(egn)
    _serialise(session, "person", egn_hmac)
    _serialise(session, "terminal", terminal_id)
    retry = str(int(settings.citizen_failure_window_minutes * 60))
    if _recent_failures(session, "person", egn_hmac, window) >= settings.citizen_failures_per_person:
        raise ApiError(429, "too_many_attempts", "too many wrong access codes for this person; try later",
                       "access_code", headers={"Retry-After": retry})
    if _recent_failures(session, "terminal", terminal_id, window) >= settings.citizen_failures_per_terminal:
        raise ApiError(429, "too_many_attempts", "too many wrong access codes on this terminal; try later",
                       "access_code", headers={"Retry-After": retry})
    now = utcnow()
    rows = [AuthFailure(scope="person", key=egn_hmac, at=now), AuthFailure(scope="terminal", key=terminal_id, at=now)]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def code_is_right(*, session: Session, keyring: Keyring, request: CitizenSessionRequest) -> bool:
    """Whether the ID data and access code match a citizen. Reads the citizen's hash through `session`
    and closes nothing; call it between transactions (scrypt is slow by design and must not run while
    a transaction holds the database's write lock). An unknown ЕГН costs the same time."""
    citizen = session.scalars(select(Citizen).where(Citizen.egn_hmac == keyring.hmac(request.egn))).first()
    stored, document = (citizen.access_code_hash, citizen.document_hmac) if citizen else (_DUMMY_HASH, None)
    session.rollback()  # end the read before hashing
    ok = verify_secret(request.access_code, stored)
    if ok and document and document != keyring.hmac(request.document_number, "document"):
        ok = False
    return ok and citizen is not None


def open_session(*, session: Session, keyring: Keyring, settings: HubSettings, request: CitizenSessionRequest,
                 terminal_id: str, attempt: list[int], code_ok: bool) -> CitizenSessionResponse:
    """After an attempt counted with `reserve_attempt` and checked with `code_is_right`: a wrong one is a
    401 and stays counted, a right one clears the person's failures and opens a session."""
    now = utcnow()
    window = now - timedelta(minutes=settings.citizen_failure_window_minutes)
    egn_hmac = keyring.hmac(request.egn)
    citizen = session.scalars(select(Citizen).where(Citizen.egn_hmac == egn_hmac)).first() if code_ok else None
    if citizen is None:
        raise ApiError(401, "bad_credentials", "the ID data or the access code is wrong", "access_code")
    session.execute(delete(AuthFailure).where(AuthFailure.scope == "person", AuthFailure.key == egn_hmac))
    session.execute(delete(AuthFailure).where(AuthFailure.id.in_(attempt)))  # this one was no failure
    session.execute(delete(AuthFailure).where(AuthFailure.at < window))  # expired, no longer counted
    session.execute(delete(CitizenSession).where(CitizenSession.expires_at < now))
    token = new_token()
    expires = now + timedelta(minutes=settings.citizen_session_minutes)
    session.add(CitizenSession(token_hash=token_hash(token), citizen_id=citizen.id, terminal_id=terminal_id,
                               created_at=now, expires_at=expires))
    return CitizenSessionResponse(token=token, expires_at=expires, display_name=citizen.display_name)


def citizen_for_token(*, session: Session, token: str, terminal_id: str) -> Citizen:
    """The citizen of a session opened on `terminal_id` (the kiosk asking, authenticated by its own
    token): a citizen token is worth nothing without the token of the kiosk that opened it, and
    dies with it — a revoked terminal authenticates nothing, and revoking deletes its sessions."""
    row = session.get(CitizenSession, token_hash(token))
    if row is None or row.expires_at <= utcnow() or row.terminal_id != terminal_id:
        raise ApiError(401, "citizen_session", "citizen session unknown or expired", "X-Citizen-Token")
    return session.get(Citizen, row.citizen_id)


def dossier(*, session: Session, citizen: Citizen) -> DossierResponse:
    # Only requests whose ID card proved the ЕГН: a request that merely names it is not hers.
    rows = session.scalars(select(ServiceRequest).where(ServiceRequest.egn_hmac == citizen.egn_hmac,
                                                        ServiceRequest.identity_linked.is_(True))
                           .order_by(ServiceRequest.registered_at.desc()))
    items = []
    for row in rows:
        t = tracking(row)
        items.append(DossierItem(number=t.number, kind=t.kind, title=t.title, status=t.status,
                                 registered_at=t.registered_at, deadline_at=t.deadline_at, history=t.history))
    return DossierResponse(requests=items)
