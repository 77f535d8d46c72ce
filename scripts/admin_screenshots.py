#!/usr/bin/env python3
"""Render every staff page of the hub to docs/screenshots/admin-*.png (1366×768) and the public
tracking page on a phone (390×844), from a hub seeded as a municipality would see it: the demo
catalogue and requests, kiosks and feedback terminals reporting (one gone quiet, one out of
paper), satisfaction presses, staff of every role.

    .venv/bin/python scripts/admin_screenshots.py [OUT_DIR]

Needs Debian's chromium (the Makefile installs it).
"""

from __future__ import annotations

import random
import sys
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server_sync.hub.testing import running_hub
from tests.hub.browser import DESKTOP, PHONE, browser, log_in
from tests.hub.web_support import PASSWORD, add_staff

TERMINALS = [
    ("kiosk", "Киоск — фоайе", "center"), ("kiosk", "Киоск — кметство Изгрев", None),
    ("kiosk", "Киоск — Център за услуги", None), ("feedback", "Гише 3 — ГРАО", None),
    ("feedback", "Гише 5 — Местни данъци", None),
]


def now() -> datetime:
    return datetime.now(timezone.utc)


def heartbeat(hub_url: str, token: str, seq: int, *, paper: str = "ok", queue: int = 0, errors=()) -> None:
    body = {"terminal_time": now().isoformat(), "seq": seq, "software_version": "0.9.3", "uptime_s": 86_400 + seq * 60,
            "queue_depth": queue, "oldest_undelivered_age_s": 95.0 if queue else None,
            "disk_free_bytes": 11_800_000_000, "cpu_temp_c": 51.5, "under_voltage": False,
            "devices": {"printer": {"state": paper, "reason": "няма хартия / paper out" if paper != "ok" else None},
                        "id_reader": {"state": "ok"}},
            "last_errors": list(errors)}
    r = httpx.post(f"{hub_url}/api/v1/terminals/heartbeat", json=body, headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()


def presses(hub_url: str, token: str, office: str | None) -> None:
    rng = random.Random(7)
    batch = []
    for i in range(400):
        at = now() - timedelta(days=rng.randint(0, 27), hours=rng.randint(0, 8))
        at = at.replace(hour=rng.choice([7, 8, 9, 10, 11, 12, 13, 14]))
        batch.append({"press_id": str(uuid.uuid4()), "terminal_time": at.isoformat(), "seq": 1000 + i,
                      "score": rng.choices([1, 2, 3, 4], weights=[1, 1, 3, 6])[0], "scale": 4,
                      "counter_id": "g3", "office_id": office})
    httpx.post(f"{hub_url}/api/v1/feedback", json={"presses": batch},
               headers={"Authorization": f"Bearer {token}"}).raise_for_status()


def seed(hub) -> list[str]:
    from sqlalchemy import update

    from server_sync.hub import demo
    from server_sync.hub.catalogue_store import SHIPPED_CATALOGUE, import_catalogue, load_catalogue_path
    from server_sync.hub.demo_data import SHIPPED_DEMO, load_demo_file
    from server_sync.hub.models import Terminal
    from server_sync.protocol import Catalogue

    data = load_catalogue_path(SHIPPED_CATALOGUE)
    with hub.context.sessions.begin() as s:
        version = import_catalogue(session=s, data=data, source="screenshots")
        catalogue = Catalogue.model_validate({**data.model_dump(), "version": version})
        demo.seed(session=s, keyring=hub.context.keyring, demo=load_demo_file(SHIPPED_DEMO), catalogue=catalogue)
    hub.context.catalogue = type(hub.context.catalogue)()  # forget the cached copy
    offices = [o.id for o in data.offices]
    tokens = []
    for i, (kind, name, _) in enumerate(TERMINALS):
        enrolled = hub.enroll(kind, name)
        tokens.append(enrolled.token)
        with hub.context.sessions.begin() as s:
            s.execute(update(Terminal).where(Terminal.id == enrolled.terminal_id)
                      .values(office_id=offices[i % len(offices)]))
        for seq in range(1, 4):
            heartbeat(hub.base_url, enrolled.token, seq, paper="offline" if i == 2 else "ok",
                      queue=3 if i == 2 else 0, errors=["printer: paper out"] if i == 2 else ())
        if kind == "feedback":
            presses(hub.base_url, enrolled.token, offices[i % len(offices)])
    # The second kiosk went quiet 40 minutes ago.
    with hub.context.sessions.begin() as s:
        s.execute(update(Terminal).where(Terminal.name == TERMINALS[1][1])
                  .values(last_heartbeat_at=now() - timedelta(minutes=40)))
    add_staff(hub.context, "admin", "administrator")
    return tokens


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp)) as hub, browser() as chromium:
        seed(hub)
        page = chromium.new_context(viewport=DESKTOP, locale="bg-BG").new_page()
        page.goto(f"{hub.base_url}/admin/login")
        page.screenshot(path=str(out / "admin-login.png"))
        log_in(page, hub.base_url, "admin", PASSWORD)
        shots = [("fleet", "/admin/fleet"), ("inbox", "/admin/requests"), ("catalogue", "/admin/catalogue"),
                 ("satisfaction", "/admin/satisfaction"), ("technicians", "/admin/technicians"),
                 ("staff", "/admin/staff"), ("audit", "/admin/audit")]
        for name, path in shots:
            r = page.goto(f"{hub.base_url}{path}")
            if r is None or r.status != 200:
                print(f"skipped {path}: {r.status if r else 'no answer'}")
                continue
            page.screenshot(path=str(out / f"admin-{name}.png"))
            print(f"admin-{name}.png")
            if name == "fleet":
                link = page.locator("table a[href^='/admin/fleet/']").first
                if link.count():
                    link.click()
                    page.wait_for_load_state()
                    page.screenshot(path=str(out / "admin-terminal.png"))
                    print("admin-terminal.png")
            if name == "inbox":
                link = page.locator("table a[href^='/admin/requests/']").first
                if link.count():
                    link.click()
                    page.wait_for_load_state()
                    page.screenshot(path=str(out / "admin-request.png"), full_page=True)
                    print("admin-request.png")
            if name == "catalogue":
                link = page.locator("a[href^='/admin/catalogue/services/']").first
                if link.count():
                    link.click()
                    page.wait_for_load_state()
                    page.screenshot(path=str(out / "admin-catalogue-service.png"))
                    print("admin-catalogue-service.png")
        # The public tracking page as a citizen opens it from the receipt's QR code, on a phone.
        from sqlalchemy import select

        from server_sync.hub.models import ServiceRequest

        with hub.context.sessions() as s:
            row = s.scalars(select(ServiceRequest).where(ServiceRequest.status == "in_progress")).first() \
                or s.scalars(select(ServiceRequest)).first()
            number, code = row.number, row.tracking_code
        phone = chromium.new_context(viewport=PHONE, device_scale_factor=1, locale="bg-BG", is_mobile=True,
                                     has_touch=True).new_page()
        phone.goto(f"{hub.base_url}/t/{quote(number, safe='')}?code={code}")
        phone.screenshot(path=str(out / "tracking-phone.png"), full_page=True)
        print("tracking-phone.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
