"""Hostile and broken input: every answer is a 4xx ErrorResponse naming the field, never a 500."""

from __future__ import annotations

import base64
import json
import logging
import uuid

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import select

from server_sync.hub.app import create_app
from server_sync.hub.context import open_hub
from server_sync.hub.models import Heartbeat
from server_sync.protocol import ErrorResponse

from .conftest import EGN, assert_error, service_request, signal


def post(client, kiosk, path, content: bytes, **headers):
    return client.post(path, content=content, headers={**kiosk["headers"], "Content-Type": "application/json",
                                                       **headers})


def test_oversized_body_is_refused_with_413(client, hub, kiosk):
    big = json.dumps(signal(description="а" * 600_000)).encode()  # > 1 MiB in UTF-8
    r = post(client, kiosk, "/api/v1/requests", big)
    ErrorResponse.model_validate(assert_error(r, 413, "body") and r.json())

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(20):
            yield b" " * 100_000

    r = client.post("/api/v1/feedback", content=chunks(), headers=kiosk["headers"])
    assert_error(r, 413, "body")


def test_wrong_types_unknown_fields_and_huge_strings_name_the_field(client, hub, kiosk):
    cases = [
        ({**signal(), "seq": "many"}, "seq", 422),
        ({**signal(), "terminal_time": "yesterday"}, "terminal_time", 422),
        ({**signal(), "kind": "wish"}, "kind", 422),
        ({**signal(), "is_admin": True}, "is_admin", 422),
        ({**signal(), "description": "x" * 8001}, "description", 422),
        ({**signal(), "seq": -1}, "seq", 422),
        ({**signal(), "location": {"lat": 91}}, "location.lat", 422),
        ({**service_request(hub), "applicant": {"egn": EGN}, "sealed_applicant": None, "form": []},
         "form", 422),
        ({**signal(), "provisional_ref": "../../etc/passwd"}, "provisional_ref", 422),
        ({**signal(), "sealed_applicant": "A" * 20000}, "sealed_applicant", 422),
    ]
    for body, field, status in cases:
        error = assert_error(client.post("/api/v1/requests", json=body, headers=kiosk["headers"]), status, field)
        assert error["details"] and error["details"][0]["field"] == field


def test_malformed_json_bad_utf8_and_wrong_shapes(client, hub, kiosk):
    # Each broken body names the answer it gets: the hub answers a body it cannot read as a
    # request (not JSON, not UTF-8, several documents, the wrong shape) with 422 and the field.
    cases = [
        (b"{", 422),
        (b"\xff\xfe\x00garbage", 422),
        ('{"kind": "signal", "description": "\udcff"}'.encode("utf-8", "surrogatepass"), 422),
        (b"[]", 422),
        (b"null", 422),
        (b"", 422),
        (b"{\"a\":1}" * 3, 422),
    ]
    got = {}
    for raw, _ in cases:
        r = post(client, kiosk, "/api/v1/requests", raw)
        got[raw] = r.status_code
        ErrorResponse.model_validate(r.json())
    assert got == {raw: expected for raw, expected in cases}
    r = client.post("/api/v1/terminals/enroll", content=b"code=123456",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 422)
    assert_error(client.get("/api/v1/nowhere"), 404, "path")
    assert_error(client.delete("/api/v1/health"), 405, "method")
    assert_error(client.get("/api/v1/consultations", headers={"Authorization": "Bearer " + "x" * 5000}), 401)


def test_text_is_nfc_normalised(client, hub, kiosk):
    decomposed = "Дупка до и\u0306зхода"  # "й" as и + combining breve
    r = client.post("/api/v1/requests", json=signal(description=decomposed), headers=kiosk["headers"])
    assert r.status_code == 201
    from server_sync.hub.models import ServiceRequest

    with hub.sessions() as s:
        stored = s.get(ServiceRequest, 1).description
    assert stored == "Дупка до йзхода" and len(stored) == len(decomposed) - 1


