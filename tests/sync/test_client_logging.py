"""The hub client never writes a citizen's tracking code into the terminal's logs."""

import logging

import httpx

from server_sync.client import HubClient


def test_tracking_code_is_not_logged(caplog):
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "no such request"}})

    client = HubClient("http://hub.invalid", transport=httpx.MockTransport(answer))
    with caplog.at_level(logging.DEBUG):
        try:
            client.track("94-00042/20.11.2026", "SECRETCD")
        except Exception:
            pass
    assert "SECRETCD" not in caplog.text
