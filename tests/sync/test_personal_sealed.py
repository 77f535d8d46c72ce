"""No personal data in clear on the terminal: every service of the shipped catalogue is
filed with distinctive values; every field of a personal type (ЕГН/ЛНЧ, name, address, phone,
e-mail) or marked personal is sealed, whatever the catalogue's flag says. The store's database,
its WAL and every log line are searched for each personal value, before and after delivery; the
hub received every one (kept with the request's personal data, required ones never dropped)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from pathlib import Path

from sqlalchemy import select
from stdnum.bg import egn as stdnum_egn

from hardware.idcard.mrz import compose_td1
from server_sync.agent import Agent
from server_sync.client import HubClient
from server_sync.config import SyncSection
from server_sync.connect import client_for_store
from server_sync.hub.catalogue_file import load_catalogue_file
from server_sync.hub.testing import running_hub
from server_sync.protocol import Applicant, FieldType
from server_sync.store import Store

from .conftest import enroll_cli

SHIPPED = Path(__file__).resolve().parents[2] / "server_sync" / "hub" / "data" / "catalogue.toml"
FAST = SyncSection(heartbeat_interval_s=3600, catalogue_interval_s=3600, backoff_initial_s=0.01,
                   backoff_max_s=0.05, idle_poll_s=0.01, revoked_recheck_s=3600)
NAMES = ["Тайнослав", "Скритомир", "Пазимира", "Невидена", "Затворена", "Запечатан", "Кътана", "Шифрина"]


def egn_for(i: int) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=97 * i + 13)
    body = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}{(i * 7) % 1000:03d}"
    return body + stdnum_egn.calc_check_digit(body)


def value_for(field, i: int, personal: list[str]):
    """A distinctive value the field takes; personal ones are remembered to search for."""
    tag = f"{i:03d}"
    letters = "абвгдежзийклмноп"
    if field.type == FieldType.NAME:  # (names take letters only: one catalogue pattern says so)
        value = f"{NAMES[i % len(NAMES)]} Личностов{letters[i // 16]}{letters[i % 16]}"
    elif field.type == FieldType.EGN:
        value = egn_for(500 + i)
    elif field.type == FieldType.ADDRESS:
        value = f"ул. Тайна {tag}, вх. Скрит"
    elif field.type == FieldType.PHONE:
        value = f"0899 77{tag} 4"
    elif field.type == FieldType.EMAIL:
        value = f"skrit{tag}@tajna.example.bg"
    elif field.type == FieldType.NUMBER:
        return int(field.min_value or 1) if float(field.min_value or 1).is_integer() else field.min_value
    elif field.type == FieldType.DATE:
        return "2020-06-15"
    elif field.type == FieldType.CHOICE:
        return field.choices[0].value
    elif field.type == FieldType.CHECKBOX:
        return True
    else:
        value = f"ЛичноПоле{tag}" if field.personal else "обикновен текст"
        if field.name == "period":
            value = "1985–1992"
    if field.is_personal:
        personal.append(value)
    return value


def test_every_service_files_with_its_personal_values_sealed(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    catalogue_data = load_catalogue_file(SHIPPED)
    with running_hub(tmp_path) as hub:
        hub.import_catalogue(catalogue_data)
        data_dir = tmp_path / "terminal"
        assert enroll_cli(hub, data_dir) == 0
        store = Store(data_dir)
        agent = Agent(store, FAST, rng=random.Random(3),
                      client_factory=lambda ident: HubClient(ident.hub_url, ident.token))
        try:
            with client_for_store(store) as client:
                store.save_catalogue(*client.catalogue())
            catalogue = store.catalogue()
            personal: list[str] = []
            not_kept: set[str] = set()
            filed = {}
            for i, service in enumerate(catalogue.services):
                form = {f.name: value_for(f, i, personal) for f in service.form_fields}
                applicant = None
                if service.needs_identity:
                    egn, doc = egn_for(i), f"ZX{i:07d}"
                    applicant = Applicant(egn=egn, document_number=doc, given_names=f"Заявителка{i:03d}",
                                          surname=f"Пазенова{i:03d}", mrz=compose_td1(doc, egn))
                    personal += [egn, doc, f"Заявителка{i:03d}", f"Пазенова{i:03d}"]
                    if not service.keep_egn:  # the hub keeps only the ЕГН's HMAC then
                        not_kept.add(egn)
                filed[service.id] = store.submit("service_request", service_id=service.id,
                                                 tier=service.tiers[0].tier.value, form=form, applicant=applicant)
            assert len(filed) == len(catalogue.services) >= 30

            def leaks() -> list[str]:
                raw = b"".join(p.read_bytes() for p in data_dir.glob("terminal.sqlite3*"))
                logged = "\n".join(r.getMessage() for r in caplog.records)
                return [v for v in personal if v.encode() in raw or v in logged]

            assert any(p.name.endswith("-wal") for p in data_dir.glob("terminal.sqlite3*"))
            assert leaks() == []  # queued: sealed
            agent.run(threading.Event(), until_empty=True)
            stats = store.queue_stats()
            assert (stats.depth, stats.rejected) == (0, 0), stats.last_rejection
            assert leaks() == []  # delivered: still nothing in clear on the terminal or in any log
        finally:
            agent.close()
            store.close()
        from server_sync.hub.models import ServiceRequest

        with hub.context.sessions() as s:
            rows = {r.service_id: r for r in s.scalars(select(ServiceRequest))}
        assert set(rows) == set(filed)
        kept = " ".join(f"{r.personal_fields} {r.egn} {r.given_names} {r.surname}" for r in rows.values())
        # (document numbers are not kept, and the ЕГН in clear only where the service keeps it)
        missing = [v for v in personal if v not in kept and not v.startswith("ZX") and v not in not_kept]
        assert missing == []
        assert all(r.identity_linked for r in rows.values() if r.egn_hmac)
        public = rows["public-information"].personal_fields
        assert {"requester_names", "address"} <= set(public)