def test_unexpected_errors_answer_json_500_without_leaking(hub, caplog):
    app = create_app(hub.settings, context=hub)
    boom = APIRouter()

    @boom.get("/api/v1/boom")
    def _boom():
        egn = "75010" + "20018"  # built at run time: the traceback's source lines must not hold it
        raise RuntimeError(f"secret ЕГН {egn} in an exception text")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        caplog.set_level(logging.ERROR)
        r = client.get("/api/v1/boom")
    assert_error(r, 500)
    assert "7501020018" not in r.text and "RuntimeError" not in r.text
    assert "unhandled RuntimeError on GET /api/v1/boom" in caplog.text
    assert "7501020018" not in caplog.text  # not even in the logged traceback


def raw_post(client, path, body: dict, headers) -> object:
    # json.dumps writes NaN/Infinity and \u0000 as Python's json module does: what a hostile client can send.
    return client.post(path, content=json.dumps(body).encode(),
                       headers={**headers, "Content-Type": "application/json"})


def test_values_no_database_can_store_are_refused_by_field_not_with_500(client, hub, kiosk):
    """NUL characters (PostgreSQL text), times without an offset or out of range, integers wider
    than their columns, NaN/Infinity: each a 422 naming the field, on SQLite and PostgreSQL alike."""
    cases = [
        ({**signal(), "description": "дупка\u0000"}, "description", 422),
        ({**signal(), "terminal_time": "2026-01-01T10:00:00"}, "terminal_time", 422),
        ({**signal(), "terminal_time": "0001-01-01T00:00:00+14:00"}, "terminal_time", 422),
        ({**signal(), "terminal_time": "9999-12-31T23:59:59-14:00"}, "terminal_time", 422),
        ({**signal(), "seq": 2**40}, "seq", 422),
        ({**signal(), "seq": 2**70}, "seq", 422),
        (service_request(hub, form={"deceased_name": "X", "copies": 10**400}), "form.copies", 422),
        (service_request(hub, form={"deceased_name": "X", "copies": float("nan")}), "form.copies", 422),
        ({**signal(), "location": {"address_text": "ул. \u0000"}}, "location.address_text", 422),
    ]
    for body, field, status in cases:
        assert_error(raw_post(client, "/api/v1/requests", body, kiosk["headers"]), status, field)
    # Nothing was registered, and the numbering did not move.
    r = client.post("/api/v1/requests", json=signal(), headers=kiosk["headers"])
    assert r.status_code == 201 and r.json()["number"].startswith("94-00001/")


def test_unstorable_presses_and_heartbeats_name_the_field(client, hub):
    from .conftest import enroll, now_iso

    terminal = enroll(client, hub, kind="feedback", name="Гише 1")
    h = terminal["headers"]

    def press(**overrides):
        return {"press_id": str(uuid.uuid4()), "terminal_time": now_iso(), "seq": 1, "score": 3, **overrides}

    for presses, field, status in [
        ([press(), press(terminal_time="2026-01-01T10:00:00")], "presses.1.terminal_time", 422),
        ([press(terminal_time="9999-12-31T23:00:00+00:00")], "presses.0.terminal_time", 422),
        ([press(seq=2**40)], "presses.0.seq", 422),
    ]:
        assert_error(raw_post(client, "/api/v1/feedback", {"presses": presses}, h), status, field)
    beat = {"terminal_time": now_iso(), "seq": 1, "software_version": "1", "uptime_s": 1, "queue_depth": 0}
    for overrides, field, status in [
        ({"uptime_s": float("inf")}, "uptime_s", 422),
        ({"cpu_temp_c": "NaN"}, "cpu_temp_c", 422),  # pydantic turns the string into a float NaN
        ({"disk_free_bytes": 2**64}, "disk_free_bytes", 422),
        ({"queue_depth": 2**40}, "queue_depth", 422),
        ({"last_sync_at": "2026-01-01T00:00:00"}, "last_sync_at", 422),
        ({"devices": {"printer": {"state": "ok", "detail": {"paper": float("nan")}}}},
         "devices.printer.detail.paper", 422),
        ({"devices": {"printer": {"state": "ok", "detail": {"paper": "\u0000"}}}},
         "devices.printer.detail.paper", 422),
        ({"software_version": "1\u0000"}, "software_version", 422),
        ({"catalogue_version": "c" * 500}, "catalogue_version", 422),
    ]:
        assert_error(raw_post(client, "/api/v1/terminals/heartbeat", {**beat, **overrides}, h), status, field)
    # A large disk (64-bit column) and a Pi's 1970 clock before NTP are fine.
    ok = raw_post(client, "/api/v1/terminals/heartbeat",
                  {**beat, "disk_free_bytes": 2**40, "terminal_time": "1970-01-01T00:00:05Z"}, h)
    assert ok.status_code == 200, ok.text
    with hub.sessions() as s:
        assert s.scalars(select(Heartbeat)).one().disk_free_bytes == 2**40


