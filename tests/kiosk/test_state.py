"""Kiosk state without widgets: search, form validation, session timing, config, touch targets."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import ConfigError, load_kiosk_settings
from kiosk.demo_catalogue import demo_catalogue
from kiosk.state.forms import validate_form
from kiosk.state.kiosk_state import KioskSettings, identity_refusal
from kiosk.state.search import SearchIndex, fold, transliterate
from kiosk.state.session import Session, SessionTimeouts
from server_sync.protocol.tracking import parse_tracking_url


@pytest.mark.parametrize("cyrillic, latin", [
    ("София", "sofia"), ("Щастие", "shtastie"), ("Цанко", "tsanko"), ("Юлия", "yulia"),
    ("Жълтица", "zhaltitsa"), ("Георгиев", "georgiev"), ("Йорданка", "yordanka"), ("ь", "y"),
])
def test_transliteration_follows_the_act(cyrillic, latin):
    assert transliterate(cyrillic) == latin


@pytest.fixture(scope="module")
def index():
    cat = demo_catalogue()
    return SearchIndex((s.id, [s.name.bg, s.name.en, *s.keywords]) for s in cat.services)


@pytest.mark.parametrize("query, expected", [
    ("udostoverenie za naslednitsi", "heirs-certificate"),
    ("naslednitsi", "heirs-certificate"),
    ("nasledn", "heirs-certificate"),
    ("naslednici", "heirs-certificate"),
    ("наследнци", "heirs-certificate"),  # a letter missing
    ("udostovernie nasledници", "heirs-certificate"),
    ("skica", "property-sketch"),
    ("скица", "property-sketch"),
    ("zadalzheniya", "no-debts"),
    ("heirs", "heirs-certificate"),
])
def test_search_finds_cyrillic_from_latin_and_tolerates_typos(index, query, expected):
    hits = [h.item for h in index.search(query)]
    assert hits and hits[0] == expected


def test_search_does_not_match_unrelated_words(index):
    assert index.search("xyzzy") == []
    assert index.search("   ") == []


@given(st.text(alphabet="абвгдежзийклмнопрстуфхцчшщъьюя ", min_size=1, max_size=30))
def test_folding_cyrillic_gives_plain_latin(text):
    assert all(ch in "abcdefghijklmnopqrstuvwxyz0123456789 " for ch in fold(text))


@pytest.fixture
def switch(qapp):
    """The kiosk's language switch: "bg" installs the Bulgarian catalogue, "en" removes it."""
    from kiosk.i18n import LanguageSwitcher

    switch = LanguageSwitcher(qapp)
    yield switch
    switch("en")


def test_form_validation_names_the_field_in_both_languages(switch):
    """The error in the kiosk's language (its Qt catalogue), the label from the catalogue in `lang`."""
    service = next(s for s in demo_catalogue().services if s.id == "heirs-certificate")
    switch("bg")
    clean, errors = validate_form(service.form_fields, {"deceased_egn": "7501020011", "phone": "abc"}, "bg")
    texts = {e.field: e.text() for e in errors}
    assert texts["deceased_name"] == "Име на починалия: полето е задължително"
    assert texts["deceased_egn"].startswith("ЕГН на починалия: невалидно ЕГН")
    assert "phone" in texts
    switch("en")
    _, errors_en = validate_form(service.form_fields, {}, "en")
    assert errors_en[0].text() == "Name of the deceased: this field is required"
    clean, errors = validate_form(service.form_fields,
                                  {"deceased_name": " Петър Колев ", "deceased_egn": "7501020018", "phone": "0888 123 456"})
    assert errors == [] and clean == {"deceased_name": "Петър Колев", "deceased_egn": "7501020018", "phone": "0888 123 456"}


@pytest.mark.parametrize("lang, choose, wrong", [("bg", "изберете една от възможностите", "неправилен формат"),
                                                 ("en", "choose one of the options", "wrong format")])
def test_choice_and_pattern_fields(switch, lang, choose, wrong):
    cat = demo_catalogue()
    switch(lang)
    no_debts = next(s for s in cat.services if s.id == "no-debts")
    assert validate_form(no_debts.form_fields, {"purpose": "bribe"}, lang)[1][0].message == choose
    sketch = next(s for s in cat.services if s.id == "property-sketch")
    assert validate_form(sketch.form_fields, {"plot": "'; drop table"}, lang)[1][0].message == wrong
    assert validate_form(sketch.form_fields, {"plot": "68134.501.12"}, lang)[1] == []


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_session_warns_extends_at_least_ten_times_then_times_out(qapp):
    clock = Clock()
    session = Session(SessionTimeouts(idle_seconds=60, warning_seconds=25, max_extensions=10), clock=clock)
    events = []
    session.warning.connect(lambda s: events.append(("warning", s)))
    session.timed_out.connect(lambda: events.append(("timeout",)))
    session.wiped.connect(lambda: events.append(("wiped",)))
    session.start()
    session.personal["phone"] = "0888"
    for n in range(10):
        clock.t += 59
        session.tick()
        assert not session.warning_active
        clock.t += 1
        session.tick()
        assert session.warning_active and events[-1] == ("warning", 25)
        clock.t += 24
        session.tick()
        assert events[-1] == ("warning", 1)
        session.touch()  # one touch extends
        assert session.extensions == n + 1 and not session.warning_active
    clock.t += 60
    session.tick()
    assert not session.can_extend and not session.extend()
    clock.t += 25
    session.tick()
    assert events[-2:] == [("timeout",), ("wiped",)]
    assert session.personal == {} and session.identity is None and not session.active


