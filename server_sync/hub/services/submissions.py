"""Service requests and signals: validation against the catalogue, gapless numbers, tracking, status."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.hub.db import utcnow
from server_sync.hub.deadlines import SOFIA, deadline_for, signal_deadline
from server_sync.hub.errors import ApiError
from server_sync.hub.form_checks import check_form
from server_sync.hub.identity_proof import mrz_proves
from server_sync.hub.models import ServiceRequest, StatusChange, Terminal
from server_sync.hub.security import Keyring, constant_time_equal, new_tracking_code
from server_sync.hub.services.numbers import keep_number, take_next
from server_sync.hub.services.terminals import note_event_seq
from server_sync.protocol import (
    Applicant,
    Catalogue,
    I18n,
    RequestStatus,
    SubmissionKind,
    SubmissionReceipt,
    SubmissionRequest,
    TrackingResponse,
)
from server_sync.protocol import StatusChange as WireStatusChange
from server_sync.protocol.sealing import SealError, open_applicant
from server_sync.protocol.tracking import tracking_url

FINAL = {RequestStatus.RESOLVED, RequestStatus.REJECTED}


def payload_hash(request: SubmissionRequest) -> str:
    # `number` is left out: a re-send after a hub restore carries the number given before, and is
    # still the same submission (and hashes as it did before the field existed).
    canonical = json.dumps(request.model_dump(mode="json", exclude={"number"}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _filing_day(request: SubmissionRequest, now: datetime) -> date:
    """The day the citizen filed (Sofia time): the terminal's, when it is within the last 60 days
    (a request queued offline is judged by the day it was filled in), else the hub's."""
    today = now.astimezone(SOFIA).date()
    filed = request.terminal_time.astimezone(SOFIA).date()
    return filed if today - timedelta(days=60) <= filed <= today else today


def next_number(session: Session, catalogue: Catalogue, now: datetime) -> tuple[str, int, int]:
    """Take the next gapless number of the year: the counter row is locked until this commits."""
    m = catalogue.municipality
    local = now.astimezone(SOFIA)
    seq = take_next(session, catalogue, local.year)
    number = m.number_format.format(index=m.number_index, seq=seq, date=local.date(), year=local.year)
    return number, local.year, seq


def _receipt(row: ServiceRequest, tracking_base_url: str) -> SubmissionReceipt:
    return SubmissionReceipt(
        client_id=row.client_id, kind=SubmissionKind(row.kind), number=row.number, tracking_code=row.tracking_code,
        status=RequestStatus(row.history[0].status if row.history else row.status),
        registered_at=row.registered_at, deadline_at=row.deadline_at, provisional_ref=row.provisional_ref,
        tracking_url=tracking_url(tracking_base_url, row.number, row.tracking_code),
        identity=None if not row.egn_hmac else ("linked" if row.identity_linked else "not_linked"),
    )


def _open(request: SubmissionRequest, keyring: Keyring) -> Applicant | None:
    if request.sealed_applicant is not None:
        try:
            return open_applicant(request.sealed_applicant, keyring.private_key_b64)
        except SealError as exc:
            raise ApiError(422, "sealed_applicant" if exc.field == "sealed_applicant" else "validation_error",
                           str(exc), exc.field) from None
    return request.applicant


