"""Citizen session and dossier; public consultations and one support per person."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path

from server_sync.hub.api.deps import KIOSKS_ONLY, Hub, TerminalToken, terminal
from server_sync.hub.errors import ApiError
from server_sync.hub.services import citizens as citizen_service
from server_sync.hub.services import consultations as consultation_service
from server_sync.protocol import (
    CitizenSessionRequest,
    CitizenSessionResponse,
    ConsultationList,
    DossierResponse,
    ErrorResponse,
    SupportRequest,
    SupportResult,
)

router = APIRouter(prefix="/api/v1", responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})


@router.post("/citizens/session", response_model=CitizenSessionResponse, status_code=201, tags=["citizens"],
             responses={429: {"model": ErrorResponse}})
def citizen_session(body: CitizenSessionRequest, hub: Hub, token: TerminalToken) -> CitizenSessionResponse:
    with hub.sessions() as session:
        # The attempt is counted (committed) before its code is checked: parallel guesses cannot
        # overrun the limit while the slow check runs.
        with session.begin():
            terminal_id = terminal(session, token, KIOSKS_ONLY).id
            attempt = citizen_service.reserve_attempt(session=session, keyring=hub.keyring, settings=hub.settings,
                                                      egn=body.egn, terminal_id=terminal_id)
    # The slow code check runs between the transactions, on a read-only session.
    with hub.reads() as reading:
        code_ok = citizen_service.code_is_right(session=reading, keyring=hub.keyring, request=body)
    with hub.sessions.begin() as session:
        return citizen_service.open_session(session=session, keyring=hub.keyring, settings=hub.settings,
                                            request=body, terminal_id=terminal_id, attempt=attempt,
                                            code_ok=code_ok)


@router.get("/citizens/me/requests", response_model=DossierResponse, tags=["citizens"])
def my_requests(hub: Hub, token: TerminalToken,
                x_citizen_token: Annotated[str | None, Header(max_length=200)] = None) -> DossierResponse:
    """The citizen's dossier: the kiosk's own token in `Authorization: Bearer` and the citizen's
    session token (opened on that kiosk) in `X-Citizen-Token`."""
    with hub.reads() as session:  # only reads: never waits for (or holds) the write lock
        t = terminal(session, token, KIOSKS_ONLY)
        if not x_citizen_token:
            raise ApiError(401, "citizen_session", "X-Citizen-Token: a citizen session token is required",
                           "X-Citizen-Token")
        citizen = citizen_service.citizen_for_token(session=session, token=x_citizen_token, terminal_id=t.id)
        return citizen_service.dossier(session=session, citizen=citizen)


@router.get("/consultations", response_model=ConsultationList, tags=["consultations"])
def consultations(hub: Hub, token: TerminalToken) -> ConsultationList:
    with hub.reads() as session:
        terminal(session, token, KIOSKS_ONLY)
        return consultation_service.list_open(session=session)


@router.post("/consultations/{consultation_id}/support", response_model=SupportResult, tags=["consultations"],
             responses={404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}})
def support(body: SupportRequest, hub: Hub, token: TerminalToken,
            consultation_id: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]) -> SupportResult:
    with hub.sessions.begin() as session:
        t = terminal(session, token, KIOSKS_ONLY)
        return consultation_service.support(session=session, keyring=hub.keyring,
                                            consultation_id=consultation_id, request=body, terminal_id=t.id)
