"""Hub test fixtures: a hub on the parametrised database (SQLite file + PostgreSQL), its client, terminals."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from server_sync.hub.app import create_app
from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.context import open_hub
from server_sync.hub.settings import HubSettings
from server_sync.hub.testing import fixture_catalogue
from server_sync.protocol import Applicant
from server_sync.protocol.sealing import seal_applicant

EGN = "7501020018"  # checksum-valid, fictional
OTHER_EGN = "8509093516"  # checksum-valid, fictional


@pytest.fixture(scope="session")
def _shared_pg_database(postgres_admin_url):
    """One PostgreSQL database for the hub tests; each test gets it emptied (CREATE DATABASE is slow)."""
    import psycopg

    name = f"eob_hub_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_admin_url.rsplit("/", 1)[0]
    yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}", f"{base}/{name}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """Like the suite's fixture (SQLite file, then PostgreSQL), but the PostgreSQL database is an
    emptied shared one: a fresh schema per test instead of a fresh database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    import psycopg

    sqlalchemy_url, plain_url = request.getfixturevalue("_shared_pg_database")
    with psycopg.connect(plain_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return sqlalchemy_url


@pytest.fixture
def hub_settings(tmp_path, database_url) -> HubSettings:
    return HubSettings(data_dir=tmp_path / "hub", database_url=database_url, schema_setup="create_all",
                       import_shipped_catalogue=False, hmac_key="test-hmac-key")


@pytest.fixture
def hub(hub_settings):
    context = open_hub(hub_settings)
    with context.sessions.begin() as s:
        import_catalogue(session=s, data=fixture_catalogue(), source="test")
    yield context
    context.close()


@pytest.fixture
def client(hub):
    with TestClient(create_app(hub.settings, context=hub), raise_server_exceptions=False) as c:
        yield c


def enroll(client: TestClient, hub, kind: str = "kiosk", name: str = "Киоск 1") -> dict:
    from server_sync.hub.services.terminals import create_enrollment_code

    with hub.sessions.begin() as s:
        code = create_enrollment_code(session=s, kind=kind, name=name, location="фоайе")
    r = client.post("/api/v1/terminals/enroll", json={"code": code})
    assert r.status_code == 201, r.text
    body = r.json()
    body["headers"] = {"Authorization": f"Bearer {body['token']}"}
    return body


@pytest.fixture
def kiosk(client, hub) -> dict:
    return enroll(client, hub)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def sealed(hub, egn: str = EGN, **fields) -> str:
    """A sealed applicant as a kiosk sends it: with the MRZ of the ID card it read (which proves
    the ЕГН; pass mrz=None for a claim without proof)."""
    from hardware.idcard.mrz import compose_td1

    fields.setdefault("mrz", compose_td1(fields.get("document_number", "AA1234567"), egn))
    fields.setdefault("document_number", "AA1234567")
    applicant = Applicant(egn=egn, given_names="Иван Петров",
                          surname="Иванов", phone="0888 123 456", **fields)
    return seal_applicant(applicant, hub.keyring.public_key_b64)


def service_request(hub, **overrides) -> dict:
    body = {
        "client_id": str(uuid.uuid4()), "kind": "service_request", "terminal_time": now_iso(), "seq": 1,
        "provisional_ref": "K01-000001", "service_id": "heirs-certificate", "tier": "fast",
        "form": {"deceased_name": "Петър Иванов Иванов", "copies": 2},
        "sealed_applicant": sealed(hub, personal_fields={"deceased_egn": "4402126540"}),
    }
    body.update(overrides)
    return body


def signal(**overrides) -> dict:
    body = {
        "client_id": str(uuid.uuid4()), "kind": "signal", "terminal_time": now_iso(), "seq": 2,
        "signal_category_id": "potholes", "signal_type": "problem",
        "description": "Дупка на пешеходната пътека пред училището.", "anonymous": True,
    }
    body.update(overrides)
    return body


def assert_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] and error["message"]
    if field is not None:
        assert error["field"] == field, error
    return error
