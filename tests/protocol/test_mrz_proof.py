"""The hub's MRZ check (server_sync.protocol.mrz_proof) agrees with the kiosk's reader
(hardware.idcard.mrz) on the demo's cards, and a change of any one character breaks the proof."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from hardware.idcard.mrz import MrzError, compose_td1, parse_mrz
from server_sync.protocol.mrz_proof import icao_check_digit, mrz_facts

DEMO = Path(__file__).resolve().parents[2] / "server_sync" / "hub" / "data" / "demo.toml"
CARDS = tomllib.loads(DEMO.read_text(encoding="utf-8"))["id_cards"]
TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize("card", CARDS, ids=[c["id"] for c in CARDS])
def test_agrees_with_the_kiosks_reader(card):
    text = "\n".join(card["mrz"])
    try:
        doc = parse_mrz(text, TODAY, allow_expired=True)
    except MrzError:
        doc = None
    facts = mrz_facts(text)
    if doc is None:
        assert facts is None or facts.personal_number is None, card["id"]
    else:
        assert facts is not None and facts.document_number == doc.document_number, card["id"]
        assert facts.personal_number == doc.egn, card["id"]


def test_any_changed_character_breaks_the_proof():
    text = compose_td1("648201517", "4803151938")
    assert tuple(mrz_facts(text)) == ("648201517", "4803151938")
    lines = text.split("\n")
    # Not covered by any check digit in TD1: the document code and issuing state (line 1, 1-5), the
    # sex and the nationality (line 2, 8 and 16-18), the names (line 3).
    uncovered = {0: set(range(5)), 1: {7, 15, 16, 17}}
    for li in (0, 1):
        for pos, ch in enumerate(lines[li]):
            # ICAO weighs "<", "0", "A", "K"… alike (their values are equal mod 10): a swap among
            # them changes no check digit. Any other change must break the proof.
            for other in "73Q":
                if icao_check_digit(other) == icao_check_digit(ch) or pos in uncovered[li]:
                    continue
                changed = list(lines)
                changed[li] = lines[li][:pos] + other + lines[li][pos + 1:]
                facts = mrz_facts("\n".join(changed))
                assert facts is None or tuple(facts) != ("648201517", "4803151938"), (li, pos, other)


def test_shapes_and_characters():
    assert mrz_facts("") is None
    assert mrz_facts("IDBGR6482015172<<<<<<<<<<<<<<<") is None  # one line
    assert mrz_facts(compose_td1("648201517", "4803151938").lower()) is None
    assert mrz_facts(compose_td1("648201517", "4803151938").replace("\n", "\r\n")) is None
