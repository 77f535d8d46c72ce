"""The touch face: smileys, the follow-up question and the thank-you page, through the same durable path."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from terminal_feedback.config import parse_feedback_section
from terminal_feedback.face import FeedbackFace, SmileyButton
from terminal_feedback.terminal import FeedbackTerminal

SECTION = {
    "counter_id": "grao-3",
    "thanks_s": 0.2,
    "follow_up": {
        "question_bg": "Каква беше основната причина?",
        "question_en": "What was the main reason?",
        "ask_at_or_below": 2,
        "answers": [{"id": "waiting", "bg": "Дълго чакане", "en": "Long wait"},
                    {"id": "staff", "bg": "Отношение", "en": "Staff attitude"}],
    },
}


def presses(store):
    with sqlite3.connect(store.path) as db:
        return [json.loads(r[0]) for r in db.execute("SELECT payload FROM outbox WHERE kind='press' ORDER BY seq")]


@pytest.fixture
def face(qtbot, store, clock):
    config = parse_feedback_section(SECTION)
    acks = []
    terminal = FeedbackTerminal(config, store, clock=clock, wall_clock=clock.now,
                                acknowledge=lambda outcome: acks.append(outcome.press.score))
    widget = FeedbackFace(config, terminal)
    widget.acks = acks
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    widget.reset()
    return widget


def test_unhappy_press_asks_why_then_thanks(face, qtbot, store):
    qtbot.mouseClick(face.smileys[0], Qt.LeftButton)
    assert face.page() == "question"
    assert face.follow_label.text() == "Каква беше основната причина?"
    # Written (and acknowledged) at the touch, before the question: a power cut loses only the answer.
    assert [(p["score"], p["reason"]) for p in presses(store)] == [(1, None)]
    qtbot.mouseClick(face.answer_buttons[0], Qt.LeftButton)
    assert face.page() == "thanks" and face.thanks_label.text() == "Благодарим!"
    (press,) = presses(store)  # the answer joins the same press, no second one
    assert (press["score"], press["source"], press["reason"]) == (1, "touch", "waiting")
    assert face.acks == [1]
    qtbot.waitUntil(lambda: face.page() == "smileys", timeout=10000)


def test_happy_press_goes_straight_to_thanks_and_skip_works(face, qtbot, store, clock):
    qtbot.mouseClick(face.smileys[3], Qt.LeftButton)
    assert face.page() == "thanks"
    face.reset()
    clock.advance(10)
    qtbot.mouseClick(face.smileys[1], Qt.LeftButton)
    qtbot.mouseClick(face.skip_button, Qt.LeftButton)
    assert [(p["score"], p["reason"]) for p in presses(store)] == [(4, None), (2, None)]


def test_english_and_accessible_names(face, qtbot):
    assert face.smileys[0].accessibleName() == "Много недоволен"
    qtbot.mouseClick(face.language_button, Qt.LeftButton)
    assert face.title.text() == "How satisfied were you with our service?"
    assert face.smileys[3].accessibleName() == "Very happy"
    qtbot.mouseClick(face.smileys[0], Qt.LeftButton)
    assert face.answer_buttons[1].text() == "Staff attitude"


def test_failed_write_shows_an_error_not_thanks(qtbot, clock):
    class FullDisk:
        def record_press(self, press):
            raise OSError(28, "No space left on device")

    config = parse_feedback_section({"counter_id": "grao-3"})
    terminal = FeedbackTerminal(config, FullDisk(), clock=clock, wall_clock=clock.now)
    face = FeedbackFace(config, terminal)
    qtbot.addWidget(face)
    face.show()
    with qtbot.assertNotEmitted(face.answered):
        qtbot.mouseClick(face.smileys[2], Qt.LeftButton)
    assert face.thanks_label.text() != "Благодарим!"
    assert "служител" in face.thanks_label.text()
    assert len(terminal.pending) == 1  # kept for a retry


def test_smileys_are_drawn_differently(qtbot):
    images = []
    for score in (1, 4):
        button = SmileyButton(score, 4)
        qtbot.addWidget(button)
        button.resize(200, 200)
        images.append(button.grab().toImage())
    assert images[0] != images[1]
    assert images[0].pixelColor(100, 30) != images[0].pixelColor(2, 2)  # a face, not an empty square


def test_walking_away_from_the_question_still_keeps_the_press(qtbot, store, clock):
    config = parse_feedback_section(SECTION)
    terminal = FeedbackTerminal(config, store, clock=clock, wall_clock=clock.now)
    face = FeedbackFace(config, terminal, question_timeout_ms=200)
    qtbot.addWidget(face)
    face.show()
    face.reset()
    qtbot.mouseClick(face.smileys[1], Qt.LeftButton)
    assert face.page() == "question"
    assert [(p["score"], p["source"], p["reason"]) for p in presses(store)] == [(2, "touch", None)]
    qtbot.waitUntil(lambda: face.page() == "thanks", timeout=10000)  # the question timed out
    assert [(p["score"], p["source"], p["reason"]) for p in presses(store)] == [(2, "touch", None)]
