"""Search that finds Bulgarian word forms and small typos, on the shipped catalogue."""

from __future__ import annotations

import pytest

from kiosk.state.search import SearchIndex, fold, stem
from server_sync.hub.catalogue_store import SHIPPED_CATALOGUE, load_catalogue_path


def service_entries(cat):
    """The texts the kiosk indexes per service, in KioskState.search_services' order."""
    units = {u.id: u.name.bg for u in cat.units}
    return [(s.id, [s.name.bg, s.name.en, s.description.bg, s.description.en, *s.keywords,
                    s.iisda_code or "", units.get(s.unit_id, "")]) for s in cat.services]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue_path(SHIPPED_CATALOGUE)


@pytest.fixture(scope="module")
def index(catalogue):
    return SearchIndex(service_entries(catalogue))


def found(index, query):
    return [h.item for h in index.search(query)]


@pytest.mark.parametrize("forms", [
    ("данък", "данъци", "данъчна", "данъка", "данъчната"),
    ("удостоверение", "удостоверения", "удостоверението"),
    ("адрес", "адресна", "адреси", "адреса"),
    ("наследници", "наследник"),
])
def test_word_forms_stem_alike(forms):
    assert len({stem(fold(f)) for f in forms}) == 1, {f: stem(fold(f)) for f in forms}


@pytest.mark.parametrize(("queries", "must_find"), [
    # real queries: every form of a word finds the same services
    (("данък", "данъци", "данъчна", "danak", "данак"), {"no-tax-debts", "tax-valuation", "property-tax-declaration"}),
    (("удостоверение", "удостоверения", "удостоверние"), {"heirs-certificate", "current-address", "tax-valuation"}),
    (("адрес", "адресна", "адреси"), {"permanent-address", "current-address", "address-history"}),
    (("наследници", "наследник", "nasledn"), {"heirs-certificate"}),
])
def test_real_queries_find_the_same_services_in_every_form(index, queries, must_find):
    results = {q: set(found(index, q)) for q in queries}
    first = results[queries[0]]
    assert must_find <= first, (queries[0], first)
    for q, hits in results.items():
        assert hits == first, (q, sorted(hits ^ first))


def test_colloquial_word_finds_the_official_one_through_keywords():
    """"боклук" (rubbish) finds a service whose keywords say "сметосъбиране"."""
    entries = [
        ("waste-fee", ["Такса за битови отпадъци", "Household waste fee", "Годишна такса.", "", "сметосъбиране"]),
        ("sketch", ["Скица за недвижим имот", "Sketch of a property", "Чертеж на имота.", ""]),
    ]
    index = SearchIndex(entries)
    assert found(index, "боклук") == ["waste-fee"]
    assert found(index, "боклука") == ["waste-fee"]
    assert found(index, "сметосъбирането") == ["waste-fee"]


def test_colloquial_word_on_the_shipped_catalogue(index):
    # the no-debts certificate covers the waste fee ("за имот, кола, смет")
    assert "no-tax-debts" in found(index, "боклук")


def test_titles_rank_above_descriptions(index, catalogue):
    hits = found(index, "данък")
    by_id = {s.id: s for s in catalogue.services}
    in_title = [h for h in hits if "данъ" in by_id[h].name.bg.lower()]
    elsewhere = [h for h in hits if h not in in_title]
    assert in_title and elsewhere
    assert hits[: len(in_title)] == in_title, hits
    # two words: both must match, the title's match first
    assert found(index, "настоящ адрес")[:2] == ["current-address-new", "current-address"] or \
        set(found(index, "настоящ адрес")[:2]) == {"current-address-new", "current-address"}


def test_unrelated_and_short_words_find_nothing_wrong(index):
    assert found(index, "xyzzy") == []
    assert found(index, "   ") == []
    # "grao" is the civil registry's short name, not a typo of a word starting "gra…"
    assert all(h in {s for s, _ in service_entries(load_catalogue_path(SHIPPED_CATALOGUE))} for h in found(index, "grao"))


def test_the_citizen_types_a_word_form_on_the_catalogue_screen(kiosk):
    """Typed on the screen's own keyboard: "данъци" lists the same services as "данък"."""
    kiosk.tap("Услуги и удостоверения")
    kiosk.go("catalogue")
    screen = kiosk.screen()
    listed = {}
    for query in ("данък", "данъци", "данъчна"):
        kiosk.type_into(screen.search, query)
        kiosk.qtbot.waitUntil(lambda: screen.search.text() == query)
        listed[query] = {t for t in kiosk.visible_texts(screen.list_layout.parentWidget())
                         if t and t != query}
    assert listed["данък"] == listed["данъци"] == listed["данъчна"], listed
    names = listed["данък"]
    assert any("данъчна оценка" in t for t in names) and any("задължения" in t for t in names), names


def test_a_change_of_address_is_found_in_the_words_citizens_use(index, catalogue):
    """"смяна на адрес" (what people say) finds the services the catalogue calls "промяна"."""
    address_changes = {s.id for s in catalogue.services if "промяна" in s.name.bg.lower() and "адрес" in s.name.bg.lower()}
    assert address_changes, "the shipped catalogue has a change-of-address service"
    for query in ("смяна на адрес", "смяна адрес", "сменя адреса"):
        assert address_changes & set(found(index, query)), query
