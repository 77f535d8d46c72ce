"""Hostile and broken input: every answer is a 4xx ErrorResponse naming the field, never a 500."""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter
from fastapi.testclient import TestClient

from server_sync.hub.app import create_app
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
        ({**signal(), "seq": "many"}, "seq"),
        ({**signal(), "terminal_time": "yesterday"}, "terminal_time"),
        ({**signal(), "kind": "wish"}, "kind"),
        ({**signal(), "is_admin": True}, "is_admin"),
        ({**signal(), "description": "x" * 8001}, "description"),
        ({**signal(), "seq": -1}, "seq"),
        ({**signal(), "location": {"lat": 91}}, "location.lat"),
        ({**service_request(hub), "applicant": {"egn": EGN}, "sealed_applicant": None, "form": []}, "form"),
        ({**signal(), "provisional_ref": "../../etc/passwd"}, "provisional_ref"),
        ({**signal(), "sealed_applicant": "A" * 20000}, "sealed_applicant"),
    ]
    for body, field in cases:
        error = assert_error(client.post("/api/v1/requests", json=body, headers=kiosk["headers"]), 422, field)
        assert error["details"] and error["details"][0]["field"] == field


def test_malformed_json_bad_utf8_and_wrong_shapes(client, hub, kiosk):
    for raw in (b"{", b"\xff\xfe\x00garbage", '{"kind": "signal", "description": "\udcff"}'.encode(
            "utf-8", "surrogatepass"), b"[]", b"null", b"", "{\"a\":1}".encode() * 3):
        r = post(client, kiosk, "/api/v1/requests", raw)
        assert 400 <= r.status_code < 500, (raw, r.status_code, r.text)
        ErrorResponse.model_validate(r.json())
    r = client.post("/api/v1/terminals/enroll", content=b"code=123456",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 422)
    assert_error(client.get("/api/v1/nowhere"), 404)
    assert_error(client.delete("/api/v1/health"), 405)
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
