"""`kiosk-hub seed-demo`: load CATALOGUE's demo data (server_sync.hub.demo_data) into a hub database.

Citizens get their personal access codes (hashed), consultations their earlier support counts,
and the demo requests and signals are registered with official numbers, tracking codes and
their status history. Seeding twice changes nothing (requests are keyed on a UUID from the id).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_sync.hub.deadlines import deadline_for, signal_deadline
from server_sync.hub.demo_data import DemoData, check_demo_against_catalogue
from server_sync.hub.models import ServiceRequest, StatusChange
from server_sync.hub.security import Keyring
from server_sync.hub.services import citizens, consultations
from server_sync.hub.services.submissions import next_number
from server_sync.protocol import Catalogue, SubmissionKind

DEMO_NAMESPACE = uuid.UUID("5e0d7a8e-5b7c-4c44-9a52-6f3c1d1a0d01")


class DemoSeedError(ValueError):
    """The demo data does not fit the catalogue."""


def seed(*, session: Session, keyring: Keyring, demo: DemoData, catalogue: Catalogue) -> dict[str, int]:
    problems = check_demo_against_catalogue(demo, catalogue)
    if problems:
        raise DemoSeedError("demo data does not fit the catalogue:\n" + "\n".join(f"  - {p}" for p in problems))
    for c in demo.citizens:
        citizens.register_citizen(session=session, keyring=keyring, egn=c.egn, document_number=c.document_number,
                                  access_code=c.access_code, display_name=f"{c.given_names} {c.surname}")
    for c in demo.consultations:
        consultations.upsert(session=session, consultation=c.model_copy(update={"support_count": 0}),
                             support_offset=c.support_count)
    created = 0
    for r in sorted(demo.requests, key=lambda r: r.registered_at):
        client_id = str(uuid.uuid5(DEMO_NAMESPACE, r.id))
        if session.scalar(select(ServiceRequest.id).where(ServiceRequest.client_id == client_id)):
            continue
        citizen = demo.citizen(r.citizen_id) if r.citizen_id else None
        registered = r.registered_at
        number, year, seq = next_number(session, catalogue, registered)
        if r.kind == SubmissionKind.SERVICE_REQUEST:
            service = next(s for s in catalogue.services if s.id == r.service_id)
            tier = service.tier(r.tier) if r.tier else service.tiers[0]
            title, deadline, keep_names, keep_egn = service.name, deadline_for(registered, tier.deadline), \
                service.needs_identity, service.keep_egn
            unit_id = service.unit_id
        else:
            category = next(c for c in catalogue.signal_categories if c.id == r.signal_category_id)
            title, deadline, keep_names, keep_egn, tier = category.name, signal_deadline(registered), False, False, None
            unit_id = category.unit_id
        row = ServiceRequest(
            client_id=client_id, payload_hash="demo", kind=r.kind.value, channel="counter", terminal_id=None,
            number=number, number_year=year, number_seq=seq,
            tracking_code=(r.tracking_code or "").upper() or client_id[:8].upper(), provisional_ref=None,
            status=r.status.value, registered_at=registered, deadline_at=deadline, terminal_time=registered,
            seq=0, language="bg", service_id=r.service_id, tier=tier.tier.value if tier else None,
            signal_category_id=r.signal_category_id, signal_type=r.signal_type.value if r.signal_type else None,
            title=title.model_dump(), description=r.description,
            location={"place_id": r.place_id} if r.place_id else None, form=dict(r.form),
            anonymous=citizen is None, egn_hmac=keyring.hmac(citizen.egn) if citizen else None,
            # filed at the counter, where the clerk saw the ID card: in the citizen's dossier
            identity_linked=citizen is not None,
            egn=citizen.egn if citizen and keep_egn else None,
            given_names=citizen.given_names if citizen and keep_names else None,
            surname=citizen.surname if citizen and keep_names else None, unit_id=unit_id,
        )
        row.history = [StatusChange(status=h.status.value, at=h.at, note=h.note, by_staff="demo")
                       for h in r.history]
        session.add(row)
        session.flush()
        created += 1
    return {"citizens": len(demo.citizens), "consultations": len(demo.consultations), "requests": created}
