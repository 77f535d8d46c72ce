"""Typing as Bulgarians type (issue 11 §7): Cyrillic look-alikes in codes, numbers without their date."""

from __future__ import annotations

import pytest

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