@pytest.mark.parametrize("kwargs", [{"warning_seconds": 19}, {"max_extensions": 9}, {"idle_seconds": 0}])
def test_timeouts_below_the_standard_are_refused(kwargs):
    with pytest.raises(ValueError):
        SessionTimeouts(**kwargs)


def test_config_errors_name_the_key_and_the_file(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_text("[kiosk]\nwarning_seconds = 10\n")
    with pytest.raises(ConfigError, match=r"terminal\.toml: kiosk\.warning_seconds: must be at least 20"):
        load_kiosk_settings(path)
    path.write_text("[kiosk]\nidle_secs = 10\n")
    with pytest.raises(ConfigError, match=r"terminal\.toml: kiosk\.idle_secs: unknown key"):
        load_kiosk_settings(path)
    path.write_text("[kiosk]\nidle_seconds = 45\nlanguage = 'en'\noffice_id = 'centre'\n")
    settings = load_kiosk_settings(path)
    assert (settings.timeouts.idle_seconds, settings.language, settings.office_id) == (45, "en", "centre")


def test_every_kiosk_key_the_schema_accepts_reaches_the_settings(tmp_path):
    # The first frame reads [kiosk] without pydantic (kiosk.config.kiosk_settings): a key the schema
    # (KioskSection) accepts but that reader skipped would be validated and then silently ignored.
    from kiosk.config import kiosk_settings
    from kiosk.config_model import KioskSection

    assert kiosk_settings({}) == KioskSettings()  # the defaults are the dataclasses' own
    values = {"office_id": "centre", "terminal_name": "Фоайе", "language": "en", "technician_pin": "2468",
              "technician_pin_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
              "badge_uids": ["$argon2id$v=19$x"], "idle_seconds": 120.0, "warning_seconds": 40.0,
              "max_extensions": 25, "screen_width_mm": 300.0, "screen_width_px": 1920, "screen_height_px": 1080,
              "screen_diagonal_in": 15.6, "viewing_distance_mm": 500.0, "ignore_repeat_seconds": 0.5}
    assert sorted(values) == sorted(KioskSection.model_fields)  # a new key gets a value here
    for key, value in values.items():
        section = KioskSection.model_validate({key: value}).model_dump(exclude_none=True)
        assert kiosk_settings(section) != KioskSettings(), f"kiosk.{key} is accepted but not read"
    del values["screen_width_mm"]  # given with the diagonal, the two must agree
    settings = kiosk_settings(KioskSection.model_validate(values).model_dump(exclude_none=True))
    assert settings.screen_width_mm == pytest.approx(15.6 * 25.4 * 1920 / (1920**2 + 1080**2) ** 0.5)
    assert (settings.timeouts.idle_seconds, settings.timeouts.max_extensions) == (120.0, 25)


def test_touch_targets_are_at_least_9_mm_on_the_configured_panel():
    # 10.1" 16:10 panel, 1280 px across 216.96 mm: 5.9 px/mm → 9 mm = 54 px
    assert KioskSettings().min_target_px == 54
    assert KioskSettings(screen_width_mm=154.2, screen_width_px=800).min_target_px == 47


def test_expired_document_is_refused_with_a_reason():
    doc = SimpleNamespace(expiry_date=date(2020, 1, 1), egn="7501020018")
    assert identity_refusal(doc, date(2026, 1, 1)) == "The document has expired."  # Bulgarian: test_i18n
    assert identity_refusal(SimpleNamespace(expiry_date=date(2030, 1, 1), egn="7501020018"), date(2026, 1, 1)) is None


def test_tracking_scan_parsing():
    assert parse_tracking_url("http://h/t/94-00012%2F05.01.2026?code=AB12CD") == ("94-00012/05.01.2026", "AB12CD")
    assert parse_tracking_url("garbage") is None
    assert parse_tracking_url("http://h/t/K01-000001") is None


def test_the_review_only_shows_and_the_state_files_the_applicant_and_prints_once(qtbot):
    """Building the review screen changes nothing; filing adds the card's applicant and prints
    the receipt once, when the outcome is known."""
    from hardware.idcard import parse_mrz
    from kiosk.simulated_backend import SimulatedBackend
    from kiosk.simulator import demo_cards
    from kiosk.state.backend import Draft
    from kiosk.state.kiosk_state import KioskState
    from kiosk.views.request import ReviewScreen

    backend = SimulatedBackend(demo_catalogue())
    filed, printed, receipts, errors = [], [], [], []
    real_submit = backend.submit
    backend.submit = lambda draft: (filed.append(draft), real_submit(draft))[1]
    state = KioskState(backend, KioskSettings(), printer=printed.append)
    state.accept_document(parse_mrz(demo_cards()["valid"], allow_expired=True))
    category = demo_catalogue().signal_categories[1].id
    draft = Draft(kind="signal", signal_type="problem", signal_category_id=category, description="Не свети лампата.")
    review = ReviewScreen(state, draft)
    qtbot.addWidget(review)
    assert draft.applicant is None, "the review screen filled in the applicant as it was built"
    assert any("MARIYA" in line.text().upper() for line in review.lines)  # but shows who files it
    state.submit(draft, receipts.append, errors.append)
    qtbot.waitUntil(lambda: bool(receipts or errors) and not state.tasks.busy)
    assert not errors and len(filed) == 1 and filed[0].applicant["egn"] == state.session.identity.egn
    assert printed == receipts and state.print_outcome(receipts[0]) is True
