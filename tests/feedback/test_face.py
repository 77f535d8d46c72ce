"""The touch face: smileys, the follow-up question and the thank-you page, through the same durable path."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest

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


def _bulgarian_again(face) -> None:
    """What the next citizen sees (and hears from a screen reader) is Bulgarian."""
    assert face.page() == "smileys" and face.lang == "bg"
    assert face.title.text() == "Доволни ли сте от обслужването?"
    assert face.language_button.text() == "English"
    assert [b.accessibleName() for b in face.smileys] == ["Много недоволен", "Недоволен", "Доволен", "Много доволен"]


@pytest.mark.parametrize("leave", ["answer", "skip", "question_timeout", "happy"])
def test_the_next_citizen_starts_in_bulgarian(qtbot, store, clock, leave):
    """English → smiley → answered, skipped, walked away from the question, or no question at all:
    when the thank-you page goes, the face is Bulgarian again, and so is its follow-up question."""
    config = parse_feedback_section(SECTION)
    terminal = FeedbackTerminal(config, store, clock=clock, wall_clock=clock.now)
    face = FeedbackFace(config, terminal, question_timeout_ms=200)
    qtbot.addWidget(face)
    face.resize(900, 500)
    face.show()
    face.reset()
    qtbot.mouseClick(face.language_button, Qt.LeftButton)
    assert face.title.text() == "How satisfied were you with our service?"
    qtbot.mouseClick(face.smileys[3 if leave == "happy" else 0], Qt.LeftButton)
    if leave != "happy":
        assert face.page() == "question" and face.skip_button.text() == "Skip"
    if leave == "answer":
        qtbot.mouseClick(face.answer_buttons[1], Qt.LeftButton)
    elif leave == "skip":
        qtbot.mouseClick(face.skip_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: face.page() == "thanks", timeout=10000)
    assert face.thanks_label.text() == "Thank you!"  # the thanks are still in the citizen's language
    qtbot.waitUntil(lambda: face.page() == "smileys", timeout=10000)
    _bulgarian_again(face)
    clock.advance(10)
    qtbot.mouseClick(face.smileys[0], Qt.LeftButton)  # the next citizen
    assert face.follow_label.text() == "Каква беше основната причина?"
    assert [b.text() for b in face.answer_buttons] == ["Дълго чакане", "Отношение"]
    assert face.skip_button.text() == "Пропусни"


def test_after_a_failed_write_the_next_citizen_starts_in_bulgarian(qtbot, clock):
    class FullDisk:
        def record_press(self, press):
            raise OSError(28, "No space left on device")

    config = parse_feedback_section({"counter_id": "grao-3", "thanks_s": 0.2})
    face = FeedbackFace(config, FeedbackTerminal(config, FullDisk(), clock=clock, wall_clock=clock.now))
    qtbot.addWidget(face)
    face.show()
    face.reset()
    qtbot.mouseClick(face.language_button, Qt.LeftButton)
    qtbot.mouseClick(face.smileys[2], Qt.LeftButton)
    assert "staff" in face.thanks_label.text()
    qtbot.waitUntil(lambda: face.page() == "smileys", timeout=10000)
    _bulgarian_again(face)


@pytest.mark.parametrize("size", [(900, 500), (1024, 600), (1280, 800)])  # the tests' and the 10" panels
@pytest.mark.parametrize("english", [False, True])
def test_buttons_are_large_and_their_words_fit(face, qtbot, size, english):
    """The answer, Skip and language buttons are read by pensioners: near the titles' size, never
    Qt's small default, and each word still fits on its button."""
    face.resize(*size)
    if english:
        qtbot.mouseClick(face.language_button, Qt.LeftButton)
    title_px = QFontInfo(face.title.font()).pixelSize()

    def large_and_whole(button) -> None:
        px = QFontInfo(button.font()).pixelSize()
        assert px >= 0.75 * title_px and px >= 26, (button.text(), px, title_px)
        assert button.isVisible() and button.sizeHint().width() <= button.width(), button.text()  # not cut
        assert button.sizeHint().height() <= button.height(), button.text()

    large_and_whole(face.language_button)
    qtbot.mouseClick(face.smileys[0], Qt.LeftButton)
    assert face.page() == "question"
    for button in [*face.answer_buttons, face.skip_button]:
        large_and_whole(button)


