"""Open311 GeoReport v2 on the hub: every endpoint in JSON and XML (XML parsed: well-formed, the
specification's element names), every error (404, 403, 400, 429) in GeoReport's shape, the round trip
POST → staff inbox → a clerk closes it with a public note → GET shows it closed with status_notes and in
the updates feed; API keys from the administrators' page and the CLI."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server_sync.hub.app import create_app
from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.models import AuditEntry, ServiceRequest
from server_sync.hub.open311 import keys as key_service
from server_sync.hub.open311.models import Open311Key
from server_sync.hub.testing import fixture_catalogue
from server_sync.protocol import CatalogueData

from .conftest import service_request as kiosk_request
from .conftest import signal as kiosk_signal
from .web_support import csrf_of, page_csrf, staff_client

V2 = "/open311/v2"
XSS = "<script>alert(1)</script>"
DECL = b'<?xml version="1.0" encoding="utf-8"?>'


def xml_of(response) -> ET.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8", response.headers["content-type"]
    assert response.content.startswith(DECL), response.content[:80]
    return ET.fromstring(response.content)


def json_of(response):
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    return response.json()


def assert_errors(response, status: int) -> str:
    """GeoReport's error list, in whichever format the path asked for."""
    assert response.status_code == status, response.text
    if response.headers["content-type"].startswith("text/xml"):
        root = xml_of(response)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"]
        assert [c.tag for c in root[0]] == ["code", "description"] and root[0].findtext("code") == str(status)
        return root[0].findtext("description")
    body = json_of(response)
    assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"code", "description"}
    assert body[0]["code"] == status and body[0]["description"]
    return body[0]["description"]


@pytest.fixture
def api_key(hub) -> str:
    with hub.sessions.begin() as s:
        _row, key = key_service.create(session=s, name="FixMyStreet", created_by="test")
    return key


def post(client, key: str | None, fmt: str = "json", **fields):
    data = {"service_code": "signal:potholes", "lat": "42.6977", "long": "23.3219",
            "description": "Дупка на кръстовището.", **fields}
    if key is not None:
        data["api_key"] = key
    return client.post(f"{V2}/requests.{fmt}", data={k: v for k, v in data.items() if v is not None})


def number_of(response) -> str:
    assert response.status_code == 201, response.text
    return json_of(response)[0]["service_request_id"]


# --- discovery, services, definitions ----------------------------------------------------------


