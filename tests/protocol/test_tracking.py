"""The tracking link is built in one place and reads back to what was put in."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from server_sync.protocol.tracking import parse_tracking_url, tracking_url

BASE = "https://obshtina.example/t/"


def test_a_number_with_a_slash_is_one_quoted_path_segment():
    url = tracking_url(BASE, "94-00012/05.01.2026", "AB12CD")
    assert url == "https://obshtina.example/t/94-00012%2F05.01.2026?code=AB12CD"
    assert parse_tracking_url(url) == ("94-00012/05.01.2026", "AB12CD")


@given(reference=st.text(min_size=1, max_size=40).filter(lambda s: s == s.strip()),
       code=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789&=#? ", min_size=1, max_size=12)
       .filter(lambda s: s == s.strip()))
def test_whatever_goes_in_comes_back_out(reference, code):
    assert parse_tracking_url(tracking_url(BASE, reference, code)) == (reference, code)


def test_not_a_tracking_link_is_none():
    assert parse_tracking_url("garbage") is None
    assert parse_tracking_url(BASE + "K01-000001") is None
    assert parse_tracking_url("https://obshtina.example/x/K01?code=A") is None


def test_the_kiosk_builds_a_waiting_receipts_link_quoted():
    """The kiosk's QR for a receipt still waiting in its outbox used to be built unquoted."""
    from kiosk.state.tracking import tracking_qr_text

    state = SimpleNamespace(catalogue=SimpleNamespace(municipality=SimpleNamespace(tracking_base_url=BASE)))
    receipt = SimpleNamespace(tracking_url=None, reference="K01-000001/x", tracking_code="AB 12")
    assert tracking_qr_text(state, receipt) == tracking_url(BASE, "K01-000001/x", "AB 12")
    assert parse_tracking_url(tracking_qr_text(state, receipt)) == ("K01-000001/x", "AB 12")
