"""Numbers as people say them: tables for both languages, and real screens that speak through them."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from kiosk.a11y import spoken_numbers as sn
from tests.kiosk.test_a11y_eyes_closed import MARIA_EGN, blind, start_by_ear  # noqa: F401 (fixture)

K = Qt.Key


@pytest.mark.parametrize(("n", "gender", "bg", "en"), [
    (0, "m", "нула", "zero"),
    (1, "m", "един", "one"),
    (1, "f", "една", "one"),
    (1, "n", "едно", "one"),
    (2, "m", "два", "two"),
    (2, "f", "две", "two"),
    (2, "n", "две", "two"),
    (11, "m", "единадесет", "eleven"),
    (21, "n", "двадесет и едно", "twenty-one"),
    (105, "m", "сто и пет", "one hundred and five"),
    (115, "m", "сто и петнадесет", "one hundred and fifteen"),
    (125, "m", "сто двадесет и пет", "one hundred and twenty-five"),
    (1000, "m", "хиляда", "one thousand"),
    (1100, "m", "хиляда и сто", "one thousand one hundred"),
    (2005, "m", "две хиляди и пет", "two thousand and five"),
    (2026, "m", "две хиляди двадесет и шест", "two thousand and twenty-six"),
    (21000, "m", "двадесет и една хиляди", "twenty-one thousand"),
    (2_500_000, "m", "два милиона петстотин хиляди", "two million five hundred thousand"),
])
def test_cardinals(n, gender, bg, en):
    assert sn.cardinal(n, "bg", gender) == bg
    assert sn.cardinal(n, "en") == en


@pytest.mark.parametrize(("amount", "bg", "en"), [
    ("2,56", "две евро и петдесет и шест евроцента", "two euros and fifty-six cents"),
    ("1", "едно евро", "one euro"),
    ("0.01", "един евроцент", "one cent"),
    ("0,02", "два евроцента", "two cents"),
    ("2", "две евро", "two euros"),
    ("21.21", "двадесет и едно евро и двадесет и един евроцента", "twenty-one euros and twenty-one cents"),
    ("22.50", "двадесет и две евро и петдесет евроцента", "twenty-two euros and fifty cents"),
    ("1500", "хиляда и петстотин евро", "one thousand five hundred euros"),
])
def test_money(amount, bg, en):
    assert sn.money(amount, "bg") == bg
    assert sn.money(amount, "en") == en


@pytest.mark.parametrize(("when", "bg", "en"), [
    (date(2026, 12, 3), "трети декември две хиляди двадесет и шеста година", "the third of December twenty twenty-six"),
    (date(2000, 1, 1), "първи януари двехилядна година", "the first of January two thousand"),
    (date(2020, 3, 21), "двадесет и първи март две хиляди и двадесета година", "the twenty-first of March twenty twenty"),
    (date(1998, 8, 31), "тридесет и първи август хиляда деветстотин деветдесет и осма година",
     "the thirty-first of August nineteen ninety-eight"),
    (date(2031, 5, 12), "дванадесети май две хиляди тридесет и първа година", "the twelfth of May twenty thirty-one"),
])
def test_dates(when, bg, en):
    assert sn.date_words(when, "bg") == bg
    assert sn.date_words(when, "en") == en


@pytest.mark.parametrize(("hm", "bg", "en"), [
    ((14, 30), "четиринадесет часа и тридесет минути", "two thirty p.m."),
    ((9, 5), "девет часа и пет минути", "nine oh five a.m."),
    ((9, 0), "девет часа", "nine a.m."),
    ((1, 1), "един час и една минута", "one oh one a.m."),
    ((21, 21), "двадесет и един часа и двадесет и една минути", "nine twenty-one p.m."),
    ((12, 0), "дванадесет часа", "twelve noon"),
])
def test_times(hm, bg, en):
    assert sn.time_words(*hm, "bg") == bg
    assert sn.time_words(*hm, "en") == en


@pytest.mark.parametrize(("n", "noun", "bg", "en"), [
    (1, "заявление", "едно заявление", "one request"),
    (2, "заявление", "две заявления", "two requests"),
    (21, "заявление", "двадесет и едно заявления", "twenty-one requests"),
    (1, "сигнал", "един сигнал", "one signal"),
    (2, "сигнал", "два сигнала", "two signals"),
    (1, "година", "една година", "one year"),
    (2, "година", "две години", "two years"),
    (1, "работен ден", "един работен ден", "one working day"),
    (7, "работен ден", "седем работни дни", "seven working days"),
    (2, "месец", "два месеца", "two months"),
])
def test_counts_agree(n, noun, bg, en):
    assert sn.count(n, noun, "bg") == bg
    assert sn.count(n, noun, "en") == en


@pytest.mark.parametrize(("text", "bg", "en"), [
    ("4803151938", "четири осем, нула три, едно пет, едно девет три осем",
     "four eight, zero three, one five, one nine three eight"),
    ("+359 2 981 1234", "плюс, три пет девет, две, девет осем едно, едно две три четири",
     "plus, three five nine, two, nine eight one, one two three four"),
])
def test_identifiers_digit_by_digit(text, bg, en):
    speak = sn.egn if len(text) == 10 else sn.phone
    assert speak(text, "bg") == bg
    assert speak(text, "en") == en


@pytest.mark.parametrize(("text", "lang", "said"), [
    # the defects as heard: an ЕГН as billions, a phone as millions, a fee without its currency
    ("ЕГН: 4803151938", "bg", "ЕГН: четири осем, нула три, едно пет, едно девет три осем"),
    ("Телефон: 02 981 1234", "bg", "Телефон: нула две, девет осем едно, едно две три четири"),
    ("Такса: 2,56 €", "bg", "Такса: две евро и петдесет и шест евроцента"),
    ("Fee: €2.56", "en", "Fee: two euros and fifty-six cents"),
    ("Обикновена, 1 работни дни · 15,00 €", "bg", "Обикновена, един работен ден · петнадесет евро"),
    ("Номер 94-00012/03.12.2026.", "bg",
     "Номер девет четири, нула нула нула едно две, от трети декември две хиляди двадесет и шеста година."),
    ("Number K07-000123.", "en", "Number K zero seven, zero zero zero one two three."),
    ("ОС-512/02.08.2021", "bg", "О С, пет едно две, от втори август две хиляди двадесет и първа година"),
    ("Дата и час: 03.12.2026 14:30", "bg",
     "Дата и час: трети декември две хиляди двадесет и шеста година четиринадесет часа и тридесет минути"),
    ("Date and time: 03.12.2026 14:30", "en",
     "Date and time: the third of December twenty twenty-six two thirty p.m."),
    ("Намерени: 2 заявления", "bg", "Намерени: две заявления"),
    ("Found: 1 requests", "en", "Found: one request"),
    # what espeak-ng already reads right is left to it
    ("Сила 3 от 7", "bg", "Сила 3 от 7"),
    ("3 знака въведени", "bg", "3 знака въведени"),
    ("7 работен ден", "bg", "7 работни дни"),
    ("ул. Раковски 15", "bg", "ул. Раковски 15"),
    ("Удостоверение за наследници", "bg", "Удостоверение за наследници"),
])
def test_speakable_sentences(text, lang, said):
    assert sn.speakable(text, lang) == said


def test_receipt_speaks_number_code_and_fee_as_people_say_them(blind):
    """A service request by keypad: the receipt's number, tracking code and fee are heard
    through the module, never as raw digits or "€"."""
    c = blind
    start_by_ear(c)
    c.open_service("current-address")
    c.find("Подай тук с личната си карта")
    c.key(K.Key_Return)
    c.wait_screen("identify")
    c.place_card("valid")
    c.wait_screen("request_form")
    # with headphones on, the ЕГН from the card is read digit by digit in its groups
    c.a11y.on_headset(True)
    c.qtbot.waitUntil(lambda: c.a11y.headset_plugged)
    c.find("ЕГН, поле", max_steps=30)
    egn_heard = c.last()
    assert sn.egn(MARIA_EGN, "bg") in egn_heard, egn_heard
    assert "милиард" not in egn_heard and MARIA_EGN not in egn_heard
    # the fee tier is heard as money
    tier = c.heard_since(0)
    assert "евроцента" in tier or " евро" in tier, tier
    form = c.window.current_screen()
    for field in (f for f in form.service.form_fields if f.required):
        c.find(f"{c.app.state.t(field.label)}, поле")
        c.type_digits("2") if str(field.type).endswith("number") else c.type_text("ул. Раковски 1")
    c.choose("Продължи към преглед")
    c.wait_screen("review")
    c.choose("Потвърди и изпрати")
    c.wait_screen("receipt")
    receipt = c.window.current_screen().receipt
    heard = c.heard_since(0)
    assert sn.reference(receipt.reference, "bg") in heard, heard
    assert sn.reference(receipt.tracking_code, "bg") in heard, heard
    assert sn.money(receipt.fee_eur.rstrip(" €"), "bg") in heard, heard
    assert "€" not in heard and receipt.reference not in heard
