"""The hub's tables (SQLAlchemy 2 declarative, the same schema on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server_sync.hub.db import Base, UTCDateTime


class HubState(Base):
    """Small key/value facts of this hub installation (hub_epoch, public key)."""

    __tablename__ = "hub_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CatalogueRevision(Base):
    """Every imported catalogue; the newest is served. `version` is its content hash (the ETag)."""

    __tablename__ = "catalogue_revisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str | None] = mapped_column(String(300))


class EnrollmentCode(Base):
    __tablename__ = "enrollment_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    terminal_id: Mapped[str | None] = mapped_column(String(16))
    office_id: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64))


class Terminal(Base):
    __tablename__ = "terminals"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # "K01", "F03"
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(300))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hostname: Mapped[str | None] = mapped_column(String(120))
    software_version: Mapped[str | None] = mapped_column(String(40))
    last_heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    clock_skew_s: Mapped[float | None] = mapped_column(Float)
    # The newest heartbeat as received (every reported field), for the fleet page.
    last_heartbeat: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_event_seq: Mapped[int | None] = mapped_column(Integer)
    # The catalogue office the terminal stands in (chosen with its enrolment code): fleet filters,
    # and the office a kiosk's requests were filed in.
    office_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # From the newest heartbeat, as columns so the fleet page sorts problems first in SQL:
    # its queue depth, and how many devices are degraded/offline (+1 for under-voltage).
    queue_depth: Mapped[int | None] = mapped_column(Integer)
    device_problems: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_terminals_last_heartbeat_at", "last_heartbeat_at"),)


class Heartbeat(Base):
    """Heartbeat history: every report with the hub's receive time and the terminal's skew."""

    __tablename__ = "heartbeats"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    terminal_time: Mapped[datetime] = mapped_column(UTCDateTime)
    clock_skew_s: Mapped[float] = mapped_column(Float)
    seq: Mapped[int] = mapped_column(Integer)
    software_version: Mapped[str] = mapped_column(String(40))
    uptime_s: Mapped[float] = mapped_column(Float)
    queue_depth: Mapped[int] = mapped_column(Integer)
    oldest_undelivered_age_s: Mapped[float | None] = mapped_column(Float)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disk_free_bytes: Mapped[int | None] = mapped_column(BigInteger)
    cpu_temp_c: Mapped[float | None] = mapped_column(Float)
    under_voltage: Mapped[bool | None] = mapped_column(Boolean)
    catalogue_version: Mapped[str | None] = mapped_column(String(64))
    devices: Mapped[dict[str, Any]] = mapped_column(JSON)
    last_errors: Mapped[list[str]] = mapped_column(JSON)
    update: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # software update state (UpdateReport)
    # queued items the hub refused (parked on the terminal) and the newest reason (migration id02)
    rejected_items: Mapped[int | None] = mapped_column(Integer)
    last_rejection: Mapped[str | None] = mapped_column(String(300))


class NumberCounter(Base):
    """Gapless incoming-number counter, one row per scope and year, locked by the filing's UPDATE until it commits."""

    __tablename__ = "number_counters"
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class ServiceRequest(Base):
    """A service request or a signal (kind), as registered with its official incoming number."""

    __tablename__ = "requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    terminal_id: Mapped[str | None] = mapped_column(ForeignKey("terminals.id"), index=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    number_year: Mapped[int] = mapped_column(Integer)
    number_seq: Mapped[int] = mapped_column(Integer)
    # Compared in constant time; kept clear so a replay gets the very same receipt.
    tracking_code: Mapped[str] = mapped_column(String(16))
    provisional_ref: Mapped[str | None] = mapped_column(String(20), index=True)
    # The number the hub gave before it was restored from a backup, when a request filed after the
    # restore had taken it meanwhile (services/numbers.py): tracking by it still finds this request.
    earlier_number: Mapped[str | None] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    terminal_time: Mapped[datetime] = mapped_column(UTCDateTime)
    seq: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    service_id: Mapped[str | None] = mapped_column(String(64), index=True)
    tier: Mapped[str | None] = mapped_column(String(16))
    signal_category_id: Mapped[str | None] = mapped_column(String(64), index=True)
    signal_type: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    form: Mapped[dict[str, Any]] = mapped_column(JSON)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Personal data: the ЕГН only as HMAC, except where the service legally needs it.
    egn_hmac: Mapped[str | None] = mapped_column(String(64), index=True)
    # In the dossier of the person egn_hmac names only when the ID card's MRZ proved the claim
    # (hub.identity_proof); rows filed before 2026-12-03 were migrated as linked.
    identity_linked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    egn: Mapped[str | None] = mapped_column(String(10))
    given_names: Mapped[str | None] = mapped_column(String(120))
    surname: Mapped[str | None] = mapped_column(String(120))
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    personal_fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Copied from the catalogue and the terminal when filed, so the inbox filters in SQL:
    # the administrative unit that answers it and the office it was filed in.
    unit_id: Mapped[str | None] = mapped_column(String(64))
    office_id: Mapped[str | None] = mapped_column(String(64))

    history: Mapped[list["StatusChange"]] = relationship(
        back_populates="request", order_by="StatusChange.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("number_year", "number_seq", name="uq_requests_year_seq"),
        # The staff inbox: newest first within a filter, or most overdue first among open items.
        Index("ix_requests_status_registered", "status", "registered_at"),
        Index("ix_requests_kind_registered", "kind", "registered_at"),
        Index("ix_requests_office_registered", "office_id", "registered_at"),
        Index("ix_requests_channel_registered", "channel", "registered_at"),
        Index("ix_requests_status_deadline", "status", "deadline_at"),
        # A unit, a service or a signal category with any other filters, newest first: the other
        # filter columns ride in the index, so with a million rows a count or a page is an index-only
        # walk of that unit's (service's, category's) entries, never a lookup of each row.
        Index("ix_requests_unit_inbox", "unit_id", "registered_at", "status", "kind", "channel", "office_id",
              "service_id", "signal_category_id", "deadline_at"),
        Index("ix_requests_service_inbox", "service_id", "registered_at", "status", "channel", "office_id",
              "unit_id", "deadline_at"),
        Index("ix_requests_category_inbox", "signal_category_id", "registered_at", "status", "channel",
              "office_id", "unit_id", "deadline_at"),
        # Open items by deadline ("most overdue first", "overdue only"): a partial index, so the
        # resolved bulk of a million requests is never walked (services.inbox.OPEN_SQL, same text).
        Index("ix_requests_open_deadline", "deadline_at",
              sqlite_where=text("status IN ('registered', 'pending', 'in_progress')"),
              postgresql_where=text("status IN ('registered', 'pending', 'in_progress')")),
    )


