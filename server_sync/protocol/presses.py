"""A satisfaction press, one model from the button to the hub's row.

`PressFields` is what a terminal knows of a press when it is made (a plain frozen dataclass, built
once per press: no validation on the button's path). The terminal's store wraps it in the wire
model `Press` — the fields plus the press's id and event sequence number — which validates it once
before it is written to the outbox; the hub stores a `Press` as its row. Both sides copy the
fields by the names in `PRESS_FIELDS`, so a field added here must be on the wire model and in the
hub's table too, or the first press fails loudly (tests/feedback/test_press_model.py).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field, model_validator

from server_sync.protocol.common import SCHEMA_VERSION, Identifier, WireModel

__all__ = ["PressFields", "PRESS_FIELDS", "Press", "FeedbackBatch", "FeedbackBatchResult", "MAX_FEEDBACK_BATCH"]

MAX_FEEDBACK_BATCH = 1000

PressSource = Literal["button", "touch", "kiosk"]
FilterReason = Literal["response_interval", "outside_hours"]


@dataclass(frozen=True, slots=True)
class PressFields:
    """A press as the terminal classified it, before it has an id or a sequence number."""

    score: int  # 1 = very unhappy … scale = very happy
    scale: int = 4
    counter_id: str | None = None
    office_id: str | None = None
    service_id: str | None = None
    source: PressSource = "button"
    filtered: bool = False
    filter_reason: FilterReason | None = None
    outside_hours: bool = False
    reason: str | None = None  # the follow-up answer, if any
    terminal_time: datetime | None = None  # None: the store stamps the time it writes the press


PRESS_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PressFields))


class Press(WireModel):
    """A press on the wire: `PressFields` with its id and event sequence number, validated."""

    press_id: UUID
    terminal_time: datetime
    seq: int = Field(ge=0)
    score: int = Field(ge=1, le=5)
    scale: int = Field(default=4, ge=3, le=5)
    counter_id: Identifier | None = None
    office_id: Identifier | None = None
    service_id: Identifier | None = None
    source: PressSource = "button"
    filtered: bool = False
    filter_reason: FilterReason | None = None
    outside_hours: bool = False
    reason: Identifier | None = None

    @classmethod
    def of(cls, press: PressFields, *, press_id: UUID, seq: int, terminal_time: datetime) -> Press:
        """The wire message of a terminal's press (every field of `PressFields`, by name)."""
        values = {name: getattr(press, name) for name in PRESS_FIELDS}
        values.update(press_id=press_id, seq=seq, terminal_time=terminal_time)
        return cls(**values)

    @model_validator(mode="after")
    def _score_within_scale(self) -> Press:
        if self.score > self.scale:
            raise ValueError(f"score: {self.score} is above the scale of {self.scale}")
        return self


class FeedbackBatch(WireModel):
    schema_version: int = SCHEMA_VERSION
    presses: list[Press] = Field(min_length=1, max_length=MAX_FEEDBACK_BATCH)


class FeedbackBatchResult(WireModel):
    schema_version: int = SCHEMA_VERSION
    accepted: int  # new presses stored
    duplicates: int  # already stored earlier (replay)
