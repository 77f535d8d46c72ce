"""Requests and signals: idempotency, gapless numbers, sealed personal data, tracking, deadlines, status."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from urllib.parse import quote

import pytest
from sqlalchemy import event, select

from server_sync.hub.models import ServiceRequest, Terminal
from server_sync.protocol import SubmissionReceipt, TrackingResponse

from .conftest import EGN, assert_error, sealed, service_request, signal


def submit(client, kiosk, body, status=201) -> dict:
    r = client.post("/api/v1/requests", json=body, headers=kiosk["headers"])
    assert r.status_code == status, r.text
    return r.json()


def test_service_request_gets_number_code_deadline_and_replays_identically(client, hub, kiosk):
    body = service_request(hub)
    first = SubmissionReceipt.model_validate(submit(client, kiosk, body))
    assert first.number.startswith("94-00001/") and len(first.tracking_code) == 8
    assert first.status == "registered" and first.provisional_ref == "K01-000001"
    assert first.deadline_at is not None and first.deadline_at > first.registered_at  # 3 working days
    assert quote(first.number, safe="") in first.tracking_url and first.tracking_code in first.tracking_url
    replay = submit(client, kiosk, body, status=200)
    assert replay == first.model_dump(mode="json")
    with hub.sessions() as s:
        assert len(s.scalars(select(ServiceRequest)).all()) == 1
        assert s.get(Terminal, kiosk["terminal_id"]).last_event_seq == 1


def test_the_years_counter_is_locked_last_for_the_inserts_and_the_commit(client, hub, kiosk):
    # Every filing waits while one holds the year's counter row, so a filing takes it as its last
    # step: after the counter's UPDATE only the request's INSERTs and the COMMIT may run.
    submit(client, kiosk, service_request(hub))  # the year's counter row exists
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).upper())

    def committed(_conn):
        statements.append("COMMIT")

    event.listen(hub.engine, "before_cursor_execute", seen)
    event.listen(hub.engine, "commit", committed)
    try:
        submit(client, kiosk, service_request(hub, seq=2, provisional_ref="K01-000002"))
    finally:
        event.remove(hub.engine, "before_cursor_execute", seen)
        event.remove(hub.engine, "commit", committed)
    taken = next(i for i, st in enumerate(statements) if st.startswith("UPDATE NUMBER_COUNTERS"))
    after = [st.split(" (")[0].split(" VALUES")[0] for st in statements[taken + 1:]
             if not st.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert after == ["INSERT INTO REQUESTS", "INSERT INTO STATUS_CHANGES", "COMMIT"], statements[taken:]
    assert not any(st.startswith("SELECT") and "FOR UPDATE" in st for st in statements)


def test_same_client_id_with_other_payload_is_a_conflict(client, hub, kiosk):
    body = service_request(hub)
    submit(client, kiosk, body)
    assert_error(client.post("/api/v1/requests", json={**body, "form": {"deceased_name": "Друг"}},
                             headers=kiosk["headers"]), 409, "client_id")


def test_numbers_are_consecutive_and_shared_by_requests_and_signals(client, hub, kiosk):
    numbers = [submit(client, kiosk, service_request(hub))["number"],
               submit(client, kiosk, signal())["number"],
               submit(client, kiosk, service_request(hub))["number"]]
    assert [int(n.split("-")[1].split("/")[0]) for n in numbers] == [1, 2, 3]


def test_refused_submission_uses_no_number(client, hub, kiosk):
    assert_error(client.post("/api/v1/requests", json=service_request(hub, service_id="no-such"),
                             headers=kiosk["headers"]), 422, "service_id")
    assert submit(client, kiosk, service_request(hub))["number"].startswith("94-00001/")


def test_personal_data_kept_only_where_the_service_needs_it(client, hub, kiosk):
    heirs = submit(client, kiosk, service_request(hub))  # keep_egn = True
    tax = submit(client, kiosk, service_request(hub, service_id="tax-assessment", tier=None, form={},
                                                 sealed_applicant=sealed(hub)))
    sig = submit(client, kiosk, signal(anonymous=False, sealed_applicant=sealed(hub)))
    with hub.sessions() as s:
        rows = {r.number: r for r in s.scalars(select(ServiceRequest))}
    h, t, g = rows[heirs["number"]], rows[tax["number"]], rows[sig["number"]]
    assert h.egn == EGN and h.surname == "Иванов" and h.personal_fields == {"deceased_egn": "4402126540"}
    assert t.egn is None and t.given_names == "Иван Петров" and t.egn_hmac == h.egn_hmac
    assert g.egn is None and g.given_names is None and g.egn_hmac == h.egn_hmac
    assert g.contact == {"phone": "0888 123 456"} and g.status == "pending"
    assert EGN not in h.egn_hmac


def test_clear_applicant_is_accepted_too(client, hub, kiosk):
    body = service_request(hub, sealed_applicant=None, applicant={
        "egn": EGN, "given_names": "Иван", "surname": "Иванов", "personal_fields": {}})
    assert submit(client, kiosk, body)["status"] == "registered"


def test_validation_against_the_catalogue_names_the_field(client, hub, kiosk):
    cases = [
        (service_request(hub, tier="express", form={"copies": 1}), "form.deceased_name"),
        (service_request(hub, form={"deceased_name": "X", "copies": 11}), "form.copies"),
        (service_request(hub, form={"deceased_name": "X", "purpose": "party"}), "form.purpose"),
        (service_request(hub, form={"deceased_name": "X", "colour": "red"}), "form.colour"),
        (service_request(hub, tier="turbo"), "tier"),
        (service_request(hub, service_id="tax-assessment", tier="fast", form={}), "tier"),
        (service_request(hub, sealed_applicant=None), "applicant"),
        (service_request(hub, sealed_applicant="bm90IGEgc2VhbGVkIGJveA=="), "sealed_applicant"),
        (service_request(hub, sealed_applicant=sealed(hub, personal_fields={"deceased_egn": "12"})),
         "applicant.personal_fields.deceased_egn"),
        (signal(signal_category_id="nope"), "signal_category_id"),
        (signal(signal_category_id="complaint-staff"), "anonymous"),
        (signal(location={"place_id": "atlantis"}), "location.place_id"),
        (signal(description=None), "description"),
        (service_request(hub, anonymous=True), "anonymous"),
    ]
    for body, field in cases:
        assert_error(client.post("/api/v1/requests", json=body, headers=kiosk["headers"]), 422, field)


def test_tracking_by_number_encoded_or_raw_and_by_provisional_ref(client, hub, kiosk):
    receipt = submit(client, kiosk, service_request(hub))
    number, code = receipt["number"], receipt["tracking_code"]
    for path in (quote(number, safe=""), number, "K01-000001"):
        r = client.get(f"/api/v1/requests/{path}", params={"code": code})
        assert r.status_code == 200, (path, r.text)
        t = TrackingResponse.model_validate(r.json())
        assert t.number == number and t.status == "registered" and t.title.bg.startswith("Издаване")
        assert [h.status for h in t.history] == ["registered"]
    assert client.get(f"/api/v1/requests/{number}", params={"code": code.lower()}).status_code == 200
    wrong = assert_error(client.get(f"/api/v1/requests/{quote(number, safe='')}", params={"code": "ZZZZZZZZ"}),
                         404, "code")
    unknown = assert_error(client.get("/api/v1/requests/94-99999%2F01.01.2026", params={"code": code}), 404, "code")
    assert wrong["message"] == unknown["message"]  # a wrong code reveals nothing about the number
    assert_error(client.get(f"/api/v1/requests/{quote(number, safe='')}"), 422, "code")


def staff(hub):
    from server_sync.hub.services.staff import create_admin

    with hub.sessions.begin() as s:
        create_admin(session=s, username="clerk", password="correct horse battery")
    return ("clerk", "correct horse battery")


def test_staff_moves_status_and_history_shows_each_change(client, hub, kiosk):
    auth = staff(hub)
    receipt = submit(client, kiosk, signal())
    number, code = receipt["number"], receipt["tracking_code"]
    assert receipt["status"] == "pending"
    # A signal is answered within two months (Administrative Procedure Code, art. 122).
    registered, due = (datetime.fromisoformat(receipt[k].replace("Z", "+00:00")) for k in ("registered_at", "deadline_at"))
    assert 58 <= (due - registered).days <= 66
    url = f"/api/v1/requests/{quote(number, safe='')}/status"
    r = client.patch(url, json={"status": "in_progress", "note": "Възложено на поддръжката."}, auth=auth)
    assert r.status_code == 200, r.text
    client.patch(url, json={"status": "resolved", "note": "Ремонтирано."}, auth=auth)
    t = client.get(f"/api/v1/requests/{quote(number, safe='')}", params={"code": code}).json()
    assert [h["status"] for h in t["history"]] == ["pending", "in_progress", "resolved"]
    assert t["history"][1]["note"] == "Възложено на поддръжката." and t["status"] == "resolved"
    assert_error(client.patch(url, json={"status": "in_progress"}, auth=auth), 409, "status")
    assert_error(client.patch(url, json={"status": "in_progress"}, auth=("clerk", "wrong password!")), 401)
    assert_error(client.patch(url, json={"status": "in_progress"}), 401)
    assert_error(client.patch("/api/v1/requests/94-0/status", json={"status": "resolved"}, auth=auth), 404)
    assert_error(client.patch(url, json={"status": "lost"}, auth=auth), 422, "status")
    # A replay still returns the receipt as first given.
    assert submit(client, kiosk, {**signal(), "client_id": receipt["client_id"]}, status=409)


def test_no_personal_data_in_logs(client, hub, kiosk, caplog):
    caplog.set_level(logging.DEBUG)
    receipt = submit(client, kiosk, service_request(hub, sealed_applicant=None, applicant={
        "egn": EGN, "given_names": "Гергана", "surname": "Тодорова", "personal_fields": {}}))
    client.get(f"/api/v1/requests/{quote(receipt['number'], safe='')}", params={"code": receipt["tracking_code"]})
    client.post("/api/v1/requests", json=service_request(hub, sealed_applicant=None, applicant={"egn": "12"}),
                headers=kiosk["headers"])
    # The hub's records (the test client's own httpx log is not the hub's).
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "POST /api/v1/requests" in text  # the access log is there …
    for secret in (EGN, "Гергана", "Тодорова", receipt["tracking_code"]):
        assert secret not in text  # … without personal data or tracking codes


def test_request_ids_are_uuid_only(client, hub, kiosk):
    assert_error(client.post("/api/v1/requests", json=service_request(hub, client_id="42"),
                             headers=kiosk["headers"]), 422, "client_id")
    assert uuid.UUID(submit(client, kiosk, service_request(hub))["client_id"])


def test_terminal_made_tracking_code_is_kept_and_tracks_by_reference(client, hub, kiosk):
    # A receipt printed offline carries the terminal's code: after delivery the same code
    # must track the request, by the provisional reference as well as the official number.
    body = {**service_request(hub), "tracking_code": "K7M4Q9TX"}
    receipt = submit(client, kiosk, body)
    assert receipt["tracking_code"] == "K7M4Q9TX"
    for reference in (receipt["provisional_ref"], quote(receipt["number"], safe="")):
        r = client.get(f"/api/v1/requests/{reference}", params={"code": "K7M4Q9TX"})
        assert r.status_code == 200, r.text
        assert TrackingResponse.model_validate(r.json()).number == receipt["number"]


def test_tracking_code_outside_the_alphabet_is_refused(client, hub, kiosk):
    assert_error(client.post("/api/v1/requests", json={**service_request(hub), "tracking_code": "O0I1O0I1"},
                             headers=kiosk["headers"]), 422, "tracking_code")


def test_a_changed_municipality_code_continues_the_years_numbering(client, hub, kiosk):
    # The counter row is per municipality code, the (year, seq) pair unique across all: a code
    # corrected in the catalogue must not start again at 1 (a unique violation: a 500 each time).
    from server_sync.hub.catalogue_store import import_catalogue
    from server_sync.hub.testing import fixture_catalogue

    first = [submit(client, kiosk, signal())["number"] for _ in range(2)]
    data = fixture_catalogue()
    data.municipality.code = "test-renamed"
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=data)
    after = [submit(client, kiosk, signal())["number"] for _ in range(2)]
    assert [int(n.split("-")[1].split("/")[0]) for n in first + after] == [1, 2, 3, 4]


@pytest.mark.parametrize("number_format, why", [
    ("{index}-{seq:05d}", "year"),  # next January would repeat this year's numbers
    ("{index}-{seq:05d}/{date:%d.%m}", "year"),
    ("{index}/{date:%Y}-{seq!s:.0}", "unique"),  # every seq formats to the same (empty) text
])
def test_number_formats_that_would_repeat_numbers_are_refused(number_format, why):
    from server_sync.hub.catalogue_store import CatalogueImportError, check_number_format
    from server_sync.hub.testing import fixture_catalogue

    data = fixture_catalogue()
    data.municipality.number_format = number_format
    with pytest.raises(CatalogueImportError, match=f"number_format.*{why}"):
        check_number_format(data)
    data.municipality.number_format = "{index}-{seq}/{year}"
    check_number_format(data)


def test_a_provisional_reference_that_comes_again_tracks_each_request_by_its_code(client, hub, kiosk):
    # The terminal's reference counter wraps after a million and restarts on a re-imaged card.
    older = submit(client, kiosk, {**service_request(hub), "provisional_ref": "K01-000042", "tracking_code": "AAAA2222"})
    newer = submit(client, kiosk, {**signal(), "provisional_ref": "K01-000042", "tracking_code": "BBBB3333"})
    for receipt in (older, newer):
        r = client.get("/api/v1/requests/K01-000042", params={"code": receipt["tracking_code"]})
        assert r.status_code == 200, r.text
        assert r.json()["number"] == receipt["number"]
    assert_error(client.get("/api/v1/requests/K01-000042", params={"code": "CCCC4444"}), 404, "code")


def test_typed_form_fields_are_checked_as_the_kiosk_checks_them(client, hub, kiosk):
    from server_sync.hub.catalogue_store import import_catalogue
    from server_sync.hub.testing import fixture_catalogue
    from server_sync.protocol import FormField

    data = fixture_catalogue()
    info = next(s for s in data.services if s.id == "info-request")
    info.form_fields = [FormField.model_validate({"name": n, "label": {"bg": n}, "type": t})
                        for n, t in (("phone", "phone"), ("email", "email"))]
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=data)

    def info_request(**form):
        return service_request(hub, service_id="info-request", tier=None, form=form, sealed_applicant=None)

    for form, field in [({"phone": "call me"}, "form.phone"), ({"email": "not-an-address"}, "form.email")]:
        assert_error(client.post("/api/v1/requests", json=info_request(**form), headers=kiosk["headers"]), 422, field)
    ok = info_request(phone="0888 123 456", email="ivan@example.bg")
    assert submit(client, kiosk, ok)["status"] == "registered"
    # The same values pass the kiosk's own validation (one rule on both ends).
    from kiosk.state.forms import validate_form

    assert validate_form(info.form_fields, {k: v for k, v in ok["form"].items()})[1] == []


def test_staff_log_in_with_a_cyrillic_password_typed_either_way(client, hub, kiosk):
    import base64

    from server_sync.hub.services.staff import create_admin

    with hub.sessions.begin() as s:
        create_admin(session=s, username="мария", password="тайна парола за гишето")
    url = f"/api/v1/requests/{quote(submit(client, kiosk, signal())['number'], safe='')}/status"

    def basic(user: str, password: str) -> dict:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}

    r = client.patch(url, json={"status": "in_progress"}, headers=basic("мария", "тайна парола за гишето"))
    assert r.status_code == 200, r.text
    # "й" composed as и + combining breve by another keyboard is the same password (NFC).
    decomposed = "тайна парола за гишето".replace("й", "и\u0306")
    r = client.patch(url, json={"status": "resolved"}, headers=basic("мария", decomposed))
    assert r.status_code == 200, r.text
    assert_error(client.patch(url, json={"status": "rejected"}, headers=basic("мария", "друга парола")), 401)
    for broken in ("Basic !!!", "Basic " + base64.b64encode(b"\xff\xfe:x").decode(), "Basic " +
                   base64.b64encode(b"no-colon").decode()):
        assert_error(client.patch(url, json={"status": "rejected"}, headers={"Authorization": broken}),
                     401, "Authorization")


def test_numbering_restarts_at_new_year_in_sofia_time(client, hub, kiosk, monkeypatch):
    from datetime import datetime, timezone

    from server_sync.hub.services import submissions

    def at(*utc):
        monkeypatch.setattr(submissions, "utcnow", lambda: datetime(*utc, tzinfo=timezone.utc))
        return submit(client, kiosk, signal())["number"]

    # 23:30 and 23:59 on 31 December in Sofia are still 2026; 00:30 (22:30 UTC) is 2027.
    assert at(2026, 12, 31, 21, 30) == "94-00001/31.12.2026"
    assert at(2026, 12, 31, 21, 59) == "94-00002/31.12.2026"
    assert at(2026, 12, 31, 22, 30) == "94-00001/01.01.2027"
    assert at(2027, 1, 2, 9, 0) == "94-00002/02.01.2027"


def _categories_need_location(hub, *category_ids: str) -> None:
    from server_sync.hub.catalogue_store import import_catalogue
    from server_sync.hub.testing import fixture_catalogue
    from server_sync.protocol.catalogue import CatalogueData

    data = fixture_catalogue().model_dump(mode="json")
    for category in data["signal_categories"]:
        if category["id"] in category_ids:
            category["location_required"] = True
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=CatalogueData.model_validate(data), source="test")


def test_a_category_that_needs_a_location_refuses_a_signal_without_one(client, hub, kiosk):
    _categories_need_location(hub, "potholes")
    for location in (None, {}, {"address_text": "   "}):
        body = signal() if location is None else signal(location=location)
        error = assert_error(client.post("/api/v1/requests", json=body, headers=kiosk["headers"]), 422, "location")
        assert error["code"] == "location_required"
    # a place from the catalogue, or an address typed by the citizen, is enough
    assert submit(client, kiosk, signal(location={"place_id": "central-park"}))["status"] == "pending"
    assert submit(client, kiosk, signal(location={"address_text": "ул. Ботев 12, до спирката"}))["status"] == "pending"
    # a category without the flag still takes a signal without a location (older catalogues too)
    assert submit(client, kiosk, signal(signal_category_id="complaint-staff", anonymous=False,
                                        sealed_applicant=sealed(hub)))["status"] == "pending"


def test_the_shipped_catalogue_asks_a_location_where_a_clerk_needs_one():
    from server_sync.hub.catalogue_store import SHIPPED_CATALOGUE, load_catalogue_path

    categories = {c.id: c for c in load_catalogue_path(SHIPPED_CATALOGUE).signal_categories}
    assert {"roads", "street-lighting", "waste", "drinking-fountains"} <= {
        c.id for c in categories.values() if c.location_required}
    assert not categories["public-transport"].location_required and not categories["other"].location_required


def test_a_signal_gets_its_answer_deadline_two_months_on(client, hub, kiosk):
    receipt = SubmissionReceipt.model_validate(submit(client, kiosk, signal()))
    assert receipt.deadline_at is not None
    assert 59 <= (receipt.deadline_at - receipt.registered_at).days <= 66
