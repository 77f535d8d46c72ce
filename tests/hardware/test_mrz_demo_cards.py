"""The demo data's ID cards (server_sync/hub/data/demo.toml) behave as their `kind` says under our parser."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from hardware.idcard import IdDocument, MrzError, parse_mrz

DEMO = Path(__file__).resolve().parents[2] / "server_sync" / "hub" / "data" / "demo.toml"
# Fixed so the test does not start failing when the demo's cards reach their real expiry dates.
TODAY = dt.date(2026, 11, 22)
EXPECTED_CODE = {"expired": "expired", "bad_check_digit": "check_digit_document_number"}


def demo_cards():
    if not DEMO.exists():
        return []
    return tomllib.loads(DEMO.read_text(encoding="utf-8")).get("id_cards", [])


@pytest.mark.skipif(not demo_cards(), reason="demo.toml with [[id_cards]] not present")
@pytest.mark.parametrize("card", demo_cards(), ids=lambda card: f"{card.get('kind')}-{card['mrz'][2][:12]}")
def test_demo_card_kind_matches_parser(card):
    text = "\n".join(card["mrz"])
    if card["kind"] == "valid":
        document = parse_mrz(text, today=TODAY)
        assert isinstance(document, IdDocument)
        assert document.egn_kind == "egn" and document.issuing_state == "BGR"
    else:
        with pytest.raises(MrzError) as err:
            parse_mrz(text, today=TODAY)
        assert err.value.code == EXPECTED_CODE.get(card["kind"], err.value.code)
