"""Eyes closed: every citizen flow driven only by keypad keys, heard through the recording speech engine.

The only other acts are physical ones a blind citizen does by touch: placing the ID card on
the reader. Each test asserts what was heard, not what was shown.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from hardware.idcard import SimulatedIdReader
from hardware.printer import SimulatedPrinter
from hardware.scanner import SimulatedScanner
from hardware.speech import RecordingSpeech
from kiosk.a11y import spoken_numbers, testing
from kiosk.a11y.audit import missing_accessible_names
from kiosk.app import KioskApp
from kiosk.bridge import DeviceBridge
from kiosk.simulator import demo_cards
from kiosk.state.kiosk_state import KioskSettings
from kiosk.state.session import SessionTimeouts
from kiosk.store_backend import StoreBackend
from server_sync.hub.models import ConsultationSupport, ServiceRequest
from tests.kiosk.teardown import dispose_kiosk

K = Qt.Key
MARIA_EGN = "4803151938"


class BlindCitizen:
    """Presses keys, listens, and places the card; never looks at the screen."""

    def __init__(self, app: KioskApp, speech: RecordingSpeech, qtbot, reader, cards) -> None:
        self.app, self.window, self.speech, self.qtbot = app, app.window, speech, qtbot
        self.reader, self.cards = reader, cards
        self.a11y = app.a11y

    # -- hearing -------------------------------------------------------------------
    def heard(self) -> list[str]:
        testing.settle(self.speech)
        return testing.spoken_text(self.speech)

    def last(self) -> str:
        return self.heard()[-1]

    def heard_since(self, mark: int) -> str:
        return " | ".join(self.heard()[mark:])

    def mark(self) -> int:
        return len(self.heard())

    # -- acting --------------------------------------------------------------------
    def key(self, key: Qt.Key, keypad: bool = False, text: str = "") -> None:
        testing.press(key, keypad=keypad, text=text, speech=self.speech)

    def type_digits(self, digits: str) -> None:
        for ch in digits:
            if ch.isdigit():
                self.key(getattr(K, f"Key_{ch}"), keypad=True, text=ch)
            else:  # "-", "/", ".": the keypad's own keys
                code = {"-": K.Key_Minus, "/": K.Key_Slash, ".": K.Key_Period}[ch]
                testing.press(code, text=ch, speech=self.speech)

    def type_text(self, text: str) -> None:
        """Letters come from a keyboard's key events (the numeric keypad has none)."""
        for ch in text:
            testing.press(K.Key_unknown if not ch.isascii() else K(ord(ch.upper())), text=ch, speech=self.speech)

    def find(self, prefix: str, max_steps: int = 120) -> None:
        """Arrow down until the focused item's name starts with `prefix` — as by ear."""
        for _ in range(max_steps):
            self.key(K.Key_Down)
            if self.last().startswith(prefix):
                return
        raise AssertionError(f"never heard {prefix!r}; last heard: {self.heard()[-8:]}")

    def choose(self, prefix: str) -> None:
        self.find(prefix)
        self.key(K.Key_5, keypad=True)

    def wait_screen(self, name: str) -> None:
        self.qtbot.waitUntil(lambda: self.window.current_screen_name() == name, timeout=15000)

    def place_card(self, kind: str = "valid") -> None:
        self.reader.insert_card(self.cards[kind])

    def open_service(self, service_id: str) -> None:
        """From the welcome screen to a service's page, through its life situation, by ear."""
        self.choose("Услуги и удостоверения")
        self.wait_screen("catalogue")
        state = self.app.state
        situation = next(g for g in state.catalogue.life_situations
                         if any(s.id == service_id for s in state.services_in_situation(g.id)))
        self.choose(state.t(situation.name))
        self.choose(f"{state.t(state.service(service_id).name)}, бутон")
        self.wait_screen("service")

    def open_request_form(self, service_id: str) -> None:
        """To a service's form, identified with the ID card, by ear."""
        self.open_service(service_id)
        self.choose("Подай тук с личната си карта")
        self.wait_screen("identify")
        self.place_card("valid")
        self.wait_screen("request_form")


