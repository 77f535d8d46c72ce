"""Test helper for every area: a real hub (uvicorn in a thread, fresh database) on a free local port.

    from server_sync.hub.testing import running_hub

    def test_something(tmp_path):
        with running_hub(tmp_path) as hub:
            code = hub.make_enrollment_code("kiosk", "Киоск 1")
            httpx.post(f"{hub.base_url}/api/v1/terminals/enroll", json={"code": code})

`running_hub(tmp_path, database_url=..., **other HubSettings fields)`; the yielded object has
`.base_url`, `.settings`, `.context` (HubContext), `.make_enrollment_code(kind, name, location=None)`,
`.enroll(kind="kiosk", name=...) -> EnrollResponse`, `.session()` (a SQLAlchemy session on the hub's
database, used as a context manager), `.create_citizen(...)`, `.add_consultation(...)`,
`.create_admin(...)` and `.import_catalogue(data)`.
The hub is seeded with the shipped catalogue (server_sync/hub/data/catalogue.toml) when it loads,
otherwise with `fixture_catalogue()`, a small valid catalogue.
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import httpx
import uvicorn

from server_sync.hub.app import create_app
from server_sync.hub.catalogue_store import SHIPPED_CATALOGUE, import_catalogue, load_catalogue_path
from server_sync.hub.context import HubContext, open_hub
from server_sync.hub.services import citizens, consultations, staff, terminals
from server_sync.hub.settings import HubSettings
from server_sync.protocol import CatalogueData, Consultation, EnrollRequest, EnrollResponse


def fixture_catalogue() -> CatalogueData:
    """A small valid catalogue (3 services, 2 signal categories) for tests that need no real data."""
    return CatalogueData.model_validate({
        "municipality": {"code": "test", "name": {"bg": "Община Тест", "en": "Test Municipality"},
                         "number_index": "94"},
        "units": [{"id": "grao", "name": {"bg": "ГРАО", "en": "Civil registration"}},
                  {"id": "mdt", "name": {"bg": "Местни данъци и такси", "en": "Local taxes"}},
                  {"id": "ecology", "name": {"bg": "Екология", "en": "Environment"}}],
        "life_situations": [{"id": "death", "name": {"bg": "Смърт на близък", "en": "Death of a relative"}}],
        "services": [
            {"id": "heirs-certificate", "iisda_code": "2079", "local_code": "ГР-12",
             "name": {"bg": "Издаване на удостоверение за наследници", "en": "Certificate of heirs"},
             "description": {"bg": "Удостоверение за наследниците на починало лице.",
                             "en": "A certificate listing the heirs of a deceased person."},
             "unit_id": "grao", "life_situations": ["death"],
             "tiers": [{"tier": "ordinary", "deadline": {"unit": "working_days", "amount": 7}, "fee_eur": "2.56"},
                       {"tier": "fast", "deadline": {"unit": "working_days", "amount": 3}, "fee_eur": "5.11"},
                       {"tier": "express", "deadline": {"unit": "hours", "amount": 24}, "fee_eur": "10.23"}],
             "form_fields": [
                 {"name": "deceased_name", "label": {"bg": "Име на починалия", "en": "Name of the deceased"},
                  "type": "text", "required": True, "max_length": 120},
                 {"name": "deceased_egn", "label": {"bg": "ЕГН на починалия", "en": "PIN of the deceased"},
                  "type": "egn", "pattern": "\\d{10}", "personal": True},
                 {"name": "copies", "label": {"bg": "Брой копия", "en": "Copies"}, "type": "number",
                  "min_value": 1, "max_value": 10},
                 {"name": "purpose", "label": {"bg": "Предназначение", "en": "Purpose"}, "type": "choice",
                  "choices": [{"value": "bank", "label": {"bg": "Банка", "en": "Bank"}},
                              {"value": "court", "label": {"bg": "Съд", "en": "Court"}}]}],
             "needs_identity": True, "keep_egn": True},
            {"id": "tax-assessment", "iisda_code": "2080",
             "name": {"bg": "Удостоверение за данъчна оценка", "en": "Tax assessment certificate"},
             "description": {"bg": "Данъчна оценка на недвижим имот.", "en": "Tax value of a property."},
             "unit_id": "mdt",
             "tiers": [{"tier": "ordinary", "deadline": {"unit": "days", "amount": 5}, "fee_eur": "5.11"}],
             "needs_identity": True},
            {"id": "info-request",
             "name": {"bg": "Справка", "en": "Information request"},
             "description": {"bg": "Обща справка.", "en": "A general enquiry."}, "unit_id": "mdt",
             "tiers": [{"tier": "ordinary", "deadline": {"unit": "same_day"}}],
             "needs_identity": False},
        ],
        "signal_categories": [
            {"id": "potholes", "name": {"bg": "Дупки на пътя", "en": "Potholes"}, "unit_id": "ecology"},
            {"id": "complaint-staff", "name": {"bg": "Оплакване от служител", "en": "Complaint about staff"},
             "anonymous_allowed": False},
        ],
        "hotlines": [{"id": "emergency", "name": {"bg": "Единен номер за спешни повиквания", "en": "Emergency"},
                      "phone": "112"}],
        "offices": [{"id": "centre", "name": {"bg": "Център за услуги", "en": "Citizen centre"},
                     "kind": "citizen_centre", "counters": ["c1", "c2", "c3"]}],
        "places": [{"id": "central-park", "name": {"bg": "Централен парк", "en": "Central park"}}],
    })


def seed_catalogue() -> CatalogueData:
    """The shipped catalogue when it is there and loads, else the fixture."""
    if SHIPPED_CATALOGUE.exists():
        try:
            return load_catalogue_path(SHIPPED_CATALOGUE)
        except Exception:
            pass
    return fixture_catalogue()


def free_port() -> int:
    """A port free a moment ago, for a server started in another process (or a port meant to stay
    closed). Another process may take it before that server binds it: where the server runs in this
    process (`running_hub`), bind the socket and hand it over instead."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningHub:
    base_url: str
    settings: HubSettings
    context: HubContext

    def session(self):
        """A SQLAlchemy Session on the hub's database (`with hub.session() as s: ...`)."""
        return self.context.sessions()

    def make_enrollment_code(self, kind: str, name: str, location: str | None = None) -> str:
        with self.context.sessions.begin() as s:
            return terminals.create_enrollment_code(session=s, kind=kind, name=name, location=location)

    def enroll(self, kind: str = "kiosk", name: str = "Test terminal") -> EnrollResponse:
        code = self.make_enrollment_code(kind, name)
        r = httpx.post(f"{self.base_url}/api/v1/terminals/enroll",
                       json=EnrollRequest(code=code).model_dump(mode="json"), timeout=10)
        r.raise_for_status()
        return EnrollResponse.model_validate_json(r.content)

    def create_citizen(self, egn: str, access_code: str, document_number: str | None = None,
                       display_name: str | None = None) -> None:
        with self.context.sessions.begin() as s:
            citizens.register_citizen(session=s, keyring=self.context.keyring, egn=egn,
                                      document_number=document_number, access_code=access_code,
                                      display_name=display_name)

    def add_consultation(self, consultation_id: str = "budget-2027", *, open_days: int = 30) -> None:
        now = datetime.now(timezone.utc)
        with self.context.sessions.begin() as s:
            consultations.upsert(session=s, consultation=Consultation(
                id=consultation_id, title={"bg": "Бюджет 2027", "en": "Budget 2027"},
                summary={"bg": "Проект на бюджет", "en": "Draft budget"},
                opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=open_days)))

    def create_admin(self, username: str = "admin", password: str = "correct horse battery") -> tuple[str, str]:
        with self.context.sessions.begin() as s:
            staff.create_admin(session=s, username=username, password=password)
        return username, password

    def import_catalogue(self, data: CatalogueData) -> str:
        with self.context.sessions.begin() as s:
            return import_catalogue(session=s, data=data, source="test")


