"""Hub settings from the environment (HUB_*) and command-line flags (flags win)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORT = 8750


class HubSettings(BaseSettings):
    """Everything the hub reads from its environment; `create_app(settings)` takes one of these."""

    model_config = SettingsConfigDict(env_prefix="HUB_", extra="forbid")

    data_dir: Path = Path("/var/lib/eobshtina-hub")
    # Empty: a SQLite file `hub.sqlite3` in the data dir. PostgreSQL: postgresql+psycopg://…
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=DEFAULT_PORT, ge=1, le=65535)
    # Key of the ЕГН HMAC. Empty: a random key is generated once into <data_dir>/hmac.key.
    # Several hub processes on one PostgreSQL must share it (and the private key file).
    hmac_key: str = ""
    private_key_file: Path | None = None  # default <data_dir>/hub_private.key (mode 0600)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    enrollment_code_ttl_hours: float = Field(default=24, gt=0)
    citizen_session_minutes: float = Field(default=10, gt=0)
    # Wrong access codes: at most this many per ЕГН / per terminal within the window.
    citizen_failures_per_person: int = Field(default=5, ge=1)
    citizen_failures_per_terminal: int = Field(default=20, ge=1)
    citizen_failure_window_minutes: float = Field(default=15, gt=0)
    # Heartbeat history older than this is pruned. The terminal page reads the last 24 h; a week
    # covers a weekend's incident. Sizing: server_sync/hub/README.md, "Heartbeat history".
    heartbeat_retention_days: float = Field(default=7, gt=0)
    # Staff web: a session ends after this much inactivity, and in any case after the maximum.
    staff_session_idle_minutes: float = Field(default=30, gt=0)
    staff_session_max_hours: float = Field(default=12, gt=0)
    # Failed staff logins: at most this many per account / per client address within the window.
    staff_login_failures_per_account: int = Field(default=5, ge=1)
    staff_login_failures_per_address: int = Field(default=20, ge=1)
    staff_login_window_minutes: float = Field(default=15, gt=0)
    # "auto": the session cookie is Secure when the request came over TLS (or a trusted proxy says so
    # with X-Forwarded-Proto); "always": Secure on every response.
    staff_secure_cookies: Literal["auto", "always"] = "auto"
    # Fleet page: a terminal whose last heartbeat is older than `stale` is stale, older than `offline` offline.
    fleet_stale_minutes: float = Field(default=3, gt=0)
    fleet_offline_minutes: float = Field(default=15, gt=0)
    # Open311 GeoReport v2 (/open311/v2/): POSTs per API key within the window; descriptions (free text,
    # which may name people) are left out of GET answers unless published on purpose (signals only).
    open311_posts_per_window: int = Field(default=60, ge=1)
    open311_window_seconds: float = Field(default=60, gt=0)
    open311_publish_descriptions: bool = False
    open311_contact: str = ""  # discovery's contact line; empty: the municipality's name
    # Open data (/opendata/): the licence of every dataset, and how long an aggregate is reused.
    opendata_licence_name: str = "CC BY 4.0"
    opendata_licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    opendata_cache_seconds: float = Field(default=900, ge=0)
    # ... and, for a period still running (this hour's, this month's), how long its aggregate is reused.
    opendata_open_period_cache_seconds: float = Field(default=60, ge=0)
    # Per-client rate limits (429 with Retry-After; server_sync/hub/ratelimit.py), in the `limits`
    # notation ("60/minute", "1000/hour"); empty: no limit.
    rate_limit_opendata: str = "60/minute"
    rate_limit_metrics: str = "30/minute"
    rate_limit_tracking: str = "30/minute"
    rate_limit_enrolment: str = "10/minute"
    # Failed staff logins (web form or Basic credentials answered 401) per client.
    rate_limit_staff_login: str = "10/minute"
    # /metrics: one answer serves every scrape within this many seconds (0: each scrape reads afresh).
    metrics_cache_seconds: float = Field(default=5, ge=0)
    # Prometheus scrapers: /metrics from these addresses or networks (comma-separated) is not limited.
    metrics_allowed_addresses: str = "127.0.0.1,::1"
    # Reverse proxies whose X-Forwarded-For / -Proto name the client (comma-separated addresses, "*" for
    # any). Empty: none; the client is the connection's address.
    trusted_proxies: str = ""
    # "alembic": run migrations on start; "create_all": metadata only (tests); "none".
    schema_setup: Literal["alembic", "create_all", "none"] = "alembic"
    # Import the shipped catalogue on first start when the database holds none.
    import_shipped_catalogue: bool = True
    log_level: str = "info"

    @field_validator("rate_limit_opendata", "rate_limit_metrics", "rate_limit_tracking", "rate_limit_enrolment",
                     "rate_limit_staff_login", mode="after")
    @classmethod
    def _rate(cls, value: str) -> str:
        if value.strip():
            from limits import parse

            try:
                parse(value)
            except ValueError:
                raise ValueError(f"{value!r}: expected e.g. '60/minute', '1000/hour' or empty") from None
        return value.strip()

    @field_validator("metrics_allowed_addresses", "trusted_proxies", mode="after")
    @classmethod
    def _addresses(cls, value: str) -> str:
        import ipaddress

        for part in (p.strip() for p in value.split(",")):
            if part and part != "*":
                try:
                    ipaddress.ip_network(part, strict=False)
                except ValueError:
                    raise ValueError(f"{part!r}: expected comma-separated addresses or networks") from None
        return value.strip()

    @field_validator("data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'hub.sqlite3'}"

    @property
    def effective_private_key_file(self) -> Path:
        return self.private_key_file or self.data_dir / "hub_private.key"


def configure_logging(level: str) -> None:
    """The hub's log format and level (`HUB_LOG_LEVEL`), the same in `kiosk-hub` and each worker."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