def submit(*, session: Session, request: SubmissionRequest, catalogue: Catalogue, keyring: Keyring,
           terminal_id: str | None) -> tuple[SubmissionReceipt, bool]:
    """Register a submission once; a replay returns the first answer. Returns (receipt, created)."""
    digest = payload_hash(request)
    existing = session.scalars(select(ServiceRequest).where(ServiceRequest.client_id == str(request.client_id))).first()
    if existing is not None:
        if request.number is not None and request.number in (existing.number, existing.earlier_number):
            # A terminal re-sending after a hub restore what this hub still holds: the same request
            # (the client id and its number), even if its sealed applicant was purged meanwhile.
            return _receipt(existing, catalogue.municipality.tracking_base_url), False
        return _replay(existing, digest, catalogue), False

    applicant = _open(request, keyring)
    deadline = None
    contact = None
    now = utcnow()
    form, personal_fields = dict(request.form), {}
    if request.kind == SubmissionKind.SERVICE_REQUEST:
        service = next((s for s in catalogue.services if s.id == request.service_id), None)
        if service is None:
            raise ApiError(422, "unknown_service", f"service_id: no service '{request.service_id}'", "service_id")
        tier = service.tier(request.tier) if request.tier else service.tiers[0]
        if tier is None:
            raise ApiError(422, "unknown_tier", f"tier: service '{service.id}' has no tier '{request.tier}'", "tier")
        if service.needs_identity and (applicant is None or not applicant.egn):
            raise ApiError(422, "identity_required", "applicant: this service needs the applicant's ID data",
                           "applicant")
        # Every field the service requires is kept, personal ones with the personal data, whether
        # or not the service needs the ID card (a public-information request's name and address).
        form, personal_fields = check_form(service, request.form, applicant.personal_fields if applicant else {},
                                           _filing_day(request, now))
        title = service.name
        keep_names = service.needs_identity
        keep_egn = service.keep_egn
        tier_name = tier.tier.value
        first_status = RequestStatus.REGISTERED
        unit_id = service.unit_id
    else:
        category = next((c for c in catalogue.signal_categories if c.id == request.signal_category_id), None)
        if category is None:
            raise ApiError(422, "unknown_category",
                           f"signal_category_id: no category '{request.signal_category_id}'", "signal_category_id")
        if request.anonymous and not category.anonymous_allowed:
            raise ApiError(422, "anonymous_not_allowed", "anonymous: this category needs a named sender", "anonymous")
        if request.form:
            raise ApiError(422, "unknown_field", "form: signals have no form fields", "form")
        if request.location and request.location.place_id and \
                request.location.place_id not in {p.id for p in catalogue.places}:
            raise ApiError(422, "unknown_place", f"location.place_id: no place '{request.location.place_id}'",
                           "location.place_id")
        if category.location_required and not (request.location and (request.location.place_id or (
                request.location.address_text or "").strip() or request.location.lat is not None)):
            raise ApiError(422, "location_required",
                           f"location: category '{category.id}' needs a place, an address or coordinates", "location")
        title, keep_names, keep_egn, tier_name, tier = category.name, False, False, None, None
        first_status = RequestStatus.PENDING
        unit_id = category.unit_id
        if applicant is not None and not request.anonymous:
            contact = {k: v for k, v in {"phone": applicant.phone, "email": applicant.email}.items() if v} or None
    if request.anonymous:
        applicant = None

    # The route authenticated the terminal in this session: its row is at hand, no query.
    filer = session.get(Terminal, terminal_id) if terminal_id else None
    office_id = filer.office_id if filer is not None else None
    # Linked to the person's dossier only when the ID card's MRZ proves the claimed ЕГН
    # (identity_proof); otherwise filed all the same, and the receipt says "not_linked".
    linked = bool(applicant and applicant.egn and mrz_proves(applicant))
    if tier is not None:
        deadline = deadline_for(now, tier.deadline)
    elif request.kind == SubmissionKind.SIGNAL:
        deadline = signal_deadline(now)
    row = ServiceRequest(
        client_id=str(request.client_id), payload_hash=digest, kind=request.kind.value,
        channel=request.channel.value, terminal_id=terminal_id,
        tracking_code=request.tracking_code or new_tracking_code(), provisional_ref=request.provisional_ref,
        status=first_status.value, registered_at=now, deadline_at=deadline,
        terminal_time=request.terminal_time, seq=request.seq, language=request.language,
        service_id=request.service_id, tier=tier_name, signal_category_id=request.signal_category_id,
        signal_type=request.signal_type.value if request.signal_type else None,
        title=title.model_dump(), description=request.description,
        location=request.location.model_dump(mode="json") if request.location else None,
        form=form, anonymous=request.anonymous, identity_linked=linked,
        egn_hmac=keyring.hmac(applicant.egn) if applicant and applicant.egn else None,
        egn=applicant.egn if applicant and keep_egn else None,
        given_names=applicant.given_names if applicant and keep_names else None,
        surname=applicant.surname if applicant and keep_names else None,
        contact=(contact or ({k: v for k, v in {"phone": applicant.phone, "email": applicant.email,
                                                "address": applicant.address}.items() if v} or None)
                 if applicant and keep_names else contact),
        personal_fields=personal_fields or None,
        unit_id=unit_id, office_id=office_id,
    )
    row.history.append(StatusChange(status=first_status.value, at=now, note=None))
    if terminal_id:  # before the number: its row lock is the terminal's own, not every filing's
        note_event_seq(session=session, terminal_id=terminal_id, seq=request.seq)
    try:
        with session.begin_nested():
            # The year's counter is locked from here to the COMMIT, and every filing waits for it:
            # all else is done above, so it is held for this UPDATE, the INSERTs and the commit.
            # A re-send after a hub restore keeps the number on the citizen's receipt when it can.
            kept = keep_number(session, catalogue, request.number, request.terminal_time) if request.number else None
            row.number, row.number_year, row.number_seq = kept or next_number(session, catalogue, now)
            row.earlier_number = request.number if request.number and not kept else None
            session.add(row)
            session.flush()
    except IntegrityError:
        # The same client_id committed concurrently: its answer is the answer. The savepoint
        # rollback also undid our counter increment, so the numbering stays gapless.
        existing = session.scalars(
            select(ServiceRequest).where(ServiceRequest.client_id == str(request.client_id))).first()
        if existing is None:
            raise
        return _replay(existing, digest, catalogue), False
    return _receipt(row, catalogue.municipality.tracking_base_url), True


def _replay(existing: ServiceRequest, digest: str, catalogue: Catalogue) -> SubmissionReceipt:
    if existing.payload_hash != digest:
        raise ApiError(409, "client_id_conflict", "client_id: already used for a different submission", "client_id")
    return _receipt(existing, catalogue.municipality.tracking_base_url)


