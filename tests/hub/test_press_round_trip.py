"""One model carries a press from the button to the hub's row: every field of `PressFields` the
terminal sets arrives, unchanged, in the hub's `feedback_presses` row — through the terminal's
store, its outbox row, the wire and the hub's ingest."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import datetime, timezone

from sqlalchemy import select

from server_sync.hub.models import FeedbackPress
from server_sync.protocol import PRESS_FIELDS, FeedbackBatch, Press, PressFields
from server_sync.store import Store
from terminal_feedback.config import OpeningSchedule, parse_feedback_section
from terminal_feedback.terminal import FeedbackTerminal

from .conftest import enroll

# An office with no opening hours is never open: the press is stored filtered, outside hours.
NEVER_OPEN = OpeningSchedule("Europe/Sofia", ())


def _terminal_press(tmp_path) -> tuple[PressFields, Press]:
    """A press as the feedback terminal makes it, and its wire message as the store queued it."""
    config = parse_feedback_section({
        "counter_id": "grao-3", "office_id": "center", "service_id": "address-registration",
        "button_pins": [5, 6, 13, 19, 26],
    })
    with Store(tmp_path / "terminal") as store:
        terminal = FeedbackTerminal(config, store, schedule=NEVER_OPEN,
                                    wall_clock=lambda: datetime.now(timezone.utc))
        outcome = terminal.press(2, source="touch", reason="waiting-time")
        assert outcome.durable
        [item] = store.claim(["press"], 10, owner="test")
    return outcome.press, item.press()


def test_the_test_press_sets_every_field_away_from_its_default(tmp_path):
    """Else a field the hub dropped would arrive as its default and pass unnoticed."""
    press, _ = _terminal_press(tmp_path)
    for field in fields(PressFields):
        if field.default is not MISSING:
            assert getattr(press, field.name) != field.default, f"{field.name} keeps its default"


def test_the_wire_model_declares_every_press_field():
    assert set(Press.model_fields) == set(PRESS_FIELDS) | {"press_id", "seq"}


def test_every_field_of_a_terminals_press_reaches_the_hubs_row(tmp_path, client, hub):
    press, message = _terminal_press(tmp_path)
    terminal = enroll(client, hub, kind="feedback", name="Бутони 3")
    response = client.post("/api/v1/feedback", headers=terminal["headers"],
                           json=FeedbackBatch(presses=[message]).model_dump(mode="json"))
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    with hub.sessions() as session:
        row = session.execute(select(FeedbackPress)).scalar_one()
    stored = {name: getattr(row, name) for name in PRESS_FIELDS}
    assert stored == {name: getattr(press, name) for name in PRESS_FIELDS}
    assert (row.press_id, row.seq) == (str(message.press_id), message.seq)
