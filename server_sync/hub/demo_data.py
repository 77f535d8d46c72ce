"""Typed demo data (citizens, ID cards, counters, consultations, requests) for `kiosk-hub seed-demo`."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator
from stdnum.bg import egn as egn_check
from stdnum.bg import pnf as pnf_check

from server_sync.hub.catalogue_file import CatalogueFileError, validate_document
from server_sync.protocol import (
    SCHEMA_VERSION,
    CatalogueData,
    Consultation,
    I18n,
    Identifier,
    Name,
    RequestStatus,
    ShortText,
    SignalType,
    SubmissionKind,
    Text,
    Tier,
    WireModel,
)

__all__ = [
    "SHIPPED_DEMO",
    "IdCardKind",
    "DemoCitizen",
    "DemoIdCard",
    "DemoCounter",
    "DemoStatusChange",
    "DemoRequest",
    "DemoData",
    "load_demo_file",
    "check_demo_against_catalogue",
]

SHIPPED_DEMO = Path(__file__).parent / "data" / "demo.toml"

MrzLine = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9<]{30}$")]


class IdCardKind(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"  # check digits right, expiry date in the past
    BAD_CHECK_DIGIT = "bad_check_digit"  # one check digit deliberately wrong


class DemoCitizen(WireModel):
    id: Identifier
    given_names: Name  # first and father's name, Cyrillic, as spoken on the kiosk
    surname: Name
    egn: str = Field(pattern=r"^\d{10}$")  # ЕГН, or ЛНЧ for a foreigner
    sex: Literal["M", "F"]
    birth_date: date
    document_number: str = Field(pattern=r"^[A-Z0-9]{6,12}$")
    document_expiry: date
    access_code: str = Field(min_length=4, max_length=32)  # the personal access code for the dossier
    phone: str | None = Field(default=None, pattern=r"^[0-9+ ()/-]{3,32}$")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    address: ShortText | None = None
    note: ShortText | None = None

    @field_validator("egn")
    @classmethod
    def _valid_personal_number(cls, value: str) -> str:
        if not (egn_check.is_valid(value) or pnf_check.is_valid(value)):
            raise ValueError("not a valid ЕГН or ЛНЧ (check digit)")
        return value

    @model_validator(mode="after")
    def _egn_matches_person(self) -> "DemoCitizen":
        if egn_check.is_valid(self.egn):
            if egn_check.get_birth_date(self.egn) != self.birth_date:
                raise ValueError("birth_date does not match the ЕГН")
            # ЕГН: the ninth digit is even for men, odd for women.
            if (int(self.egn[8]) % 2 == 0) != (self.sex == "M"):
                raise ValueError("sex does not match the ЕГН's ninth digit")
        return self


class DemoIdCard(WireModel):
    """A card the kiosk simulator can "insert": the three TD1 MRZ lines as printed on the back."""

    id: Identifier
    citizen_id: Identifier | None = None
    kind: IdCardKind
    description: I18n
    mrz: list[MrzLine] = Field(min_length=3, max_length=3)

    @property
    def mrz_text(self) -> str:
        return "\n".join(self.mrz)


class DemoCounter(WireModel):
    id: Identifier
    office_id: Identifier
    name: I18n
    service_ids: list[Identifier] = []


class DemoStatusChange(WireModel):
    status: RequestStatus
    at: datetime
    note: Text | None = None


class DemoRequest(WireModel):
    """An already-filed request or signal, so the dossier and tracking have something to show."""

    id: Identifier
    kind: SubmissionKind
    citizen_id: Identifier | None = None  # None: filed anonymously (signals only)
    service_id: Identifier | None = None
    tier: Tier | None = None
    signal_category_id: Identifier | None = None
    signal_type: SignalType | None = None
    place_id: Identifier | None = None
    description: Text | None = None
    form: dict[Identifier, Text | int | float | bool] = {}
    tracking_code: str | None = Field(default=None, min_length=4, max_length=32)
    history: list[DemoStatusChange] = Field(min_length=1)

    @property
    def status(self) -> RequestStatus:
        return self.history[-1].status

    @property
    def registered_at(self) -> datetime:
        return self.history[0].at

    @model_validator(mode="after")
    def _consistent(self) -> "DemoRequest":
        if self.kind == SubmissionKind.SERVICE_REQUEST:
            if not self.service_id or self.signal_category_id:
                raise ValueError("a service_request needs service_id and no signal_category_id")
            if self.citizen_id is None:
                raise ValueError("a service_request needs citizen_id")
            first = RequestStatus.REGISTERED
        else:
            if not self.signal_category_id or self.service_id:
                raise ValueError("a signal needs signal_category_id and no service_id")
            first = RequestStatus.PENDING
        if self.history[0].status != first:
            raise ValueError(f"history must start with '{first}'")
        times = [h.at for h in self.history]
        if times != sorted(times):
            raise ValueError("history must be in time order")
        return self


class DemoData(WireModel):
    schema_version: int = SCHEMA_VERSION
    citizens: list[DemoCitizen] = []
    id_cards: list[DemoIdCard] = []
    counters: list[DemoCounter] = []
    consultations: list[Consultation] = []
    requests: list[DemoRequest] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> "DemoData":
        errors: list[str] = []
        for kind, items in (("citizens", self.citizens), ("id_cards", self.id_cards),
                            ("counters", self.counters), ("consultations", self.consultations),
                            ("requests", self.requests)):
            ids = [i.id for i in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                errors.append(f"{kind}: duplicate id {', '.join(dupes)}")
        citizens = {c.id for c in self.citizens}
        for card in self.id_cards:
            if card.citizen_id and card.citizen_id not in citizens:
                errors.append(f"id_cards[{card.id}].citizen_id: unknown citizen '{card.citizen_id}'")
        for req in self.requests:
            if req.citizen_id and req.citizen_id not in citizens:
                errors.append(f"requests[{req.id}].citizen_id: unknown citizen '{req.citizen_id}'")
        for cons in self.consultations:
            if cons.closes_at <= cons.opens_at:
                errors.append(f"consultations[{cons.id}].closes_at: must be after opens_at")
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def citizen(self, citizen_id: str) -> DemoCitizen:
        return next(c for c in self.citizens if c.id == citizen_id)

    def card(self, card_id: str) -> DemoIdCard:
        return next(c for c in self.id_cards if c.id == card_id)


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    # TOML has no null: an MRZ written as one multi-line string is accepted as well as a list.
    for card in data.get("id_cards", []) or []:
        if isinstance(card, dict) and isinstance(card.get("mrz"), str):
            card["mrz"] = [line.strip() for line in card["mrz"].strip().splitlines()]
    return data


def load_demo_file(path: Path | str = SHIPPED_DEMO) -> DemoData:
    """Load and validate demo data from .toml or .json; errors name the entry and the field."""
    return validate_document(path, DemoData, transform=_normalise)


def check_demo_against_catalogue(demo: DemoData, catalogue: CatalogueData) -> list[str]:
    """Problems where demo data points at services, categories, offices or places the catalogue lacks."""
    services = {s.id for s in catalogue.services}
    categories = {c.id for c in catalogue.signal_categories}
    places = {p.id for p in catalogue.places}
    offices = {o.id: o for o in catalogue.offices}
    problems: list[str] = []
    for counter in demo.counters:
        office = offices.get(counter.office_id)
        if office is None:
            problems.append(f"counters[{counter.id}].office_id: unknown office '{counter.office_id}'")
        elif counter.id not in office.counters:
            problems.append(f"counters[{counter.id}]: not listed in offices[{office.id}].counters")
        for sid in counter.service_ids:
            if sid not in services:
                problems.append(f"counters[{counter.id}].service_ids: unknown service '{sid}'")
    for req in demo.requests:
        if req.service_id and req.service_id not in services:
            problems.append(f"requests[{req.id}].service_id: unknown service '{req.service_id}'")
        if req.signal_category_id and req.signal_category_id not in categories:
            problems.append(
                f"requests[{req.id}].signal_category_id: unknown category '{req.signal_category_id}'")
        if req.place_id and req.place_id not in places:
            problems.append(f"requests[{req.id}].place_id: unknown place '{req.place_id}'")
        if req.signal_category_id in categories and req.citizen_id is None:
            category = next(c for c in catalogue.signal_categories if c.id == req.signal_category_id)
            if not category.anonymous_allowed:
                problems.append(
                    f"requests[{req.id}].citizen_id: category '{category.id}' takes no anonymous signals")
        if req.service_id in services and req.tier is not None:
            service = next(s for s in catalogue.services if s.id == req.service_id)
            if service.tier(req.tier) is None:
                problems.append(f"requests[{req.id}].tier: service '{service.id}' has no '{req.tier}' tier")
    return problems


__all__ += ["CatalogueFileError"]
