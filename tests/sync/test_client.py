"""HubClient: what counts as an answer (strictly), error types; the kiosk's immediate delivery (server_sync.delivery)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest

from server_sync.client import (
    ClientIdConflict,
    HubClient,
    HubServerError,
    HubTimeout,
    HubUnreachable,
    NotJsonResponse,
    TokenRefused,
    TruncatedResponse,
    UnexpectedBody,
)
from server_sync.connect import client_for_store
from server_sync.delivery import deliver_now, send
from server_sync.protocol import HeartbeatRequest, PressFields
from server_sync.store import Store

from .conftest import fixture_json, minimal_catalogue

PORTAL = b"<html><head><title>Municipal Wi-Fi</title></head><body>Accept the terms</body></html>"


def _client(handler) -> HubClient:
    return HubClient("http://hub.test", "tok", transport=httpx.MockTransport(handler))


def _heartbeat() -> HeartbeatRequest:
    return HeartbeatRequest(terminal_time=datetime.now(timezone.utc), seq=1, software_version="0.1.0",
                            uptime_s=5, queue_depth=0)


def _json(status: int, body: dict, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def test_a_valid_answer_is_parsed_and_carries_the_token() -> None:
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["auth"] = request.headers["Authorization"]
        return _json(200, fixture_json("heartbeat_response.json"))

    answer = _client(handler).heartbeat(_heartbeat())
    assert answer.hub_epoch and seen["auth"] == "Bearer tok"


@pytest.mark.parametrize("response, error", [
    (httpx.Response(200, content=PORTAL, headers={"Content-Type": "text/html"}), NotJsonResponse),
    (httpx.Response(302, headers={"Location": "http://portal.local/login"}), HubServerError),
    (httpx.Response(200, content=b'{"schema_version": 1, "server_ti',
                    headers={"Content-Type": "application/json"}), TruncatedResponse),
    (httpx.Response(200, json={"status": "ok"}), UnexpectedBody),
    (httpx.Response(502, content=b"<h1>Bad Gateway</h1>", headers={"Content-Type": "text/html"}), HubServerError),
    (httpx.Response(500, json={"error": {"code": "internal_error", "message": "x"}}), HubServerError),
    # A proxy's own 401 page must not be taken for a revoked token.
    (httpx.Response(401, content=b"<h1>Proxy login</h1>", headers={"Content-Type": "text/html"}), HubServerError),
    (httpx.Response(401, json={"error": {"code": "unauthorized", "message": "revoked"}}), TokenRefused),
])
def test_only_the_expected_json_counts(response: httpx.Response, error: type) -> None:
    with pytest.raises(error) as exc:
        _client(lambda _r: response).heartbeat(_heartbeat())
    assert exc.value.transient == (error is not TokenRefused)


def test_transport_failures_are_distinct() -> None:
    def refuse(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(HubUnreachable) as exc:
        _client(refuse).health()
    assert not isinstance(exc.value, HubTimeout)
    with pytest.raises(HubTimeout):
        _client(slow).health()


def test_catalogue_304_and_etag() -> None:
    catalogue = minimal_catalogue("v9")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("If-None-Match") == '"v9"':
            return httpx.Response(304, headers={"ETag": '"v9"'})
        return httpx.Response(200, content=catalogue.model_dump_json(),
                              headers={"Content-Type": "application/json", "ETag": '"v9"'})

    client = _client(handler)
    got, etag = client.catalogue()
    assert got.version == "v9" and etag == '"v9"'
    assert client.catalogue(etag) is None


def test_receipt_for_another_client_id_is_refused(enrolled_store: Store) -> None:
    rec = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                                description="Дупка", anonymous=True)
    receipt = fixture_json("submission_receipt.json")  # a receipt for some other client id

    item = enrolled_store.claim_one(rec.client_id, owner="t")
    with pytest.raises(UnexpectedBody):
        send(_client(lambda _r: _json(201, receipt)), item)


def _receipt_handler(calls: list):
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(body["client_id"])
        receipt = fixture_json("submission_receipt.json")
        receipt.update(client_id=body["client_id"], kind=body["kind"], number="94-00042/22.11.2026",
                       provisional_ref=body["provisional_ref"])
        return _json(201, receipt)
    return handler


def test_deliver_now_uses_the_same_client_id_and_marks_delivered(enrolled_store: Store) -> None:
    rec = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                                description="Дупка", anonymous=True)
    calls: list = []
    client = _client(_receipt_handler(calls))
    result = deliver_now(enrolled_store, client, rec.client_id, timeout_s=3)
    assert result.delivered and result.number == "94-00042/22.11.2026"
    assert calls == [str(rec.client_id)]
    assert enrolled_store.submission(rec.provisional_ref)["number"] == "94-00042/22.11.2026"
    assert enrolled_store.queue_stats().depth == 0
    # Nothing left for the agent, and a second immediate call sends nothing.
    assert enrolled_store.claim(["signal"], 10, owner="agent") == []
    again = deliver_now(enrolled_store, client, rec.client_id)
    assert again.delivered and again.number == result.number and len(calls) == 1


def test_deliver_now_failure_leaves_the_row_for_the_agent(enrolled_store: Store) -> None:
    rec = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                                description="Дупка", anonymous=True)
    portal = _client(lambda _r: httpx.Response(200, content=PORTAL, headers={"Content-Type": "text/html"}))
    result = deliver_now(enrolled_store, portal, rec.client_id)
    assert not result.delivered and isinstance(result.error, NotJsonResponse)
    items = enrolled_store.claim(["signal"], 10, owner="agent")
    assert [i.client_id for i in items] == [rec.client_id] and items[0].attempts == 1


def test_deliver_now_does_not_send_a_row_the_agent_holds(enrolled_store: Store) -> None:
    rec = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                                description="Дупка", anonymous=True)
    enrolled_store.claim(["signal"], 1, owner="agent")
    calls: list = []
    result = deliver_now(enrolled_store, _client(_receipt_handler(calls)), rec.client_id, timeout_s=0.2)
    assert not result.delivered and calls == []


def test_conflict_rejects_the_row_for_good(enrolled_store: Store) -> None:
    rec = enrolled_store.submit("signal", signal_category_id="roads", signal_type="problem",
                                description="Дупка", anonymous=True)
    conflict = _json(409, {"error": {"code": "client_id_conflict", "message": "used", "field": "client_id"}})
    result = deliver_now(enrolled_store, _client(lambda _r: conflict), rec.client_id)
    assert isinstance(result.error, ClientIdConflict)
    assert enrolled_store.outbox_row(rec.client_id)["state"] == "rejected"
    assert enrolled_store.queue_stats().rejected == 1


def test_a_gzipped_answer_is_not_mistaken_for_a_truncated_one() -> None:
    import gzip

    body = json.dumps(fixture_json("heartbeat_response.json")).encode()
    packed = gzip.compress(body)
    response = httpx.Response(200, content=packed, headers={
        "Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": str(len(packed))})
    assert _client(lambda _r: response).heartbeat(_heartbeat()).hub_epoch


def test_presses_sent_from_stored_json_form_a_valid_batch(store: Store) -> None:
    from server_sync.protocol import FeedbackBatch

    for score in (1, 4):
        store.record_press(PressFields(score, counter_id="c1"))
    items = store.claim(["press"], 10, owner="t")
    seen = []

    def hub(request: httpx.Request) -> httpx.Response:
        seen.append(FeedbackBatch.model_validate_json(request.content))
        return _json(200, {"schema_version": 1, "accepted": 2, "duplicates": 0})

    _client(hub).send_feedback_json([i.payload_json for i in items])
    assert [p.press_id for p in seen[0].presses] == [i.client_id for i in items]
    assert [p.score for p in seen[0].presses] == [1, 4]
    with pytest.raises(UnexpectedBody):  # an answer that does not account for every press
        _client(lambda _r: _json(200, {"schema_version": 1, "accepted": 1, "duplicates": 0})) \
            .send_feedback_json([i.payload_json for i in items])
    with pytest.raises(ValueError):
        _client(hub).send_feedback_json([])


def test_client_for_store_follows_the_hub_section_like_the_agent(enrolled_store: Store, tmp_path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The kiosk builds its client with `client_for_store`: a `[hub] url` override and a municipality's
    own CA (`ca_file`) must apply to it as they do to the agent, or the kiosk's immediate
    delivery and tracking fail where the agent gets through."""
    from server_sync.config import HubSection

    ca = tmp_path / "ca.pem"
    ca.write_text("not a real certificate")
    client = client_for_store(enrolled_store, HubSection(url="https://hub.internal", timeout_s=7),
                                 transport=httpx.MockTransport(lambda r: httpx.Response(204)))
    assert client.base_url == "https://hub.internal" and client.timeout.read == 7
    assert client.token == "eob_t_test"
    client.close()
    # From the terminal config file when the caller passes no section; ca_file is the CA
    # the client trusts.
    import ssl

    import certifi

    import server_sync.connect as client_module

    loaded = []
    real_context = ssl.create_default_context

    def spy(*args, **kw):
        loaded.append(kw.get("cafile"))
        return real_context(*args, **kw)

    monkeypatch.setattr(client_module.ssl, "create_default_context", spy)
    config = tmp_path / "terminal.toml"
    config.write_text(f'[hub]\nurl = "https://hub.internal"\nca_file = "{certifi.where()}"\n', encoding="utf-8")
    monkeypatch.setenv("EOBSHTINA_CONFIG", str(config))
    client = client_for_store(enrolled_store)
    assert client.base_url == "https://hub.internal" and loaded == [certifi.where()]
    client.close()
    # A CA file that cannot be loaded does not raise into the kiosk (its request is stored
    # already): the client falls back to the system CAs and the agent delivers later.
    config.write_text(f'[hub]\nca_file = "{ca}"\n', encoding="utf-8")
    client = client_for_store(enrolled_store)
    assert client.base_url == "http://127.0.0.1:9"
    client.close()
    config.write_text(f'[hub]\nurl = "https://hub.internal"\nca_file = "{certifi.where()}"\n', encoding="utf-8")
    # Explicit keyword arguments still win (the kiosk's short UI timeouts, a test transport).
    client = client_for_store(enrolled_store, verify=False, timeout_s=5.0)
    assert client.base_url == "https://hub.internal" and client.timeout.read == 5.0
    client.close()
    # A broken config file does not take the kiosk's online calls down with it.
    config.write_text("[hub\n", encoding="utf-8")
    client = client_for_store(enrolled_store, transport=httpx.MockTransport(lambda r: httpx.Response(204)))
    assert client.base_url == "http://127.0.0.1:9"
    client.close()