def test_nul_in_paths_queries_and_credentials_is_a_4xx(client, hub, kiosk):
    from server_sync.hub.services.staff import create_admin

    with hub.sessions.begin() as s:
        create_admin(session=s, username="clerk", password="correct horse battery")
    staff = ("clerk", "correct horse battery")
    assert_error(client.get("/api/v1/requests/94-1%00", params={"code": "ABCDEFGH"}), 422, "path")
    assert_error(client.get("/t/94-1%00", params={"code": "ABCDEFGH"}), 422, "path")
    assert_error(client.patch("/api/v1/requests/94%00/status", json={"status": "resolved"}, auth=staff), 422, "path")
    assert_error(client.get("/api/v1/feedback/satisfaction", params={"office_id": "a\x00"}, auth=staff),
                 422, "office_id")
    nul_user = "Basic " + base64.b64encode(b"cl\x00erk:correct horse battery").decode()
    assert_error(client.get("/api/v1/feedback/satisfaction", headers={"Authorization": nul_user}),
                 401, "Authorization")
    assert_error(client.post("/api/v1/feedback/alerts/99999999999999999999/acknowledge", auth=staff),
                 422, "alert_id")
    assert_error(client.post("/api/v1/feedback/alerts/1/acknowledge", json={"note": "x", "by": "boss"},
                             auth=staff), 422, "by")
    assert_error(client.put("/api/v1/feedback/alert-rules/Main Office", json={}, auth=staff), 422, "office_id")
    assert_error(client.get("/api/v1/feedback/trend", params={"since": "9999-12-31T23:00:00-14:00"}, auth=staff),
                 400, "since")
    # Nested deeper than the parser follows: a body that is not readable JSON, like the others (422).
    assert_error(post(client, kiosk, "/api/v1/requests", b"[" * 100_000), 422, "body")
    assert_error(post(client, kiosk, "/api/v1/terminals/heartbeat", b'{"a":' * 100_000), 422, "body")


def test_an_unexpected_error_never_reaches_the_server_log(hub):
    """Starlette re-raises after its 500 so that the server logs it, and uvicorn would print the
    exception's text ("Exception in ASGI application"), e.g. a database error with the ЕГН among
    its parameters. The hub answers and stops it itself: the server never sees it."""
    app = create_app(hub.settings, context=hub)
    boom = APIRouter()

    @boom.post("/api/v1/boom")
    def _boom():
        raise RuntimeError("INSERT … [parameters: {'egn': '" + "75010" + "20018'}]")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=True) as client:  # would raise here if it escaped
        r = client.post("/api/v1/boom")
    assert_error(r, 500)
    assert "7501020018" not in r.text


