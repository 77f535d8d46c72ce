"""Public consultations and citizens' support: once per person, keyed on the ЕГН's HMAC."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.errors import ApiError
from server_sync.hub.identity_proof import proof_problem
from server_sync.hub.models import Consultation, ConsultationSupport
from server_sync.hub.security import Keyring
from server_sync.protocol import Consultation as WireConsultation
from server_sync.protocol import ConsultationList, SupportRequest, SupportResult
from server_sync.protocol.sealing import SealError, open_applicant


def upsert(*, session: Session, consultation: WireConsultation, support_offset: int = 0) -> None:
    row = session.get(Consultation, consultation.id) or Consultation(id=consultation.id)
    row.title = consultation.title.model_dump()
    row.summary = consultation.summary.model_dump()
    row.documents = [d.model_dump(mode="json") for d in consultation.documents]
    row.opens_at, row.closes_at = consultation.opens_at, consultation.closes_at
    row.support_offset = support_offset
    session.add(row)
    session.flush()


def _count(session: Session, consultation_id: str) -> int:
    offset = session.scalar(select(Consultation.support_offset).where(Consultation.id == consultation_id)) or 0
    return offset + session.scalar(select(func.count()).select_from(ConsultationSupport)
                          .where(ConsultationSupport.consultation_id == consultation_id)) or 0


def list_open(*, session: Session, include_closed: bool = False) -> ConsultationList:
    counts = dict(session.execute(select(ConsultationSupport.consultation_id, func.count())
                                  .group_by(ConsultationSupport.consultation_id)).all())
    q = select(Consultation).order_by(Consultation.closes_at)
    if not include_closed:
        q = q.where(Consultation.closes_at > utcnow())
    return ConsultationList(consultations=[
        WireConsultation(id=c.id, title=c.title, summary=c.summary, documents=c.documents, opens_at=c.opens_at,
                         closes_at=c.closes_at, support_count=c.support_offset + counts.get(c.id, 0))
        for c in session.scalars(q)
    ])


def support(*, session: Session, keyring: Keyring, consultation_id: str, request: SupportRequest,
            terminal_id: str | None) -> SupportResult:
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        raise ApiError(404, "not_found", f"no consultation '{consultation_id}'", "consultation_id")
    replay = session.scalars(select(ConsultationSupport)
                             .where(ConsultationSupport.client_id == str(request.client_id))).first()
    if replay is not None:
        if replay.consultation_id != consultation_id:
            raise ApiError(409, "client_id_conflict", "client_id: already used for another consultation",
                           "client_id")
        return SupportResult(consultation_id=consultation_id, support_count=_count(session, consultation_id),
                             already_supported=False)
    now = utcnow()
    if not consultation.opens_at <= now < consultation.closes_at:
        raise ApiError(409, "consultation_closed", "this consultation is not open for support", "consultation_id")
    if request.sealed_applicant is not None:
        try:
            applicant = open_applicant(request.sealed_applicant, keyring.private_key_b64)
        except SealError as exc:
            raise ApiError(422, "sealed_applicant" if exc.field == "sealed_applicant" else "validation_error",
                           str(exc), exc.field) from None
    else:
        applicant = request.applicant
    if not applicant.egn:
        raise ApiError(422, "identity_required", "applicant.egn: support needs the ID card", "applicant.egn")
    # One support per person: the person is the one whose ID card was read (its MRZ proves the
    # ЕГН), not any ЕГН a terminal names.
    why = proof_problem(applicant)
    if why:
        raise ApiError(422, "identity_not_proven", f"applicant.mrz: {why}", "applicant.mrz")
    egn_hmac = keyring.hmac(applicant.egn)
    already = False
    try:
        with session.begin_nested():
            session.add(ConsultationSupport(consultation_id=consultation_id, egn_hmac=egn_hmac,
                                            client_id=str(request.client_id), terminal_id=terminal_id, at=now))
    except IntegrityError:
        already = True
    return SupportResult(consultation_id=consultation_id, support_count=_count(session, consultation_id),
                         already_supported=already)