@pytest.fixture
def blind(qtbot, store, hub, network, clock):
    bridge = DeviceBridge()
    speech = RecordingSpeech()
    devices = SimpleNamespace(
        id_reader=SimulatedIdReader(bridge), scanner=SimulatedScanner(bridge), badge=None,
        printer=SimulatedPrinter(), speech=speech, health=lambda: {}, close=lambda: None)
    backend = StoreBackend(store, client_factory=network.client)
    settings = KioskSettings(office_id="centre", technician_pin="2468",
                             timeouts=SessionTimeouts(idle_seconds=60, warning_seconds=30, max_extensions=10))
    app = KioskApp(QApplication.instance(), backend, settings, devices=devices, bridge=bridge,
                   accessibility=True, clock=clock)
    assert app.a11y is not None, "the kiosk did not start its accessibility layer"
    app.window.resize(1280, 800)
    app.window.show()
    qtbot.waitExposed(app.window)
    app.window.activateWindow()
    qtbot.waitUntil(app.window.isActiveWindow)
    citizen = BlindCitizen(app, speech, qtbot, devices.id_reader, demo_cards())
    citizen.hub, citizen.store, citizen.clock, citizen.printer = hub, store, clock, devices.printer
    yield citizen
    dispose_kiosk(qtbot, app)
    speech.close()
    qapp = QApplication.instance()
    qapp.setStyleSheet("")
    qapp.setPalette(qapp.style().standardPalette())


def start_by_ear(c: BlindCitizen) -> None:
    """The Help key on the welcome screen starts speech mode and says where we are."""
    assert c.heard() == []  # nothing is said before speech mode is asked for
    c.key(K.Key_F1)
    first = c.last()
    assert "Гласов режим включен" in first and "Добре дошли" in first


def test_service_request_with_id_card_eyes_closed(blind):
    c = blind
    start_by_ear(c)
    c.choose("Услуги и удостоверения")
    c.wait_screen("catalogue")
    assert "Услуги и удостоверения" in c.last()
    state = c.app.state
    situation = next(g for g in state.catalogue.life_situations
                     if any(s.id == "current-address" for s in state.services_in_situation(g.id)))
    c.choose(state.t(situation.name))
    c.choose("Удостоверение за настоящ адрес, бутон")
    c.wait_screen("service")
    mark = c.mark()
    c.find("Подай тук с личната си карта")
    assert "Срок" in c.heard_since(mark) or "такса" in c.heard_since(mark).lower()  # the service is read
    c.key(K.Key_Return)
    c.wait_screen("identify")
    assert "лична" in c.last().lower() and "карта" in c.last().lower()
    c.place_card("valid")
    c.wait_screen("request_form")
    form = c.window.current_screen()
    required = [f for f in form.service.form_fields if f.required]
    assert required
    # continue with the required fields empty: the error names each field and says what is wrong
    mark = c.mark()
    c.choose("Продължи към преглед")
    error = c.heard_since(mark)
    for field in required:
        assert f"{state.t(field.label)}: полето е задължително" in error, error
    for field in required:
        c.find(f"{state.t(field.label)}, поле")
        if str(field.type).endswith("number"):
            c.type_digits("2")
            assert c.last() == "2"
        else:
            c.type_text("ул. Раковски 1")
            assert c.last() == "1"
    c.choose("Продължи към преглед")
    c.wait_screen("review")
    review = c.heard_since(c.mark() - 3)
    assert "Преглед" in review, review
    # what is about to be sent is read out; the applicant's name only through the headset
    assert "Услуга: Удостоверение за настоящ адрес." in review and "Брой екземпляри: 2." in review, review
    assert "MARIYA" not in review and "Включете слушалки" in review, review
    c.choose("Потвърди и изпрати")
    c.wait_screen("receipt")
    receipt = c.window.current_screen().receipt
    testing.settle(c.speech)
    heard = c.heard_since(mark)
    # the receipt number and code digit by digit in their groups, the fee as money
    assert spoken_numbers.reference(receipt.reference, "bg") in heard, heard
    assert spoken_numbers.reference(receipt.tracking_code, "bg") in heard
    assert f"Такса: {spoken_numbers.money(receipt.fee_eur.rstrip(' €'), 'bg')}" in heard, heard
    assert "€" not in heard
    # reached again by keypad, the code's line spells it too
    c.find("Код за проследяване")
    assert spoken_numbers.reference(receipt.tracking_code, "bg") in c.last(), c.last()
    # ЕГН from the card never went to the loudspeaker
    assert not any(MARIA_EGN in e.text for e in c.speech.spoken if e.output == "speaker")
    with c.hub.session() as s:
        [row] = list(s.scalars(select(ServiceRequest)))
    assert row.service_id == "current-address" and row.number == receipt.reference
    # a keypad user is never told to "touch" anything
    assert not [t for t in c.heard() if "окоснете" in t], [t for t in c.heard() if "окоснете" in t]


