"""An in-process stand-in for the store and hub, for `kiosk --simulate` without a hub."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.state.backend import Draft, NotFound, Offline, Refused, SubmitOutcome
from server_sync.protocol.catalogue import Catalogue
from server_sync.protocol.common import new_tracking_code
from server_sync.protocol.messages import (
    Consultation,
    ConsultationDocument,
    DossierItem,
    DossierResponse,
    RequestStatus,
    StatusChange,
    SubmissionKind,
    SupportResult,
    TrackingResponse,
)
from server_sync.protocol.tracking import tracking_url


class SimulatedBackend:
    """Keeps an outbox and a 'hub' in memory; `online` decides whether delivery succeeds."""

    def __init__(self, catalogue: Catalogue | None, terminal_id: str = "K01") -> None:
        self._catalogue = catalogue
        self.terminal_id = terminal_id
        self.online = True
        self.outbox: list[tuple[Draft, SubmitOutcome]] = []
        self.delivered: list[tuple[Draft, SubmitOutcome]] = []
        self.presses: list[tuple[int, str | None]] = []
        self.supports: dict[str, set[str]] = {}
        self.access_codes: dict[str, str] = {}
        self._seq = 0
        self._lock = threading.Lock()
        now = datetime.now(timezone.utc)
        self._consultations = [
            Consultation(
                id="parking-2026",
                title={"bg": "Наредба за паркирането в централната градска част", "en": "Ordinance on parking in the town centre"},
                summary={"bg": "Нови зони за платено паркиране и безплатни места за хора с увреждания.",
                         "en": "New paid parking zones and free places for people with disabilities."},
                documents=[ConsultationDocument(title={"bg": "Проект на наредба", "en": "Draft ordinance"},
                                                summary={"bg": "Зоните, цените и изключенията.", "en": "Zones, prices and exemptions."})],
                opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=27),
            )
        ]

    def catalogue(self) -> Catalogue | None:
        return self._catalogue

    def submit(self, draft: Draft) -> SubmitOutcome:
        with self._lock:
            self._seq += 1
            outcome = SubmitOutcome(
                client_id=str(uuid.uuid4()), delivered=False, number=None,
                provisional_ref=f"{self.terminal_id}-{self._seq:06d}",
                tracking_code=new_tracking_code(), tracking_url=None,
                registered_at=datetime.now(timezone.utc),
            )
            self.outbox.append((draft, outcome))
        if self.online:
            self.drain()
        return outcome

    def drain(self) -> int:
        """What the sync agent does later: deliver everything and learn the official numbers."""
        with self._lock:
            sent = 0
            while self.outbox and self.online:
                draft, outcome = self.outbox.pop(0)
                outcome.number = f"94-{len(self.delivered) + 1:05d}/{outcome.registered_at:%d.%m.%Y}"
                outcome.delivered = True
                base = self._catalogue.municipality.tracking_base_url if self._catalogue else "http://localhost/t/"
                outcome.tracking_url = tracking_url(base, outcome.number, outcome.tracking_code)
                self.delivered.append((draft, outcome))
                sent += 1
            return sent

    def _find(self, reference: str, code: str):
        for draft, outcome in self.delivered + self.outbox:
            if reference in (outcome.number, outcome.provisional_ref) and code.upper() == (outcome.tracking_code or ""):
                return draft, outcome
        return None

    def _title(self, draft: Draft) -> dict[str, str]:
        """What the hub calls a request: its service's or its signal category's name."""
        catalogue = self._catalogue
        if catalogue is not None:
            found = ([s for s in catalogue.services if s.id == draft.service_id] if draft.service_id else
                     [c for c in catalogue.signal_categories if c.id == draft.signal_category_id])
            if found:
                return found[0].name.model_dump(exclude_none=True)
        return {"bg": draft.service_id or draft.signal_category_id or "—"}

    def track(self, reference: str, code: str) -> TrackingResponse:
        if not self.online:
            raise Offline("hub unreachable")
        found = self._find(reference.strip(), code.strip())
        if not found or not found[1].delivered:
            raise NotFound(reference)
        draft, outcome = found
        status = RequestStatus.REGISTERED if draft.kind == "service_request" else RequestStatus.PENDING
        return TrackingResponse(
            number=outcome.number, provisional_ref=outcome.provisional_ref,
            kind=SubmissionKind(draft.kind), title=self._title(draft),
            status=status, registered_at=outcome.registered_at,
            history=[StatusChange(status=status, at=outcome.registered_at)],
        )

    def dossier(self, applicant: dict[str, Any], access_code: str) -> DossierResponse:
        if not self.online:
            raise Offline("hub unreachable")
        if self.access_codes.get(applicant["egn"]) != access_code:
            raise Refused("wrong access code")
        items = []
        for draft, outcome in self.delivered:
            if draft.applicant and draft.applicant.get("egn") == applicant["egn"]:
                items.append(DossierItem(number=outcome.number, kind=SubmissionKind(draft.kind),
                                         title=self._title(draft), status=RequestStatus.REGISTERED,
                                         registered_at=outcome.registered_at))
        return DossierResponse(requests=items)

    def consultations(self) -> list[Consultation]:
        if not self.online:
            raise Offline("hub unreachable")
        return list(self._consultations)

    def support(self, consultation_id: str, applicant: dict[str, Any]) -> SupportResult:
        if not self.online:
            raise Offline("hub unreachable")
        people = self.supports.setdefault(consultation_id, set())
        already = applicant["egn"] in people
        people.add(applicant["egn"])
        return SupportResult(consultation_id=consultation_id, support_count=len(people), already_supported=already)

    def record_press(self, score: int, service_id: str | None = None) -> None:
        self.presses.append((score, service_id))

    def status(self) -> dict[str, Any]:
        return {"queue_depth": len(self.outbox), "online": self.online, "delivered": len(self.delivered)}

    def wipe_session_data(self) -> None:
        pass
