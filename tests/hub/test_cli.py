"""`kiosk-hub` subcommands, run in-process on a hub data dir."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from server_sync.hub.app import create_app
from server_sync.hub.cli import main
from server_sync.hub.settings import HubSettings
from server_sync.hub.testing import free_port


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "hub"))
    return tmp_path / "hub"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_everywhere(capsys):
    r = subprocess.run([sys.executable, "-m", "server_sync.hub.cli", "--help"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and "enrollment-code" in r.stdout and "revoke-terminal" in r.stdout
    for argv in (["serve"], ["enrollment-code"], ["create-admin"], ["seed-demo"], ["import-catalogue"],
                 ["requests"], ["terminals"], ["revoke-terminal"]):
        with pytest.raises(SystemExit) as exit_:
            main([*argv, "--help"])
        assert exit_.value.code == 0 and f"usage: kiosk-hub {argv[0]}" in capsys.readouterr().out


def test_seed_demo_enrol_list_and_revoke(capsys, data_dir, database_url):
    db = ["--database-url", database_url]
    code, out, _ = run(capsys, "seed-demo", *db)
    assert code == 0 and "5 citizens" in out and "3 consultations" in out
    assert run(capsys, "seed-demo", *db)[1].count("0 new requests") == 1  # seeding twice adds nothing
    code, _, err = run(capsys, "enrollment-code", "--kind", "kiosk", "--name", "Киоск", "--office", "nowhere", *db)
    assert code == 1 and "nowhere" in err and "local-taxes-office" in err  # says which offices there are
    code, out, _ = run(capsys, "enrollment-code", "--kind", "kiosk", "--name", "Киоск фоайе",
                       "--location", "Центрова сграда", "--office", "local-taxes-office", *db)
    enrolment = out.split()[-1]
    settings = HubSettings(database_url=database_url)
    with TestClient(create_app(settings)) as client:
        token = client.post("/api/v1/terminals/enroll", json={"code": enrolment}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/consultations", headers=auth).status_code == 200
        session = client.post("/api/v1/citizens/session", headers=auth, json={
            "egn": "4803151938", "document_number": "648201517", "access_code": "K7M4-Q9TX"})
        assert session.status_code == 201, session.text
        dossier = client.get("/api/v1/citizens/me/requests",
                             headers={**auth, "X-Citizen-Token": session.json()["token"]}).json()["requests"]
        assert {d["status"] for d in dossier} == {"resolved"} and len(dossier) == 2
        code, out, _ = run(capsys, "terminals", "--json", *db)
        terminals = json.loads(out)["terminals"]
        assert terminals[0]["terminal_id"] == "K01" and terminals[0]["location"] == "Центрова сграда"
        assert terminals[0]["office_id"] == "local-taxes-office"  # its requests are filed in that office
        assert run(capsys, "revoke-terminal", "K01", *db)[0] == 0
        assert client.get("/api/v1/consultations", headers=auth).status_code == 401
    code, _, err = run(capsys, "revoke-terminal", "K09", *db)
    assert code == 1 and "K09" in err


def test_requests_listing_has_no_personal_data(capsys, data_dir):
    assert run(capsys, "seed-demo")[0] == 0
    code, out, _ = run(capsys, "requests", "--json")
    rows = json.loads(out)["requests"]
    assert len(rows) == 6 and {"number", "kind", "status", "channel", "terminal_id", "created"} <= set(rows[0])
    assert {r["service_id"] or r["signal_category_id"] for r in rows} >= {"heirs-certificate", "roads"}
    for secret in ("4803151938", "Мария", "Иванова", "ZK4P7Q"):
        assert secret not in out
    recent = json.loads(run(capsys, "requests", "--json", "--since", "2026-11-15")[1])["requests"]
    assert 0 < len(recent) < len(rows)
    with pytest.raises(SystemExit):
        main(["requests", "--since", "last week"])
    assert "not a date" in capsys.readouterr().err


def test_create_admin_from_stdin(capsys, data_dir, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    assert run(capsys, "create-admin", "clerk", "--password-stdin")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "create-admin", "clerk2", "--password-stdin")
    assert code == 1 and "password" in err


def test_import_catalogue_errors_name_entry_and_field(capsys, data_dir, tmp_path):
    from server_sync.hub.testing import fixture_catalogue

    good = tmp_path / "catalogue.json"
    good.write_text(fixture_catalogue().model_dump_json())
    code, out, _ = run(capsys, "import-catalogue", str(good))
    assert code == 0 and "3 services" in out
    data = fixture_catalogue().model_dump(mode="json")
    data["services"][1]["tiers"][0]["fee_eur"] = "-3"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, _, err = run(capsys, "import-catalogue", str(bad))
    assert code == 1 and "tax-assessment" in err and "fee_eur" in err
    data = fixture_catalogue().model_dump(mode="json")
    data["municipality"]["number_format"] = "{index}/{date:%Y}"
    bad.write_text(json.dumps(data))
    code, _, err = run(capsys, "import-catalogue", str(bad))
    assert code == 1 and "number_format" in err
    code, _, err = run(capsys, "import-catalogue", str(tmp_path / "missing.toml"))
    assert code == 1 and "not found" in err


def test_bad_setting_is_one_clear_line(capsys, data_dir, monkeypatch):
    monkeypatch.setenv("HUB_MAX_BODY_BYTES", "lots")
    code, _, err = run(capsys, "terminals")
    assert code == 1 and "max_body_bytes" in err and "HUB_MAX_BODY_BYTES" in err


def test_serve_with_several_processes_on_sqlite_says_they_share_one_writer(tmp_path):
    """`kiosk-hub serve --workers 2` on the default SQLite file serves, and tells the administrator
    in its log that two processes take turns at one writer and what to do instead."""
    from server_sync.hub.cli import workers_note

    from .test_multiprocess import stop, wait_ready

    log_path = tmp_path / "serve.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(HUB_DATA_DIR=str(tmp_path / "data"), HUB_LOG_LEVEL="warning")
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "server_sync.hub.cli", "serve", "--port", str(port),
                                 "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            wait_ready(f"http://127.0.0.1:{port}", proc, log_path)
        finally:
            stop(proc)
    said = log_path.read_text()
    assert "2 hub processes share one SQLite file" in said and "--workers 1" in said, said[-2000:]
    assert workers_note("sqlite:////var/lib/eobshtina/hub.sqlite3", 1) is None
    assert workers_note("postgresql+psycopg://hub@db/hub", 4) is None