def test_signal_eyes_closed(blind):
    c = blind
    start_by_ear(c)
    c.choose("Сигнал за проблем")
    c.wait_screen("signal")
    assert "Сигнал" in c.last()
    mark = c.mark()
    c.choose("Продължи")  # nothing chosen yet: the errors are read with their field
    errors = c.heard_since(mark)
    assert "Категория" in errors and "Описание" in errors, errors
    category = c.app.state.catalogue.signal_categories[0]
    c.choose(c.app.state.t(category.name))
    assert c.last() == "избрано", c.heard()[-3:]
    c.find("Описание, поле")
    c.type_text("Счупена пейка")
    c.choose("ул. „Христо Ботев“")  # roads: the category needs a location
    c.find("Без лична карта: само за информация")
    c.key(K.Key_Return)
    assert "отметнато" in c.last()
    c.choose("Продължи")
    c.wait_screen("review")
    c.choose("Потвърди и изпрати")
    c.wait_screen("receipt")
    receipt = c.window.current_screen().receipt
    assert spoken_numbers.reference(receipt.reference, "bg") in c.heard_since(mark)


def test_tracking_eyes_closed(blind):
    c = blind
    # a signal filed earlier gives us a receipt's number and code to track
    from kiosk.state.backend import Draft

    outcome = c.app.backend.submit(Draft(kind="signal", signal_type="problem", signal_category_id="street-lighting",
                                         description="Не свети лампата", anonymous=True, place_id="city-park"))
    assert outcome.delivered and outcome.tracking_code
    start_by_ear(c)
    c.choose("Проследяване на заявление")
    c.wait_screen("track")
    assert "Проследяване на заявление" in c.last()
    mark = c.mark()
    c.key(K.Key_5, keypad=True)  # a reflexive 5 where the keypad starts does not leave the screen
    assert c.window.current_screen_name() == "track"
    c.choose("Покажи състоянието")  # empty: the problem is read out
    assert "номера" in c.heard_since(mark)
    c.find("Номер на заявлението, поле")
    c.type_digits(outcome.number)
    c.find("Код за проследяване, поле")
    c.type_text(outcome.tracking_code)
    c.key(K.Key_Up)
    c.key(K.Key_Down)  # back on the code: spelled, as the receipt says it, not read as one word
    assert spoken_numbers.reference(outcome.tracking_code, "bg") in c.last(), c.last()
    assert outcome.tracking_code not in c.last()
    mark = c.mark()
    c.choose("Покажи състоянието")
    spoken = spoken_numbers.reference(outcome.number, "bg")
    c.qtbot.waitUntil(lambda: spoken in c.heard_since(mark), timeout=10000)


def test_hotlines_are_read_by_ear(blind):
    c = blind
    start_by_ear(c)
    c.choose("Телефони")
    c.wait_screen("hotlines")
    assert "Телефони" in c.last()
    hotline = c.app.state.catalogue.hotlines[-1]
    c.find(c.app.state.t(hotline.name), max_steps=300)
    # the number is on the same line or the next stop
    c.key(K.Key_Down)
    # digit by digit in the groups it is written in, not as a number in millions
    assert spoken_numbers.phone(hotline.phone, "bg") in " ".join(c.heard()[-2:]), c.heard()[-2:]


def test_consultation_support_eyes_closed(blind):
    c = blind
    c.hub.add_consultation("budget-2027")
    start_by_ear(c)
    c.choose("Обществени консултации")
    c.wait_screen("consultations")
    c.qtbot.waitUntil(lambda: not c.app.state.tasks.busy, timeout=10000)
    testing.settle(c.speech)
    c.find("Бюджет 2027")  # the consultation's title is read before its button
    c.choose("Подкрепа: Бюджет 2027")
    c.wait_screen("identify")
    assert "карта" in c.last().lower()
    c.place_card("valid")
    c.wait_screen("consultations")
    c.qtbot.waitUntil(lambda: any("подкрепата Ви е записана" in t for t in c.heard()), timeout=15000)
    with c.hub.session() as s:
        assert len(list(s.scalars(select(ConsultationSupport)))) == 1


