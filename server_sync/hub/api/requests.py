"""Service requests and signals: submit (idempotent), track by number or provisional ref, staff status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from server_sync.hub.api.deps import KIOSKS_ONLY, Clerk, Hub, TerminalToken, terminal
from server_sync.hub.errors import ApiError
from server_sync.hub.input_checks import check_wire
from server_sync.hub.services import submissions as service
from server_sync.protocol import ErrorResponse, RequestStatus, SubmissionReceipt, SubmissionRequest, TrackingResponse
from server_sync.protocol.common import Text, WireModel

router = APIRouter(prefix="/api/v1", tags=["requests"],
                   responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})


class StatusUpdate(WireModel):
    """Staff: move a request along registered/pending → in_progress → resolved/rejected."""

    status: RequestStatus
    note: Text | None = None


@router.post("/requests", response_model=SubmissionReceipt, status_code=201,
             responses={200: {"model": SubmissionReceipt, "description": "replay: the first answer"},
                        409: {"model": ErrorResponse}})
def submit(body: SubmissionRequest, hub: Hub, token: TerminalToken, response: Response) -> SubmissionReceipt:
    check_wire(body)
    with hub.sessions.begin() as session:
        t = terminal(session, token, KIOSKS_ONLY)
        current = hub.catalogue.get(session)
        if current is None:
            raise ApiError(503, "no_catalogue", "no catalogue has been imported yet")
        receipt, created = service.submit(session=session, request=body, catalogue=current[0],
                                          keyring=hub.keyring, terminal_id=t.id)
    if not created:
        response.status_code = 200
    return receipt


@router.get("/requests/{ref:path}", response_model=TrackingResponse, responses={404: {"model": ErrorResponse}})
def track(ref: str, hub: Hub, code: Annotated[str, Query(min_length=4, max_length=16)]) -> TrackingResponse:
    """Status and history of a request; `ref` is the incoming number (its "/" may be URL-encoded) or the
    terminal's provisional reference; `code` is the tracking code from the receipt."""
    if len(ref) > 100:
        raise ApiError(404, "not_found", "no request with this number and tracking code", "ref")
    with hub.reads() as session:
        return service.track(session=session, ref=ref, code=code)


@router.patch("/requests/{number:path}/status", response_model=TrackingResponse, tags=["staff"],
              responses={404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}})
def change_status(number: str, body: StatusUpdate, hub: Hub, user: Clerk) -> TrackingResponse:
    with hub.sessions.begin() as session:
        if user.units:  # a clerk limited to units answers only their units' requests
            from sqlalchemy import select

            from server_sync.hub.models import ServiceRequest

            unit = session.scalar(select(ServiceRequest.unit_id).where(ServiceRequest.number == number.strip()))
            if unit not in user.units:
                raise ApiError(404, "not_found", f"no request numbered {number!r}", "number")
        return service.change_status(session=session, number=number, status=body.status, note=body.note,
                                     staff=user.username)
