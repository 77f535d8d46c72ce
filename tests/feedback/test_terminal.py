"""The press path end to end on MockFactory pins and the real store: counting, filtering, ack order, failures."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

import pytest
from sqlalchemy import event

from hardware.base import DeviceState
from hardware.buttons import SimulatedButtonPanel
from server_sync.store import Store
from terminal_feedback.__main__ import office_schedule, report_health
from terminal_feedback.config import parse_feedback_section
from terminal_feedback.terminal import FeedbackTerminal


def stored_presses(store: Store) -> list[dict]:
    """Every press as the outbox will send it (the full wire model), in sequence order."""
    with sqlite3.connect(store.path) as db:
        rows = db.execute("SELECT payload FROM outbox WHERE kind = 'press' ORDER BY seq").fetchall()
    return [json.loads(r[0]) for r in rows]


class OrderedStore:
    """The real store, noting when each write returns and whether an LED was lit during it."""

    def __init__(self, store: Store, events: list, panel_ref: list) -> None:
        self.store, self.events, self.panel_ref = store, events, panel_ref

    def record_press(self, press):
        panel = self.panel_ref[0]
        lit_before = [led.is_lit for led in panel._leds]
        self.events.append(("write-start", press.score, lit_before))
        record = self.store.record_press(press)
        self.events.append(("write-done", press.score, str(record.press_id)))
        return record


def build(store, clock, section=None, sink=None, events=None):
    config = parse_feedback_section({
        "counter_id": "grao-3", "office_id": "center", "service_id": "address-registration",
        "led_pins": [12, 16, 20, 21], "buzzer_pin": 26, "button_pins": [5, 6, 13, 19],
        **(section or {}),
    })
    panel_ref: list = []
    events = events if events is not None else []

    def acknowledge(outcome):
        events.append(("ack", outcome.press.score, str(outcome.record.press_id)))
        panel_ref[0].acknowledge(outcome.press.score)

    terminal = FeedbackTerminal(config, sink or OrderedStore(store, events, panel_ref),
                                acknowledge=acknowledge, clock=clock, wall_clock=clock.now,
                                on_error=lambda exc: (events.append(("error", str(exc))),
                                                      panel_ref[0].signal_error()))
    panel = SimulatedButtonPanel(config.panel, terminal, clock=clock)
    panel_ref.append(panel)
    return terminal, panel, events


def test_a_press_is_on_disk_before_its_led_lights(store, clock):
    terminal, panel, events = build(store, clock)
    panel.press(3)
    assert [e[0] for e in events] == ["write-start", "write-done", "ack"]
    assert events[0][2] == [False, False, False, False]  # no LED lit while writing
    assert events[1][2] == events[2][2]  # the acknowledged press is the written one
    # ... and it is really in the database, read through a separate connection.
    assert [p["press_id"] for p in stored_presses(store)] == [events[1][2]]
    assert panel.acknowledgements == [3]
    panel.close()


def test_response_interval_keeps_and_marks_presses(store, clock):
    terminal, panel, _ = build(store, clock)
    panel.press(4)            # counted
    clock.advance(1.0)
    panel.press(4)            # filtered: 1 s after a counted press
    clock.advance(3.0)
    panel.press(1)            # filtered: 4 s after the counted press
    clock.advance(1.5)
    panel.press(2)            # counted: 5.5 s after the last counted one
    clock.advance(4.9)
    panel.press(2)            # filtered: measured from the last *counted* press
    presses = stored_presses(store)
    assert [(p["score"], p["filtered"], p["filter_reason"]) for p in presses] == [
        (4, False, None), (4, True, "response_interval"), (1, True, "response_interval"),
        (2, False, None), (2, True, "response_interval"),
    ]
    assert panel.acknowledgements == [4, 4, 1, 2, 2]  # every kept press is acknowledged
    assert all(p["counter_id"] == "grao-3" and p["office_id"] == "center" for p in presses)
    assert len({p["seq"] for p in presses}) == 5
    panel.close()


def test_a_held_button_is_one_press_on_the_full_path(store, clock):
    terminal, panel, _ = build(store, clock)
    pin = panel.pin(1)
    pin.drive_low()
    for _ in range(10):
        clock.advance(1.0)
        pin.drive_low()  # still held: no edge, no new press
    pin.drive_high()
    clock.advance(0.002)
    pin.drive_low()  # release chatter
    clock.advance(0.002)
    pin.drive_high()
    assert len(stored_presses(store)) == 1
    panel.close()


def test_opening_hours_in_the_offices_time_zone(store, clock):
    section = {"timezone": "Europe/Sofia", "opening_hours": {"mon-fri": "08:30-17:30", "sat": "09:00-12:00"}}
    terminal, panel, _ = build(store, clock, section)
    # 08:00 UTC on Tuesday is 10:00 in Sofia: open.
    panel.press(3)
    # 16:00 UTC is 18:00 in Sofia: closed, although it is before 17:30 UTC.
    clock.advance(8 * 3600)
    panel.press(4)
    # Saturday 09:30 Sofia = 07:30 UTC: open.
    clock.wall = datetime(2026, 3, 14, 7, 30, tzinfo=timezone.utc)
    clock.advance(60)
    panel.press(2)
    # Sunday: closed all day.
    clock.wall = datetime(2026, 3, 15, 9, 0, tzinfo=timezone.utc)
    clock.advance(60)
    panel.press(1)
    presses = stored_presses(store)
    assert [(p["outside_hours"], p["filtered"], p["filter_reason"]) for p in presses] == [
        (False, False, None), (True, True, "outside_hours"), (False, False, None), (True, True, "outside_hours"),
    ]
    panel.close()


def test_opening_hours_come_from_the_cached_catalogue_when_not_configured(store, clock):
    from server_sync.protocol.catalogue import Office, OpeningHours

    config = parse_feedback_section({"office_id": "center"})

    class CatalogueStub:
        offices = [Office(id="center", name={"bg": "Център"}, timezone="Europe/Sofia",
                          opening_hours=[OpeningHours(weekday=1, opens="09:00", closes="12:00")])]

    class StoreStub:
        def catalogue(self):
            return CatalogueStub()

    schedule = office_schedule(config, StoreStub())
    assert schedule.is_open(datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc))  # Tue 10:00 Sofia
    assert not schedule.is_open(datetime(2026, 3, 10, 10, 30, tzinfo=timezone.utc))  # Tue 12:30
    assert not schedule.is_open(datetime(2026, 3, 11, 8, 0, tzinfo=timezone.utc))  # Wednesday
    assert office_schedule(config, store) is None  # nothing cached yet: no hours known


def test_disk_full_means_no_ack_an_error_and_a_retry(tmp_path, clock):
    store = Store(tmp_path / "data")
    capped = {"on": False}

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn, _record):
        if capped["on"]:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    terminal, panel, events = build(store, clock)
    panel.press(2)
    assert panel.acknowledgements == [2]

    capped["on"] = True
    store.engine.dispose()
    for _ in range(200):  # enough presses to need a new page
        clock.advance(10)
        panel.press(1)
        if terminal.pending:
            break
    assert terminal.pending, "the capped database never filled up"
    acked_before = list(panel.acknowledgements)
    errors = [e for e in events if e[0] == "error"]
    assert errors and "full" in errors[-1][1]
    assert terminal.health().state is DeviceState.DEGRADED
    assert "full" in terminal.health().reason
    assert panel.errors_signalled >= 1

    clock.advance(10)
    panel.press(4)  # still full: queued behind the first, not acknowledged
    assert panel.acknowledgements == acked_before
    assert len(terminal.pending) == 2

    capped["on"] = False
    store.engine.dispose()
    assert terminal.retry_pending() is True
    assert not terminal.pending
    scores = [p["score"] for p in stored_presses(store)]
    assert scores[-2:] == [1, 4]  # nothing lost, order kept
    assert len(scores) == len(acked_before) + 2
    assert terminal.health().state is DeviceState.OK
    panel.close()
    store.close()


def test_health_reaches_the_store_for_heartbeats(store, clock):
    terminal, panel, _ = build(store, clock, {"stuck_after_s": 5})
    panel.pin(2).drive_low()
    clock.advance(6)
    report_health(store, "buttons", panel.health())
    report_health(store, "feedback", terminal.health())
    states = store.device_states()
    assert states["buttons"].state.value == "degraded"
    assert states["buttons"].detail["stuck"] == "2"
    assert states["feedback"].state.value == "ok"
    assert states["feedback"].detail["recorded"] == 1
    panel.close()


def test_scale_of_three_and_five(store, clock):
    for pins in ([5, 6, 13], [5, 6, 13, 19, 26]):
        config = parse_feedback_section({"button_pins": pins})
        terminal = FeedbackTerminal(config, store, clock=clock, wall_clock=clock.now)
        panel = SimulatedButtonPanel(config.panel, terminal, clock=clock)
        clock.advance(10)
        panel.press(len(pins))
        panel.close()
    presses = stored_presses(store)
    assert [(p["score"], p["scale"]) for p in presses] == [(3, 3), (5, 5)]
    with pytest.raises(ValueError):
        terminal.press(6)


def test_opening_hours_follow_summer_time():
    config = parse_feedback_section({"timezone": "Europe/Sofia", "opening_hours": {"mon-fri": "08:30-17:30"}})
    hours = config.opening_hours
    # Summer (EEST, UTC+3): 05:45 UTC is 08:45 in Sofia, 14:45 UTC is 17:45.
    assert hours.is_open(datetime(2026, 7, 7, 5, 45, tzinfo=timezone.utc))
    assert not hours.is_open(datetime(2026, 7, 7, 14, 45, tzinfo=timezone.utc))
    # Winter (EET, UTC+2): the same UTC times are 07:45 (closed) and 16:45 (open).
    assert not hours.is_open(datetime(2026, 1, 13, 5, 45, tzinfo=timezone.utc))
    assert hours.is_open(datetime(2026, 1, 13, 14, 45, tzinfo=timezone.utc))
    # The morning of the change (Sunday 29 March 2026) is no workday; Monday is summer time.
    assert hours.is_open(datetime(2026, 3, 30, 5, 31, tzinfo=timezone.utc))
    assert not hours.is_open(datetime(2026, 3, 30, 5, 29, tzinfo=timezone.utc))


def test_a_long_reason_is_cut_to_what_the_wire_carries_not_lost(store, tmp_path):
    """The feedback terminal and the kiosk convert health with one function: a driver's long
    reason (a stack of serial errors) used to make the feedback terminal's report invalid, and
    the heartbeat then showed the device's previous state."""
    from hardware.base import Health
    from kiosk.store_backend import StoreBackend

    long_reason = "serial port gone: " + "E" * 500
    report_health(store, "buttons", Health(DeviceState.DEGRADED, long_reason, {"port": tmp_path}))
    buttons = store.device_states()["buttons"]
    assert buttons.state.value == "degraded"
    assert buttons.reason == long_reason[:300]
    assert buttons.detail["port"] == str(tmp_path)

    StoreBackend(store).report_device("printer", Health(DeviceState.OFFLINE, long_reason, {"port": tmp_path}))
    assert store.device_states()["printer"].model_dump() == {**buttons.model_dump(), "state": "offline"}
