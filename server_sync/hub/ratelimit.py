"""Per-client rate limits on the hub's expensive or guessable public endpoints: `429` with `Retry-After`.

| bucket | requests | setting (HUB_…) |
|---|---|---|
| open data | `/api/v1/feedback/open-data.*`, `/opendata/…` | `rate_limit_opendata` |
| metrics | `/metrics`, except from `metrics_allowed_addresses` | `rate_limit_metrics` |
| tracking | `/t/…`, `GET /api/v1/requests/…` | `rate_limit_tracking` |
| enrolment | `POST /api/v1/terminals/enroll` | `rate_limit_enrolment` |
| staff login | failed `POST /admin/login` and `Authorization: Basic` requests (answered 401, or 429 by the account's login throttle) | `rate_limit_staff_login` |

The staff bucket counts failures only (staff working with the right password are never slowed), and
refuses further attempts, right or wrong, once a client is over it: a flood of guesses costs the hub
no password hashing.

A client is the connection's address. Behind a reverse proxy that address is the proxy's, unless the
proxy is named in `trusted_proxies` (then uvicorn takes the client from its X-Forwarded-For, and only
from it). Limits are counted in each hub process's memory by the `limits` library (moving window), so
with `--workers N` a client may get up to N times the limit; they are a brake on floods, not an
account lock (staff logins have their own failure throttle in the database).
"""

from __future__ import annotations

import ipaddress
import json
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from server_sync.hub.settings import HubSettings

__all__ = ["RateLimits", "RateLimitMiddleware"]

FAILURE_BUCKETS = ("staff_login",)  # count refused attempts (401, 429), not every request


@dataclass(frozen=True)
class Rule:
    bucket: str
    item: RateLimitItem


class RateLimits:
    def __init__(self, settings: HubSettings) -> None:
        self.storage = MemoryStorage()
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.rules: dict[str, Rule] = {}
        for bucket in ("opendata", "metrics", "tracking", "enrolment", "staff_login"):
            spec = getattr(settings, f"rate_limit_{bucket}").strip()
            if spec:
                self.rules[bucket] = Rule(bucket, parse(spec))
        self.metrics_allowed = [ipaddress.ip_network(a.strip(), strict=False)
                                for a in settings.metrics_allowed_addresses.split(",") if a.strip()]
        self.refused = 0  # answered 429 (tests, diagnostics)

    def _allowed_scraper(self, client: str) -> bool:
        try:
            address = ipaddress.ip_address(client)
        except ValueError:
            return False
        return any(address in net for net in self.metrics_allowed)

    def bucket_for(self, method: str, path: str, client: str, basic_auth: bool) -> str | None:
        if path.startswith(("/api/v1/feedback/open-data.", "/opendata/")):
            return "opendata"
        if path == "/metrics":
            return None if self._allowed_scraper(client) else "metrics"
        if path.startswith("/t/") or (method == "GET" and path.startswith("/api/v1/requests/")):
            return "tracking"
        if method == "POST" and path == "/api/v1/terminals/enroll":
            return "enrolment"
        if (method == "POST" and path == "/admin/login") or basic_auth:
            return "staff_login"
        return None

    def _wait(self, rule: Rule, client: str) -> int:
        self.refused += 1
        reset = self.limiter.get_window_stats(rule.item, rule.bucket, client).reset_time
        return max(1, math.ceil(reset - time.time()))

    def hit(self, bucket: str, client: str) -> int | None:
        """Count one request of `client` in `bucket`; None when allowed, else the seconds to wait."""
        rule = self.rules.get(bucket)
        if rule is None or self.limiter.hit(rule.item, bucket, client):
            return None
        return self._wait(rule, client)

    def check(self, bucket: str, client: str) -> int | None:
        """Like `hit` without counting (buckets that count failures): None while under the limit."""
        rule = self.rules.get(bucket)
        if rule is None or self.limiter.test(rule.item, bucket, client):
            return None
        return self._wait(rule, client)

    def note_failure(self, bucket: str, client: str) -> None:
        rule = self.rules.get(bucket)
        if rule is not None:
            self.limiter.hit(rule.item, bucket, client)


# The field an API refusal names: what the client was trying too often.
FIELDS = {"tracking": "code", "enrolment": "code", "staff_login": "Authorization"}


def _refusal(bucket: str, path: str, retry_after: int) -> tuple[bytes, bytes]:
    if path.startswith(("/api/", "/metrics", "/opendata/")):
        body = json.dumps({"error": {"code": "rate_limited", "field": FIELDS.get(bucket), "details": [],
                                     "message": f"too many requests from this address; retry in {retry_after} s"}})
        return body.encode(), b"application/json"
    text = (f"Твърде много заявки от този адрес; опитайте след {retry_after} s.\n"
            f"Too many requests from this address; retry in {retry_after} s.\n")
    return text.encode("utf-8"), b"text/plain; charset=utf-8"


class RateLimitMiddleware:
    """Refuses a request over its bucket's limit before any work (no database, no hashing)."""

    def __init__(self, app, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0] or "unknown"
        basic = any(name == b"authorization" and value[:6].lower() == b"basic "
                    for name, value in scope.get("headers", ()))
        bucket = self.limits.bucket_for(scope["method"], scope["path"], client, basic)
        if bucket is None:
            return await self.app(scope, receive, send)
        if bucket in FAILURE_BUCKETS:
            wait = self.limits.check(bucket, client)
            if wait is None:
                async def send_and_count(message):
                    # 401: a wrong password; 429: an attempt the account's own throttle refused
                    if message["type"] == "http.response.start" and message["status"] in (401, 429):
                        self.limits.note_failure(bucket, client)
                    await send(message)

                return await self.app(scope, receive, send_and_count)
        else:
            wait = self.limits.hit(bucket, client)
            if wait is None:
                return await self.app(scope, receive, send)
        body, content_type = _refusal(bucket, scope["path"], wait)
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", content_type), (b"retry-after", str(wait).encode()),
                                (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})
