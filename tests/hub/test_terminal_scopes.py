"""A terminal's token does only what its kind and office may (a feedback terminal sits on a counter,
where anyone can carry it off): no requests, citizen sessions or supports; presses for its own office."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from server_sync.hub.models import FeedbackPress, ServiceRequest, Terminal

from .conftest import EGN, enroll, now_iso, sealed, service_request, signal


def press(office_id=None, **overrides):
    return {"press_id": str(uuid.uuid4()), "terminal_time": now_iso(), "seq": 1, "score": 1,
            "office_id": office_id, **overrides}


def test_a_feedback_terminal_files_no_request_and_opens_no_citizen_session(client, hub):
    box = enroll(client, hub, kind="feedback", name="Гише 1")
    h = box["headers"]
    for body in (signal(), service_request(hub)):
        r = client.post("/api/v1/requests", json=body, headers=h)
        assert r.status_code == 403 and r.json()["error"]["code"] == "not_for_this_terminal_kind"
        assert r.json()["error"].get("field") != "Authorization"  # not taken for a revoked token
    r = client.post("/api/v1/citizens/session", headers=h,
                    json={"egn": EGN, "document_number": "AA1234567", "access_code": "K7M4-Q9TX"})
    assert r.status_code == 403
    assert client.get("/api/v1/consultations", headers=h).status_code == 403
    r = client.post("/api/v1/consultations/budget-2027/support", headers=h,
                    json={"client_id": str(uuid.uuid4()), "terminal_time": now_iso(),
                          "sealed_applicant": sealed(hub)})
    assert r.status_code == 403
    with hub.sessions() as s:
        assert s.scalar(select(ServiceRequest.id)) is None
    # What it is for still works.
    assert client.post("/api/v1/feedback", json={"presses": [press()]}, headers=h).status_code == 200
    assert client.get("/api/v1/catalogue", headers=h).status_code == 200


def test_presses_count_for_the_terminals_own_office(client, hub):
    box = enroll(client, hub, kind="feedback", name="Гише 1")
    with hub.sessions.begin() as s:
        s.execute(update(Terminal).where(Terminal.id == box["terminal_id"]).values(office_id="centre"))
    r = client.post("/api/v1/feedback", headers=box["headers"],
                    json={"presses": [press("village-hall"), press(None), press("no-such-office")]})
    assert r.status_code == 200 and r.json()["accepted"] == 3  # kept: a citizen's answer all the same
    with hub.sessions() as s:
        assert set(s.scalars(select(FeedbackPress.office_id))) == {"centre"}