class StatusChange(Base):
    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)  # public: the citizen reads it when tracking
    by_staff: Mapped[str | None] = mapped_column(String(64))
    internal_note: Mapped[str | None] = mapped_column(Text)  # staff only

    request: Mapped[ServiceRequest] = relationship(back_populates="history")


def _utc_hour_of_insert(context) -> int | None:
    at = context.get_current_parameters().get("terminal_time")
    return None if at is None else int(at.timestamp()) // 3600


class FeedbackPress(Base):
    __tablename__ = "feedback_presses"
    press_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    terminal_time: Mapped[datetime] = mapped_column(UTCDateTime)
    seq: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    scale: Mapped[int] = mapped_column(Integer)
    counter_id: Mapped[str | None] = mapped_column(String(64))
    office_id: Mapped[str | None] = mapped_column(String(64))
    service_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    filtered: Mapped[bool] = mapped_column(Boolean)
    filter_reason: Mapped[str | None] = mapped_column(String(32))
    outside_hours: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(64))
    # Whole hours since 1970 UTC of terminal_time, set on insert: the heatmap and trend group by it
    # as a plain integer instead of computing an hour for each of a month's million presses.
    utc_hour: Mapped[int | None] = mapped_column(BigInteger, default=_utc_hour_of_insert)

    # Time first (every period query's range), then all that the satisfaction summaries, heatmap
    # and trend group by and filter on: they read the index alone, never the table (migrations
    # an01, an02).
    __table_args__ = (Index("ix_feedback_presses_time_cover", "terminal_time", "office_id", "counter_id", "score",
                            "scale", "filtered", "filter_reason", "outside_hours", "service_id", "terminal_id",
                            "utc_hour"),)


