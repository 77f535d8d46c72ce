"""Two hub processes (`kiosk-hub serve`, each its own process) on one PostgreSQL database, with the
same HUB_HMAC_KEY and private key file, filing requests and presses concurrently: incoming numbers
stay unique and gapless per year, and a press delivered to both is counted once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import httpx
import pytest
from sqlalchemy import func, select

from server_sync.hub.catalogue_store import import_catalogue
from server_sync.hub.context import open_hub
from server_sync.hub.models import FeedbackPress, ServiceRequest
from server_sync.hub.services import terminals
from server_sync.hub.settings import HubSettings
from server_sync.hub.testing import fixture_catalogue, free_port
from server_sync.protocol import EnrollRequest

from .conftest import sealed, service_request
from .conftest import signal as signal_body

pytestmark = pytest.mark.postgres
HMAC_KEY = "multiprocess-test-hmac-key"


def start_hub(data_dir, database_url: str, key_file, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(HUB_DATA_DIR=str(data_dir), HUB_DATABASE_URL=database_url, HUB_HMAC_KEY=HMAC_KEY,
               HUB_PRIVATE_KEY_FILE=str(key_file), HUB_LOG_LEVEL="warning")
    proc = subprocess.Popen([sys.executable, "-m", "server_sync.hub.cli", "serve", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(base: str, proc: subprocess.Popen, log_path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text()[-3000:]
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"hub at {base} not ready:\n{log_path.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_two_hub_processes_on_one_postgresql(tmp_path, postgres_database):
    key_file = tmp_path / "shared" / "hub_private.key"
    key_file.parent.mkdir()
    settings = HubSettings(data_dir=tmp_path / "setup", database_url=postgres_database, hmac_key=HMAC_KEY,
                           private_key_file=key_file)
    hub = open_hub(settings)  # migrates, creates the shared key file; the two hubs then share both
    try:
        with hub.sessions.begin() as s:
            import_catalogue(s, fixture_catalogue(), "test")
        tokens = {}
        for kind, n in (("kiosk", 4), ("feedback", 2)):
            for i in range(n):
                with hub.sessions.begin() as s:
                    code = terminals.create_enrollment_code(session=s, kind=kind, name=f"{kind} {i}")
                with hub.sessions.begin() as s:
                    tokens.setdefault(kind, []).append(terminals.enroll(
                        session=s, request=EnrollRequest(code=code), hub_public_key=hub.keyring.public_key_b64,
                        hub_epoch=hub.hub_epoch).token)
        total = 80
        bodies = [signal_body(seq=i) if i % 2 else
                  service_request(hub, seq=i, sealed_applicant=sealed(hub), provisional_ref=f"K01-{i:06d}")
                  for i in range(total)]
    finally:
        hub.close()

    procs, bases = [], []
    try:
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            log_path = tmp_path / name / "hub.log"
            proc, base = start_hub(tmp_path / name, postgres_database, key_file, open(log_path, "w"))
            procs.append((proc, log_path))
            bases.append(base)
        for (proc, log_path), base in zip(procs, bases):
            wait_ready(base, proc, log_path)
        assert len({httpx.get(f"{b}/api/v1/health").json()["hub_epoch"] for b in bases}) == 1

        clients = [httpx.Client(base_url=b, timeout=60) for b in bases]

        def file(i: int) -> httpx.Response:
            token = tokens["kiosk"][i % 4]
            return clients[i % 2].post("/api/v1/requests", json=bodies[i],
                                       headers={"Authorization": f"Bearer {token}"})

        with ThreadPoolExecutor(max_workers=16) as pool:
            first = list(pool.map(file, range(total)))
        assert [r.status_code for r in first] == [201] * total, [r.text for r in first if r.status_code != 201][:3]
        numbers = [r.json()["number"] for r in first]
        seqs = sorted(int(re.match(r"94-(\d{5})/", n).group(1)) for n in numbers)
        assert len(set(numbers)) == total and seqs == list(range(1, total + 1))  # unique, gapless

        # Every request delivered again, now to the other hub: the same receipt, nothing new.
        with ThreadPoolExecutor(max_workers=16) as pool:
            again = list(pool.map(lambda i: clients[(i + 1) % 2].post(
                "/api/v1/requests", json=bodies[i], headers={"Authorization": f"Bearer {tokens['kiosk'][i % 4]}"}),
                range(total)))
        assert [r.status_code for r in again] == [200] * total
        assert [r.json()["number"] for r in again] == numbers

        # Presses: every batch goes to both hubs at once (an agent retrying through another hub).
        now = datetime.now(timezone.utc).isoformat()
        batches = [[{"press_id": str(uuid.uuid4()), "terminal_time": now, "seq": b * 10 + j, "score": 1 + j % 4}
                    for j in range(10)] for b in range(12)]

        def deliver(k: int) -> httpx.Response:
            batch, hub_index = batches[k // 2], k % 2
            return clients[hub_index].post("/api/v1/feedback", json={"presses": batch},
                                           headers={"Authorization": f"Bearer {tokens['feedback'][k // 2 % 2]}"})

        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(deliver, range(2 * len(batches))))
        assert [r.status_code for r in answers] == [200] * len(answers), [r.text for r in answers][:3]
        accepted = sum(r.json()["accepted"] for r in answers)
        duplicates = sum(r.json()["duplicates"] for r in answers)
        assert accepted == 120 and duplicates == 120
        for c in clients:
            c.close()
    finally:
        for proc, _ in procs:
            stop(proc)

    hub = open_hub(settings.model_copy(update={"schema_setup": "none"}))
    try:
        with hub.sessions() as s:
            assert s.scalar(select(func.count()).select_from(ServiceRequest)) == total
            assert s.scalar(select(func.count()).select_from(FeedbackPress)) == 120
            assert s.scalar(select(func.count(func.distinct(ServiceRequest.number)))) == total
    finally:
        hub.close()