def test_every_screen_names_every_control(blind):
    """The accessible-name walk over every registered screen, with the data each needs."""
    c = blind
    window = c.window
    problems = {}
    for name in window.screen_names():
        try:
            screen = window.show_screen(name, **_screen_args(c, name))
        except Exception as exc:  # a screen that cannot open without its flow is walked there
            pytest.fail(f"screen {name} could not be opened for the walk: {exc!r}")
        # let a screen's background load finish before the next one replaces it
        c.qtbot.waitUntil(lambda: not c.app.state.tasks.busy, timeout=10000)
        found = missing_accessible_names(screen) + missing_accessible_names(window.header)
        if found:
            problems[name] = found
    assert not problems, problems


def _screen_args(c, name: str) -> dict:
    state = c.app.state
    service = state.catalogue.services[0]
    if name == "service" or name == "request_form":
        if name == "request_form":
            c.place_card("valid")
        return {"service_id": service.id}
    if name == "identify":
        return {"then": "welcome"}
    if name == "review":
        from kiosk.state.backend import Draft

        return {"draft": Draft(kind="service_request", language="bg", service_id=service.id, tier="ordinary",
                               form={}, personal_fields={})}
    if name == "receipt":
        from datetime import datetime, timezone

        from kiosk.state.kiosk_state import ReceiptData

        return {"receipt": ReceiptData(reference="K01-000001", official=False, title=state.t(service.name),
                                       created_at=datetime.now(timezone.utc), office="", tracking_code="ABC123",
                                       tracking_url=None)}
    return {}


def test_timeout_is_spoken_extended_by_any_key_and_session_end_resets_speech(blind):
    c = blind
    start_by_ear(c)
    c.choose("Телефони")
    c.wait_screen("hotlines")
    c.key(K.Key_F6)  # louder
    assert c.last() == "Сила 5 от 7"
    session = c.app.state.session
    c.clock.advance(61)
    session.tick()
    assert "30 сек" in c.last() and "натиснете който и да е клавиш" in c.last().lower(), c.heard()[-2:]
    assert not [t for t in c.heard() if "окоснете" in t]  # a keypad user is not told to touch
    c.key(K.Key_F2)  # any key extends (the release counts as activity), and Repeat repeats
    assert any(t == "Времето е удължено." for t in c.heard()[-3:]), c.heard()[-3:]
    assert not session.warning_active
    c.clock.advance(61)
    session.tick()
    c.clock.advance(31)
    session.tick()
    c.qtbot.waitUntil(lambda: c.window.current_screen_name() == "welcome")
    assert "Сесията приключи" in c.last(), c.heard()[-5:]
    assert not c.a11y.speech_mode and c.a11y.volume_step == 4 and c.speech.volume_step == 3
    mark = c.mark()
    c.key(K.Key_Down)
    assert c.mark() == mark  # speech mode is off for the next person


def test_language_switch_by_keypad_is_spoken_in_english(blind):
    c = blind
    start_by_ear(c)
    c.key(K.Key_F9)
    assert c.app.state.language == "en"
    assert c.last().startswith("English.") and "Welcome" in c.last()
    assert c.speech.spoken[-1].lang == "en"
    c.find("Phone numbers")
    assert c.last() == "Phone numbers, button, 5 of 6"  # the six tiles; the two switches sit in the footer


