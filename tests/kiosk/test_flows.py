"""Every citizen flow end to end: simulated devices, a real hub in-process, assertions on what
the citizen sees and on what reaches the hub."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from server_sync.agent.agent import Agent
from server_sync.hub.models import ConsultationSupport, FeedbackPress, ServiceRequest

MARIA_EGN, MARIA_DOC = "4803151938", "648201517"


def _requests(hub):
    with hub.session() as s:
        return list(s.scalars(select(ServiceRequest).order_by(ServiceRequest.id)))


def _deliver_everything(kiosk) -> None:
    agent = Agent(kiosk.store, client_factory=kiosk.network.agent_client)
    while agent.drain_once():
        pass


def _file_current_address_request(kiosk, copies: str = "2"):
    kiosk.tap("Услуги и удостоверения")
    kiosk.go("catalogue")
    kiosk.type_into(kiosk.screen().search, "nastoyasht adres")
    kiosk.tap("Удостоверение за настоящ адрес")
    kiosk.go("service")
    assert kiosk.sees("Срок и такса") and any("€" in t or "безплатно" in t for t in kiosk.visible_texts())
    kiosk.tap("Подай тук с личната си карта")
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("request_form")
    form = kiosk.screen()
    identity = [w for w in form.findChildren(QLineEdit) if w.objectName() == "IdentityField"]
    assert {w.text() for w in identity} >= {MARIA_EGN, MARIA_DOC}
    assert all(w.isReadOnly() for w in identity)
    kiosk.type_into(form.inputs["copies"], copies)
    kiosk.tap("Продължи към преглед")
    kiosk.go("review")
    assert kiosk.sees("Моля, проверете преди изпращане")
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    return kiosk.screen().receipt


def test_service_request_reaches_the_hub_and_is_printed(kiosk):
    spoken = []
    receipt = _file_current_address_request(kiosk)
    kiosk.screen().announce.connect(lambda text, private: spoken.append(text))
    assert receipt.official, "the hub answered, so the receipt carries the official number"
    assert kiosk.sees(receipt.reference) and kiosk.sees("Заявлението Ви е регистрирано")
    assert kiosk.sees(f"Код за проследяване: {receipt.tracking_code}")
    [row] = _requests(kiosk.hub)
    assert (row.number, row.kind, row.service_id, row.form["copies"]) == (receipt.reference, "service_request", "current-address", 2)
    assert row.tracking_code == receipt.tracking_code and not row.anonymous
    assert row.given_names and "MARIYA" in row.given_names.upper()
    kiosk.qtbot.waitUntil(lambda: len(kiosk.printer.receipts) == 1)
    printed = kiosk.printer.receipts[0].plain_text()
    assert receipt.reference in printed and receipt.tracking_code in printed and "€" in printed
    assert any(getattr(b, "payload", "").endswith(f"?code={receipt.tracking_code}") for b in kiosk.printer.receipts[0].blocks)
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Разписката е отпечатана"))
    # after the flow: the smileys; a press is stored as this kiosk's feedback and reaches the hub
    kiosk.tap("Готово")
    kiosk.go("feedback")
    kiosk.tap(kiosk.screen().face_buttons[3])
    kiosk.qtbot.waitUntil(lambda: kiosk.store.queue_stats().depth == 1)
    _deliver_everything(kiosk)
    with kiosk.hub.session() as s:
        [press] = list(s.scalars(select(FeedbackPress)))
    assert (press.score, press.source, press.service_id) == (4, "kiosk", "current-address")


def test_form_errors_are_shown_and_announced_per_field(kiosk):
    kiosk.tap("Услуги и удостоверения")
    kiosk.go("catalogue")
    kiosk.type_into(kiosk.screen().search, "наследници")
    kiosk.tap("Удостоверение за наследници")
    kiosk.tap("Подай тук с личната си карта")
    kiosk.insert_card("valid")
    kiosk.go("request_form")
    form = kiosk.screen()
    heard = []
    form.announce.connect(lambda text, private: heard.append(text))
    kiosk.type_into(form.inputs["deceased_egn"], "1234567890")
    kiosk.tap("Продължи към преглед")
    assert kiosk.screen_name() == "request_form"
    assert form.errors["deceased_egn"].isVisible() and "ЕГН" in form.errors["deceased_egn"].text()
    assert form.errors["deceased_names"].text() == "полето е задължително"
    assert heard and "ЕГН на починалия" in heard[-1]
    assert _requests(kiosk.hub) == []


def test_offline_request_gets_a_reference_and_is_tracked_after_the_agent_delivers(kiosk):
    kiosk.network.online = False
    receipt = _file_current_address_request(kiosk, copies="1")
    assert not receipt.official and re.fullmatch(r"[A-Z0-9]+-\d{6}", receipt.reference)
    assert kiosk.sees("В момента няма връзка с общината") and kiosk.sees(receipt.reference)
    kiosk.qtbot.waitUntil(lambda: len(kiosk.printer.receipts) == 1)
    assert receipt.reference in kiosk.printer.receipts[0].plain_text()
    # the offline receipt already carries the code that will track it anywhere
    assert receipt.tracking_code and receipt.tracking_code in kiosk.printer.receipts[0].plain_text()
    assert kiosk.sees(receipt.tracking_code)
    assert _requests(kiosk.hub) == []
    # still offline: tracking says the request waits on this kiosk
    kiosk.tap("Край")
    kiosk.go("welcome")
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    kiosk.type_into(kiosk.screen().reference, receipt.reference)
    kiosk.tap("Покажи състоянието")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("записано на този киоск"))
    # the cable is back; the agent delivers; the hub maps the reference to its number
    kiosk.network.online = True
    _deliver_everything(kiosk)
    [row] = _requests(kiosk.hub)
    assert row.provisional_ref == receipt.reference
    assert row.tracking_code == receipt.tracking_code
    kiosk.tap("Покажи състоянието")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees(row.number))
    assert kiosk.sees("регистрирано")


def test_tracking_by_scanning_the_receipt_qr_and_offline_message(kiosk):
    receipt = _file_current_address_request(kiosk)
    kiosk.tap("Край")
    kiosk.go("welcome")
    kiosk.tap("Проследяване на заявление")
    kiosk.go("track")
    kiosk.scanner.scan(receipt.tracking_url)
    kiosk.qtbot.waitUntil(lambda: kiosk.sees(f"{receipt.reference}: Удостоверение за настоящ адрес"))
    kiosk.scanner.scan("https://example.org/not-a-receipt")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("не е от наша разписка"))
    kiosk.network.online = False
    kiosk.tap("Покажи състоянието")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("няма връзка с общината"))


def test_signal_anonymous_is_recorded_with_the_plain_note(kiosk):
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    kiosk.tap("Улично осветление")
    kiosk.type_into(kiosk.screen().description, "Не свети лампата пред блок 5")
    park = next(p for p in kiosk.state.catalogue.places if p.id == "city-park")
    kiosk.tap(park.name.bg)
    kiosk.screen().anonymous.setChecked(True)
    assert kiosk.sees("по анонимни сигнали не се образува производство")
    kiosk.tap("Продължи")
    kiosk.go("review")
    assert kiosk.sees("Подател: анонимен (само се регистрира)")
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    [row] = _requests(kiosk.hub)
    assert (row.kind, row.signal_category_id, row.signal_type, row.anonymous) == ("signal", "street-lighting", "problem", True)
    assert row.location and row.location["place_id"] == "city-park", row.location and row.description.startswith("Не свети")
    assert row.given_names is None and row.egn_hmac is None


def test_signal_in_a_named_only_category_needs_the_id_card(kiosk):
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    kiosk.tap("Продължи")
    assert kiosk.sees("Категория: изберете за какво е сигналът")
    kiosk.tap("Строителство и шум")
    assert not kiosk.screen().anonymous.isEnabled()
    kiosk.tap("Жалба")
    kiosk.type_into(kiosk.screen().description, "Шум след 22 ч. на ул. Ботев")
    kiosk.type_into(kiosk.screen().address, "ул. Ботев 12")
    kiosk.tap("Продължи")
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("review")
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    [row] = _requests(kiosk.hub)
    assert (row.signal_type, row.anonymous, row.location["address_text"]) == ("complaint", False, "ул. Ботев 12")
    assert row.egn_hmac


def test_expired_and_misread_cards_are_refused_with_a_reason(kiosk):
    kiosk.tap("Моите заявления (карта и код)")
    kiosk.go("dossier")
    kiosk.insert_card("expired")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("изтекъл") or kiosk.sees("изтекла"))
    assert kiosk.state.session.identity is None
    kiosk.insert_card("bad_check_digit")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Картата не може да бъде прочетена"))
    assert kiosk.state.session.identity is None


def test_timeout_warns_extends_and_then_wipes_everything_personal(kiosk):
    kiosk.tap("Услуги и удостоверения")
    kiosk.type_into(kiosk.screen().search, "наследници")
    kiosk.tap("Удостоверение за наследници")
    kiosk.tap("Подай тук с личната си карта")
    kiosk.insert_card("valid")
    kiosk.go("request_form")
    kiosk.type_into(kiosk.screen().inputs["deceased_names"], "Петър Иванов Колев")
    warned = []
    kiosk.window.session_warning.connect(warned.append)
    session = kiosk.state.session
    for _ in range(10):  # at least ten extensions, each with one touch
        kiosk.clock.advance(61)
        session.tick()
        assert kiosk.window.warning_bar.isVisible() and kiosk.sees("Още ли сте тук?")
        assert session.seconds_left() >= 20
        kiosk.tap("Още време")
        assert not kiosk.window.warning_bar.isVisible()
    assert session.extensions == 10 and len(warned) == 10
    assert kiosk.screen_name() == "request_form"
    kiosk.clock.advance(61)
    session.tick()
    kiosk.clock.advance(31)
    session.tick()
    kiosk.go("welcome")
    personal = [MARIA_EGN, MARIA_DOC, "IVANOVA", "MARIYA", "Петър Иванов Колев"]
    texts = "\n".join(kiosk.all_texts())
    assert not [p for p in personal if p.lower() in texts.lower()]
    assert session.identity is None and session.personal == {} and kiosk.state.last_receipt is None
    assert not kiosk.window.warning_bar.isVisible()


def test_finish_clears_the_session_and_language(kiosk):
    kiosk.tap("English")
    assert kiosk.sees("Services\nand certificates")
    kiosk.tap("Track my request")
    kiosk.go("track")
    kiosk.insert_card("valid")
    kiosk.qtbot.waitUntil(lambda: kiosk.state.session.identity is not None)
    kiosk.tap("Finish")
    kiosk.go("welcome")
    assert kiosk.state.session.identity is None and kiosk.state.language == "bg"
    assert kiosk.sees("Услуги\nи удостоверения")


def test_dossier_needs_card_and_code_and_is_online_only(kiosk):
    _file_current_address_request(kiosk)
    kiosk.hub.create_citizen(MARIA_EGN, "5731", document_number=MARIA_DOC)
    kiosk.tap("Край")
    kiosk.go("welcome")
    kiosk.tap("Моите заявления (карта и код)")
    kiosk.go("dossier")
    dossier = kiosk.screen()
    assert dossier.access_code.echoMode() == QLineEdit.Password
    kiosk.tap("Покажи моите заявления")
    assert kiosk.sees("Първо поставете личната си карта")
    kiosk.insert_card("valid")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Прочетена лична карта"))
    kiosk.type_into(dossier.access_code, "0000")
    kiosk.tap("Покажи моите заявления")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Кодът за достъп не е верен"))
    kiosk.type_into(dossier.access_code, "5731")
    kiosk.tap("Покажи моите заявления")
    kiosk.qtbot.waitUntil(lambda: "Търсене" not in dossier.result.text())
    assert dossier.result.text() == "Вашите заявления: 1"
    [row] = _requests(kiosk.hub)
    assert kiosk.sees(row.number)
    kiosk.network.online = False
    kiosk.tap("Покажи моите заявления")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("няма връзка с общината"))


def test_hotlines_search_grouped_by_unit(kiosk):
    kiosk.tap("Телефони")
    kiosk.go("hotlines")
    everything = len(kiosk.state.catalogue.hotlines)
    assert everything > 2
    kiosk.type_into(kiosk.screen().search, "grao")

    def hotline_lines():
        return [t for t in kiosk.visible_texts() if re.search(r": [0-9 +()/-]{3,}", t or "")]

    kiosk.qtbot.waitUntil(lambda: 0 < len(hotline_lines()) < everything)
    assert kiosk.sees("ГРАО")
    kiosk.type_into(kiosk.screen().search, "")
    kiosk.qtbot.waitUntil(lambda: len(hotline_lines()) == everything)
    # hours that hold brackets themselves are not put in a second pair: "денонощно (… 112)"
    assert not [t for t in hotline_lines() if re.search(r"\([^)]*\(", t)], hotline_lines()


def test_consultation_support_once_per_person(kiosk):
    kiosk.hub.add_consultation("budget-2027")
    kiosk.tap("Обществени консултации")
    kiosk.go("consultations")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Бюджет 2027"))
    assert kiosk.sees("Проект на бюджет")
    kiosk.tap(kiosk.screen().support_buttons["budget-2027"])
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("consultations")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("подкрепата Ви е записана"))
    kiosk.qtbot.waitUntil(lambda: "budget-2027" in kiosk.screen().support_buttons)
    kiosk.tap(kiosk.screen().support_buttons["budget-2027"])
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Вече сте подкрепили"))
    with kiosk.hub.session() as s:
        assert len(list(s.scalars(select(ConsultationSupport)))) == 1


def test_printer_out_of_paper_is_shown_plainly_and_the_number_stays(kiosk):
    kiosk.printer.set_paper("out")
    receipt = _file_current_address_request(kiosk)
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Принтерът не работи в момента"))
    assert kiosk.sees(receipt.reference) and kiosk.printer.receipts == []


def test_catalogue_browse_by_situation_and_unit_in_english(kiosk):
    kiosk.tap("English")
    kiosk.tap("Services and certificates")
    kiosk.go("catalogue")
    assert kiosk.sees("Choose a life situation")
    situation = kiosk.state.catalogue.life_situations[0]
    kiosk.tap(situation.name.get("en"))
    expected = kiosk.state.services_in_situation(situation.id)
    assert expected and all(kiosk.sees(s.name.get("en")) for s in expected)
    kiosk.tap("By municipal unit")
    unit = kiosk.state.catalogue.units[0]
    kiosk.tap(unit.name.get("en"))
    assert all(kiosk.sees(s.name.get("en")) for s in kiosk.state.services_in_unit(unit.id))


def test_maintenance_needs_the_pin(kiosk):
    kiosk.window.show_screen("maintenance")
    screen = kiosk.screen()
    assert not screen.exit_button.isEnabled()
    kiosk.type_into(screen.pin, "1111")
    kiosk.tap("Отключи")
    assert kiosk.sees("Нямате достъп.") and not screen.exit_button.isEnabled()
    kiosk.type_into(screen.pin, "2468")
    kiosk.tap("Отключи")
    assert screen.exit_button.isEnabled()
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Чакат изпращане: 0"))
    kiosk.tap("Пробен печат")
    kiosk.qtbot.waitUntil(lambda: len(kiosk.printer.receipts) == 1)


def test_a_new_catalogue_is_picked_up_between_citizens_only(kiosk):
    old = kiosk.state.catalogue
    changed = old.model_copy(update={"version": old.version + "-next"})
    kiosk.store.save_catalogue(changed)
    kiosk.tap("Телефони")  # a citizen is here: leave their catalogue alone
    assert kiosk.app.refresh_catalogue() is False and kiosk.state.catalogue.version == old.version
    kiosk.tap("Край")
    kiosk.go("welcome")
    assert kiosk.app.refresh_catalogue() is True and kiosk.state.catalogue.version == changed.version


def test_information_flows_end_with_the_smileys_too(kiosk):
    kiosk.tap("Телефони")
    kiosk.go("hotlines")
    kiosk.tap("Готово")
    kiosk.go("feedback")
    kiosk.tap(kiosk.screen().face_buttons[0])
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Благодарим за мнението!"))
    kiosk.qtbot.waitUntil(lambda: kiosk.store.queue_stats().depth == 1)
    _deliver_everything(kiosk)
    with kiosk.hub.session() as s:
        [press] = list(s.scalars(select(FeedbackPress)))
    assert (press.score, press.source, press.service_id) == (1, "kiosk", None)


def test_the_review_shows_a_date_as_the_citizen_typed_it(kiosk):
    """The form keeps ISO dates for the hub; the citizen checks ДД.ММ.ГГГГ, as typed."""
    from kiosk.state.backend import Draft
    from kiosk.views.request import ReviewScreen

    draft = Draft(kind="service_request", service_id="heirs-certificate", tier="ordinary",
                  form={"deceased_names": "Петър Иванов Колев", "deceased_egn": "4803151938",
                        "date_of_death": "2026-10-01", "purpose": "notary", "copies": 1}, anonymous=True)
    screen = ReviewScreen(kiosk.state, draft)
    texts = [line.text() for line in screen.lines]
    assert any(t.endswith(": 01.10.2026") for t in texts), texts
    assert not any("2026-10-01" in t for t in texts)
    screen.deleteLater()


def test_personal_fields_are_sealed_even_when_the_store_has_a_newer_catalogue(kiosk):
    """The agent may replace the store's catalogue while a citizen fills a form: a service gone
    from the new copy must not leave the citizen's phone in clear in the outbox."""
    import sqlite3

    from kiosk.state.backend import Draft

    old = kiosk.store.catalogue()
    newer = old.model_copy(update={"version": old.version + "-without-heirs",
                                   "services": [s for s in old.services if s.id != "heirs-certificate"]})
    kiosk.store.save_catalogue(newer)
    kiosk.reader.insert_card(kiosk.cards["valid"])
    kiosk.qtbot.waitUntil(lambda: kiosk.state.session.identity is not None)
    draft = Draft(kind="service_request", service_id="heirs-certificate", tier="ordinary",
                  form={"deceased_name": "Петър Иванов Колев", "deceased_egn": "4803151938"},
                  personal_fields={"phone": "0888123456"}, applicant=kiosk.state.applicant())
    kiosk.network.online = False  # stays in the outbox, as it would offline
    kiosk.app.backend.submit(draft)
    with sqlite3.connect(kiosk.store.path) as db:
        payload, sealed = db.execute("SELECT payload, sealed FROM outbox WHERE kind = 'service_request'").fetchone()
    assert "0888123456" not in payload and sealed


