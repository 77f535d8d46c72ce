"""The e-service catalogue as published by the hub and cached on every terminal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from server_sync.protocol.common import (
    SCHEMA_VERSION,
    I18n,
    Identifier,
    ShortText,
    WireModel,
)

__all__ = [
    "PERSONAL_FIELD_TYPES",
    "BGN_PER_EUR",
    "bgn_to_eur",
    "Tier",
    "DeadlineUnit",
    "Deadline",
    "ServiceTier",
    "FieldType",
    "Choice",
    "FormField",
    "Unit",
    "LifeSituation",
    "Service",
    "SignalType",
    "SignalCategory",
    "Hotline",
    "OpeningHours",
    "Office",
    "Place",
    "Municipality",
    "CatalogueData",
    "Catalogue",
]

BGN_PER_EUR = Decimal("1.95583")


def bgn_to_eur(bgn: Decimal | float | str) -> Decimal:
    """Convert a lev amount at the fixed rate, rounded to the cent (5 лв → 2.56 €)."""
    return (Decimal(str(bgn)) / BGN_PER_EUR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Tier(StrEnum):
    ORDINARY = "ordinary"
    FAST = "fast"
    EXPRESS = "express"


class DeadlineUnit(StrEnum):
    IMMEDIATE = "immediate"
    SAME_DAY = "same_day"
    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"


class Deadline(WireModel):
    unit: DeadlineUnit
    amount: int = Field(default=0, ge=0, le=3650)

    @model_validator(mode="after")
    def _amount_matches_unit(self) -> "Deadline":
        if self.unit in (DeadlineUnit.IMMEDIATE, DeadlineUnit.SAME_DAY):
            if self.amount:
                raise ValueError(f"deadline '{self.unit}' takes no amount")
        elif self.amount < 1:
            raise ValueError(f"deadline in {self.unit} needs an amount ≥ 1")
        return self


class ServiceTier(WireModel):
    tier: Tier
    deadline: Deadline | None = None  # None: the municipality has not published it
    fee_eur: Decimal | None = Field(default=None, ge=0, max_digits=9, decimal_places=2)
    fee_note: I18n | None = None  # e.g. "10–100 € by floor area", "per year"


class FieldType(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    NUMBER = "number"
    DATE = "date"
    PHONE = "phone"
    EMAIL = "email"
    CHOICE = "choice"
    CHECKBOX = "checkbox"
    EGN = "egn"  # ЕГН or ЛНЧ of a person other than the applicant (e.g. the deceased)
    ADDRESS = "address"
    NAME = "name"  # a person's names (the deceased's, a child's, a spouse's, the requester's)


#: Field types that always hold personal data: sealed on the terminal and kept with the hub's
#: personal data, whatever the catalogue's `personal` flag says (2026-12-03).
PERSONAL_FIELD_TYPES = frozenset({FieldType.EGN, FieldType.NAME, FieldType.ADDRESS, FieldType.PHONE,
                                  FieldType.EMAIL})


class Choice(WireModel):
    value: Identifier
    label: I18n


class FormField(WireModel):
    """One field of a service's form, typed, with the rules the kiosk and the hub both check."""

    name: Identifier
    label: I18n
    type: FieldType
    required: bool = False
    help: I18n | None = None
    max_length: int | None = Field(default=None, ge=1, le=8000)
    pattern: str | None = None  # a Python regular expression the whole value must match
    # number: the range (whole numbers only unless a bound has a fraction); date: days relative
    # to the filing day (max_value = 0: not after today). See server_sync.protocol.form_rules.
    min_value: float | None = None
    max_value: float | None = None
    choices: list[Choice] = []
    personal: bool = False  # sealed with the applicant's data on the terminal (see is_personal)

    @property
    def is_personal(self) -> bool:
        """Personal by its type (ЕГН/ЛНЧ, name, address, phone, e-mail) or marked so."""
        return self.personal or self.type in PERSONAL_FIELD_TYPES

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> "FormField":
        if self.type == FieldType.CHOICE and not self.choices:
            raise ValueError("a choice field needs choices")
        if self.type != FieldType.CHOICE and self.choices:
            raise ValueError("only a choice field has choices")
        return self


class Unit(WireModel):
    """An administrative unit (ГРАО, Местни данъци и такси, …)."""

    id: Identifier
    name: I18n


class LifeSituation(WireModel):
    """A browsing category by the citizen's situation (birth, death, property, …)."""

    id: Identifier
    name: I18n
    icon: str | None = None


