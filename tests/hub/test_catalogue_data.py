"""The shipped catalogue and demo data: valid, complete, fees as published, and errors a clerk can act on."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.bg import egn as stdnum_egn

from server_sync.hub.catalogue_file import CatalogueFileError, load_catalogue_file
from server_sync.hub.demo_data import (
    IdCardKind,
    check_demo_against_catalogue,
    load_demo_file,
)
from server_sync.protocol import CatalogueData, FieldType, Tier, bgn_to_eur

DATA = Path(__file__).resolve().parents[2] / "server_sync" / "hub" / "data"
CATALOGUE = DATA / "catalogue.toml"
DEMO = DATA / "demo.toml"

# IISDA codes from /work/shared/catalogue-facts.md (the table's first column).
FACTS_IISDA = {
    "2016", "2079", "2128", "2074", "1997", "2056", "2109", "2036", "2057", "2052", "2076",
    "2037", "2034", "2038", "2000", "2033", "1998", "2013", "9401", "2027", "2083", "2084",
    "2063", "2062", "1989", "2100", "2099", "1986", "1996", "2012", "1988", "2134", "2133", "2",
}

# Published fees in levs (the facts' table), per tier; the catalogue must hold the euro
# amount at 1.95583, rounded to the cent.
FACTS_FEES_BGN = {
    "2016": {"ordinary": "5", "fast": "7.50", "express": "10"},
    "2079": {"ordinary": "5", "fast": "10", "express": "15"},
    "2128": {"ordinary": "5"},
    "2074": {"ordinary": "2"},
    "2109": {"ordinary": "5"},
    "2057": {"ordinary": "3", "fast": "4", "express": "5"},
    "2076": {"ordinary": "4", "fast": "5", "express": "6"},
    "2037": {"ordinary": "4", "fast": "6", "express": "8"},
    "2034": {"ordinary": "4", "fast": "8", "express": "12"},
    "2038": {"ordinary": "2", "fast": "4", "express": "6"},
    "1998": {"ordinary": "2", "fast": "5"},
    "2013": {"ordinary": "15", "fast": "22.50", "express": "30"},
    "2027": {"ordinary": "30", "fast": "45", "express": "60"},
    "2083": {"ordinary": "40", "fast": "60"},
    "1989": {"ordinary": "50"},
    "1988": {"ordinary": "15"},
    "2134": {"ordinary": "3"},
    "2133": {"ordinary": "3"},
    "2052": {"ordinary": "0"},
    "2": {"ordinary": "0"},
}

# Values the facts mark "?": the catalogue must not invent them.
FACTS_UNKNOWN_FEE = {"2056", "2036", "2062", "2099", "1986", "1996", "2012", "2084", "2063"}


@pytest.fixture(scope="module")
def catalogue() -> CatalogueData:
    return load_catalogue_file(CATALOGUE)


@pytest.fixture(scope="module")
def demo():
    return load_demo_file(DEMO)


def by_iisda(catalogue: CatalogueData) -> dict:
    return {s.iisda_code: s for s in catalogue.services}


# --- the catalogue ---------------------------------------------------------------------------


def test_shipped_catalogue_validates_and_has_every_part(catalogue):
    assert catalogue.municipality.tracking_base_url == "http://localhost:8750/t/"
    assert "{seq" in catalogue.municipality.number_format
    assert len(catalogue.signal_categories) == 11
    assert len(catalogue.hotlines) >= 12
    assert len(catalogue.life_situations) >= 11
    assert any(o.kind == "mayoralty" for o in catalogue.offices)
    centre = next(o for o in catalogue.offices if o.kind == "citizen_centre")
    assert centre.counters and centre.timezone == "Europe/Sofia"
    assert {h.weekday for h in centre.opening_hours} == {0, 1, 2, 3, 4}
    assert catalogue.places


def test_at_least_30_services_with_iisda_codes_from_the_facts(catalogue):
    codes = [s.iisda_code for s in catalogue.services if s.iisda_code]
    assert len(set(codes) & FACTS_IISDA) >= 30
    assert not set(codes) - FACTS_IISDA, "a code not in the administrative register facts"
    assert len(codes) == len(set(codes))
    # iisda_code and local_code are different things and must not be confused.
    assert all(s.local_code and s.local_code != s.iisda_code for s in catalogue.services)


def test_every_text_is_bilingual(catalogue):
    for s in catalogue.services:
        for text in [s.name, s.description, *s.required_documents, s.legal_basis, s.where]:
            assert text is not None and text.bg and text.en, s.id
        for field in s.form_fields:
            assert field.label.bg and field.label.en, f"{s.id}.{field.name}"
    for item in [*catalogue.signal_categories, *catalogue.hotlines, *catalogue.units,
                 *catalogue.life_situations, *catalogue.offices, *catalogue.places]:
        assert item.name.bg and item.name.en, item.id


@pytest.mark.parametrize("code,fees", sorted(FACTS_FEES_BGN.items()))
def test_fees_are_the_published_levs_in_euro(catalogue, code, fees):
    service = by_iisda(catalogue)[code]
    assert {t.tier.value for t in service.tiers} == set(fees)
    for tier, bgn in fees.items():
        assert service.tier(tier).fee_eur == bgn_to_eur(bgn), f"{service.id} {tier}"


def test_known_conversions_from_the_facts():
    assert bgn_to_eur("3") == Decimal("1.53")
    assert bgn_to_eur("5") == Decimal("2.56")
    assert bgn_to_eur("10") == Decimal("5.11")


@pytest.mark.parametrize("code", sorted(FACTS_UNKNOWN_FEE))
def test_unconfirmed_fees_are_left_unset_with_a_note(catalogue, code):
    service = by_iisda(catalogue)[code]
    ordinary = service.tier(Tier.ORDINARY)
    assert ordinary.fee_eur is None
    assert ordinary.fee_note is not None and ordinary.fee_note.bg and ordinary.fee_note.en


def test_deadlines_follow_the_facts(catalogue):
    heirs = by_iisda(catalogue)["2016"]
    assert [(t.deadline.unit.value, t.deadline.amount) for t in heirs.tiers] == [
        ("working_days", 7), ("working_days", 3), ("hours", 24)]
    assert by_iisda(catalogue)["2074"].tier("ordinary").deadline.unit.value == "immediate"
    assert by_iisda(catalogue)["2"].tier("ordinary").deadline.amount == 14
    assert by_iisda(catalogue)["2056"].tier("ordinary").deadline is None


def test_heirs_certificate_form_is_what_the_office_needs(catalogue):
    heirs = by_iisda(catalogue)["2016"]
    fields = {f.name: f for f in heirs.form_fields}
    assert fields["deceased_egn"].type == FieldType.EGN and fields["deceased_egn"].required
    assert fields["date_of_death"].type == FieldType.DATE
    assert fields["purpose"].type == FieldType.CHOICE and len(fields["purpose"].choices) >= 2
    assert (fields["copies"].min_value, fields["copies"].max_value) == (1, 10)
    assert fields["phone"].personal and fields["email"].personal
    assert heirs.keep_egn


def test_clear_egn_kept_only_for_civil_registration(catalogue):
    grao = {s.id for s in catalogue.services if s.unit_id == "grao"}
    keep = {s.id for s in catalogue.services if s.keep_egn}
    assert keep and keep <= grao


def test_anonymous_signals_follow_the_apk(catalogue):
    # АПК: no proceedings on anonymous signals; some categories need an identified citizen.
    allowed = {c.id: c.anonymous_allowed for c in catalogue.signal_categories}
    assert True in allowed.values() and False in allowed.values()


def test_hotlines_include_112_and_civil_registration(catalogue):
    phones = {h.phone for h in catalogue.hotlines}
    assert "112" in phones
    assert any(h.unit_id == "grao" for h in catalogue.hotlines)
    assert any(h.unit_id == "local-taxes" for h in catalogue.hotlines)


def test_json_and_toml_give_the_same_catalogue(catalogue, tmp_path):
    json_file = tmp_path / "catalogue.json"
    json_file.write_text(catalogue.model_dump_json(), encoding="utf-8")
    assert load_catalogue_file(json_file) == catalogue


# --- errors a clerk can act on -------------------------------------------------------------


def _broken(tmp_path: Path, old: str, new: str, name: str = "catalogue.toml") -> Path:
    text = CATALOGUE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_bad_fee_names_the_service_tier_and_field(tmp_path):
    path = _broken(tmp_path, "fee_eur = 3.83 },", "fee_eur = -3.83 },")
    with pytest.raises(CatalogueFileError) as info:
        load_catalogue_file(path)
    assert "services[heirs-certificate].tiers[1].fee_eur:" in str(info.value)
    assert "-3.83" in str(info.value)
    assert len(info.value.problems) == 1


def test_bad_form_field_type_names_the_field(tmp_path):
    path = _broken(tmp_path, 'type = "egn", required = true }', 'type = "ЕГН", required = true }')
    with pytest.raises(CatalogueFileError) as info:
        load_catalogue_file(path)
    assert "services[heirs-certificate].form_fields[deceased_egn].type:" in str(info.value)


def test_unknown_unit_is_reported_by_entry(tmp_path):
    path = _broken(tmp_path, 'unit_id = "transport"\nlife', 'unit_id = "trasnport"\nlife')
    with pytest.raises(CatalogueFileError) as info:
        load_catalogue_file(path)
    assert "services[disabled-parking-card].unit_id: unknown unit 'trasnport'" in info.value.problems


def test_toml_syntax_error_gives_the_line(tmp_path):
    text = CATALOGUE.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.startswith('number_index = '))
    lines[target] = 'number_index = "94'  # unterminated string
    path = tmp_path / "catalogue.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogueFileError) as info:
        load_catalogue_file(path)
    assert f"line {target + 1}" in str(info.value)


def test_json_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text('{\n  "municipality": {\n    "code": "x",,\n  }\n}', encoding="utf-8")
    with pytest.raises(CatalogueFileError, match="line 3"):
        load_catalogue_file(path)


@pytest.mark.parametrize("name,content,expected", [
    ("missing.toml", None, "file not found"),
    ("catalogue.yaml", "a: 1", "use .toml or .json"),
    ("latin1.toml", b"name = \"\xe1\xe0\"\n", "not UTF-8"),
    ("list.json", "[1, 2]", "top level"),
])
def test_unusable_files_are_refused_plainly(tmp_path, name, content, expected):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueFileError, match=expected):
        load_catalogue_file(path)


@pytest.mark.parametrize("old,new,expected", [
    ('pattern = "[А-Яа-яЍѝ \\\\-]+"', 'pattern = "[А-Я"',
     "services[heirs-certificate].form_fields[deceased_names].pattern: not a valid regular expression"),
    ('type = "number", required = true, min_value = 1, max_value = 10 },\n  { name = "phone", label = { bg = "Телефон за връзка", en = "Contact phone" }, type = "phone", personal = true },\n  { name = "email"',
     'type = "number", required = true, min_value = 10, max_value = 1 },\n  { name = "phone", label = { bg = "Телефон за връзка", en = "Contact phone" }, type = "phone", personal = true },\n  { name = "email"',
     "services[heirs-certificate].form_fields[copies].min_value: larger than max_value"),
    ('{ name = "copies", label = { bg = "Брой екземпляри", en = "Number of copies" }',
     '{ name = "purpose", label = { bg = "Брой екземпляри", en = "Number of copies" }',
     "services[heirs-certificate].form_fields[purpose]: the same field name twice"),
    ('{ weekday = 0, opens = "08:30", closes = "17:30" }', '{ weekday = 0, opens = "17:30", closes = "08:30" }',
     "offices[centre].opening_hours[0].closes: not after opens"),
    ('counters = ["gorno-selo-1"]', 'counters = ["counter-1"]',
     "offices[mayoralty-gorno-selo].counters: 'counter-1' is also in offices[centre]"),
    ('timezone = "Europe/Sofia"\ncounters = ["counter-1"', 'timezone = "Europe/Sofla"\ncounters = ["counter-1"',
     "offices[centre].timezone: unknown time zone 'Europe/Sofla'"),
])
def test_mistakes_the_wire_model_allows_are_still_caught(tmp_path, old, new, expected):
    with pytest.raises(CatalogueFileError) as info:
        load_catalogue_file(_broken(tmp_path, old, new))
    assert any(p.startswith(expected) for p in info.value.problems), info.value.problems


def test_missing_required_field_is_named(tmp_path):
    data = json.loads(load_catalogue_file(CATALOGUE).model_dump_json())
    del data["services"][0]["name"]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogueFileError) as info:
        load_catalogue_file(path)
    assert info.value.problems == [f"services[{data['services'][0]['id']}].name: Field required"]


# --- demo data -------------------------------------------------------------------------------

ICAO_WEIGHTS = (7, 3, 1)


def icao_check_digit(text: str) -> str:
    """ICAO 9303 check digit written independently of hardware.idcard: weights 7-3-1, '<' = 0."""
    total = 0
    for i, ch in enumerate(text):
        if ch == "<":
            value = 0
        elif ch.isdigit():
            value = int(ch)
        else:
            value = ord(ch) - ord("A") + 10
        total += value * ICAO_WEIGHTS[i % 3]
    return str(total % 10)


def td1_check_digits_ok(lines: list[str]) -> dict[str, bool]:
    l1, l2, _ = lines
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    return {
        "document_number": icao_check_digit(l1[5:14]) == l1[14],
        "birth_date": icao_check_digit(l2[0:6]) == l2[6],
        "expiry_date": icao_check_digit(l2[8:14]) == l2[14],
        "composite": icao_check_digit(composite) == l2[29],
    }


def test_icao_check_digit_reference_example():
    # ICAO 9303 part 3 worked example: document number "L898902C3" has check digit 6.
    assert icao_check_digit("L898902C3") == "6"
    assert icao_check_digit("740812") == "2"


def test_demo_file_validates_and_matches_the_catalogue(demo, catalogue):
    assert 4 <= len(demo.citizens) <= 6
    assert len(demo.consultations) == 3
    assert demo.requests and demo.counters
    assert check_demo_against_catalogue(demo, catalogue) == []
    statuses = {r.status.value for r in demo.requests}
    assert {"resolved", "in_progress", "pending"} <= statuses


def test_demo_egns_are_valid_and_match_the_person(demo):
    for citizen in demo.citizens:
        assert stdnum_egn.is_valid(citizen.egn), citizen.id
        assert stdnum_egn.get_birth_date(citizen.egn) == citizen.birth_date
    assert len({c.access_code for c in demo.citizens}) == len(demo.citizens)


def test_demo_cards_have_the_check_digits_they_claim(demo):
    kinds = {card.kind for card in demo.id_cards}
    assert kinds == set(IdCardKind)
    for card in demo.id_cards:
        l1, l2, _ = card.mrz
        assert l1.startswith("IDBGR") and all(len(line) == 30 for line in card.mrz)
        checks = td1_check_digits_ok(card.mrz)
        if card.kind == IdCardKind.BAD_CHECK_DIGIT:
            assert not all(checks.values()), card.id
            continue
        assert all(checks.values()), (card.id, checks)
        citizen = demo.citizen(card.citizen_id)
        assert l1[5:14] == citizen.document_number
        assert l2[18:28] == citizen.egn  # ЕГН at positions 19–28 of line 2
        expiry = date(2000 + int(l2[8:10]), int(l2[10:12]), int(l2[12:14]))
        assert expiry == citizen.document_expiry
        assert (expiry < date(2026, 11, 22)) == (card.kind == IdCardKind.EXPIRED), card.id


def test_demo_cards_read_by_the_kiosk_parser(demo):
    idcard = pytest.importorskip("hardware.idcard")
    today = date(2026, 11, 22)
    for card in demo.id_cards:
        if card.kind == IdCardKind.VALID:
            doc = idcard.parse_mrz(card.mrz_text, today=today)
            assert doc.document_number == demo.citizen(card.citizen_id).document_number
        else:
            with pytest.raises(idcard.MrzError):
                idcard.parse_mrz(card.mrz_text, today=today)


def test_demo_bad_egn_is_refused_by_name(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace('egn = "4803151938"', 'egn = "4803151937"', 1)
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueFileError) as info:
        load_demo_file(path)
    assert any(p.startswith("citizens[maria].egn:") for p in info.value.problems)


def test_demo_reference_to_unknown_citizen_is_refused(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace('citizen_id = "elena"\nsignal', 'citizen_id = "elen"\nsignal', 1)
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueFileError, match=r"requests\[demo-pothole-elena\]\.citizen_id: unknown citizen 'elen'"):
        load_demo_file(path)


def test_demo_request_forms_pass_the_kiosk_validation(demo, catalogue):
    # The kiosk checks a form before filing it; the demo's already-filed forms must pass the same rules.
    forms = pytest.importorskip("kiosk.state.forms")
    services = {s.id: s for s in catalogue.services}
    checked = 0
    for request in demo.requests:
        if request.service_id is None:
            continue
        fields = [f for f in services[request.service_id].form_fields if not f.personal]
        types = {f.name: f.type for f in fields}
        # What a citizen types: dates as ДД.ММ.ГГГГ, numbers as text; the kiosk stores ISO dates.
        typed = {k: date.fromisoformat(v).strftime("%d.%m.%Y") if types.get(k) == FieldType.DATE else str(v)
                 for k, v in request.form.items()}
        clean, errors = forms.validate_form(fields, typed)
        assert errors == [], (request.id, errors)
        assert clean == request.form
        checked += 1
    assert checked >= 2


def test_kiosk_form_validation_refuses_a_bad_heirs_form(catalogue):
    forms = pytest.importorskip("kiosk.state.forms")
    heirs = by_iisda(catalogue)["2016"]
    fields = [f for f in heirs.form_fields if not f.personal]
    good = {"deceased_names": "Петър Иванов Иванов", "deceased_egn": "4402126540",
            "date_of_death": "28.10.2026", "purpose": "notary", "copies": "2"}
    assert forms.validate_form(fields, good)[1] == []
    for name, bad in [("deceased_egn", "4402126541"), ("copies", "11"), ("purpose", "lottery"),
                      ("deceased_names", "Peter Ivanov")]:
        _, errors = forms.validate_form(fields, {**good, name: bad})
        assert len(errors) == 1, (name, errors)