def test_a_language_switch_on_the_receipt_prints_no_second_receipt(kiosk):
    """The receipt screen is rebuilt in the new language; the paper is printed once, by the state."""
    receipt = _file_current_address_request(kiosk)
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Разписката е отпечатана"))
    assert len(kiosk.printer.receipts) == 1
    kiosk.tap(kiosk.window.language_button)  # the header's "English", as the citizen touches it
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "en" and kiosk.screen_name() == "receipt")
    assert kiosk.screen().receipt is receipt and kiosk.sees(receipt.reference)
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)  # a second print would be running now
    assert len(kiosk.printer.receipts) == 1, "the receipt was printed again after the language switch"
    # the rebuilt screen still says how printing went, now in English — and all of it is English
    assert kiosk.sees("The receipt is printed")
    service = kiosk.state.service("current-address")
    assert kiosk.sees(service.name.get("en")) and not kiosk.sees(service.name.get("bg"))
    office = kiosk.state.office_name()
    assert office and not any(ch in office for ch in "абвгдежзийклмнопрстуфхцчшщъьюя"), office
    assert kiosk.sees(office) and not any("работни дни" in t for t in kiosk.visible_texts())
    kiosk.window.language_button.setFocus()
    kiosk.qtbot.keyClick(kiosk.window.language_button, Qt.Key.Key_Space)  # and back, from the keyboard
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "bg")
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)
    assert len(kiosk.printer.receipts) == 1
    assert kiosk.sees("Разписката е отпечатана")
    [row] = _requests(kiosk.hub)
    assert row.number == receipt.reference


def test_back_from_a_group_returns_to_its_list_not_to_the_welcome_screen(kiosk):
    kiosk.tap("Услуги и удостоверения")
    kiosk.go("catalogue")
    kiosk.tap("По звено на общината")
    unit = kiosk.state.catalogue.units[0]
    kiosk.tap(unit.name.get("bg"))
    assert all(kiosk.sees(s.name.get("bg")) for s in kiosk.state.services_in_unit(unit.id))
    kiosk.tap(kiosk.window.back_button)
    assert kiosk.screen_name() == "catalogue" and kiosk.screen().group_id is None
    assert kiosk.sees(unit.name.get("bg")) and kiosk.screen().mode == "units"  # the list of units again
    situation = kiosk.state.catalogue.life_situations[0]
    kiosk.tap("По житейска ситуация")
    kiosk.tap(situation.name.get("bg"))
    kiosk.tap(kiosk.window.back_button)
    assert kiosk.screen_name() == "catalogue" and kiosk.screen().group_id is None
    kiosk.tap(kiosk.window.back_button)  # the tabs are not steps: one more Back is the welcome screen
    kiosk.go("welcome")
