"""Health, enrolment (one-time codes, revocable hashed tokens), heartbeats with skew, catalogue ETags."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.models import EnrollmentCode, Heartbeat, Terminal
from server_sync.hub.services.terminals import create_enrollment_code, prune_due_now, revoke
from server_sync.hub.testing import fixture_catalogue
from server_sync.protocol import Catalogue, EnrollResponse, HealthResponse, HeartbeatResponse

from .conftest import assert_error, enroll


def test_health_answers_with_version_and_epoch(client, hub):
    body = HealthResponse.model_validate(client.get("/api/v1/health").json())
    assert body.status == "ok" and body.version and body.hub_epoch == hub.hub_epoch


def test_enrolment_gives_a_token_stored_only_hashed(client, hub):
    body = enroll(client, hub, kind="feedback", name="Гише 3")
    EnrollResponse.model_validate({k: v for k, v in body.items() if k != "headers"})
    assert body["terminal_id"] == "F01" and body["kind"] == "feedback"
    assert body["hub_public_key"] == hub.keyring.public_key_b64
    with hub.sessions() as s:
        stored = s.get(Terminal, "F01")
    assert stored.token_hash != body["token"] and body["token"] not in stored.token_hash
    second = enroll(client, hub, kind="feedback", name="Гише 4")
    assert second["terminal_id"] == "F02" and second["token"] != body["token"]


def test_used_expired_and_unknown_codes_are_refused_alike(client, hub):
    with hub.sessions.begin() as s:
        code = create_enrollment_code(session=s, kind="kiosk", name="Киоск")
        old = create_enrollment_code(session=s, kind="kiosk", name="Стар")
    assert client.post("/api/v1/terminals/enroll", json={"code": code.lower().replace("-", " ")}).status_code == 201
    used = client.post("/api/v1/terminals/enroll", json={"code": code})
    with hub.sessions.begin() as s:
        s.execute(update(EnrollmentCode).where(EnrollmentCode.used_at.is_(None))
                  .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    expired = client.post("/api/v1/terminals/enroll", json={"code": old})
    unknown = client.post("/api/v1/terminals/enroll", json={"code": "ABCD-EFGH-JKLM"})
    # One answer for all three: a guesser cannot tell a used or expired code from one never issued.
    answers = [assert_error(r, 403, "code") for r in (used, expired, unknown)]
    assert answers[0] == answers[1] == answers[2] and answers[0]["code"] == "enrollment_code_invalid"


def test_codes_expire_after_24_hours(hub):
    with hub.sessions.begin() as s:
        create_enrollment_code(session=s, kind="kiosk", name="Киоск")
        row = s.scalars(select(EnrollmentCode)).one()
        assert row.expires_at - row.created_at == timedelta(hours=24)


def heartbeat_body(**overrides):
    body = {
        "terminal_time": (datetime.now(timezone.utc) - timedelta(seconds=90)).isoformat(), "seq": 7,
        "software_version": "0.1.0", "uptime_s": 3600.5, "queue_depth": 3, "oldest_undelivered_age_s": 41.2,
        "disk_free_bytes": 12884901888, "cpu_temp_c": 52.1, "under_voltage": False,
        "catalogue_version": "c-old",
        "devices": {"printer": {"state": "degraded", "reason": "paper near end", "detail": {"paper": "near_end"}}},
        "last_errors": ["printer: paper near end"],
    }
    body.update(overrides)
    return body


def test_heartbeat_stores_every_field_and_the_clock_skew(client, hub, kiosk):
    r = client.post("/api/v1/terminals/heartbeat", json=heartbeat_body(), headers=kiosk["headers"])
    assert r.status_code == 200, r.text
    answer = HeartbeatResponse.model_validate(r.json())
    assert answer.hub_epoch == hub.hub_epoch and answer.catalogue_version.startswith("c-")
    assert answer.last_seq is None  # no events delivered yet
    with hub.sessions() as s:
        beat = s.scalars(select(Heartbeat)).one()
        terminal = s.get(Terminal, kiosk["terminal_id"])
    assert 89 < beat.clock_skew_s < 120 and terminal.clock_skew_s == beat.clock_skew_s
    assert beat.disk_free_bytes == 12884901888 and beat.queue_depth == 3 and beat.cpu_temp_c == 52.1
    assert beat.devices["printer"]["detail"] == {"paper": "near_end"}
    assert beat.last_errors == ["printer: paper near end"] and beat.under_voltage is False
    assert terminal.last_heartbeat["oldest_undelivered_age_s"] == 41.2 and terminal.last_heartbeat_at
    client.post("/api/v1/terminals/heartbeat", json=heartbeat_body(seq=8), headers=kiosk["headers"])
    with hub.sessions() as s:
        assert len(s.scalars(select(Heartbeat)).all()) == 2  # history, not only the latest
    # History beyond the retention (a week by default) is pruned as new reports arrive (at most once
    # a minute per process); a report older than the page's day but within the week stays.
    assert hub.settings.heartbeat_retention_days == 7
    with hub.sessions.begin() as s:
        s.execute(update(Heartbeat).where(Heartbeat.seq == 7)
                  .values(received_at=datetime.now(timezone.utc) - timedelta(days=7, minutes=5)))
        s.execute(update(Heartbeat).where(Heartbeat.seq == 8)
                  .values(received_at=datetime.now(timezone.utc) - timedelta(days=6)))
    prune_due_now()
    client.post("/api/v1/terminals/heartbeat", json=heartbeat_body(seq=9), headers=kiosk["headers"])
    with hub.sessions() as s:
        assert sorted(b.seq for b in s.scalars(select(Heartbeat))) == [8, 9]


def test_heartbeat_needs_a_valid_unrevoked_token(client, hub, kiosk):
    assert_error(client.post("/api/v1/terminals/heartbeat", json=heartbeat_body()), 401, "Authorization")
    bad = {"Authorization": "Bearer not-a-token"}
    assert_error(client.post("/api/v1/terminals/heartbeat", json=heartbeat_body(), headers=bad), 401)
    assert_error(client.post("/api/v1/terminals/heartbeat", json=heartbeat_body(),
                             headers={"Authorization": "Basic abc"}), 401)
    with hub.sessions.begin() as s:
        assert revoke(session=s, terminal_id=kiosk["terminal_id"])
        assert not revoke(session=s, terminal_id=kiosk["terminal_id"])
    assert_error(client.post("/api/v1/terminals/heartbeat", json=heartbeat_body(), headers=kiosk["headers"]), 401)


def test_a_token_is_checked_before_the_body_and_refused_the_moment_it_is_revoked(client, hub, kiosk):
    from .conftest import signal

    # Valid: a broken body is named (422); the token is now known to the check before the body.
    assert_error(client.post("/api/v1/requests", json={**signal(), "seq": "many"}, headers=kiosk["headers"]),
                 422, "seq")
    with hub.sessions.begin() as s:
        assert revoke(session=s, terminal_id=kiosk["terminal_id"])
    # Revoked a moment ago: the route's own check in its transaction refuses it. (The check before
    # the body may still take it as known for a few seconds: a broken body then gets its 422.)
    good = client.post("/api/v1/requests", json=signal(), headers=kiosk["headers"])
    assert_error(good, 401, "Authorization")
    assert_error(client.get("/api/v1/catalogue", headers=kiosk["headers"]), 401)
    # An unknown token with a wrongly shaped body: 401, not a 422 naming the request's fields.
    stranger = {"Authorization": "Bearer " + "x" * 43}
    for path in ("/api/v1/requests", "/api/v1/feedback", "/api/v1/citizens/session"):
        r = client.post(path, json={"seq": "many"}, headers=stranger)
        assert_error(r, 401, "Authorization")
        assert "seq" not in r.text


def test_the_heartbeat_fast_path_answers_as_the_route_and_leaves_it_every_refusal(client, hub, kiosk, monkeypatch):
    from server_sync.hub.api import terminals as api

    routed_on = []  # the requests the fast path handed to the FastAPI route
    replay = api.replayed_body
    monkeypatch.setattr(api, "replayed_body", lambda raw, receive: routed_on.append(raw) or replay(raw, receive))
    url = "/api/v1/terminals/heartbeat"
    fast = client.post(url, json=heartbeat_body(features=["technicians"]), headers=kiosk["headers"])
    assert fast.status_code == 200 and fast.headers["content-type"] == "application/json"
    assert routed_on == []
    # A JSON subtype the fast path leaves to FastAPI: the route's answer has the same fields.
    routed = client.post(url, content=json.dumps(heartbeat_body(seq=8, features=["technicians"])),
                         headers={**kiosk["headers"], "Content-Type": "application/vnd.heartbeat+json"})
    assert routed.status_code == 200 and sorted(routed.json()) == sorted(fast.json())
    assert {k: v for k, v in routed.json().items() if k != "server_time"} == \
        {k: v for k, v in fast.json().items() if k != "server_time"}
    # Refusals are the route's own: a body the model refuses, a broken JSON, no token.
    bad_seq = client.post(url, json=heartbeat_body(seq="x"), headers=kiosk["headers"])
    assert_error(bad_seq, 422, "seq")
    assert_error(client.post(url, content=b"{", headers={**kiosk["headers"], "Content-Type": "application/json"}),
                 422, "body")
    assert_error(client.post(url, json=heartbeat_body()), 401, "Authorization")
    # Refused by the same checks after validation (no UTC offset).
    no_offset = client.post(url, json=heartbeat_body(terminal_time="2026-12-04T10:00:00"), headers=kiosk["headers"])
    assert no_offset.status_code == 422
    with hub.sessions() as s:
        assert sorted(b.seq for b in s.scalars(select(Heartbeat))) == [7, 8]
    assert len(routed_on) == 4  # the +json one, the bad seq, the broken JSON, the one without a token


def test_catalogue_etag_304_and_version_changes_with_content(client, hub, kiosk):
    r = client.get("/api/v1/catalogue", headers=kiosk["headers"])
    assert r.status_code == 200
    catalogue = Catalogue.model_validate(r.json())
    assert r.headers["etag"] == f'"{catalogue.version}"' and not r.headers["etag"].startswith("W/")
    assert len(catalogue.services) == 3
    again = client.get("/api/v1/catalogue", headers={**kiosk["headers"], "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == r.headers["etag"]
    # Re-importing the same content keeps the version; any change makes a new one.
    data = fixture_catalogue()
    with hub.sessions.begin() as s:
        assert import_catalogue(session=s, data=data) == catalogue.version
        data.hotlines[0].phone = "150"
        new_version = import_catalogue(session=s, data=data)
    assert new_version != catalogue.version
    changed = client.get("/api/v1/catalogue", headers={**kiosk["headers"], "If-None-Match": r.headers["etag"]})
    assert changed.status_code == 200 and changed.json()["version"] == new_version
    assert changed.json()["hotlines"][0]["phone"] == "150"
    beat = client.post("/api/v1/terminals/heartbeat", json=heartbeat_body(), headers=kiosk["headers"])
    assert beat.json()["catalogue_version"] == new_version
    assert_error(client.get("/api/v1/catalogue"), 401)


def test_every_heartbeat_field_has_a_column():
    # "Stores every reported health field": a field added to the protocol must get a column too.
    from server_sync.protocol import HeartbeatRequest

    columns = set(Heartbeat.__table__.columns.keys())
    # (schema_version, features and the technicians' version describe the message, not the
    # terminal's health)
    assert set(HeartbeatRequest.model_fields) - {"schema_version", "features", "technicians_version"} <= columns


def test_terminal_names_from_the_command_line_are_nfc_and_bounded(client, hub):
    import pytest

    with hub.sessions.begin() as s:
        code = create_enrollment_code(session=s, kind="feedback", name="  Гише 3 — Ви\u0306ево ",
                                      location="Кметство Ви\u0306ево")
    body = client.post("/api/v1/terminals/enroll", json={"code": code}).json()
    assert body["name"] == "Гише 3 — Вйево" and len(body["name"]) == 14  # composed й, trimmed
    assert body["location"] == "Кметство Вйево"
    with hub.sessions.begin() as s, pytest.raises(ValueError, match="name"):
        create_enrollment_code(session=s, kind="kiosk", name="   ")
