"""Messages between terminals and the hub: enrolment, heartbeats, submissions, presses, citizens."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import Field, model_validator

from server_sync.protocol.catalogue import SignalType, Tier
from server_sync.protocol.common import (
    SCHEMA_VERSION,
    TRACKING_CODE_PATTERN,
    I18n,
    Identifier,
    Lang,
    LongText,
    Name,
    ShortText,
    Text,
    WireModel,
)
from server_sync.protocol.identifiers import (
    MRZ_PATTERN,
    PHONE_PATTERN,
    DocumentNumber,
    EgnOrLnch,
)
from server_sync.protocol.releases import ReleaseOffer, UpdateReport

__all__ = [
    "TerminalKind",
    "HealthResponse",
    "EnrollRequest",
    "EnrollResponse",
    "DeviceState",
    "DeviceHealth",
    "HeartbeatRequest",
    "HeartbeatResponse",
    "TechnicianCredentialWire",
    "SubmissionKind",
    "Channel",
    "RequestStatus",
    "Applicant",
    "Location",
    "SubmissionRequest",
    "SubmissionReceipt",
    "StatusChange",
    "TrackingResponse",
    "CitizenSessionRequest",
    "CitizenSessionResponse",
    "DossierItem",
    "DossierResponse",
    "ConsultationDocument",
    "Consultation",
    "ConsultationList",
    "SupportRequest",
    "SupportResult",
]

ProvisionalRef = str  # "K07-000123": terminal prefix, dash, six-digit local sequence


class TerminalKind(StrEnum):
    KIOSK = "kiosk"
    FEEDBACK = "feedback"


class HealthResponse(WireModel):
    schema_version: int = SCHEMA_VERSION
    status: Literal["ok"] = "ok"
    version: str
    hub_epoch: str | None = None


# --- enrolment -------------------------------------------------------------------------


class EnrollRequest(WireModel):
    schema_version: int = SCHEMA_VERSION
    code: str = Field(min_length=6, max_length=64)
    hostname: Name | None = None
    software_version: str | None = Field(default=None, max_length=40)


class EnrollResponse(WireModel):
    schema_version: int = SCHEMA_VERSION
    terminal_id: str  # short and printable: "K07", "F12"
    token: str  # bearer token; the hub keeps only its hash
    kind: TerminalKind
    name: Name
    location: ShortText | None = None
    hub_public_key: str  # base64 Curve25519 public key for sealed boxes
    hub_epoch: str


# --- heartbeats ------------------------------------------------------------------------


class DeviceState(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class DeviceHealth(WireModel):
    state: DeviceState
    reason: ShortText | None = None
    detail: dict[str, str | int | float | bool | None] = {}


class HeartbeatRequest(WireModel):
    schema_version: int = SCHEMA_VERSION
    terminal_time: datetime
    seq: int = Field(ge=0)
    software_version: str = Field(max_length=40)
    uptime_s: float = Field(ge=0)
    queue_depth: int = Field(ge=0)
    oldest_undelivered_age_s: float | None = Field(default=None, ge=0)
    last_sync_at: datetime | None = None
    disk_free_bytes: int | None = Field(default=None, ge=0)
    cpu_temp_c: float | None = None
    under_voltage: bool | None = None
    catalogue_version: str | None = None
    devices: dict[Identifier, DeviceHealth] = {}
    last_errors: list[ShortText] = Field(default=[], max_length=20)
    # Queued items the hub refused for good (4xx): parked on the terminal, never retried; the
    # newest refusal's reason (field and why, never the value) for the fleet page.
    rejected_items: int | None = Field(default=None, ge=0)
    last_rejection: ShortText | None = None
    # What this terminal's software understands in the answer beyond the fields every version reads
    # ("technicians": the maintenance-mode allow-list). Terminals refuse unknown fields, so the hub
    # sends a newer field only to a terminal that asks for it: a hub upgraded before its fleet keeps
    # answering older terminals in words they read.
    features: list[Identifier] = Field(default=[], max_length=20)
    # The version of the technicians' list this kiosk holds, as the hub gave it (sent only after a
    # hub gave one, so an older hub never sees the field): the hub leaves the list out of its answer
    # while it is the current one.
    technicians_version: str | None = Field(default=None, pattern=r"^[0-9a-z-]{1,64}$")
    # The terminal's software update state (server_sync.agent.updates), when it takes updates.
    update: UpdateReport | None = None


class TechnicianCredentialWire(WireModel):
    """A technician allowed into a kiosk's maintenance mode: a badge (keyed hash of its UID, see
    server_sync.protocol.technicians) and a PIN (Argon2id hash); never the badge UID or the PIN."""

    name: Name
    badge_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    pin_hash: str = Field(min_length=1, max_length=200)


class HeartbeatResponse(WireModel):
    schema_version: int = SCHEMA_VERSION
    server_time: datetime
    catalogue_version: str
    hub_epoch: str
    # Highest event sequence number the hub holds from this terminal: a terminal whose
    # delivered sequence is above it knows the hub lost data (restored from a backup).
    last_seq: int | None = None
    badge_uids: list[str] | None = None  # technician badge allow-list (hashed UIDs)
    # Kiosks only: the technicians' credentials for maintenance mode (the whole current list; an
    # empty list withdraws every one) and the key of their badge hashes.
    technicians: list[TechnicianCredentialWire] | None = Field(default=None, max_length=1000)
    badge_key: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    # To kiosks asking for "technicians-version": the current list's version. The list comes with it
    # only when the kiosk's `technicians_version` is another one (its absence: keep yours).
    technicians_version: str | None = Field(default=None, pattern=r"^[0-9a-z-]{1,64}$")
    # To terminals asking for "updates": the newest release of their channel, when newer than theirs.
    release: ReleaseOffer | None = None


# --- requests and signals --------------------------------------------------------------


class SubmissionKind(StrEnum):
    SERVICE_REQUEST = "service_request"
    SIGNAL = "signal"


class Channel(StrEnum):
    KIOSK = "kiosk"
    WEB = "web"
    COUNTER = "counter"
    OPEN311 = "open311"


class RequestStatus(StrEnum):
    REGISTERED = "registered"  # service requests start here
    PENDING = "pending"  # signals start here (чакащ)
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"


class Applicant(WireModel):
    """Personal data of a citizen: travels sealed to the hub's key from the terminal's disk."""

    egn: EgnOrLnch | None = None  # ЕГН or ЛНЧ: ten ASCII digits, check digit verified
    document_number: DocumentNumber | None = None
    given_names: Name | None = None
    surname: Name | None = None
    birth_date: date | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    address: ShortText | None = None
    personal_fields: dict[Identifier, Text] = {}  # personal form fields (by type or marked `personal`)
    # The ID card's machine-readable zone as read (lines joined by "\n"): what proves the claimed
    # identity. The hub links a request to a citizen's dossier only when its check digits hold and
    # its document number and ЕГН are the ones claimed above.
    mrz: str | None = Field(default=None, pattern=MRZ_PATTERN)


class Location(WireModel):
    address_text: ShortText | None = None
    place_id: Identifier | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class SubmissionRequest(WireModel):
    """`POST /api/v1/requests`: a service request or a signal, idempotent on client_id."""

    schema_version: int = SCHEMA_VERSION
    client_id: UUID
    kind: SubmissionKind
    channel: Channel = Channel.KIOSK
    terminal_time: datetime
    seq: int = Field(ge=0)
    provisional_ref: str | None = Field(default=None, pattern=r"^[A-Z0-9]{1,8}-[0-9]{6}$")
    # Made by the terminal at filing time, so a receipt printed while offline already carries
    # the code that tracks it anywhere; the hub keeps it (and makes one when absent).
    tracking_code: str | None = Field(default=None, pattern=TRACKING_CODE_PATTERN)
    language: Lang = "bg"
    service_id: Identifier | None = None
    tier: Tier | None = None
    signal_category_id: Identifier | None = None
    signal_type: SignalType | None = None
    description: LongText | None = None
    location: Location | None = None
    form: dict[Identifier, Text | int | float | bool | None] = {}
    anonymous: bool = False
    applicant: Applicant | None = None  # clear, only over a direct TLS call
    sealed_applicant: str | None = Field(default=None, max_length=16384)  # base64 sealed box
    # The incoming number the hub already gave this submission, sent again only when a hub restored
    # from a backup asks for it (a new hub_epoch): the hub keeps it (or maps it to a new one), so the
    # citizen's receipt still tracks. Not part of the payload's identity (see the hub's payload_hash).
    number: str | None = Field(default=None, min_length=1, max_length=80)

    @model_validator(mode="after")
    def _kind_fields(self) -> "SubmissionRequest":
        if self.kind == SubmissionKind.SERVICE_REQUEST:
            if not self.service_id:
                raise ValueError("service_id: required for a service request")
            if self.anonymous:
                raise ValueError("anonymous: a service request cannot be anonymous")
        else:
            if not self.signal_category_id:
                raise ValueError("signal_category_id: required for a signal")
            if not self.signal_type:
                raise ValueError("signal_type: required for a signal")
            if not self.description:
                raise ValueError("description: required for a signal")
        if self.applicant is not None and self.sealed_applicant is not None:
            raise ValueError("applicant: send it clear or sealed, not both")
        return self


class SubmissionReceipt(WireModel):
    schema_version: int = SCHEMA_VERSION
    client_id: UUID
    kind: SubmissionKind
    number: str  # the official incoming number
    tracking_code: str
    status: RequestStatus
    registered_at: datetime
    deadline_at: datetime | None = None
    provisional_ref: str | None = None
    tracking_url: str | None = None
    # For a request that names a person: "linked" when the ID card's machine-readable zone proved
    # the ЕГН (the request is in that person's dossier), "not_linked" when it did not (filed, but
    # not in any dossier). None when no person was named.
    identity: Literal["linked", "not_linked"] | None = None


class StatusChange(WireModel):
    status: RequestStatus
    at: datetime
    note: Text | None = None


class TrackingResponse(WireModel):
    schema_version: int = SCHEMA_VERSION
    number: str
    provisional_ref: str | None = None
    kind: SubmissionKind
    title: I18n  # the service's or the signal category's name
    status: RequestStatus
    registered_at: datetime
    deadline_at: datetime | None = None
    history: list[StatusChange]


# --- citizens --------------------------------------------------------------------------


class CitizenSessionRequest(WireModel):
    schema_version: int = SCHEMA_VERSION
    egn: EgnOrLnch
    document_number: DocumentNumber
    access_code: str = Field(min_length=4, max_length=32)


class CitizenSessionResponse(WireModel):
    schema_version: int = SCHEMA_VERSION
    token: str
    expires_at: datetime
    display_name: Name | None = None


class DossierItem(WireModel):
    number: str
    kind: SubmissionKind
    title: I18n
    status: RequestStatus
    registered_at: datetime
    deadline_at: datetime | None = None
    history: list[StatusChange] = []


class DossierResponse(WireModel):
    schema_version: int = SCHEMA_VERSION
    requests: list[DossierItem]


# --- consultations ---------------------------------------------------------------------


class ConsultationDocument(WireModel):
    title: I18n
    summary: I18n
    url: str | None = None


class Consultation(WireModel):
    id: Identifier
    title: I18n
    summary: I18n
    documents: list[ConsultationDocument] = []
    opens_at: datetime
    closes_at: datetime
    support_count: int = 0


class ConsultationList(WireModel):
    schema_version: int = SCHEMA_VERSION
    consultations: list[Consultation]


class SupportRequest(WireModel):
    """Support a consultation with the ID card: once per person (keyed on the ЕГН's HMAC)."""

    schema_version: int = SCHEMA_VERSION
    client_id: UUID
    terminal_time: datetime
    applicant: Applicant | None = None
    sealed_applicant: str | None = Field(default=None, max_length=16384)

    @model_validator(mode="after")
    def _identified(self) -> "SupportRequest":
        if (self.applicant is None) == (self.sealed_applicant is None):
            raise ValueError("applicant: exactly one of applicant or sealed_applicant")
        return self


class SupportResult(WireModel):
    schema_version: int = SCHEMA_VERSION
    consultation_id: str
    support_count: int
    already_supported: bool