def test_a_new_screen_is_heard_from_its_title_with_nothing_said_before_it(blind):
    """Choosing opens a screen: the next thing heard is the screen's title, not a footer switch or
    the new page's button that the focus passed on its way; inside a life situation the keypad
    starts on its first service and the citizen hears which situation it is."""
    c = blind
    start_by_ear(c)
    c.find("Услуги и удостоверения")
    mark = c.mark()
    c.key(K.Key_5, keypad=True)
    c.wait_screen("catalogue")
    assert c.heard()[mark:] == [c.last()] and c.last().startswith("Услуги и удостоверения. Изберете група"), \
        c.heard()[mark:]
    state = c.app.state
    situation = state.catalogue.life_situations[0]
    services = state.services_in_situation(situation.id)
    c.find(state.t(situation.name))
    mark = c.mark()
    c.key(K.Key_5, keypad=True)
    c.qtbot.waitUntil(lambda: c.window.current_screen().group_id == situation.id)
    assert c.heard()[mark:] == [c.last()], c.heard()[mark:]
    first = f"{state.t(services[0].name)}, бутон, 1 от {len(services)}"
    assert c.last() == (f"Услуги и удостоверения. {state.t(situation.name)}. Изберете услуга; "
                        f"„Назад“ връща към групите. {first}"), c.last()
    mark = c.mark()
    c.key(K.Key_5, keypad=True)  # the service it started on
    c.wait_screen("service")
    assert c.heard()[mark:] == [c.last()] and c.last().startswith(state.t(services[0].name) + ". Прочетете"), \
        c.heard()[mark:]
    c.key(K.Key_Escape)  # Back: into the situation again, heard by its name
    c.qtbot.waitUntil(lambda: c.window.current_screen_name() == "catalogue")
    assert f"{state.t(situation.name)}. Изберете услуга" in c.last(), c.heard()[-3:]


def test_each_form_field_is_one_keypad_stop_that_says_its_name(blind):
    """A field says its own name, so the keypad does not stop on its label first (twice the presses
    and the name heard twice); a choice's question stays a stop, its options do not say it."""
    c = blind
    start_by_ear(c)
    c.open_request_form("heirs-certificate")
    c.find("Данни за заявлението")
    heard = []
    for _ in range(5):
        c.key(K.Key_Down)
        heard.append(c.last())
    # counted among the form's six fields, not among every option of its choices ("4 от 17")
    assert heard[0].startswith("Трите имена на починалия, поле за текст, празно, 1 от 6"), heard
    assert heard[1].startswith("ЕГН на починалия, поле за текст, празно, 2 от 6"), heard
    assert heard[2].startswith("Дата на смъртта, поле за текст"), heard
    assert heard[3] == "За какво ви е нужно, задължително" and heard[4].startswith("Нотариус, неизбрано"), heard


def test_the_language_switch_is_heard_in_the_language_it_switches_to(blind):
    """An English visitor arrowing through a Bulgarian screen hears "Switch to English" in an English
    voice, not read out by the Bulgarian one; and back again."""
    c = blind
    start_by_ear(c)
    c.find("Switch to English")
    assert c.last() == "Switch to English, button, 2 of 2", c.heard()[-3:]
    assert c.speech.spoken[-1].lang == "en"
    c.key(K.Key_Down)  # the next control is the screen's own again, in its own voice
    assert c.speech.spoken[-1].lang == "bg", c.heard()[-2:]
    c.key(K.Key_Up)
    c.key(K.Key_F2)  # Repeat says it again in the same voice
    assert c.last().startswith("Switch to English") and c.speech.spoken[-1].lang == "en"
    c.key(K.Key_Return)
    c.qtbot.waitUntil(lambda: c.app.state.language == "en")
    assert c.speech.spoken[-1].lang == "en" and "Welcome" in c.last()
    c.find("Превключи на български")
    assert c.last() == "Превключи на български, бутон, 2 от 2", c.heard()[-3:]
    assert c.speech.spoken[-1].lang == "bg"


def test_contrast_and_large_text_by_touch_and_key_are_spoken_and_visible(blind):
    from kiosk.a11y.themes import stylesheet

    c = blind
    ctl = c.a11y
    qapp = QApplication.instance()
    assert ctl.contrast_button.isVisible() and ctl.large_text_button.isVisible()
    c.qtbot.mouseClick(ctl.contrast_button, Qt.MouseButton.LeftButton)  # sighted, low vision: by touch
    assert ctl.theme == "high_contrast" and ctl.contrast_button.isChecked()
    assert qapp.styleSheet() == stylesheet("high_contrast", False, ctl.config.geometry)
    assert ctl.contrast_button.isChecked()  # the switch itself shows the state
    start_by_ear_after_theme = c.mark()
    c.key(K.Key_F1)
    c.key(K.Key_F11)
    assert c.last() == "Едър текст включен."
    assert ctl.large_text_button.isChecked()
    assert "Говор" in ctl.indicator.text() and ctl.indicator.isVisible()
    assert qapp.styleSheet() == stylesheet("high_contrast", True, ctl.config.geometry)
    assert c.mark() > start_by_ear_after_theme
    c.app.state.session.start()
    c.app.state.session.end()
    c.qtbot.waitUntil(lambda: ctl.theme == "default")
    assert not ctl.large_text and not ctl.indicator.isVisible()
    assert not ctl.contrast_button.isChecked() and not ctl.large_text_button.isChecked()