# What every route answers a caller without valid credentials, for each body below: one status for
# the three credentials (none, a wrong bearer token, a wrong Basic login), or one per credential.
# Credentials are checked before the body is validated (api.deps.terminal_token, staff_of): a
# caller without them gets 401 and never a 422 naming the route's fields. Only a body that is not
# JSON at all is refused (422) first: FastAPI reads it before it resolves the credentials, and a
# syntax error tells nothing about the route.
JUNK_BODIES = (None, b'{"junk":', b"[]", b"{}")
JUNK_CREDENTIALS = ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic bm9wZTpub3Bl"})
WITH_A_BODY = (401, 422, 401, 401)  # no body, not JSON, the wrong shape, fields missing
NEEDS_CREDENTIALS = (401, 401, 401, 401)  # no body to read: the credentials decide
PUBLIC_GET = (200, 200, 200, 200)
JUNK_ANSWERS = {
    # (method, path): answers to JUNK_BODIES
    ("GET", "/api/v1/health"): PUBLIC_GET,
    ("POST", "/api/v1/terminals/enroll"): (422, 422, 422, 422),
    ("POST", "/api/v1/terminals/heartbeat"): WITH_A_BODY,
    ("GET", "/api/v1/catalogue"): NEEDS_CREDENTIALS,
    ("GET", "/api/v1/releases/1/bundle"): NEEDS_CREDENTIALS,
    ("POST", "/api/v1/requests"): WITH_A_BODY,
    ("GET", "/api/v1/requests/1"): (422, 422, 422, 422),  # no tracking code
    ("PATCH", "/api/v1/requests/1/status"): WITH_A_BODY,
    ("POST", "/api/v1/feedback"): WITH_A_BODY,
    ("POST", "/api/v1/citizens/session"): WITH_A_BODY,
    ("GET", "/api/v1/citizens/me/requests"): NEEDS_CREDENTIALS,
    ("GET", "/api/v1/consultations"): NEEDS_CREDENTIALS,
    ("POST", "/api/v1/consultations/1/support"): WITH_A_BODY,
    ("GET", "/api/v1/feedback/satisfaction"): NEEDS_CREDENTIALS,
    ("GET", "/api/v1/feedback/heatmap"): NEEDS_CREDENTIALS,
    ("GET", "/api/v1/feedback/trend"): NEEDS_CREDENTIALS,
    ("GET", "/api/v1/feedback/alerts"): NEEDS_CREDENTIALS,
    ("POST", "/api/v1/feedback/alerts/1/acknowledge"): WITH_A_BODY,
    ("GET", "/api/v1/feedback/alert-rules/1"): NEEDS_CREDENTIALS,
    ("PUT", "/api/v1/feedback/alert-rules/1"): WITH_A_BODY,
    ("GET", "/api/v1/feedback/open-data.json"): PUBLIC_GET,
    ("GET", "/api/v1/feedback/open-data.csv"): PUBLIC_GET,
    ("GET", "/api/v1/feedback/summary"): NEEDS_CREDENTIALS,
    ("GET", "/metrics"): PUBLIC_GET,
    ("GET", "/t/1"): PUBLIC_GET,  # the tracking form
}


@pytest.fixture
def unthrottled_client(hub_settings):
    """A hub without rate limits or login throttles: each answer depends on the request alone, not on
    how many wrong logins came before it (those 429s are tested in test_rate_limits.py)."""
    settings = hub_settings.model_copy(update={
        "rate_limit_opendata": "", "rate_limit_metrics": "", "rate_limit_tracking": "",
        "rate_limit_enrolment": "", "rate_limit_staff_login": "",
        "staff_login_failures_per_account": 10**6, "staff_login_failures_per_address": 10**6})
    context = open_hub(settings)
    try:
        with TestClient(create_app(settings, context=context), raise_server_exceptions=False) as c:
            yield c
    finally:
        context.close()


def test_every_route_refuses_junk_without_credentials_with_a_named_field(unthrottled_client):
    """Every API route, every method, with no, a wrong bearer or a wrong Basic credential and a
    broken, empty or wrongly shaped body: the one status JUNK_ANSWERS names, never a 5xx; a refusal
    is an ErrorResponse whose field is named."""
    import re

    client = unthrottled_client
    routes = [(method.upper(), re.sub(r"\{[^}]+\}", "1", path))
              for path, methods in client.app.openapi()["paths"].items() for method in methods]
    routes += [("GET", "/metrics"), ("GET", "/t/1")]  # outside the OpenAPI document
    assert sorted(routes) == sorted(JUNK_ANSWERS)  # a new route gets its expected answers here
    wrong = []
    for (method, path), answers in JUNK_ANSWERS.items():
        for body, expected in zip(JUNK_BODIES, answers, strict=True):
            per_credential = expected if isinstance(expected, tuple) else (expected,) * len(JUNK_CREDENTIALS)
            for auth, status in zip(JUNK_CREDENTIALS, per_credential, strict=True):
                headers = {**auth, **({"Content-Type": "application/json"} if body else {})}
                r = client.request(method, path, content=body, headers=headers)
                if r.status_code != status:
                    wrong.append((method, path, body, auth, status, r.status_code, r.text[:200]))
                elif status >= 400:
                    error = ErrorResponse.model_validate(r.json()).error
                    # Named: not empty, and not a bare position ("8" of a JSON decode error).
                    assert error.field and not error.field.isdigit(), (method, path, body, auth, r.text)
    assert not wrong, "\n".join(map(str, wrong))
