"""Batches of satisfaction-button presses from feedback terminals (and kiosks)."""

from __future__ import annotations

from fastapi import APIRouter

from server_sync.hub.api.deps import Hub, TerminalToken, terminal
from server_sync.hub.input_checks import check_wire
from server_sync.hub.services import feedback as service
from server_sync.protocol import ErrorResponse, FeedbackBatch, FeedbackBatchResult

router = APIRouter(prefix="/api/v1", tags=["feedback"],
                   responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})


@router.post("/feedback", response_model=FeedbackBatchResult)
def ingest(body: FeedbackBatch, hub: Hub, token: TerminalToken) -> FeedbackBatchResult:
    check_wire(body)
    with hub.sessions.begin() as session:
        t = terminal(session, token)
        return service.ingest(session=session, batch=body, terminal_id=t.id, terminal_office=t.office_id,
                              clock_skew_s=t.clock_skew_s, enrolled_at=t.enrolled_at)
