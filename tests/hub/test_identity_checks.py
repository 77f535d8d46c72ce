"""Identities are what they claim, and forms hold what a clerk can use, as attacks.

A kiosk's token files requests in a citizen's name: the request reaches her dossier only when the
ID card's MRZ proves the ЕГН; citizen tokens need (and die with) the kiosk that opened them; an
ЕГН in other scripts' digits or with a wrong check digit is a 422 naming the field; every form
field is checked by its catalogue type (the exact inputs that once got official numbers).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from hardware.idcard.mrz import compose_td1
from server_sync.hub.catalogue_file import load_catalogue_file
from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.models import ServiceRequest
from server_sync.hub.services.citizens import register_citizen
from server_sync.hub.services.terminals import revoke
from server_sync.protocol import Applicant
from server_sync.protocol.sealing import seal_applicant

from .conftest import assert_error, enroll, now_iso

SHIPPED = Path(__file__).resolve().parents[2] / "server_sync" / "hub" / "data" / "catalogue.toml"
MARIA_EGN, MARIA_DOC = "4803151938", "648201517"  # the demo's Maria Ivanova (fictional)
OTHER_DOC = "AB7654321"


@pytest.fixture
def shipped(hub):
    with hub.sessions.begin() as s:
        import_catalogue(session=s, data=load_catalogue_file(SHIPPED), source="test")
    return hub


def seal(hub, **fields) -> str:
    return seal_applicant(Applicant(**fields), hub.keyring.public_key_b64)


def applicant(egn=MARIA_EGN, doc=MARIA_DOC, mrz_doc=None, mrz_egn=None, with_mrz=True, **extra) -> dict:
    fields = {"egn": egn, "document_number": doc, "given_names": "Мария", "surname": "Иванова", **extra}
    if with_mrz:
        fields["mrz"] = compose_td1(mrz_doc or doc, mrz_egn or egn)
    return fields


def request(hub, service="current-address", form=None, personal=None, **who) -> dict:
    return {"client_id": str(uuid.uuid4()), "kind": "service_request", "terminal_time": now_iso(), "seq": 1,
            "service_id": service, "form": form if form is not None else {"copies": 1},
            "sealed_applicant": seal(hub, **applicant(**who), personal_fields=personal or {})}


def open_dossier(client, kiosk, egn=MARIA_EGN, doc=MARIA_DOC):
    r = client.post("/api/v1/citizens/session", headers=kiosk["headers"],
                    json={"egn": egn, "document_number": doc, "access_code": "K7M4-Q9TX"})
    assert r.status_code == 201, r.text
    return r.json()["token"]


def dossier(client, kiosk, token):
    return client.get("/api/v1/citizens/me/requests", headers={**kiosk["headers"], "X-Citizen-Token": token})


def register_maria(hub):
    with hub.sessions.begin() as s:
        register_citizen(session=s, keyring=hub.keyring, egn=MARIA_EGN, document_number=MARIA_DOC,
                         access_code="K7M4-Q9TX", display_name="Мария")


# --- a claimed identity must be proven to reach a dossier ----------------------------------------------


def test_a_request_in_someone_elses_name_is_filed_but_not_in_her_dossier(client, shipped, kiosk):
    register_maria(shipped)
    proven = client.post("/api/v1/requests", json=request(shipped), headers=kiosk["headers"])
    assert proven.status_code == 201 and proven.json()["identity"] == "linked", proven.text
    attacks = {
        # her ЕГН typed with another document number (the attack these checks stop), no MRZ to match
        "another document, no MRZ": request(shipped, doc=OTHER_DOC, with_mrz=False),
        # an MRZ of another card, with her ЕГН claimed beside it
        "another card's MRZ": request(shipped, mrz_egn="7501020018"),
        # her ЕГН and a made-up card whose check digits are right, but not the document claimed
        "MRZ of another document": request(shipped, doc=OTHER_DOC, mrz_doc=MARIA_DOC),
    }
    numbers = {}
    for name, body in attacks.items():
        r = client.post("/api/v1/requests", json=body, headers=kiosk["headers"])
        assert r.status_code == 201, (name, r.text)  # filed: nothing a citizen typed is lost
        assert r.json()["identity"] == "not_linked", name
        numbers[name] = r.json()["number"]
    broken = request(shipped)
    sealed = applicant()
    sealed["mrz"] = sealed["mrz"].replace("<<<<<<<<<<<<<<<\n", "<<<<<<<<<<<<<<1\n", 1)  # composite now wrong
    broken["sealed_applicant"] = seal(shipped, **sealed)
    r = client.post("/api/v1/requests", json=broken, headers=kiosk["headers"])
    assert r.status_code == 201 and r.json()["identity"] == "not_linked"
    token = open_dossier(client, kiosk)
    listed = {d["number"] for d in dossier(client, kiosk, token).json()["requests"]}
    assert listed == {proven.json()["number"]}
    with shipped.sessions() as s:
        rows = {r.number: r for r in s.scalars(select(ServiceRequest))}
    assert all(not rows[n].identity_linked for n in numbers.values())
    # the clerk sees which is which
    from urllib.parse import quote

    from .web_support import staff_client

    clerk = staff_client(client.app, shipped, "clerk", "clerk")
    proven_page = clerk.get(f"/admin/requests/{quote(proven.json()['number'], safe='')}").text
    forged_page = clerk.get(f"/admin/requests/{quote(numbers['another document, no MRZ'], safe='')}").text
    assert "доказана с личната карта (в досието" in proven_page
    assert "не е доказана с личната карта" in forged_page and "не е доказана" not in proven_page


def test_a_citizen_token_needs_its_kiosk_and_dies_with_it(client, shipped, kiosk):
    register_maria(shipped)
    client.post("/api/v1/requests", json=request(shipped), headers=kiosk["headers"])
    token = open_dossier(client, kiosk)
    assert dossier(client, kiosk, token).status_code == 200
    other = enroll(client, shipped, name="Киоск 2")
    assert_error(dossier(client, other, token), 401, "X-Citizen-Token")  # another kiosk's token: no
    feedback = enroll(client, shipped, kind="feedback", name="Гише 1")
    assert_error(dossier(client, feedback, token), 403)  # a feedback terminal reads no dossier
    assert_error(client.get("/api/v1/citizens/me/requests", headers={"X-Citizen-Token": token}), 401,
                 "Authorization")
    with shipped.sessions.begin() as s:
        assert revoke(session=s, terminal_id=kiosk["terminal_id"])
    assert_error(dossier(client, kiosk, token), 401)
    # and the session is gone, not merely unreachable
    from server_sync.hub.models import CitizenSession

    with shipped.sessions() as s:
        assert s.scalars(select(CitizenSession)).all() == []


# --- ASCII digits and check digits ---------------------------------------------------------------------

FOUR_WAYS = {
    "fullwidth": "４８０３１５１９３８",
    "arabic-indic": "٤٨٠٣١٥١٩٣٨",
    "devanagari": "४८०३१५१९३८",
    "wrong check digit": "4803151937",
}


@pytest.mark.parametrize("how", FOUR_WAYS)
def test_an_egn_in_other_digits_or_with_a_wrong_check_digit_is_refused_everywhere(client, shipped, kiosk, how):
    from datetime import datetime, timedelta, timezone

    from server_sync.hub.services import consultations as consultation_service
    from server_sync.protocol import Consultation as WireConsultation

    egn = FOUR_WAYS[how]
    # clear applicant (a direct TLS call) and sealed: both named
    clear = request(shipped)
    del clear["sealed_applicant"]
    clear["applicant"] = {"egn": egn, "document_number": MARIA_DOC}
    assert_error(client.post("/api/v1/requests", json=clear, headers=kiosk["headers"]), 422, "applicant.egn")
    body = request(shipped)
    body["sealed_applicant"] = seal_applicant(Applicant.model_construct(egn=egn, document_number=MARIA_DOC,
                                                                        personal_fields={}),
                                              shipped.keyring.public_key_b64)
    assert_error(client.post("/api/v1/requests", json=body, headers=kiosk["headers"]), 422, "applicant.egn")
    assert_error(client.post("/api/v1/citizens/session", headers=kiosk["headers"],
                             json={"egn": egn, "document_number": MARIA_DOC, "access_code": "K7M4-Q9TX"}), 422, "egn")
    now = datetime.now(timezone.utc)
    with shipped.sessions.begin() as s:
        consultation_service.upsert(session=s, support_offset=0, consultation=WireConsultation(
            id="plan", title={"bg": "План"}, summary={"bg": "План"}, opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1)))
    r = client.post("/api/v1/consultations/plan/support", headers=kiosk["headers"], json={
        "client_id": str(uuid.uuid4()), "terminal_time": now_iso(), "sealed_applicant": body["sealed_applicant"]})
    assert_error(r, 422, "applicant.egn")


def test_the_same_egn_written_four_ways_supports_once(client, shipped, kiosk):
    from datetime import datetime, timedelta, timezone

    from server_sync.hub.services import consultations as consultation_service
    from server_sync.protocol import Consultation as WireConsultation

    now = datetime.now(timezone.utc)
    with shipped.sessions.begin() as s:
        consultation_service.upsert(session=s, support_offset=0, consultation=WireConsultation(
            id="plan", title={"bg": "План"}, summary={"bg": "План"}, opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1)))
    answers = []
    for egn in ["4803151938", *FOUR_WAYS.values()]:
        sealed = seal_applicant(Applicant.model_construct(egn=egn, document_number=MARIA_DOC, personal_fields={},
                                                          mrz=compose_td1(MARIA_DOC, "4803151938")),
                                shipped.keyring.public_key_b64)
        answers.append(client.post("/api/v1/consultations/plan/support", headers=kiosk["headers"], json={
            "client_id": str(uuid.uuid4()), "terminal_time": now_iso(), "sealed_applicant": sealed}))
    assert [a.status_code for a in answers] == [200, 422, 422, 422, 422], [a.text for a in answers]
    # without the card's MRZ, a valid ЕГН is no support either
    no_card = seal(shipped, egn="7501020018", document_number=MARIA_DOC)
    assert_error(client.post("/api/v1/consultations/plan/support", headers=kiosk["headers"], json={
        "client_id": str(uuid.uuid4()), "terminal_time": now_iso(), "sealed_applicant": no_card}),
        422, "applicant.mrz")
    listed = client.get("/api/v1/consultations", headers=kiosk["headers"]).json()["consultations"]
    assert listed[0]["support_count"] == 1


# --- every field by its catalogue type -----------------------------------------------------------------

DEATH = "death-record-copy"  # deceased_names (name), deceased_egn (egn), date_of_death (date), copies (number)
GOOD_DEATH = {"deceased_egn": "4402126540", "deceased_names": "Петър Иванов Петров"}


def death_request(hub, form_overrides=None, personal_overrides=None):
    form = {"date_of_death": "2026-10-28", "copies": 2, **(form_overrides or {})}
    personal = {**GOOD_DEATH, **(personal_overrides or {})}
    return request(hub, service=DEATH, form=form, personal=personal)


BAD_FORMS = [
    ("copies", "NaN"), ("copies", "1_0"), ("copies", 2.5), ("copies", "٣"), ("copies", "１０"),
    ("copies", True), ("copies", 11), ("copies", "1e1"),
    ("date_of_death", "2026-W49-3"), ("date_of_death", "20261028"), ("date_of_death", "0001-01-01"),
    ("date_of_death", "9999-12-31"), ("date_of_death", "2026-02-30"), ("date_of_death", "２０２６-10-28"),
]


@pytest.mark.parametrize("field,value", BAD_FORMS)
def test_a_form_value_a_clerk_cannot_use_is_a_422_naming_the_field(client, shipped, kiosk, field, value):
    r = client.post("/api/v1/requests", json=death_request(shipped, {field: value}), headers=kiosk["headers"])
    assert_error(r, 422, f"form.{field}")


@pytest.mark.parametrize("value", ["not an egn at all", "4402126541", "٤٤٠٢١٢٦٥٤٠"])
def test_an_egn_field_holds_an_egn(client, shipped, kiosk, value):
    r = client.post("/api/v1/requests", json=death_request(shipped, personal_overrides={"deceased_egn": value}),
                    headers=kiosk["headers"])
    assert_error(r, 422, "applicant.personal_fields.deceased_egn")


def test_a_choice_is_one_of_its_list_and_good_values_get_a_number(client, shipped, kiosk):
    bad = request(shipped, service="marital-status", form={"purpose": "bribe", "copies": 1})
    assert_error(client.post("/api/v1/requests", json=bad, headers=kiosk["headers"]), 422, "form.purpose")
    good = client.post("/api/v1/requests", json=death_request(shipped, {"copies": "3"}), headers=kiosk["headers"])
    assert good.status_code == 201, good.text
    with shipped.sessions() as s:
        row = s.scalars(select(ServiceRequest).where(ServiceRequest.number == good.json()["number"])).one()
    assert row.form == {"date_of_death": "2026-10-28", "copies": 3}  # kept as a number
    assert row.personal_fields == GOOD_DEATH  # the deceased's ЕГН and names only with the personal data


def test_a_public_information_request_keeps_the_requesters_name_and_address(client, shipped, kiosk):
    personal = {"requester_names": "Сдружение Прозрачност", "address": "ул. Витоша 1, София"}
    body = {"client_id": str(uuid.uuid4()), "kind": "service_request", "terminal_time": now_iso(), "seq": 1,
            "service_id": "public-information",
            "form": {"information_requested": "Договорите за асфалт за 2026 г.", "form_of_access": "paper"},
            "sealed_applicant": seal(shipped, personal_fields=personal)}
    r = client.post("/api/v1/requests", json=body, headers=kiosk["headers"])
    assert r.status_code == 201, r.text
    assert r.json()["identity"] is None
    with shipped.sessions() as s:
        row = s.scalars(select(ServiceRequest).where(ServiceRequest.number == r.json()["number"])).one()
    assert row.personal_fields == personal
    assert "Прозрачност" not in str(row.form)
    # a required personal field missing is named
    body = {**body, "client_id": str(uuid.uuid4()),
            "sealed_applicant": seal(shipped, personal_fields={"requester_names": "Сдружение"})}
    assert_error(client.post("/api/v1/requests", json=body, headers=kiosk["headers"]), 422,
                 "applicant.personal_fields.address")


def test_an_lnch_is_checked_by_its_own_check_digit(client, shipped, kiosk):
    good, bad = "1002003008", "1002003009"  # ЛНЧ (stdnum.bg.pnf): valid, and one digit off
    body = request(shipped)
    del body["sealed_applicant"]
    body["applicant"] = {"egn": good, "document_number": OTHER_DOC}
    r = client.post("/api/v1/requests", json=body, headers=kiosk["headers"])
    assert r.status_code == 201 and r.json()["identity"] == "not_linked", r.text
    body = {**body, "client_id": str(uuid.uuid4()), "applicant": {"egn": bad, "document_number": OTHER_DOC}}
    assert_error(client.post("/api/v1/requests", json=body, headers=kiosk["headers"]), 422, "applicant.egn")
