"""Playwright on Debian's chromium for the staff web's browser tests (no browser download).

`chromium_path()` finds the browser; without one the tests skip, except in CI (CI=true), where the
Makefile has installed it and a missing browser fails the run. `axe_violations(page)` runs axe-core
(shipped inside the axe-playwright-python package) for WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from typing import Iterator

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: `make test` installs it (Debian package chromium)")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    return path


@contextmanager
def browser() -> Iterator[object]:
    """A headless chromium; each test opens its own contexts (cookie jars) from it."""
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def axe_violations(page, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """WCAG 2.0/2.1 A and AA violations of the page as short lines (rule id, what, where)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                             "wcag21aa"]},
                                       "resultTypes": ["violations"]})
    out = []
    for v in results.response["violations"]:
        if v["id"] in ignore:
            continue
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        out.append(f"{v['id']}: {v['help']} ({targets})")
    return out


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/admin/login")
    page.get_by_label("Потребителско име", exact=True).fill(username)
    page.get_by_label("Парола", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Вход", exact=True).click()