def test_focus_cycles_through_the_welcome_screen_and_header_back_to_the_start(blind):
    c = blind
    start_by_ear(c)
    chain = c.a11y.navigation_chain()
    start = QApplication.focusWidget()
    assert start in chain
    for _ in range(len(chain)):
        c.key(K.Key_2, keypad=True)
    assert QApplication.focusWidget() is start


def test_explore_by_touch_on_the_welcome_screen(blind):
    c = blind
    start_by_ear(c)
    tile = c.window.current_screen().tiles["hotlines"]
    c.qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert c.window.current_screen_name() == "welcome"  # the first touch only speaks
    assert c.last().startswith("Телефони") and ", бутон, 5 от 6" in c.last()
    assert tile.hasFocus()
    c.qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)  # the second touch acts
    c.wait_screen("hotlines")


def _keypad_find_key(c: BlindCitizen, name: str, max_rows: int = 6, max_in_row: int = 16) -> None:
    """In keyboard mode: Right along the row, then Down to the next row, until `name` is heard."""
    for _ in range(max_rows):
        for _ in range(max_in_row):
            if c.last() == name:
                return
            c.key(K.Key_6, keypad=True)
        c.key(K.Key_2, keypad=True)
    raise AssertionError(f"never heard the key {name!r}; last heard: {c.heard()[-6:]}")


def _keypad_type(c: BlindCitizen, text: str) -> None:
    """Type `text` on the on-screen keyboard with the keypad only: find each key by ear, press 5."""
    names = {" ": "интервал", "-": "тире", ".": "точка", ",": "запетая"}
    for ch in text:
        if ch.isupper():
            _keypad_find_key(c, "главни")
            c.key(K.Key_5, keypad=True)
            assert c.last() == "главни включени"
            _keypad_find_key(c, f"главно {ch.lower()}")
        else:
            _keypad_find_key(c, names.get(ch, ch))
        c.key(K.Key_5, keypad=True)
        assert c.last() == names.get(ch, ch), (ch, c.heard()[-3:])


def test_signal_description_typed_only_with_the_keypad_on_the_on_screen_keyboard(blind):
    """The gap a numeric keypad leaves: free text. No letter key event is sent, only the
    keypad's 2/4/5/6/8, Clear, F2 and Esc; the on-screen keyboard does the typing."""
    c = blind
    start_by_ear(c)
    c.choose("Сигнал за проблем")
    c.wait_screen("signal")
    screen = c.window.current_screen()
    category = c.app.state.catalogue.signal_categories[0]
    c.choose(c.app.state.t(category.name))
    c.find("Описание, поле")
    field = QApplication.focusWidget()
    assert field is screen.description
    # the keypad's Enter on the text field opens keyboard mode (5 types a digit in a field):
    # the instructions, then the key under the cursor
    c.key(K.Key_Enter, keypad=True)
    assert c.last().startswith("Клавиатура.") and c.last().endswith(" я"), c.last()
    assert c.a11y.kbd.active and c.window.keyboard.isVisible()
    assert QApplication.focusWidget() is field  # the field keeps the focus
    # up from the first letter row is the digits row; up again wraps to the bottom row
    c.key(K.Key_8, keypad=True)
    assert c.last() == "1"
    c.key(K.Key_4, keypad=True)  # left from the first key wraps to the row's end
    assert c.last() == "изтрий"
    c.key(K.Key_8, keypad=True)
    assert c.last() == "готово"
    c.key(K.Key_2, keypad=True)  # back down to the digits, column clamped to the row
    c.key(K.Key_2, keypad=True)
    _keypad_type(c, "Счупена пейкх")
    c.key(K.Key_Clear)  # a wrong letter: Clear deletes it, and says which
    assert c.last() == "изтрито х"
    _keypad_type(c, "а")
    # the English layout is a key away, and back to Bulgarian (phonetic and БДС both reachable)
    _keypad_find_key(c, "смяна на подредбата, английска")
    c.key(K.Key_5, keypad=True)
    assert c.last().startswith("подредба английска.")
    _keypad_type(c, " ok")
    _keypad_find_key(c, "смяна на подредбата, българска БДС")
    c.key(K.Key_5, keypad=True)
    assert c.last().startswith("подредба българска БДС.")
    _keypad_type(c, ".")
    c.key(K.Key_F2)  # the whole text so far
    assert c.last() == "Въведено: Счупена пейка ok."
    c.key(K.Key_Escape)  # leaves keyboard mode, not the screen
    assert c.window.current_screen_name() == "signal"
    assert not c.a11y.kbd.active
    assert c.last().startswith("Клавиатурата е затворена. Описание") and "Счупена пейка ok." in c.last()
    assert QApplication.focusWidget() is field
    c.choose("ул. „Христо Ботев“")  # focus moves on from the field as usual: never trapped
    c.find("Без лична карта: само за информация")  # roads: the category needs a location (above)
    c.key(K.Key_5, keypad=True)
    assert "отметнато" in c.last()
    c.choose("Продължи")
    c.wait_screen("review")
    c.choose("Потвърди и изпрати")
    c.wait_screen("receipt")
    receipt = c.window.current_screen().receipt
    with c.hub.session() as s:
        [row] = list(s.scalars(select(ServiceRequest)))
    assert row.number == receipt.reference
    assert row.description == "Счупена пейка ok."


