"""The touch face writes a press when it is touched: a power cut during the follow-up question
loses only the answer, never the press, and an answer given after the press was delivered still
reaches the hub."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from sqlalchemy import select

from server_sync.agent.agent import Agent
from server_sync.hub.models import FeedbackPress
from server_sync.hub.testing import running_hub
from server_sync.store import Identity, Store
from terminal_feedback.config import parse_feedback_section
from terminal_feedback.face import FeedbackFace
from terminal_feedback.terminal import FeedbackTerminal

SECTION = {
    "counter_id": "grao-3",
    "thanks_s": 0.2,
    "follow_up": {
        "question_bg": "Каква беше основната причина?", "question_en": "What was the main reason?",
        "ask_at_or_below": 2,
        "answers": [{"id": "waiting", "bg": "Дълго чакане", "en": "Long wait"},
                    {"id": "staff", "bg": "Отношение", "en": "Staff attitude"}],
    },
}


def _enrol(hub, store: Store) -> None:
    enrolled = hub.enroll("feedback", "Гише 3 — ГРАО")
    store.save_identity(Identity(
        terminal_id=enrolled.terminal_id, kind=enrolled.kind.value, name=enrolled.name,
        location=enrolled.location, token=enrolled.token, hub_url=hub.base_url,
        hub_public_key=enrolled.hub_public_key, hub_epoch=enrolled.hub_epoch, enrolled_at=time.time()))


def _face(qtbot, store: Store, clock) -> FeedbackFace:
    config = parse_feedback_section(SECTION)
    face = FeedbackFace(config, FeedbackTerminal(config, store, clock=clock, wall_clock=clock.now))
    qtbot.addWidget(face)
    face.show()
    face.reset()
    return face


def _deliver(store: Store) -> None:
    agent = Agent(store)
    try:
        agent.drain_once()
    finally:
        agent.close()


def _hub_presses(hub) -> list[tuple[int, str | None]]:
    with hub.session() as s:
        return [(p.score, p.reason) for p in s.scalars(select(FeedbackPress).order_by(FeedbackPress.seq))]


def test_power_cut_during_the_question_keeps_the_press_and_delivers_it(tmp_path, qtbot, clock):
    data_dir = tmp_path / "terminal"
    with running_hub(tmp_path) as hub:
        store = Store(data_dir)
        _enrol(hub, store)
        face = _face(qtbot, store, clock)
        qtbot.mouseClick(face.smileys[0], Qt.LeftButton)
        assert face.page() == "question"
        # The power goes: the process, its face, terminal and open store vanish unanswered.
        face.close()
        face.deleteLater()
        store.close()
        del face, store

        with Store(data_dir) as store:  # the terminal boots again
            assert store.queue_stats().depth == 1
            _deliver(store)
            assert store.queue_stats().depth == 0
        assert _hub_presses(hub) == [(1, None)]


def test_an_answer_given_after_delivery_reaches_the_hub(tmp_path, qtbot, clock):
    with running_hub(tmp_path) as hub, Store(tmp_path / "terminal") as store:
        _enrol(hub, store)
        face = _face(qtbot, store, clock)
        qtbot.mouseClick(face.smileys[1], Qt.LeftButton)
        _deliver(store)  # the agent was quick: the press left before the answer
        assert _hub_presses(hub) == [(2, None)]
        qtbot.mouseClick(face.answer_buttons[1], Qt.LeftButton)
        assert face.page() == "thanks"
        _deliver(store)
        assert _hub_presses(hub) == [(2, "staff")]  # the same press, now with its answer
        assert store.queue_stats().depth == 0


def test_an_answer_given_while_the_press_is_in_flight_follows_it(tmp_path, qtbot, clock):
    """The agent holds the press (sending it without the answer) when the answer comes: the answer
    waits for that delivery to settle, then goes after it."""
    with running_hub(tmp_path) as hub, Store(tmp_path / "terminal") as store:
        _enrol(hub, store)
        face = _face(qtbot, store, clock)
        qtbot.mouseClick(face.smileys[0], Qt.LeftButton)
        (in_flight,) = store.claim(["press"], 10, owner="agent-test", lease_s=60)
        qtbot.mouseClick(face.answer_buttons[0], Qt.LeftButton)
        assert face.terminal.pending_reasons  # held back: the delivery would hide it
        store.mark_delivered([(in_flight.id, None, None)])  # the agent's send, without the answer
        face.terminal.retry_pending()  # the terminal's timer
        assert not face.terminal.pending_reasons
        _deliver(store)
        assert _hub_presses(hub) == [(1, "waiting")]