class FeedbackPressCount(Base):
    """Presses received per terminal, counter, score and filter flag — what `/metrics` reports — kept
    by the ingest in the transaction that inserts them (services.feedback.count_presses), so a
    scrape reads a few rows per counter instead of grouping every press (~1 s at 10 million).
    A counter-less press counts under counter "" (a key column cannot be NULL)."""

    __tablename__ = "feedback_press_counts"
    terminal_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    counter_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[int] = mapped_column(Integer, primary_key=True)
    filtered: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    presses: Mapped[int] = mapped_column(BigInteger)


class Citizen(Base):
    """A citizen issued a personal access code; known by HMACs only, the code hashed (scrypt)."""

    __tablename__ = "citizens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    egn_hmac: Mapped[str] = mapped_column(String(64), unique=True)
    document_hmac: Mapped[str | None] = mapped_column(String(64))
    access_code_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CitizenSession(Base):
    __tablename__ = "citizen_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    terminal_id: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuthFailure(Base):
    """Wrong access codes, for throttling per ЕГН-HMAC and per terminal."""

    __tablename__ = "auth_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(16))  # "person" | "terminal"
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_auth_failures_scope_key_at", "scope", "key", "at"),)


class Consultation(Base):
    __tablename__ = "consultations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    summary: Mapped[dict[str, str]] = mapped_column(JSON)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Supports gathered before this hub counted them (paper lists, another system).
    support_offset: Mapped[int] = mapped_column(Integer, default=0)


class ConsultationSupport(Base):
    __tablename__ = "consultation_supports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    egn_hmac: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    terminal_id: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("consultation_id", "egn_hmac", name="uq_support_once_per_person"),)


class StaffUser(Base):
    """A municipal employee: administrator, clerk (optionally limited to units) or technician."""

    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[str] = mapped_column(String(16), default="administrator", server_default="administrator")
    # A clerk limited to these catalogue units; empty or None: every unit.
    units: Mapped[list[str] | None] = mapped_column(JSON)
    full_name: Mapped[str | None] = mapped_column(String(120))


class StaffSession(Base):
    """A logged-in browser: the cookie holds the token, the table its SHA-256."""

    __tablename__ = "staff_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    address: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """What staff did: append-only (no page or API edits or deletes a row)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    address: Mapped[str | None] = mapped_column(String(64))


class TechnicianCredential(Base):
    """A technician's badge and PIN for maintenance mode, delivered (hashed) to the kiosks of their
    office, or of every office."""

    __tablename__ = "technician_credentials"
    # A name is taken by one active technician: a withdrawn one keeps their row (the audit log and
    # the list's version refer to it) and can be added again, as a new entry, under the same name.
    __table_args__ = (Index("uq_technician_credentials_active_name", "name", unique=True,
                            sqlite_where=text("disabled_at IS NULL"), postgresql_where=text("disabled_at IS NULL")),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    badge_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # keyed hash of the badge UID
    pin_hash: Mapped[str] = mapped_column(String(200))  # Argon2id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The office whose kiosks alone receive this technician (None: every kiosk of the hub). Set when
    # added, never changed — the list's version relies on it (services.technicians.ListVersion).
    office_id: Mapped[str | None] = mapped_column(String(64))