def test_the_citizens_name_and_a_typed_egn_never_reach_the_loudspeaker(blind):
    """No headset: the card is said to be read, without the name; the dossier screen's card line and
    an ЕГН typed into a form's personal field are read as personal data, not aloud."""
    c = blind
    start_by_ear(c)
    c.choose("Моите заявления")
    c.wait_screen("dossier")
    mark = c.mark()
    c.place_card("valid")
    c.qtbot.waitUntil(lambda: "Личната карта е прочетена." in c.heard_since(mark), timeout=5000)
    for _ in range(12):  # every stop of the screen, the card's line among them
        c.key(K.Key_Down)
    assert not any("MARIYA" in e.text for e in c.speech.spoken if e.output == "speaker")
    assert "лични данни" in c.heard_since(mark), c.heard_since(mark)  # the card's line, as personal data

    c.key(K.Key_Escape)
    c.wait_screen("welcome")
    c.open_service("heirs-certificate")
    c.choose("Подай тук с личната си карта")
    c.wait_screen("identify")  # the welcome screen ended the identity: the card again
    c.place_card("valid")
    c.wait_screen("request_form")
    c.find("ЕГН на починалия, поле")
    mark = c.mark()
    c.type_digits("4402126540")
    typed = c.heard()[mark:]
    assert typed and all(t == "звезда" for t in typed), typed
    c.key(K.Key_Up)
    c.key(K.Key_Down)  # back on the field: its value is personal data, not read on the speaker
    assert "4402126540" not in c.last() and "четири" not in c.last(), c.last()


def test_whose_card_is_in_is_reachable_in_the_header_by_keypad(blind):
    """A sighted citizen sees whose card the kiosk holds at the top of every screen; a blind one
    reaches the same line by arrowing: on the loudspeaker as personal data, the name in the headset."""
    c = blind
    start_by_ear(c)
    c.open_request_form("heirs-certificate")
    c.find("лични данни")  # the header's card line, heard without the name on the speaker
    assert c.speech.spoken[-1].output == "speaker"
    assert not any("MARIYA" in e.text for e in c.speech.spoken if e.output == "speaker")
    c.a11y.on_headset(True)
    c.qtbot.waitUntil(lambda: c.a11y.headset_plugged)
    c.key(K.Key_Up)
    c.key(K.Key_Down)
    assert c.last() == "Лична карта: MARIYA IVANOVA", c.heard()[-3:]
    assert c.speech.spoken[-1].output == "headset"


def test_a_card_read_on_the_welcome_screen_and_finish_are_both_said(blind):
    c = blind
    start_by_ear(c)
    mark = c.mark()
    c.place_card("valid")
    c.qtbot.waitUntil(lambda: "Личната карта е прочетена." in c.heard_since(mark), timeout=5000)
    assert not any("MARIYA" in e.text for e in c.speech.spoken if e.output == "speaker")
    mark = c.mark()
    c.choose("Край")
    c.qtbot.waitUntil(lambda: "Приключихте. Личните ви данни са изтрити." in c.heard_since(mark), timeout=5000)
    assert not c.app.a11y.speech_mode