class Service(WireModel):
    id: Identifier
    iisda_code: str | None = Field(default=None, pattern=r"^[0-9]{1,5}$")
    local_code: str | None = Field(default=None, max_length=32)
    name: I18n
    description: I18n
    unit_id: Identifier
    life_situations: list[Identifier] = []
    tiers: list[ServiceTier] = Field(min_length=1)
    required_documents: list[I18n] = []
    legal_basis: I18n | None = None
    where: I18n | None = None  # where to go / collect
    form_fields: list[FormField] = []
    needs_identity: bool = True  # the applicant identifies with the ID card
    keep_egn: bool = False  # the application legally needs the clear ЕГН on the hub
    keywords: list[ShortText] = []

    @field_validator("tiers")
    @classmethod
    def _unique_tiers(cls, tiers: list[ServiceTier]) -> list[ServiceTier]:
        seen = [t.tier for t in tiers]
        if len(seen) != len(set(seen)):
            raise ValueError("each tier at most once")
        return tiers

    def tier(self, tier: Tier | str) -> ServiceTier | None:
        return next((t for t in self.tiers if t.tier == tier), None)


class SignalType(StrEnum):
    PROBLEM = "problem"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    PROPOSAL = "proposal"
    QUESTION = "question"


class SignalCategory(WireModel):
    id: Identifier
    name: I18n
    description: I18n | None = None
    unit_id: Identifier | None = None
    anonymous_allowed: bool = True
    #: the clerk must know where (a lamp, a pothole, a container): a place from the catalogue or
    #: an address typed by the citizen. Optional on the wire (older catalogues: not required).
    location_required: bool = False


class Hotline(WireModel):
    id: Identifier
    name: I18n
    phone: str = Field(pattern=r"^[0-9+ ()/-]{3,32}$")
    hours: I18n | None = None
    unit_id: Identifier | None = None
    address: I18n | None = None


class OpeningHours(WireModel):
    weekday: int = Field(ge=0, le=6)  # Monday = 0
    opens: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    closes: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")


class Office(WireModel):
    id: Identifier
    name: I18n
    kind: Literal["municipality", "citizen_centre", "mayoralty", "other"] = "municipality"
    address: I18n | None = None
    timezone: str = "Europe/Sofia"
    opening_hours: list[OpeningHours] = []
    counters: list[Identifier] = []


class Place(WireModel):
    """A named place a signal can point at (a square, a park, a street section)."""

    id: Identifier
    name: I18n
    kind: str | None = None


class Municipality(WireModel):
    code: Identifier
    name: I18n
    number_format: str = "{index}-{seq:05d}/{date:%d.%m.%Y}"
    number_index: str = "94"
    tracking_base_url: str = "http://localhost:8750/t/"


class CatalogueData(WireModel):
    """The importable catalogue: what the municipality edits (no version: the hub computes it)."""

    schema_version: int = SCHEMA_VERSION
    municipality: Municipality
    units: list[Unit] = []
    life_situations: list[LifeSituation] = []
    services: list[Service] = []
    signal_categories: list[SignalCategory] = []
    hotlines: list[Hotline] = []
    offices: list[Office] = []
    places: list[Place] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> "CatalogueData":
        units = {u.id for u in self.units}
        situations = {s.id for s in self.life_situations}
        errors: list[str] = []
        for kind, items in (
            ("units", self.units),
            ("life_situations", self.life_situations),
            ("services", self.services),
            ("signal_categories", self.signal_categories),
            ("hotlines", self.hotlines),
            ("offices", self.offices),
            ("places", self.places),
        ):
            ids = [i.id for i in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                errors.append(f"{kind}: duplicate id {', '.join(dupes)}")
        for s in self.services:
            if s.unit_id not in units:
                errors.append(f"services[{s.id}].unit_id: unknown unit '{s.unit_id}'")
            for ls in s.life_situations:
                if ls not in situations:
                    errors.append(f"services[{s.id}].life_situations: unknown '{ls}'")
        for collection in (self.signal_categories, self.hotlines):
            for item in collection:
                if item.unit_id and item.unit_id not in units:
                    errors.append(f"{item.id}.unit_id: unknown unit '{item.unit_id}'")
        if errors:
            raise ValueError("; ".join(errors))
        return self


class Catalogue(CatalogueData):
    """The catalogue as served by `GET /api/v1/catalogue`: the data plus its version (= ETag)."""

    version: str
