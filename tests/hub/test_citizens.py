"""Feedback batches, citizen sessions with throttling, the dossier, consultations with one support each."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from server_sync.hub.models import CitizenSession, Consultation, Terminal
from server_sync.hub.services import consultations as consultation_service
from server_sync.hub.services.citizens import register_citizen
from server_sync.protocol import Consultation as WireConsultation
from server_sync.protocol import DossierResponse, FeedbackBatchResult, SupportResult

from .conftest import EGN, OTHER_EGN, assert_error, enroll, now_iso, sealed, service_request, signal


def press(seq=1, **overrides):
    return {"press_id": str(uuid.uuid4()), "terminal_time": now_iso(), "seq": seq, "score": 3, **overrides}


def test_feedback_batch_counts_new_and_duplicate_presses(client, hub):
    terminal = enroll(client, hub, kind="feedback", name="Гише 1")
    batch = [press(i, counter_id="c1") for i in range(1, 6)]
    r = client.post("/api/v1/feedback", json={"presses": batch}, headers=terminal["headers"])
    assert FeedbackBatchResult.model_validate(r.json()) == FeedbackBatchResult(accepted=5, duplicates=0)
    again = client.post("/api/v1/feedback", json={"presses": batch[3:] + [press(9)] + [batch[0]] * 2},
                        headers=terminal["headers"]).json()
    assert (again["accepted"], again["duplicates"]) == (1, 4)
    with hub.sessions() as s:
        assert s.get(Terminal, terminal["terminal_id"]).last_event_seq == 9
    beat = client.post("/api/v1/terminals/heartbeat", headers=terminal["headers"], json={
        "terminal_time": now_iso(), "seq": 10, "software_version": "0.1", "uptime_s": 1, "queue_depth": 0})
    assert beat.json()["last_seq"] == 9


def test_feedback_batch_is_validated(client, hub):
    terminal = enroll(client, hub, kind="feedback", name="Гише 1")
    h = terminal["headers"]
    assert_error(client.post("/api/v1/feedback", json={"presses": []}, headers=h), 422, "presses")
    assert_error(client.post("/api/v1/feedback", json={"presses": [press(score=5, scale=4)]}, headers=h), 422)
    assert_error(client.post("/api/v1/feedback", json={"presses": [press(score=0)]}, headers=h), 422,
                 "presses.0.score")
    assert_error(client.post("/api/v1/feedback", json={"presses": [press()] * 1001}, headers=h), 422, "presses")
    assert_error(client.post("/api/v1/feedback", json={"presses": [press()]}), 401)


def citizen(hub, egn=EGN, code="K7M4-Q9TX"):
    with hub.sessions.begin() as s:
        register_citizen(session=s, keyring=hub.keyring, egn=egn, document_number="AA1234567",
                         access_code=code, display_name="Иван Иванов")


def session_body(egn=EGN, code="K7M4-Q9TX", document="AA1234567"):
    return {"egn": egn, "document_number": document, "access_code": code}


def test_citizen_session_and_dossier_show_only_own_requests(client, hub, kiosk):
    citizen(hub)
    mine = client.post("/api/v1/requests", json=service_request(hub), headers=kiosk["headers"]).json()
    client.post("/api/v1/requests", json=signal(anonymous=False, sealed_applicant=sealed(hub)),
                headers=kiosk["headers"])
    client.post("/api/v1/requests", json=service_request(hub, sealed_applicant=sealed(hub, egn=OTHER_EGN)),
                headers=kiosk["headers"])
    r = client.post("/api/v1/citizens/session", json=session_body(), headers=kiosk["headers"])
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert r.json()["display_name"] == "Иван Иванов"
    both = {**kiosk["headers"], "X-Citizen-Token": token}
    dossier = DossierResponse.model_validate(client.get("/api/v1/citizens/me/requests", headers=both).json())
    assert len(dossier.requests) == 2 and mine["number"] in {d.number for d in dossier.requests}
    # the citizen token alone, as a bearer or in its header, is not enough: the kiosk's token too
    assert_error(client.get("/api/v1/citizens/me/requests", headers={"Authorization": f"Bearer {token}"}), 401)
    assert_error(client.get("/api/v1/citizens/me/requests", headers={"X-Citizen-Token": token}), 401,
                 "Authorization")
    assert_error(client.get("/api/v1/citizens/me/requests", headers=kiosk["headers"]), 401)  # not a citizen
    assert {d.kind for d in dossier.requests} == {"service_request", "signal"}
    assert_error(client.get("/api/v1/citizens/me/requests"), 401)
    assert_error(client.get("/api/v1/citizens/me/requests", headers={**kiosk["headers"], "X-Citizen-Token": "forged"}),
                 401)
    with hub.sessions.begin() as s:
        s.execute(update(CitizenSession).values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert_error(client.get("/api/v1/citizens/me/requests", headers=both), 401)


def test_wrong_codes_are_refused_then_throttled_per_person(client, hub, kiosk):
    citizen(hub)
    assert_error(client.post("/api/v1/citizens/session", json=session_body(document="ZZ9999999"),
                             headers=kiosk["headers"]), 401, "access_code")
    for _ in range(4):
        assert_error(client.post("/api/v1/citizens/session", json=session_body(code="0000"),
                                 headers=kiosk["headers"]), 401, "access_code")
    # Five failures: even the right code is now refused for a while, with a clear 429.
    r = client.post("/api/v1/citizens/session", json=session_body(), headers=kiosk["headers"])
    assert_error(r, 429, "access_code")
    assert int(r.headers["Retry-After"]) > 0
    # Another person on the same terminal is not locked out by it.
    citizen(hub, egn=OTHER_EGN, code="2468")
    assert client.post("/api/v1/citizens/session", json=session_body(egn=OTHER_EGN, code="2468"),
                       headers=kiosk["headers"]).status_code == 201


def test_unknown_citizen_gets_the_same_answer_and_terminal_is_throttled(client, hub, kiosk):
    hub.settings.citizen_failures_per_terminal = 3
    answers = [client.post("/api/v1/citizens/session", json=session_body(egn=e), headers=kiosk["headers"])
               for e in UNKNOWN_EGNS[:3]]
    assert {a.status_code for a in answers} == {401}
    assert len({a.json()["error"]["message"] for a in answers}) == 1
    assert_error(client.post("/api/v1/citizens/session", json=session_body(egn=UNKNOWN_EGNS[3]),
                             headers=kiosk["headers"]), 429)
    other = enroll(client, hub, name="Киоск 2")
    assert_error(client.post("/api/v1/citizens/session", json=session_body(egn=UNKNOWN_EGNS[3]),
                             headers=other["headers"]), 401)


# valid ЕГН nobody registered (an invalid one is a 422 before any code is checked)
UNKNOWN_EGNS = ["8001010008", "8001020006", "8001030004", "8001040002"]


def consultation(hub, cid="budget-2027", opens=-1, closes=30, offset=0):
    now = datetime.now(timezone.utc)
    with hub.sessions.begin() as s:
        consultation_service.upsert(session=s, support_offset=offset, consultation=WireConsultation(
            id=cid, title={"bg": "Бюджет 2027", "en": "Budget 2027"}, summary={"bg": "Проект", "en": "Draft"},
            opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)))


def support(client, kiosk, cid, egn=EGN, client_id=None, hub=None):
    body = {"client_id": client_id or str(uuid.uuid4()), "terminal_time": now_iso(),
            "sealed_applicant": sealed(hub, egn=egn)}
    return client.post(f"/api/v1/consultations/{cid}/support", json=body, headers=kiosk["headers"])


def test_consultations_list_and_one_support_per_person(client, hub, kiosk):
    consultation(hub, offset=41)
    consultation(hub, "old-plan", opens=-60, closes=-30)
    listed = client.get("/api/v1/consultations", headers=kiosk["headers"]).json()["consultations"]
    assert [c["id"] for c in listed] == ["budget-2027"] and listed[0]["support_count"] == 41
    cid = str(uuid.uuid4())
    first = SupportResult.model_validate(support(client, kiosk, "budget-2027", client_id=cid, hub=hub).json())
    assert (first.support_count, first.already_supported) == (42, False)
    replay = support(client, kiosk, "budget-2027", client_id=cid, hub=hub).json()
    assert replay == first.model_dump(mode="json")  # the same answer to a retried delivery
    again = support(client, kiosk, "budget-2027", hub=hub).json()  # same person, new attempt
    assert (again["support_count"], again["already_supported"]) == (42, True)
    other = support(client, kiosk, "budget-2027", egn=OTHER_EGN, hub=hub).json()
    assert (other["support_count"], other["already_supported"]) == (43, False)
    assert_error(support(client, kiosk, "old-plan", hub=hub), 409, "consultation_id")
    assert_error(support(client, kiosk, "no-such", hub=hub), 404)
    assert_error(client.post("/api/v1/consultations/budget-2027/support", headers=kiosk["headers"],
                             json={"client_id": str(uuid.uuid4()), "terminal_time": now_iso()}), 422, "applicant")
    assert_error(client.get("/api/v1/consultations"), 401)
    with hub.sessions() as s:
        assert s.get(Consultation, "budget-2027").support_offset == 41


def test_access_codes_and_ids_are_stored_only_hashed(hub):
    from sqlalchemy import select

    from server_sync.hub.models import Citizen

    citizen(hub, code="K7M4-Q9TX")
    with hub.sessions() as s:
        row = s.scalars(select(Citizen)).one()
    stored = " ".join(str(v) for v in (row.egn_hmac, row.document_hmac, row.access_code_hash))
    assert row.access_code_hash.startswith("scrypt$")
    for secret in ("K7M4-Q9TX", "K7M4Q9TX", EGN, "AA1234567"):
        assert secret not in stored
