"""Per-client rate limits on the expensive and guessable public endpoints: 429 with Retry-After, per
address, before any work; X-Forwarded-For counts only from a configured trusted proxy."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from server_sync.hub.app import create_app
from server_sync.hub.testing import running_hub

LIMITED = [
    ("GET", "/api/v1/feedback/open-data.json", "rate_limit_opendata"),
    ("GET", "/opendata/signals.csv", "rate_limit_opendata"),
    ("GET", "/metrics", "rate_limit_metrics"),
    ("GET", "/t/94-00001?code=ABCDEFGH", "rate_limit_tracking"),
    ("GET", "/api/v1/requests/94-00001?code=ABCDEFGH", "rate_limit_tracking"),
    ("POST", "/api/v1/terminals/enroll", "rate_limit_enrolment"),
]


def _call(client: TestClient, method: str, path: str):
    if method == "POST":
        return client.post(path, json={"code": "ABCD-EFGH-JKLM"})
    return client.get(path)


@pytest.mark.parametrize("method,path,setting", LIMITED, ids=[p for _, p, _ in LIMITED])
def test_a_client_over_its_limit_gets_429_and_others_do_not(hub, method, path, setting):
    hub.settings.metrics_allowed_addresses = ""  # /metrics from anywhere is limited too
    setattr(hub.settings, setting, "3/minute")
    app = create_app(hub.settings, context=hub)
    with TestClient(app, client=("203.0.113.7", 5000)) as attacker, \
            TestClient(app, client=("198.51.100.9", 5000)) as other:
        answers = [_call(attacker, method, path) for _ in range(4)]
        assert all(r.status_code != 429 for r in answers[:3]), [r.status_code for r in answers]
        refused = answers[3]
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        if path.startswith("/api/") or path == "/metrics":
            assert refused.json()["error"]["code"] == "rate_limited"
        assert _call(other, method, path).status_code != 429  # per client, not for everyone


def test_prometheus_scrapers_on_the_allowed_addresses_are_not_limited(hub):
    hub.settings.rate_limit_metrics = "2/minute"
    hub.settings.metrics_allowed_addresses = "10.0.5.0/24"
    app = create_app(hub.settings, context=hub)
    with TestClient(app, client=("10.0.5.20", 5000)) as scraper, TestClient(app, client=("10.0.6.1", 5000)) as other:
        assert {scraper.get("/metrics").status_code for _ in range(5)} == {200}
        assert [other.get("/metrics").status_code for _ in range(3)] == [200, 200, 429]


def test_no_limit_when_the_setting_is_empty(hub):
    hub.settings.rate_limit_tracking = ""
    with TestClient(create_app(hub.settings, context=hub)) as c:
        assert 429 not in {c.get("/t/94-1?code=ABCDEFGH").status_code for _ in range(40)}


@pytest.mark.parametrize("trusted", ["", "127.0.0.1"])
def test_x_forwarded_for_names_the_client_only_behind_a_trusted_proxy(tmp_path, trusted):
    with running_hub(tmp_path, rate_limit_tracking="2/minute", trusted_proxies=trusted) as hub:
        with httpx.Client(base_url=hub.base_url) as c:
            codes = [c.get("/t/94-1?code=ABCDEFGH", headers={"X-Forwarded-For": f"192.0.2.{i}"}).status_code
                     for i in range(4)]
    if trusted:
        assert 429 not in codes  # four clients behind the proxy, one request each
    else:
        assert codes[2:] == [429, 429]  # a forged header does not make a new client


def _web_login(client: TestClient, password: str):
    client.cookies.clear()  # a new visit: no staff session yet
    client.get("/admin/login")
    return client.post("/admin/login", data={"username": "admin", "password": password,
                                             "csrf": client.cookies.get("eob_login_csrf", "")},
                       follow_redirects=False)


def test_failed_staff_logins_are_limited_per_client_and_right_ones_are_not_counted(hub):
    from server_sync.hub.services import staff

    with hub.sessions.begin() as s:
        staff.create_admin(session=s, username="admin", password="correct horse battery")
    hub.settings.rate_limit_staff_login = "3/minute"
    hub.settings.staff_login_failures_per_address = 1000  # the database's own throttle out of the way
    hub.settings.staff_login_failures_per_account = 1000
    app = create_app(hub.settings, context=hub)
    with TestClient(app, client=("203.0.113.7", 5000)) as guesser, \
            TestClient(app, client=("198.51.100.9", 5000)) as staff_member:
        # Right passwords are no failures: any number of them.
        assert {staff_member.get("/api/v1/feedback/summary", auth=("admin", "correct horse battery")).status_code
                for _ in range(5)} == {200}
        assert {_web_login(staff_member, "correct horse battery").status_code for _ in range(4)} == {303}
        # Wrong ones, on the form and by Basic credentials, share one count.
        answers = [_web_login(guesser, "wrong 1").status_code,
                   guesser.get("/api/v1/feedback/summary", auth=("admin", "wrong 2")).status_code,
                   _web_login(guesser, "wrong 3").status_code]
        assert answers == [401, 401, 401]
        refused = guesser.get("/api/v1/feedback/summary", auth=("admin", "correct horse battery"))
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["code"] == "rate_limited"
        assert _web_login(guesser, "wrong 4").status_code == 429
        assert staff_member.get("/api/v1/feedback/summary",
                                auth=("admin", "correct horse battery")).status_code == 200


def test_parallel_wrong_passwords_cannot_overrun_the_account_throttle(tmp_path, database_url):
    """Each attempt is counted before its password is hashed: 12 guesses at once on one account get
    at most the account's 5 checks (401) and 429 for the rest, so a flood costs the hub few hashes."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import func, select

    from server_sync.hub.models import AuditEntry

    with running_hub(tmp_path, database_url=database_url, rate_limit_staff_login="",
                     staff_login_failures_per_account=5) as hub:
        hub.create_admin("admin", "correct horse battery")

        def guess(i: int) -> int:
            with httpx.Client(base_url=hub.base_url, timeout=60) as c:
                c.get("/admin/login")
                return c.post("/admin/login", data={"username": "admin", "password": f"wrong {i}",
                                                    "csrf": c.cookies.get("eob_login_csrf", "")}).status_code

        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = sorted(pool.map(guess, range(12)))
        with hub.session() as s:
            checked = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "login_failed"))
    assert answers == [401] * 5 + [429] * 7, answers
    assert checked == 5


