"""Keypad only, speech on: a citizen chooses options other than the first wherever there is a
choice (a signal's kind, category and place; a service's choice field and fee tier), and the
hub gets what was chosen."""

from __future__ import annotations

import json

from sqlalchemy import select

from server_sync.hub.models import ServiceRequest
from tests.kiosk.test_a11y_eyes_closed import K, blind, start_by_ear  # noqa: F401 (blind is a fixture)


def _rows(hub) -> list[ServiceRequest]:
    with hub.session() as s:
        return list(s.scalars(select(ServiceRequest)))


def test_a_signal_about_street_lighting_in_the_park_by_keypad(blind):
    c = blind
    state = c.app.state
    start_by_ear(c)
    c.choose("Сигнал за проблем")
    c.wait_screen("signal")
    # the kind: the second option, reached with next like any control
    c.find("Жалба")
    assert c.last() == "Жалба, неизбрано, 2 от 5", c.heard()[-3:]
    c.key(K.Key_5, keypad=True)
    assert c.last() == "избрано"
    # the category: right moves within the group from the first option to the second
    categories = state.catalogue.signal_categories
    first, lighting = state.t(categories[0].name), state.t(categories[1].name)
    assert categories[1].id == "street-lighting" and lighting == "Улично осветление"
    c.find(first)
    c.key(K.Key_Right)
    assert c.last() == f"Улично осветление, неизбрано, 2 от {len(categories)}", c.heard()[-3:]
    c.key(K.Key_5, keypad=True)
    assert c.last() == "избрано"
    c.key(K.Key_Left)
    c.key(K.Key_Right)
    assert c.last() == f"Улично осветление, избрано, 2 от {len(categories)}"
    c.find("Описание, поле")
    c.type_text("Lampata ne sveti")
    # the place: the second of the municipality's places
    place = state.catalogue.places[1]
    c.find(state.t(place.name))
    assert c.last().endswith(f"неизбрано, 2 от {len(state.catalogue.places)}"), c.last()
    c.key(K.Key_5, keypad=True)
    assert c.last() == "избрано"
    c.choose("Продължи")
    c.wait_screen("identify")
    c.place_card("valid")
    c.wait_screen("review")
    review = c.heard_since(c.mark() - 3)
    assert "Жалба" in review and "Улично осветление" in review and state.t(place.name) in review, review
    c.choose("Потвърди и изпрати")
    c.wait_screen("receipt")
    [row] = _rows(c.hub)
    assert (row.kind, row.signal_type, row.signal_category_id) == ("signal", "complaint", "street-lighting")
    assert place.id in json.dumps(row.location), row.location
    assert row.description == "Lampata ne sveti" and not row.anonymous


def test_a_service_request_with_the_third_choice_and_the_express_tier_by_keypad(blind):
    c = blind
    state = c.app.state
    service = state.service("no-civil-record")
    [field] = [f for f in service.form_fields if f.name == "record_kind"]
    assert len(field.choices) == 3 and len(service.tiers) == 3
    start_by_ear(c)
    c.choose("Услуги и удостоверения")
    c.wait_screen("catalogue")
    situation = next(g for g in state.catalogue.life_situations
                     if any(s.id == service.id for s in state.services_in_situation(g.id)))
    c.choose(state.t(situation.name))
    c.choose(f"{state.t(service.name)}, бутон")
    c.wait_screen("service")
    c.find("Подай тук с личната си карта")
    c.key(K.Key_Return)
    c.wait_screen("identify")
    c.place_card("valid")
    c.wait_screen("request_form")
    # the choice field: its third option
    third = state.t(field.choices[2].label)
    c.find(third)
    assert c.last() == f"{third}, неизбрано, 3 от 3", c.heard()[-3:]
    c.key(K.Key_5, keypad=True)
    assert c.last() == "избрано"
    # the tier: the first (ordinary) is chosen; right twice reaches the express tier
    c.find("Обикновена")
    assert "избрано, 1 от 3" in c.last(), c.last()
    c.key(K.Key_Right)
    c.key(K.Key_Right)
    assert c.last().startswith("Експресна") and c.last().endswith("неизбрано, 3 от 3"), c.last()
    c.key(K.Key_5, keypad=True)
    assert c.last() == "избрано"
    c.choose("Продължи към преглед")
    c.wait_screen("review")
    # the review names the kind of service chosen, as well as its deadline and fee
    assert "Вид услуга: Експресна." in " ".join(c.heard()[-3:]), c.heard()[-3:]
    c.choose("Потвърди и изпрати")
    c.wait_screen("receipt")
    [row] = _rows(c.hub)
    assert (row.service_id, row.tier, row.form.get("record_kind")) == (service.id, "express", field.choices[2].value)


def test_options_are_spoken_with_state_and_position_in_english_too(blind):
    c = blind
    start_by_ear(c)
    c.choose("Сигнал за проблем")
    c.wait_screen("signal")
    c.key(K.Key_F9)  # the language key: the screen is read again in English
    c.qtbot.waitUntil(lambda: c.app.state.language == "en")
    c.find("Problem")
    assert c.last() == "Problem, selected, 1 of 5", c.heard()[-3:]
    c.key(K.Key_Left)  # within the group, wrapping: the last kind
    assert c.last() == "Question, not selected, 5 of 5", c.heard()[-3:]
    count = len(c.app.state.catalogue.signal_categories)
    c.find("Street lighting")
    assert c.last() == f"Street lighting, not selected, 2 of {count}", c.heard()[-3:]
    c.key(K.Key_5, keypad=True)
    assert c.last() == "selected"
