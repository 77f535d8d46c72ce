"""Fixtures of the sync tests: an enrolled terminal store with a throwaway hub key pair."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from server_sync.protocol import Catalogue
from server_sync.protocol.sealing import generate_keypair
from server_sync.store import Identity, Store

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def hub_keys() -> tuple[str, str]:
    """(private, public) base64 keys standing in for the hub's."""
    return generate_keypair()


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "data") as s:
        yield s


@pytest.fixture
def enrolled_store(store: Store, hub_keys: tuple[str, str]) -> Store:
    store.save_identity(Identity(
        terminal_id="K07", kind="kiosk", name="Киоск — фоайе", location=None,
        token="eob_t_test", hub_url="http://127.0.0.1:9", hub_public_key=hub_keys[1],
        hub_epoch="epoch-1", enrolled_at=time.time()))
    return store


def minimal_catalogue(version: str = "v1", personal_field: bool = True) -> Catalogue:
    """A catalogue with one service whose form has a personal and a plain field."""
    return Catalogue.model_validate({
        "version": version,
        "municipality": {"code": "bansko", "name": {"bg": "Община Банско"}},
        "units": [{"id": "grao", "name": {"bg": "ГРАО"}}],
        "services": [{
            "id": "heirs-certificate",
            "name": {"bg": "Удостоверение за наследници"},
            "description": {"bg": "Издаване на удостоверение за наследници"},
            "unit_id": "grao",
            "tiers": [{"tier": "ordinary"}],
            "form_fields": [
                {"name": "deceased_name", "label": {"bg": "Име на починалия"}, "type": "text",
                 "personal": personal_field},
                {"name": "copies", "label": {"bg": "Брой копия"}, "type": "number"},
            ],
        }],
        "signal_categories": [{"id": "roads", "name": {"bg": "Пътища"}}],
    })


def fixture_json(name: str) -> dict:
    return json.loads((FIXTURES / "protocol" / name).read_text())


def enrolled_identity(public_key: str, hub_url: str = "http://127.0.0.1:9", token: str = "eob_t_test",
                      epoch: str = "epoch-1") -> Identity:
    return Identity(terminal_id="K07", kind="kiosk", name="Киоск — фоайе", location=None,
                    token=token, hub_url=hub_url, hub_public_key=public_key, hub_epoch=epoch,
                    enrolled_at=time.time())


class CountingTransport:
    """An httpx transport around the real one that records (method, path, status, body bytes)
    and can answer with a canned response instead (a captive portal) while `override` is set."""

    def __init__(self) -> None:
        import httpx

        self.inner = httpx.HTTPTransport()
        self.calls: list[tuple[str, str, int, int]] = []
        self.override = None

    def handle_request(self, request):
        if self.override is not None:
            response = self.override(request)
        else:
            response = self.inner.handle_request(request)
            response.read()
        self.calls.append((request.method, request.url.path, response.status_code, len(response.content)))
        return response

    def close(self) -> None:
        self.inner.close()


def enroll_cli(hub, data_dir: Path, kind: str = "kiosk", name: str = "Киоск тест") -> int:
    from server_sync.agent.__main__ import main

    code = hub.make_enrollment_code(kind, name)
    return main(["--data-dir", str(data_dir), "enroll", "--hub", hub.base_url, "--code", code])


@pytest.fixture
def hub(tmp_path: Path):
    from server_sync.hub.testing import fixture_catalogue, running_hub

    with running_hub(tmp_path) as running:
        running.import_catalogue(fixture_catalogue())  # known services, whatever ships
        yield running


def hub_counts(hub) -> tuple[int, int, int]:
    """(presses, requests, supports) rows in the hub's database."""
    from sqlalchemy import func, select

    from server_sync.hub.models import ConsultationSupport, FeedbackPress, ServiceRequest

    with hub.session() as s:
        return (s.scalar(select(func.count()).select_from(FeedbackPress)),
                s.scalar(select(func.count()).select_from(ServiceRequest)),
                s.scalar(select(func.count()).select_from(ConsultationSupport)))