def _face(qtbot, store, clock, **timeouts) -> FeedbackFace:
    config = parse_feedback_section(SECTION)
    face = FeedbackFace(config, FeedbackTerminal(config, store, clock=clock, wall_clock=clock.now), **timeouts)
    qtbot.addWidget(face)
    face.resize(900, 500)
    face.show()
    face.reset()
    return face


def test_english_left_on_the_smileys_page_returns_to_bulgarian(qtbot, store, clock):
    """A citizen taps "English" and walks away without rating: the next one still finds Bulgarian."""
    face = _face(qtbot, store, clock, language_timeout_ms=200)
    qtbot.mouseClick(face.language_button, Qt.LeftButton)
    assert face.title.text() == "How satisfied were you with our service?"
    qtbot.waitUntil(lambda: face.lang == "bg", timeout=10000)
    _bulgarian_again(face)
    assert presses(store) == []  # nothing was rated on the citizen's behalf
    qtbot.mouseClick(face.smileys[0], Qt.LeftButton)  # the next citizen
    assert face.follow_label.text() == "Каква беше основната причина?"
    assert [(p["score"], p["reason"]) for p in presses(store)] == [(1, None)]


def test_a_touch_on_the_smileys_page_restarts_the_wait(qtbot, store, clock):
    face = _face(qtbot, store, clock, language_timeout_ms=1000)
    qtbot.mouseClick(face.language_button, Qt.LeftButton)
    qtbot.wait(300)
    assert face.lang == "en"
    touched = QElapsedTimer()
    touched.start()
    qtbot.mouseClick(face.title, Qt.LeftButton)  # a touch on the page, beside the smileys
    qtbot.waitUntil(lambda: face.lang == "bg", timeout=10000)
    assert touched.elapsed() >= 900  # the full wait again from the touch, not what was left (≤ 700 ms)
    _bulgarian_again(face)


def test_the_wait_never_drops_a_press_or_changes_its_language(qtbot, store, clock):
    """A finger held on a smiley past the wait, then the question: the press counts, all in English."""
    face = _face(qtbot, store, clock, language_timeout_ms=200)
    qtbot.mouseClick(face.language_button, Qt.LeftButton)
    QTest.mousePress(face.smileys[0], Qt.LeftButton)
    qtbot.wait(500)
    assert face.lang == "en" and face.title.text() == "How satisfied were you with our service?"
    QTest.mouseRelease(face.smileys[0], Qt.LeftButton)
    assert face.page() == "question"
    assert [(p["score"], p["source"]) for p in presses(store)] == [(1, "touch")]
    qtbot.wait(500)  # the wait is over: the question stays in the citizen's language
    assert face.follow_label.text() == "What was the main reason?" and face.skip_button.text() == "Skip"
    qtbot.mouseClick(face.answer_buttons[0], Qt.LeftButton)
    assert face.thanks_label.text() == "Thank you!"
    assert [(p["score"], p["reason"]) for p in presses(store)] == [(1, "waiting")]


@pytest.mark.parametrize("size", [(900, 500), (1024, 600), (1280, 800)])
@pytest.mark.parametrize("english", [False, True])
def test_the_thanks_detail_is_readable_and_whole(face, qtbot, size, english):
    """"Вашето мнение е записано." is as readable as the buttons' words, and not cut."""
    face.resize(*size)
    if english:
        qtbot.mouseClick(face.language_button, Qt.LeftButton)
    qtbot.mouseClick(face.smileys[3], Qt.LeftButton)
    assert face.page() == "thanks"
    detail, title_px = face.thanks_detail, QFontInfo(face.title.font()).pixelSize()
    assert detail.text() == ("Your answer has been saved." if english else "Вашето мнение е записано.")
    px = QFontInfo(detail.font()).pixelSize()
    assert px >= 0.75 * title_px and px >= 26, (px, title_px)
    assert detail.isVisible() and detail.heightForWidth(detail.width()) <= detail.height()
    assert detail.sizeHint().width() <= detail.width()  # on one line
