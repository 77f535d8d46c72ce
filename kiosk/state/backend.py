"""What the kiosk needs from the outside world (store, hub, printer), as one small interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the pydantic models cost ~0.2 s to import: not before the first frame
    from server_sync.protocol.catalogue import Catalogue
    from server_sync.protocol.messages import (
        Consultation,
        DossierResponse,
        SupportResult,
        TrackingResponse,
    )


class BackendError(Exception):
    """Root of the kiosk backend's errors; `reason` is a short code views translate."""

    reason = "error"


class Offline(BackendError):
    reason = "offline"


class NotFound(BackendError):
    reason = "not_found"


class Refused(BackendError):
    reason = "refused"


@dataclass
class Draft:
    """A service request or signal as the citizen built it, before it is written."""

    kind: str  # "service_request" | "signal"
    language: str = "bg"
    service_id: str | None = None
    tier: str | None = None
    form: dict[str, Any] = field(default_factory=dict)
    personal_fields: dict[str, str] = field(default_factory=dict)
    applicant: dict[str, Any] | None = None  # egn, document_number, given_names, surname, birth_date
    signal_type: str | None = None
    signal_category_id: str | None = None
    description: str | None = None
    address_text: str | None = None
    place_id: str | None = None
    anonymous: bool = False
    #: how the municipality can answer (phone, email), optional; sealed with the applicant
    contact: dict[str, str] = field(default_factory=dict)


@dataclass
class SubmitOutcome:
    """What the receipt shows: the official number when the hub answered in time, else the reference."""

    client_id: str
    delivered: bool
    number: str | None
    provisional_ref: str | None
    tracking_code: str | None
    tracking_url: str | None
    registered_at: datetime
    deadline_at: datetime | None = None

    @property
    def reference(self) -> str:
        return self.number or self.provisional_ref or ""


class KioskBackend(Protocol):
    """Blocking calls; the kiosk runs every one of them off the GUI thread."""

    def catalogue(self) -> Catalogue | None: ...

    def submit(self, draft: Draft) -> SubmitOutcome: ...

    def track(self, reference: str, code: str) -> TrackingResponse: ...

    def dossier(self, applicant: dict[str, Any], access_code: str) -> DossierResponse: ...

    def consultations(self) -> list[Consultation]: ...

    def support(self, consultation_id: str, applicant: dict[str, Any]) -> SupportResult: ...

    def record_press(self, score: int, service_id: str | None = None) -> None: ...

    def status(self) -> dict[str, Any]: ...

    def wipe_session_data(self) -> None: ...
