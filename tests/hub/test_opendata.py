"""Open data: the page, the DCAT-AP catalogue (JSON-LD), each dataset as JSON and CSV, aggregates with
cells under 5 suppressed, no personal data and no free text, the licence setting, the cache."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from server_sync.hub.app import create_app
from server_sync.hub.models import FeedbackPress, ServiceRequest
from server_sync.hub.services import submissions
from server_sync.protocol import RequestStatus, SubmissionRequest

from .conftest import enroll

DATASETS = ["services", "signals", "requests", "satisfaction"]


@pytest.fixture
def app_client(hub):
    hub.settings.opendata_cache_seconds = 0
    with TestClient(create_app(hub.settings, context=hub), raise_server_exceptions=False) as c:
        yield c


def file(hub, **body) -> str:
    request = SubmissionRequest.model_validate({"client_id": str(uuid.uuid4()), "channel": "kiosk", "seq": 0,
                                                "terminal_time": datetime.now(timezone.utc).isoformat(), **body})
    with hub.sessions.begin() as s:
        current = hub.catalogue.get(s)[0]
        receipt, _ = submissions.submit(session=s, request=request, catalogue=current, keyring=hub.keyring,
                                        terminal_id=None)
    return receipt.number


def signal(hub, category: str, text: str = "Иван Петров от бл. 5 ми каза…") -> str:
    return file(hub, kind="signal", signal_category_id=category, signal_type="problem", description=text,
                applicant={"email": "ivan@example.bg"})


def rows_of_csv(response) -> list[dict[str, str]]:
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.text)))


def test_page_lists_every_dataset_with_licence_and_links(app_client, hub):
    page = app_client.get("/opendata/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for name in DATASETS:
        assert f'id="dataset-{name}"' in page.text and f'href="/opendata/{name}.csv"' in page.text
        assert f'href="/opendata/{name}.json"' in page.text
    assert "CC BY 4.0" in page.text and 'href="https://creativecommons.org/licenses/by/4.0/"' in page.text
    assert 'href="/opendata/catalog.jsonld"' in page.text
    assert "Open data" in app_client.get("/opendata/?lang=en").text
    hub.settings.opendata_licence_name = "CC0 1.0"
    hub.settings.opendata_licence_url = "https://creativecommons.org/publicdomain/zero/1.0/"
    assert "CC0 1.0" in app_client.get("/opendata/").text
    assert json.loads(app_client.get("/opendata/services.json").text)["licence"]["name"] == "CC0 1.0"


def test_dcat_ap_catalogue(app_client, hub):
    signal(hub, "potholes")
    r = app_client.get("/opendata/catalog.jsonld")
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json; charset=utf-8"
    doc = r.json()
    assert doc["@type"] == "dcat:Catalog" and doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert doc["@context"]["dct"] == "http://purl.org/dc/terms/"
    for key in ("dct:title", "dct:description", "dct:publisher", "dcat:dataset", "dct:license"):
        assert doc[key], key
    datasets = {d["dct:identifier"]: d for d in doc["dcat:dataset"]}
    assert list(datasets) == DATASETS
    for d in datasets.values():
        assert d["@type"] == "dcat:Dataset" and d["dct:title"] and d["dct:description"]
        assert d["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
        formats = {x["dct:format"]["@id"].rsplit("/", 1)[1] for x in d["dcat:distribution"]}
        assert formats == {"CSV", "JSON"}
        for dist in d["dcat:distribution"]:
            assert dist["@type"] == "dcat:Distribution" and dist["dcat:accessURL"]["@id"].startswith("http")
            assert app_client.get(dist["dcat:accessURL"]["@id"].replace("http://testserver", "")).status_code == 200
    assert datasets["signals"]["dct:modified"]["@value"].endswith("Z")
    assert "dct:modified" in datasets["services"] and "dct:modified" not in datasets["satisfaction"]


def test_service_catalogue_as_json_and_csv(app_client):
    body = app_client.get("/opendata/services.json").json()
    assert body["dataset"] == "services" and body["fields"][0] == "service_id"
    assert len(body["rows"]) == 5  # heirs-certificate has three tiers, the other two one each
    heirs = [r for r in body["rows"] if r["service_id"] == "heirs-certificate"]
    assert {r["tier"] for r in heirs} == {"ordinary", "fast", "express"} and heirs[0]["iisda_code"] == "2079"
    rows = rows_of_csv(app_client.get("/opendata/services.csv"))
    assert len(rows) == 5 and rows[0]["name_bg"] and rows[0]["needs_identity"] in ("true", "false")


def test_signals_by_category_status_and_month_suppress_small_cells(app_client, hub):
    numbers = [signal(hub, "potholes") for _ in range(6)]
    for _ in range(2):
        signal(hub, "complaint-staff")
    with hub.sessions.begin() as s:
        submissions.change_status(session=s, number=numbers[0], status=RequestStatus.RESOLVED, note=None, staff="x")
    body = app_client.get("/opendata/signals.json").json()
    month = datetime.now(timezone.utc).strftime("%Y-%m")
    cells = {(r["category_id"], r["status"]): r for r in body["rows"]}
    assert cells[("potholes", "pending")] == {"month": month, "category_id": "potholes", "category_bg": "Дупки на пътя",
                                             "category_en": "Potholes", "status": "pending", "signals": 5,
                                             "suppressed": False}
    assert cells[("potholes", "resolved")]["signals"] is None and cells[("potholes", "resolved")]["suppressed"]
    assert cells[("complaint-staff", "pending")]["signals"] is None
    text = app_client.get("/opendata/signals.csv").text
    for personal in ("Иван", "ivan@example.bg", "бл. 5"):
        assert personal not in text and personal not in json.dumps(body, ensure_ascii=False)
    rows = rows_of_csv(app_client.get("/opendata/signals.csv"))
    assert {(r["category_id"], r["status"], r["signals"], r["suppressed"]) for r in rows} == {
        ("potholes", "pending", "5", "false"), ("potholes", "resolved", "", "true"),
        ("complaint-staff", "pending", "", "true")}


def test_request_volumes_and_on_time_share(app_client, hub):
    numbers = [file(hub, kind="service_request", service_id="info-request") for _ in range(7)]
    # deadlines set here (a same-day term filed after 17:00 is already due): the first one was missed
    now = datetime.now(timezone.utc)
    with hub.sessions.begin() as s:
        s.execute(update(ServiceRequest).values(deadline_at=now + timedelta(days=1)))
        s.execute(update(ServiceRequest).where(ServiceRequest.number == numbers[0])
                  .values(deadline_at=now - timedelta(hours=1)))
    for n in numbers[:6]:
        with hub.sessions.begin() as s:
            submissions.change_status(session=s, number=n, status=RequestStatus.RESOLVED, note=None, staff="x")
    for _ in range(2):
        file(hub, kind="service_request", service_id="tax-assessment",
             applicant={"egn": "7501020018", "given_names": "Иван", "surname": "Иванов"})
    rows = {r["service_id"]: r for r in app_client.get("/opendata/requests.json").json()["rows"]}
    info = rows["info-request"]
    assert (info["requests"], info["decided"], info["decided_on_time"], info["on_time_share"]) == (7, 6, 5, 0.8333)
    assert info["service_en"] == "Information request" and info["suppressed"] is False
    tax = rows["tax-assessment"]
    assert tax["requests"] is None and tax["on_time_share"] is None and tax["suppressed"] is True
    csv_rows = {r["service_id"]: r for r in rows_of_csv(app_client.get("/opendata/requests.csv"))}
    assert csv_rows["info-request"]["on_time_share"] == "0.8333" and csv_rows["tax-assessment"]["requests"] == ""
    assert "Иван" not in app_client.get("/opendata/requests.csv").text


def test_satisfaction_per_office_counter_and_hour(app_client, hub):
    terminal = enroll(app_client, hub, "feedback", "Гише 1")["terminal_id"]
    hour = datetime.now(timezone.utc).replace(minute=10, second=0, microsecond=0)
    presses = [(4, False)] * 6 + [(1, False)] * 2 + [(2, True)] * 7  # the filtered ones never count
    with hub.sessions.begin() as s:
        for i, (score, filtered) in enumerate(presses):
            s.add(FeedbackPress(press_id=str(uuid.uuid4()), terminal_id=terminal, received_at=hour,
                                terminal_time=hour + timedelta(seconds=i), seq=i, score=score, scale=4,
                                counter_id="c1", office_id="centre", service_id=None, source="button",
                                filtered=filtered, filter_reason="response_interval" if filtered else None,
                                outside_hours=False, reason=None))
    body = app_client.get("/opendata/satisfaction.json").json()
    assert body["month"] == hour.strftime("%Y-%m")
    assert [(r["hour_utc"], r["office_id"], r["counter_id"], r["score"], r["presses"]) for r in body["rows"]] == [
        (hour.strftime("%Y-%m-%dT%H:00Z"), "centre", "c1", 1, None),
        (hour.strftime("%Y-%m-%dT%H:00Z"), "centre", "c1", 4, 6)]
    last_year = (hour - timedelta(days=370)).strftime("%Y-%m")
    assert rows_of_csv(app_client.get(f"/opendata/satisfaction.csv?month={last_year}")) == []
    assert app_client.get("/opendata/satisfaction.csv?month=2026-13").status_code == 400
    assert app_client.get("/opendata/satisfaction.csv?month=soon").status_code == 400


def test_unknown_datasets_and_formats_are_404(app_client):
    assert app_client.get("/opendata/citizens.json").status_code == 404
    assert app_client.get("/opendata/services.xlsx").status_code == 404


def test_aggregates_are_cached_for_the_configured_time(hub):
    hub.settings.opendata_cache_seconds = 600
    with TestClient(create_app(hub.settings, context=hub)) as c:
        for _ in range(5):
            signal(hub, "potholes")
        first = c.get("/opendata/signals.json").json()
        signal(hub, "potholes")
        second = c.get("/opendata/signals.json").json()
        assert second == first and first["rows"][0]["signals"] == 5  # reused, not recomputed
    with TestClient(create_app(hub.settings, context=hub)) as c:
        assert c.get("/opendata/signals.json").json()["rows"][0]["signals"] == 6
