"""What a citizen types on the kiosk is folded with NFKC and then held to ASCII digits:
fullwidth digits are accepted as the digits they show; digits of other scripts, Python-only
numbers ("1_0", "NaN") and dates outside the field's window are refused with a message."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.state.forms import valid_egn_or_lnch, validate_field
from server_sync.protocol import FormField

COPIES = FormField(name="copies", label={"bg": "Брой"}, type="number", min_value=1, max_value=10)
AREA = FormField(name="area", label={"bg": "Площ"}, type="number", min_value=0.1, max_value=100)
DEATH = FormField(name="date_of_death", label={"bg": "Дата"}, type="date", min_value=-54787, max_value=0)
EGN = FormField(name="deceased_egn", label={"bg": "ЕГН"}, type="egn")


@pytest.mark.parametrize("typed,value", [("２", 2), (" 10 ", 10), ("３", 3)])
def test_fullwidth_digits_count_as_the_digits_they_show(typed, value):
    assert validate_field(COPIES, typed) == (value, None)


@pytest.mark.parametrize("typed", ["٣", "NaN", "1_0", "2.5", "1e1", "११", "0", "11"])
def test_numbers_a_clerk_cannot_use_are_refused(typed):
    value, error = validate_field(COPIES, typed)
    assert value is None and error is not None and error.field == "copies"


def test_a_decimal_field_takes_a_comma_or_a_point():
    assert validate_field(AREA, "2,5") == (2.5, None)
    assert validate_field(AREA, "０.５") == (0.5, None)


def test_dates_in_the_fields_window_only():
    today = dt.date.today()
    assert validate_field(DEATH, today.strftime("%d.%m.%Y")) == (today.isoformat(), None)
    assert validate_field(DEATH, "２８.１０.２０２６".replace("２０２６", str(today.year - 1)))[1] is None
    for typed in ["01.01.0001", "31.12.9999", (today + dt.timedelta(days=1)).strftime("%d.%m.%Y"),
                  "٢٨.١٠.٢٠٢٦"]:
        value, error = validate_field(DEATH, typed)
        assert value is None and error is not None, typed


def test_an_egn_is_ten_ascii_digits_with_its_check_digit():
    assert validate_field(EGN, "４８０３１５１９３８") == ("4803151938", None)  # NFKC first
    for typed in ["٤٨٠٣١٥١٩٣٨", "4803151937", "not an egn at all"]:
        assert validate_field(EGN, typed)[1] is not None, typed
    assert not valid_egn_or_lnch("٤٨٠٣١٥١٩٣٨") and valid_egn_or_lnch("4803151938")


def test_a_date_written_right_that_is_not_in_the_calendar_is_called_so(qapp):
    from kiosk.i18n import LanguageSwitcher

    switch = LanguageSwitcher(qapp)
    try:
        switch("bg")
        assert validate_field(DEATH, "31.02.2020")[1].message == "няма такава дата: проверете деня и месеца"
        assert validate_field(DEATH, "31 февруари")[1].message == "датата е във вид ДД.ММ.ГГГГ"
    finally:
        switch("en")