def find(*, session: Session, ref: str) -> ServiceRequest | None:
    ref = ref.strip()
    row = session.scalars(select(ServiceRequest).where(ServiceRequest.number == ref)).first()
    if row is None:
        row = session.scalars(select(ServiceRequest).where(ServiceRequest.earlier_number == ref)
                              .order_by(ServiceRequest.id.desc())).first()
    if row is None:
        row = session.scalars(select(ServiceRequest).where(ServiceRequest.provisional_ref == ref)
                              .order_by(ServiceRequest.id.desc())).first()
    return row


def tracking(row: ServiceRequest) -> TrackingResponse:
    return TrackingResponse(
        number=row.number, provisional_ref=row.provisional_ref, kind=SubmissionKind(row.kind),
        title=I18n.model_validate(row.title), status=RequestStatus(row.status), registered_at=row.registered_at,
        deadline_at=row.deadline_at,
        history=[WireStatusChange(status=RequestStatus(h.status), at=h.at, note=h.note) for h in row.history],
    )


def track(*, session: Session, ref: str, code: str) -> TrackingResponse:
    ref, code = ref.strip(), code.strip().upper()
    # A number given out before a hub restore and mapped to a new one answers too (the code decides).
    candidates = list(session.scalars(select(ServiceRequest).where(
        or_(ServiceRequest.number == ref, ServiceRequest.earlier_number == ref))))
    if not candidates and ref and "/" not in ref:
        # the number without its "/date" part ("94-00012" for "94-00012/03.12.2026"): only when
        # the exact (indexed) look-up found nothing; the code below still has to match
        candidates = [row for row in session.scalars(
            select(ServiceRequest).where(ServiceRequest.number.startswith(ref + "/", autoescape=True))
            .order_by(ServiceRequest.id.desc()).limit(50)) if row.number.startswith(ref + "/")]
    if not candidates:
        # A provisional reference is unique only per terminal store and wraps after a million
        # (K07-000123 may come again, after a wrap or a re-imaged card): the code says which one.
        candidates = list(session.scalars(select(ServiceRequest).where(ServiceRequest.provisional_ref == ref)
                                          .order_by(ServiceRequest.id.desc()).limit(50)))
    matches = [row for row in candidates if constant_time_equal(row.tracking_code, code)]
    # One answer for "no such number" and "wrong code": the number alone reveals nothing.
    if not matches:
        raise ApiError(404, "not_found", "no request with this number and tracking code", "code")
    return tracking(matches[0])


ALLOWED = {
    RequestStatus.REGISTERED: {RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED, RequestStatus.REJECTED},
    RequestStatus.PENDING: {RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED, RequestStatus.REJECTED},
    RequestStatus.IN_PROGRESS: {RequestStatus.RESOLVED, RequestStatus.REJECTED},
}
# Statuses after which nothing changes any more (the staff page asks before it sets one).
FINAL = frozenset({RequestStatus.RESOLVED, RequestStatus.REJECTED})


def change_status(*, session: Session, number: str, status: RequestStatus, note: str | None,
                  staff: str, internal_note: str | None = None) -> TrackingResponse:
    """Move a request on; `note` is public (the citizen reads it when tracking), `internal_note` is
    for staff only and never leaves the hub's staff pages. The status an open item already has, with
    a note, adds the note without moving it on (an update to the citizen, a note for colleagues)."""
    row = session.scalars(select(ServiceRequest).where(ServiceRequest.number == number.strip())
                          .with_for_update()).first()
    if row is None:
        raise ApiError(404, "not_found", f"no request numbered {number!r}", "number")
    current = RequestStatus(row.status)
    if status == current and current in ALLOWED:
        if not (note or internal_note):
            raise ApiError(422, "validation_error", "note: needed when the status stays as it is", "note")
    elif status not in ALLOWED.get(current, set()):
        raise ApiError(409, "bad_transition", f"status: cannot go from {current.value} to {status.value}", "status")
    now = utcnow()
    row.status = status.value
    row.history.append(StatusChange(status=status.value, at=now, note=note, by_staff=staff,
                                    internal_note=internal_note))
    session.flush()
    return tracking(row)


def list_requests(*, session: Session, since: datetime | None = None) -> list[dict]:
    """Requests and signals without personal data (for `kiosk-hub requests --json`)."""
    q = select(ServiceRequest).order_by(ServiceRequest.id)
    if since is not None:
        q = q.where(ServiceRequest.registered_at >= since)
    return [{
        "number": r.number, "kind": r.kind, "service_id": r.service_id,
        "signal_category_id": r.signal_category_id, "status": r.status, "channel": r.channel,
        "terminal_id": r.terminal_id, "created": r.registered_at.isoformat(),
        "deadline": r.deadline_at.isoformat() if r.deadline_at else None,
        "provisional_ref": r.provisional_ref,
    } for r in session.scalars(q)]
