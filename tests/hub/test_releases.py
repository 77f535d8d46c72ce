"""Releases on the hub (SQLite and PostgreSQL): the heartbeat's offer by channel and version, the
bundle download, and the fleet pages: each terminal's version and update state, its channel set
by an administrator."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from sqlalchemy import select

from server_sync.hub.models import AuditEntry, Heartbeat
from server_sync.hub.releases import service
from server_sync.protocol.releases import new_signing_key, public_key_of, sign_release

from .conftest import assert_error, enroll
from .test_web_fleet import beat, row_of
from .web_support import page_csrf, staff_client

KEY = new_signing_key()


def wheel(tmp_path, version: str):
    path = tmp_path / f"eobshtina_probe-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("eobshtina_probe/__init__.py", f"__version__ = {version!r}\n")
    return path


def publish(hub, tmp_path, version: str, channel: str):
    path = wheel(tmp_path, version)
    with hub.sessions.begin() as s:
        service.publish(session=s, data_dir=hub.settings.data_dir, path=path, version=version, channel=channel,
                        signature=sign_release(KEY, version, service.file_sha256(path)),
                        public_key=public_key_of(KEY))
    return path


def heartbeat(client, terminal, *, features=("updates",), current=None, state="idle"):
    body = beat(features=list(features), software_version="0.1.0")
    if "updates" in features:
        body["update"] = {"state": state, "current": current}
    r = client.post("/api/v1/terminals/heartbeat", json=body, headers=terminal["headers"])
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(autouse=True)
def _fresh_offers():
    service.forget_offers()
    yield
    service.forget_offers()


def test_the_offer_follows_channel_version_and_feature(client, hub, tmp_path):
    pilot, other = enroll(client, hub, name="Пилот"), enroll(client, hub, name="Друг")
    assert "release" not in heartbeat(client, pilot)  # nothing published
    published = publish(hub, tmp_path, "1.0", "all").read_bytes()
    publish(hub, tmp_path, "1.1", "pilot")
    with hub.sessions.begin() as s:
        service.set_terminal_channel(session=s, terminal_id=pilot["terminal_id"], channel="pilot")
    assert heartbeat(client, pilot)["release"]["version"] == "1.1"
    offer = heartbeat(client, other)["release"]
    assert offer["version"] == "1.0" and offer["url"] == "/api/v1/releases/1.0/bundle"
    assert offer["sha256"] == hashlib.sha256(published).hexdigest()
    assert "release" not in heartbeat(client, other, current="1.0")  # already runs it
    assert "release" not in heartbeat(client, pilot, current="1.10")  # newer than 1.1 (versions, not text)
    assert "release" not in heartbeat(client, other, features=())  # older software: never an unknown field
    # Promoted to all: the other terminal gets 1.1 too; withdrawn: nobody is offered it.
    with hub.sessions.begin() as s:
        service.set_release_channel(session=s, version="1.1", channel="all")
    assert heartbeat(client, other, current="1.0")["release"]["version"] == "1.1"
    with hub.sessions.begin() as s:
        service.set_release_channel(session=s, version="1.1", withdrawn=True)
    assert "release" not in heartbeat(client, other, current="1.0")
    # The reported state is kept in the history too.
    heartbeat(client, other, current="1.0", state="healthy")
    with hub.sessions() as s:
        newest = s.scalars(select(Heartbeat).order_by(Heartbeat.id.desc())).first()
        assert newest.update["state"] == "healthy" and newest.update["current"] == "1.0"


def test_the_offer_cache_is_reloaded_after_its_time(client, hub, tmp_path, monkeypatch):
    kiosk = enroll(client, hub)
    assert "release" not in heartbeat(client, kiosk)
    path = wheel(tmp_path, "2.0")
    with hub.sessions.begin() as s:  # published by another hub process: this one's cache does not know
        s.add(service.Release(version="2.0", channel="all", filename=path.name, sha256="0" * 64,
                              signature="A" * 88, size=1, published_at=service.utcnow()))
    assert "release" not in heartbeat(client, kiosk)
    monkeypatch.setattr(service, "OFFER_CACHE_S", 0.0)
    assert heartbeat(client, kiosk)["release"]["version"] == "2.0"


def test_the_bundle_needs_a_terminal_token_and_is_the_signed_file(client, hub, tmp_path):
    kiosk = enroll(client, hub)
    published = publish(hub, tmp_path, "1.0", "all").read_bytes()
    assert_error(client.get("/api/v1/releases/1.0/bundle"), 401)
    r = client.get("/api/v1/releases/1.0/bundle", headers=kiosk["headers"])
    assert r.status_code == 200 and r.content == published
    assert_error(client.get("/api/v1/releases/9.9/bundle", headers=kiosk["headers"]), 404)


def test_publish_refuses_a_signature_of_another_key_or_version(hub, tmp_path):
    path = wheel(tmp_path, "1.0")
    digest = service.file_sha256(path)
    for signature in (sign_release(new_signing_key(), "1.0", digest), sign_release(KEY, "0.9", digest)):
        with pytest.raises(service.ReleaseError, match="signature"), hub.sessions.begin() as s:
            service.publish(session=s, data_dir=hub.settings.data_dir, path=path, version="1.0", channel="all",
                            signature=signature, public_key=public_key_of(KEY))
    spaced = tmp_path / "my release.whl"
    spaced.write_bytes(path.read_bytes())
    with pytest.raises(service.ReleaseError, match="rename it"), hub.sessions.begin() as s:
        service.publish(session=s, data_dir=hub.settings.data_dir, path=spaced, version="1.0", channel="all",
                        signature=sign_release(KEY, "1.0", digest), public_key=public_key_of(KEY))
    with hub.sessions() as s:
        assert service.list_releases(session=s) == []


def test_fleet_page_shows_version_and_update_state_and_an_administrator_sets_the_channel(client, hub, tmp_path):
    kiosk = enroll(client, hub, name="Фоайе")
    kid = kiosk["terminal_id"]
    body = beat(features=["updates"], update={"state": "rolled_back", "current": "1.0", "target": "1.1",
                                              "reason": "not healthy within 300 s"})
    assert client.post("/api/v1/terminals/heartbeat", json=body, headers=kiosk["headers"]).status_code == 200
    tech = staff_client(client.app, hub, "tech", "technician")
    row = row_of(tech.get("/admin/fleet").text, kid)
    assert "0.1.0" in row and "1.1 е върната назад: not healthy within 300 s" in row
    page = tech.get(f"/admin/fleet/{kid}").text
    assert 'id="channel-form"' not in page  # a technician sees the channel, an administrator sets it
    r = tech.post(f"/admin/fleet/{kid}/channel", data={"channel": "pilot", "csrf": page_csrf(tech, f"/admin/fleet/{kid}")},
                  follow_redirects=False)
    assert r.status_code == 403
    admin = staff_client(client.app, hub, "boss", "administrator")
    csrf = page_csrf(admin, f"/admin/fleet/{kid}")
    assert admin.post(f"/admin/fleet/{kid}/channel", data={"channel": "pilot"}, follow_redirects=False).status_code == 403
    assert admin.post(f"/admin/fleet/{kid}/channel", data={"channel": "beta", "csrf": csrf},
                      follow_redirects=False).status_code == 422
    r = admin.post(f"/admin/fleet/{kid}/channel", data={"channel": "pilot", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    with hub.sessions() as s:
        assert service.terminal_channels(session=s) == {kid: "pilot"}
        assert s.scalar(select(AuditEntry.target).where(AuditEntry.action == "terminal_channel")) == kid
    assert "пилотен" in row_of(tech.get("/admin/fleet").text, kid)
    assert 'id="update-channel">пилотен' in tech.get(f"/admin/fleet/{kid}").text
