"""Typing as Bulgarians type: Cyrillic look-alikes in codes, numbers without their date."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.state.backend import Draft
from kiosk.state.codes import latin_lookalikes, reference_candidates, tracking_code

TO_CYRILLIC = str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ")


@pytest.mark.parametrize(("typed", "code"), [
    ("К01", "K01"), ("ТРВ6Е", "TPB6E"), ("авекмнорстху", "abekmhopctxy"), ("ЖЗ1", "ЖЗ1"),
])
def test_lookalikes(typed, code):
    assert latin_lookalikes(typed) == code


def test_tracking_code_and_reference_candidates():
    assert tracking_code(" трвв 6е ") == "TPBB6E"
    assert reference_candidates("К07-000123") == ["К07-000123", "K07-000123"]
    # a real Cyrillic number is tried as typed first
    assert reference_candidates("ОС-512/02.08.2021")[0] == "ОС-512/02.08.2021"


def _file_signal(kiosk):
    outcome = kiosk.app.backend.submit(Draft(kind="signal", signal_type="problem", signal_category_id="street-lighting",
                                             description="Не свети лампата", anonymous=True, place_id="city-park"))
    assert outcome.delivered and "/" in outcome.number and outcome.tracking_code
    return outcome


def _track(kiosk, number: str, code: str) -> str:
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    screen = kiosk.screen()
    kiosk.type_into(screen.reference, number)
    kiosk.type_into(screen.code, code)
    kiosk.tap("Покажи състоянието")
    kiosk.qtbot.waitUntil(lambda: "…" not in screen.result.text(), timeout=10000)
    return screen.result.text()


def test_tracking_accepts_the_number_without_its_date_and_a_code_typed_in_cyrillic(kiosk):
    outcome = _file_signal(kiosk)
    short = outcome.number.split("/")[0]
    cyrillic_code = outcome.tracking_code.translate(TO_CYRILLIC)
    assert cyrillic_code != outcome.tracking_code or not any(c in "ABEKMHOPCTXY" for c in outcome.tracking_code)
    result = _track(kiosk, short, cyrillic_code.lower())
    assert result.startswith(outcome.number), result


def _touch(kiosk, field) -> None:
    kiosk.qtbot.mouseClick(field, Qt.LeftButton)
    kiosk.qtbot.waitUntil(lambda: kiosk.window.keyboard.isVisible(), timeout=3000)


def _keys(keyboard) -> set[str]:
    return {b.text() for row in keyboard.grid() for b in row}


def test_the_on_screen_keyboard_opens_in_the_language_of_the_screens(kiosk):
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    keyboard = kiosk.window.keyboard
    _touch(kiosk, kiosk.screen().reference)
    assert {"я", "ж", "ш"} <= _keys(keyboard)  # Cyrillic for Bulgarian
    kiosk.tap(kiosk.window.language_button)
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "en")
    _touch(kiosk, kiosk.screen().reference)
    assert {"q", "w", "z"} <= _keys(keyboard) and "я" not in _keys(keyboard)  # Latin for English
    kiosk.tap(kiosk.window.language_button)
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "bg")
    _touch(kiosk, kiosk.screen().reference)
    assert "я" in _keys(keyboard)


def test_tracking_that_finds_nothing_says_what_it_expected(kiosk):
    outcome = _file_signal(kiosk)
    result = _track(kiosk, outcome.number, "WRONG234")
    assert "Въведете входящия номер от разписката, напр. 94-00012/" in result, result
    assert "или 94-00012, и кода за проследяване" in result, result


def test_a_provisional_reference_typed_with_a_cyrillic_k_is_found(kiosk):
    from server_sync.agent.agent import Agent

    kiosk.network.online = False
    outcome = kiosk.app.backend.submit(Draft(kind="signal", signal_type="problem", signal_category_id="street-lighting",
                                             description="Не свети лампата", anonymous=True, place_id="city-park"))
    assert not outcome.delivered and outcome.provisional_ref.startswith("K")
    kiosk.network.online = True
    agent = Agent(kiosk.store, client_factory=kiosk.network.agent_client)
    while agent.drain_once():
        pass
    typed = "К" + outcome.provisional_ref[1:]  # Cyrillic К, as a Bulgarian layout types it
    assert typed != outcome.provisional_ref
    result = _track(kiosk, typed, outcome.tracking_code)
    assert "/" in result.split(":")[0] and "Улично осветление" in result, result


def test_a_language_switch_shows_the_tracking_answer_again_without_a_second_look_up(kiosk):
    outcome = _file_signal(kiosk)
    calls = []
    real = kiosk.app.backend.track
    kiosk.app.backend.track = lambda ref, code: (calls.append(ref), real(ref, code))[1]
    result = _track(kiosk, outcome.number, outcome.tracking_code)
    assert result.startswith(outcome.number) and calls == [outcome.number]
    kiosk.tap(kiosk.window.language_button)
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "en")
    screen = kiosk.screen()
    assert screen.result.text() == f"{outcome.number}: Street lighting — pending", screen.result.text()
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy, timeout=5000)
    assert calls == [outcome.number], "the rebuilt screen looked the request up again"
    # the next citizen finds no answer waiting
    kiosk.tap("Finish")
    kiosk.go("welcome")
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "bg")
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    assert kiosk.screen().result.text() == ""


def test_the_next_citizen_finds_the_keyboard_in_bulgarian_lower_case(kiosk):
    """One citizen switched the on-screen keyboard to EN and Shift, then pressed Finish: the next
    one gets the Bulgarian letters, small, as every session starts."""
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    keyboard = kiosk.window.keyboard
    _touch(kiosk, kiosk.screen().reference)
    kiosk.tap(next(b for row in keyboard.grid() for b in row if b.text() == "EN"))
    kiosk.tap(next(b for row in keyboard.grid() for b in row if b.text() == "⇧"))
    assert {"Q", "W", "Z"} <= _keys(keyboard)
    kiosk.tap(kiosk.window.finish_button)
    kiosk.go("welcome")
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    _touch(kiosk, kiosk.screen().reference)
    assert {"я", "ж", "ш"} <= _keys(keyboard) and "Я" not in _keys(keyboard) and "q" not in _keys(keyboard)


def test_an_answer_that_finds_nothing_leaves_no_earlier_history_under_it(kiosk):
    from PySide6.QtWidgets import QLabel

    outcome = _file_signal(kiosk)
    _track(kiosk, outcome.number, outcome.tracking_code)
    screen = kiosk.screen()

    def history() -> list[str]:
        return [w.text() for w in screen.history_host.findChildren(QLabel) if w.objectName() == "HistoryLine"]

    assert len(history()) == 1
    kiosk.type_into(screen.code, "WRONG234")
    kiosk.tap("Покажи състоянието")
    kiosk.qtbot.waitUntil(lambda: screen.result.text().startswith("Няма заявление"), timeout=10000)
    assert history() == []


def test_the_keyboard_offers_latin_letters_for_a_tracking_code_and_gives_the_citizens_back(kiosk):
    """A tracking code has Latin letters (V, G, L… no Bulgarian layout types them): its field brings
    the Latin keys; the number's field before it and after it, the Bulgarian ones."""
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    keyboard, screen = kiosk.window.keyboard, kiosk.screen()
    _touch(kiosk, screen.reference)
    assert "я" in _keys(keyboard)
    _touch(kiosk, screen.code)
    assert {"v", "g", "l"} <= _keys(keyboard) and "я" not in _keys(keyboard)
    for key in "vc8bvggg":
        kiosk.tap(next(b for row in keyboard.grid() for b in row if b.text() == key))
    assert screen.code.text().upper() == "VC8BVGGG"
    _touch(kiosk, screen.reference)
    assert "я" in _keys(keyboard)