def test_the_account_throttle_holds_for_basic_credentials_before_any_hash(hub, monkeypatch):
    from server_sync.hub.services import staff

    with hub.sessions.begin() as s:
        staff.create_admin(session=s, username="admin", password="correct horse battery")
    hub.settings.rate_limit_staff_login = ""
    hub.settings.staff_login_failures_per_account = 3
    hashed = []
    check = staff.check_password
    monkeypatch.setattr(staff, "check_password", lambda **kw: hashed.append(1) or check(**kw))
    with TestClient(create_app(hub.settings, context=hub)) as c:
        answers = [c.get("/api/v1/feedback/summary", auth=("admin", f"wrong {i}")).status_code for i in range(3)]
        refused = c.get("/api/v1/feedback/summary", auth=("admin", "correct horse battery"))
    assert answers == [401, 401, 401] and refused.status_code == 429
    assert refused.json()["error"]["field"] == "Authorization" and int(refused.headers["Retry-After"]) > 0
    assert len(hashed) == 3  # the refused attempt cost no hash


@pytest.mark.parametrize("field,value", [("rate_limit_tracking", "often"), ("metrics_allowed_addresses", "10.0.0.300"),
                                         ("trusted_proxies", "proxy.example")])
def test_a_wrong_limit_or_address_setting_is_a_clear_error(tmp_path, field, value):
    from pydantic import ValidationError

    from server_sync.hub.settings import HubSettings

    with pytest.raises(ValidationError) as caught:
        HubSettings(data_dir=tmp_path, **{field: value})
    assert value in str(caught.value) and field in str(caught.value)