@contextmanager
def running_hub(tmp_path: Path, **settings) -> Iterator[RunningHub]:
    """Run a real hub (uvicorn, in a thread) on a fresh database under `tmp_path`; stop it on exit.

    Keyword arguments are HubSettings fields (e.g. database_url=postgres_database)."""
    settings.setdefault("data_dir", Path(tmp_path) / "hub")
    settings.setdefault("schema_setup", "create_all")
    settings.setdefault("import_shipped_catalogue", False)
    settings.setdefault("hmac_key", "test-hmac-key")
    hub_settings = HubSettings(**settings)
    context = open_hub(hub_settings)
    with context.sessions.begin() as s:
        from server_sync.hub.catalogue_store import current_revision

        if current_revision(s) is None:
            import_catalogue(session=s, data=seed_catalogue(), source="test-seed")
    app = create_app(hub_settings, context=context)
    # Bound here and handed to uvicorn: no other process can take the port between picking and binding.
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    proxies = hub_settings.trusted_proxies.strip()  # as `kiosk-hub serve` does
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=2, proxy_headers=bool(proxies),
                            forwarded_allow_ips=proxies or None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, name=f"hub-{port}", daemon=True)
    thread.start()
    started = threading.Event()
    # uvicorn sets .started once the socket listens; wait on it without sleeping in the test.
    while thread.is_alive() and not server.started:
        started.wait(0.01)
    if not server.started:
        listening.close()
        context.close()
        raise RuntimeError("the test hub did not start")
    try:
        yield RunningHub(base_url=f"http://127.0.0.1:{port}", settings=hub_settings, context=context)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()
        context.close()