def test_discovery_in_both_formats(client):
    body = json_of(client.get(f"{V2}/discovery.json"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml_of(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery" and [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    formats = root.find("endpoints/endpoint/formats")
    assert [f.tag for f in formats] == ["format", "format"] and {f.text for f in formats} == {"text/xml",
                                                                                               "application/json"}


SERVICE_KEYS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def test_services_list_the_catalogue_and_the_signal_categories(client):
    body = json_of(client.get(f"{V2}/services.json"))
    assert isinstance(body, list) and all(list(s) == SERVICE_KEYS for s in body)
    codes = {s["service_code"]: s for s in body}
    assert set(codes) == {"service:heirs-certificate", "service:tax-assessment", "service:info-request",
                          "signal:potholes", "signal:complaint-staff"}
    assert codes["service:heirs-certificate"]["group"] == "ГРАО" and codes["service:heirs-certificate"]["metadata"]
    assert codes["service:info-request"]["metadata"] is False and codes["signal:potholes"]["type"] == "realtime"
    english = {s["service_code"]: s for s in json_of(client.get(f"{V2}/services.json?locale=en"))}
    assert english["signal:potholes"]["service_name"] == "Potholes"
    root = xml_of(client.get(f"{V2}/services.xml"))
    assert root.tag == "services" and {c.tag for c in root} == {"service"} and len(root) == 5
    assert [c.tag for c in root[0]] == SERVICE_KEYS and root[0].findtext("metadata") in ("true", "false")


def test_service_definition_maps_the_form_fields(client, hub):
    data = fixture_catalogue().model_dump(mode="json")
    data["services"].append({
        "id": "tree-cutting", "name": {"bg": "Разрешение за сеч", "en": "Tree cutting permit"},
        "description": {"bg": "Сеч на дърво.", "en": "Cutting a tree."}, "unit_id": "ecology",
        "tiers": [{"tier": "ordinary", "deadline": {"unit": "days", "amount": 14}}], "needs_identity": False,
        "form_fields": [
            {"name": "trees", "label": {"bg": "Брой дървета", "en": "Trees"}, "type": "number", "required": True,
             "min_value": 1, "max_value": 20},
            {"name": "species", "label": {"bg": "Вид", "en": "Species"}, "type": "choice",
             "choices": [{"value": "oak", "label": {"bg": "Дъб", "en": "Oak"}},
                         {"value": "pine", "label": {"bg": "Бор", "en": "Pine"}}]},
            {"name": "urgent", "label": {"bg": "Спешно", "en": "Urgent"}, "type": "checkbox"},
            {"name": "when", "label": {"bg": "Кога", "en": "When"}, "type": "date"},
            {"name": "details", "label": {"bg": "Подробности", "en": "Details"}, "type": "multiline"},
            {"name": "owner_egn", "label": {"bg": "ЕГН", "en": "EGN"}, "type": "egn", "personal": True}],
    })
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=CatalogueData.model_validate(data), source="test")
    body = json_of(client.get(f"{V2}/services/service:tree-cutting.json?locale=en"))
    assert body["service_code"] == "service:tree-cutting"
    attributes = {a["code"]: a for a in body["attributes"]}
    assert list(attributes) == ["trees", "species", "urgent", "when", "details"]  # never a personal field
    assert {c: a["datatype"] for c, a in attributes.items()} == {
        "trees": "number", "species": "singlevaluelist", "urgent": "singlevaluelist", "when": "datetime",
        "details": "text"}
    assert attributes["trees"]["required"] is True and attributes["trees"]["order"] == 1
    assert attributes["species"]["values"] == [{"key": "oak", "name": "Oak"}, {"key": "pine", "name": "Pine"}]
    assert set(attributes["trees"]) == {"variable", "code", "datatype", "required", "datatype_description",
                                        "order", "description", "values"}
    root = xml_of(client.get(f"{V2}/services/service:tree-cutting.xml"))
    assert root.tag == "service_definition" and [c.tag for c in root] == ["service_code", "attributes"]
    assert {a.tag for a in root.find("attributes")} == {"attribute"}
    assert [v.tag for v in root.find("attributes/attribute[code='species']/values")] == ["value", "value"]
    assert [c.tag for c in root.find("attributes/attribute[code='species']/values/value")] == ["key", "name"]
    # the attributes go into the request's form, typed
    with hub.sessions.begin() as s:
        _row, key = key_service.create(session=s, name="app", created_by=None)
    r = client.post(f"{V2}/requests.json", data={
        "api_key": key, "service_code": "service:tree-cutting", "address_string": "ул. Дъбова 3",
        "attribute[trees]": "3", "attribute[species]": "oak", "attribute[urgent]": "true",
        "attribute[when]": "2026-12-24T10:00:00+02:00", "description": "Сухо дърво."})
    number = number_of(r)
    with hub.sessions() as s:
        row = s.scalars(select(ServiceRequest).where(ServiceRequest.number == number)).one()
        assert row.form == {"trees": 3, "species": "oak", "urgent": True, "when": "2026-12-24"}
        assert row.channel == "open311" and row.unit_id == "ecology" and row.terminal_id is None
    assert "trees" in assert_errors(client.post(f"{V2}/requests.json", data={
        "api_key": key, "service_code": "service:tree-cutting", "address_string": "x", "attribute[trees]": "99"}), 400)
    assert "species" in assert_errors(client.post(f"{V2}/requests.json", data={
        "api_key": key, "service_code": "service:tree-cutting", "address_string": "x", "attribute[trees]": "1",
        "attribute[species]": "palm"}), 400)
    assert "owner_egn" in assert_errors(client.post(f"{V2}/requests.json", data={
        "api_key": key, "service_code": "service:tree-cutting", "address_string": "x", "attribute[trees]": "1",
        "attribute[owner_egn]": "7501020018"}), 400)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_request_token_and_path_are_404(client, fmt):
    assert_errors(client.get(f"{V2}/services/service:no-such.{fmt}"), 404)
    assert_errors(client.get(f"{V2}/services/potholes.{fmt}"), 404)  # without its prefix
    assert_errors(client.get(f"{V2}/requests/94-99999/01.01.2026.{fmt}"), 404)
    assert_errors(client.get(f"{V2}/tokens/00000000-0000-4000-8000-000000000000.{fmt}"), 404)
    assert_errors(client.get(f"{V2}/tokens/not-a-token.{fmt}"), 404)
    assert_errors(client.get(f"{V2}/nothing-here.{fmt}"), 404)
    assert_errors(client.get(f"{V2}/services.html"), 404)


# --- POST: keys, rate limit, validation ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_needs_a_valid_unrevoked_key(client, hub, api_key, fmt):
    assert_errors(post(client, None, fmt), 403)
    assert_errors(post(client, "o311_wrong", fmt), 403)
    assert_errors(post(client, "", fmt), 403)
    with hub.sessions.begin() as s:
        key_service.revoke(session=s, name="FixMyStreet")
    assert_errors(post(client, api_key, fmt), 403)
    with hub.sessions() as s:
        assert s.scalar(select(ServiceRequest.id)) is None  # nothing was filed


def test_keys_are_stored_hashed(hub, api_key):
    with hub.sessions() as s:
        row = s.scalars(select(Open311Key)).one()
    assert api_key not in (row.key_hash, row.name) and len(row.key_hash) == 64 and len(api_key) > 40


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posts_are_rate_limited_per_key(client, hub, api_key, fmt):
    hub.settings.open311_posts_per_window = 2
    hub.settings.open311_window_seconds = 3600
    with hub.sessions.begin() as s:
        _row, other = key_service.create(session=s, name="other app", created_by=None)
    assert post(client, api_key, fmt).status_code == 201
    assert_errors(post(client, api_key, fmt, service_code="signal:nope"), 404)  # a failed POST counts too
    refused = post(client, api_key, fmt)
    assert_errors(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert post(client, other, fmt).status_code == 201  # per key
    with hub.sessions() as s:
        assert len(s.scalars(select(ServiceRequest.id)).all()) == 2


def test_rate_limit_window_rolls_over(hub, api_key):
    now = datetime.now(timezone.utc)
    window = timedelta(seconds=60)
    for _i in range(3):
        with hub.sessions.begin() as s:
            assert key_service.admit(session=s, key=api_key, limit=3, window=window, now=now).status == 200
    with hub.sessions.begin() as s:
        assert key_service.admit(session=s, key=api_key, limit=3, window=window, now=now).status == 429
    with hub.sessions.begin() as s:
        assert key_service.admit(session=s, key=api_key, limit=3, window=window,
                                 now=now + timedelta(seconds=61)).status == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_posts_are_400_naming_the_parameter(client, api_key, fmt):
    cases = [
        ({"service_code": None}, "service_code"),
        ({"lat": None, "long": None}, "location"),
        ({"description": "x" * 4001}, "description"),
        ({"lat": "91"}, "lat"),
        ({"long": "east"}, "long"),
        ({"long": None}, "lat, long"),
        ({"description": None}, "description"),  # a signal needs one
        ({"attribute[colour]": "red"}, "attribute[colour]"),
        ({"attribute[signal_type]": "rant"}, "signal_type"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"address_id": "no-such-place", "lat": None, "long": None}, "address_id"),
        ({"service_code": "service:heirs-certificate"}, "identity"),
        ({"service_code": "signal:complaint-staff"}, "e-mail or phone"),
        ({"jurisdiction_id": "sofia"}, "jurisdiction_id"),
    ]
    for fields, needle in cases:
        assert needle in assert_errors(post(client, api_key, fmt, **fields), 400), fields
    assert_errors(post(client, api_key, fmt, service_code="signal:no-such"), 404)
    assert post(client, api_key, fmt, description="y" * 4000).status_code == 201  # 4000 is allowed


def test_a_body_that_is_no_form_is_400(client, api_key):
    r = client.post(f"{V2}/requests.json", content=b"--x\r\nbroken", headers={"content-type": "multipart/form-data"})
    assert_errors(r, 400)


# --- GET requests ------------------------------------------------------------------------------

REQUEST_KEYS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def test_post_answers_in_the_specified_shape(client, api_key):
    body = json_of(post(client, api_key))
    assert isinstance(body, list) and len(body) == 1
    assert set(body[0]) == {"service_request_id", "token", "service_notice", "account_id"}
    root = xml_of(post(client, api_key, "xml"))
    assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
    assert root.find("request/service_request_id").text.startswith("94-")
    token = body[0]["token"]
    assert json_of(client.get(f"{V2}/tokens/{token}.json")) == [
        {"token": token, "service_request_id": body[0]["service_request_id"]}]
    root = xml_of(client.get(f"{V2}/tokens/{token}.xml"))
    assert root.tag == "tokens" and root.find("token/service_request_id").text == body[0]["service_request_id"]


def test_get_requests_shows_signals_and_open311_requests_without_personal_data(client, hub, api_key, kiosk):
    number = number_of(post(client, api_key, email="ivan@example.bg", phone="0888 123 456", first_name="Иван",
                            last_name="Петров", address_string="ул. Шипка 5", description="Лично: обадете ми се"))
    by_kiosk = client.post("/api/v1/requests", json=kiosk_signal(seq=5), headers=kiosk["headers"]).json()["number"]
    private = client.post("/api/v1/requests", json=kiosk_request(hub, seq=6), headers=kiosk["headers"]).json()["number"]
    body = json_of(client.get(f"{V2}/requests.json"))
    numbers = [r["service_request_id"] for r in body]
    assert number in numbers and by_kiosk in numbers and private not in numbers
    assert all(list(r) == REQUEST_KEYS for r in body)
    mine = next(r for r in body if r["service_request_id"] == number)
    assert mine["status"] == "open" and mine["service_code"] == "signal:potholes" and mine["lat"] == 42.6977
    assert mine["address"] == "ул. Шипка 5" and mine["agency_responsible"] == "Екология"
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("ivan@example.bg", "0888", "Иван", "Петров", "обадете"):
        assert personal not in text
    # the contact was kept for the clerk (a signal keeps only its contact), the names were not
    with hub.sessions() as s:
        row = s.scalars(select(ServiceRequest).where(ServiceRequest.number == number)).one()
        assert row.contact == {"phone": "0888 123 456", "email": "ivan@example.bg"} and row.given_names is None
        assert row.channel == "open311" and row.location["lat"] == 42.6977
    # a kiosk's service request is tracked with its code only, never by its number here
    assert_errors(client.get(f"{V2}/requests/{private}.json"), 404)
    # descriptions are published only when the municipality says so, and only signals'
    hub.settings.open311_publish_descriptions = True
    mine = json_of(client.get(f"{V2}/requests/{quote(number, safe='')}.json"))[0]
    assert mine["description"] == "Лично: обадете ми се"
    root = xml_of(client.get(f"{V2}/requests.xml"))
    assert root.tag == "service_requests" and {c.tag for c in root} == {"request"}
    assert [c.tag for c in root[0]] == REQUEST_KEYS


def test_get_requests_filters(client, hub, api_key):
    first = number_of(post(client, api_key))
    second = number_of(post(client, api_key, service_code="service:info-request", description="Справка"))
    body = json_of(client.get(f"{V2}/requests.json", params={"service_request_id": f"{first},{second}"}))
    assert [r["service_request_id"] for r in body] == [second, first]
    assert [r["service_request_id"] for r in json_of(client.get(
        f"{V2}/requests.json", params={"service_code": "service:info-request"}))] == [second]
    both = json_of(client.get(f"{V2}/requests.json", params={"service_code": "service:info-request,signal:potholes"}))
    assert len(both) == 2
    assert json_of(client.get(f"{V2}/requests.json", params={"status": "closed"})) == []
    assert len(json_of(client.get(f"{V2}/requests.json", params={"status": "open"}))) == 2
    now = datetime.now(timezone.utc)
    window = {"start_date": (now - timedelta(hours=1)).isoformat(), "end_date": (now + timedelta(hours=1)).isoformat()}
    assert len(json_of(client.get(f"{V2}/requests.json", params=window))) == 2
    old = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-02-01T00:00:00+02:00"}
    assert json_of(client.get(f"{V2}/requests.json", params=old)) == []
    assert "90 days" in assert_errors(client.get(f"{V2}/requests.json", params={
        "start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}), 400)
    assert_errors(client.get(f"{V2}/requests.xml", params={"start_date": "yesterday"}), 400)
    assert_errors(client.get(f"{V2}/requests.json", params={"status": "maybe"}), 400)
    assert_errors(client.get(f"{V2}/requests.json", params={"start_date": "2026-12-02", "end_date": "2026-12-01"}),
                  400)
    # the number without its date part finds the request
    assert json_of(client.get(f"{V2}/requests/{first.split('/')[0]}.json"))[0]["service_request_id"] == first


# --- the round trip ----------------------------------------------------------------------------


def test_round_trip_open311_inbox_clerk_closes_updates(client, hub, api_key):
    number = number_of(post(client, api_key, email="ivan@example.bg"))
    clerk = staff_client(client.app, hub, "clerk", "clerk")
    inbox = clerk.get("/admin/requests")
    assert inbox.status_code == 200 and number in inbox.text
    assert clerk.get("/admin/requests", params={"channel": "open311"}).text.count(number) >= 1
    page = clerk.get("/admin/requests/" + quote(number, safe=""))
    assert page.status_code == 200 and "Open311" in page.text and "42.6977" in page.text and "23.3219" in page.text
    assert 'id="open311-public-note"' in page.text  # the clerk is told the public note is published
    r = clerk.post("/admin/requests/" + quote(number, safe=""), data={
        "csrf": csrf_of(page.text), "status": "resolved", "note": "Дупката е запълнена.",
        "internal_note": "Бригада 3, асфалт 2 т.", "confirm_final": "yes"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    body = json_of(client.get(f"{V2}/requests/{number}.json?extensions=true"))
    assert len(body) == 1
    item = body[0]
    assert item["status"] == "closed" and item["status_notes"] == "Дупката е запълнена."
    assert item["extended_attributes"]["detailed_status"] == "resolved"
    assert [h["status"] for h in item["extended_attributes"]["history"]] == ["pending", "resolved"]
    assert "Бригада" not in json.dumps(body, ensure_ascii=False)  # the internal note never leaves the staff pages
    root = xml_of(client.get(f"{V2}/requests/{quote(number, safe='')}.xml"))
    assert [c.tag for c in root] == ["request"] and root.findtext("request/status") == "closed"
    assert root.findtext("request/status_notes") == "Дупката е запълнена."
    assert json_of(client.get(f"{V2}/requests.json", params={"status": "closed"}))[0]["service_request_id"] == number
    updates = json_of(client.get(f"{V2}/servicerequestupdates.json"))
    assert [(u["service_request_id"], u["status"], u["description"]) for u in updates] == [
        (number, "fixed", "Дупката е запълнена.")]
    assert set(updates[0]) == {"update_id", "service_request_id", "status", "updated_datetime", "description",
                               "media_url"}
    root = xml_of(client.get(f"{V2}/servicerequestupdates.xml"))
    assert root.tag == "service_request_updates" and [c.tag for c in root] == ["request_update"]
    assert root.findtext("request_update/description") == "Дупката е запълнена."
    later = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
    assert json_of(client.get(f"{V2}/servicerequestupdates.json", params={"start_date": later})) == []
    assert_errors(client.get(f"{V2}/servicerequestupdates.xml", params={"end_date": "soon"}), 400)


def test_numbers_are_shared_with_the_kiosks(client, hub, api_key, kiosk):
    a = client.post("/api/v1/requests", json=kiosk_signal(seq=3), headers=kiosk["headers"]).json()["number"]
    b = number_of(post(client, api_key))
    c = client.post("/api/v1/requests", json=kiosk_signal(seq=4), headers=kiosk["headers"]).json()["number"]
    seqs = [int(n.split("-")[1].split("/")[0]) for n in (a, b, c)]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]


# --- keys: the administrators' page and the CLI ------------------------------------------------


def audit_actions(hub):
    with hub.sessions() as s:
        return [(e.actor, e.action, e.target) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.mark.parametrize("role", ["clerk", "technician"])
def test_only_administrators_reach_the_keys_page(client, hub, role):
    other = staff_client(client.app, hub, "someone", role)
    assert other.get("/admin/open311-keys").status_code == 403
    assert other.post("/admin/open311-keys", data={"name": "x"}).status_code == 403
    assert "/admin/open311-keys" not in other.get("/admin/requests" if role == "clerk" else "/admin/fleet").text
    anonymous = TestClient(client.app)
    r = anonymous.get("/admin/open311-keys", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")


def test_administrator_creates_uses_and_revokes_a_key(client, hub):
    admin = staff_client(client.app, hub, "admin", "administrator")
    page = admin.get("/admin/open311-keys")
    assert page.status_code == 200 and 'href="/admin/open311-keys"' in page.text
    # CSRF first: a POST without the token changes nothing
    assert admin.post("/admin/open311-keys", data={"name": "Forged"}).status_code == 403
    with hub.sessions() as s:
        assert s.scalar(select(Open311Key.id)) is None
    r = admin.post("/admin/open311-keys", data={"csrf": csrf_of(page.text), "name": XSS})
    assert r.status_code == 200 and XSS not in r.text and "&lt;script&gt;" in r.text
    key = r.text.split('<code id="new-key-value">')[1].split("</code>")[0]
    assert post(client, key).status_code == 201
    again = admin.get("/admin/open311-keys").text
    assert key not in again  # shown once
    dup = admin.post("/admin/open311-keys", data={"csrf": csrf_of(again), "name": XSS})
    assert dup.status_code == 422 and 'aria-invalid="true"' in dup.text
    assert admin.post("/admin/open311-keys", data={"csrf": csrf_of(again), "name": "  "}).status_code == 422
    with hub.sessions() as s:
        key_id = s.scalar(select(Open311Key.id))
    assert admin.post(f"/admin/open311-keys/{key_id}/revoke", data={}).status_code == 403  # no CSRF
    assert post(client, key).status_code == 201
    r = admin.post(f"/admin/open311-keys/{key_id}/revoke", data={"csrf": page_csrf(admin, "/admin/open311-keys")},
                   follow_redirects=False)
    assert r.status_code == 303 and "done=open311_key_revoked" in r.headers["location"]
    assert_errors(post(client, key), 403)
    assert admin.post("/admin/open311-keys/999/revoke", data={"csrf": csrf_of(again)}).status_code == 404
    assert ("admin", "open311_key_create", XSS) in audit_actions(hub)
    assert ("admin", "open311_key_revoke", XSS) in audit_actions(hub)
    audit_page = admin.get("/admin/audit", params={"action": "open311_key_create"})
    assert audit_page.status_code == 200 and XSS not in audit_page.text


def test_cli_creates_and_revokes_keys(tmp_path, monkeypatch, capsys, database_url):
    from server_sync.hub.cli import main
    from server_sync.hub.settings import HubSettings

    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "hub"))
    db = ["--database-url", database_url]
    assert main(["open311-key", "create", "Градско приложение", *db]) == 0  # migrates a new database too
    key = capsys.readouterr().out.split()[-1]
    assert key.startswith("o311_")
    assert main(["open311-key", "create", "Градско приложение", *db]) == 1
    assert "exists" in capsys.readouterr().err
    with TestClient(create_app(HubSettings(database_url=database_url))) as c:
        code = next(s["service_code"] for s in c.get(f"{V2}/services.json").json()
                    if s["service_code"].startswith("signal:"))
        assert post(c, key, service_code=code).status_code == 201, post(c, key, service_code=code).text
        assert main(["open311-key", "list", *db]) == 0
        assert "Градско приложение\tactive" in capsys.readouterr().out
        assert main(["open311-key", "revoke", "Градско приложение", *db]) == 0
        assert_errors(post(c, key, service_code=code), 403)
        assert main(["open311-key", "revoke", "няма такъв", *db]) == 1
        hub = c.app.state.hub
        with hub.sessions() as s:
            actions = [(e.actor, e.action) for e in s.scalars(select(AuditEntry))]
    assert ("console", "open311_key_create") in actions and ("console", "open311_key_revoke") in actions
