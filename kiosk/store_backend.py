"""The kiosk's real backend: the terminal store (outbox first) and the hub client (online calls)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kiosk.state.backend import Draft, NotFound, Offline, Refused, SubmitOutcome
from server_sync.protocol.catalogue import Catalogue
from server_sync.protocol.messages import (
    Applicant,
    CitizenSessionRequest,
    Consultation,
    DossierResponse,
    Location,
    SupportRequest,
    SupportResult,
    TrackingResponse,
)
from server_sync.protocol.presses import PressFields
from server_sync.protocol.tracking import tracking_url
from server_sync.store import NotEnrolledError, Store

if TYPE_CHECKING:
    from server_sync.client import HubClient

log = logging.getLogger(__name__)


class PendingLocally(NotFound):
    """Tracked by a provisional reference that is still in this kiosk's outbox."""

    reason = "pending_locally"


def configured_client_factory(hub: Any = None) -> Callable[[Store], "HubClient"]:
    """Hub clients for the kiosk's online calls, with the terminal config's `[hub]` section
    (None: read from $EOBSHTINA_CONFIG or the default path); short timeouts, a citizen waits."""

    def make(store: Store) -> "HubClient":
        # imported on first use: httpx is not needed to show the welcome screen
        from server_sync.connect import client_for_store

        return client_for_store(store, hub, timeout_s=5.0, connect_timeout_s=2.0)

    return make


def _applicant(data: dict[str, Any] | None, personal: dict[str, str] | None = None) -> Applicant | None:
    if not data and not personal:
        return None
    fields = {k: v for k, v in (data or {}).items() if v not in (None, "")}
    return Applicant(**fields, personal_fields=personal or {})


class StoreBackend:
    """Submissions go to the store's outbox first, then `deliver_now` tries the hub for ≤ 3 s.

    `client_factory(store) -> HubClient` is injectable so tests can cut the network.
    """

    def __init__(self, store: Store | str | Path, *, deliver_timeout_s: float = 3.0,
                 client_factory: Callable[[Store], HubClient] | None = None) -> None:
        self.store = store if isinstance(store, Store) else Store(store)
        self.deliver_timeout_s = deliver_timeout_s
        self.client_factory = client_factory or configured_client_factory(None)

    def close(self) -> None:
        self.store.close()

    def report_device(self, device: str, health: Any) -> None:
        """Record a device's latest `hardware.base.Health` in the store; heartbeats carry it to the hub."""
        from server_sync.store.terminal_state import device_health_for_store

        self.store.report_device(device, device_health_for_store(health))

    def _client(self) -> "HubClient":
        try:
            return self.client_factory(self.store)
        except NotEnrolledError as exc:
            raise Offline(str(exc)) from exc

    def _online(self, call: Callable[["HubClient"], Any]) -> Any:
        from server_sync.client import HubError, HubRefused

        client = self._client()
        try:
            return call(client)
        except HubRefused as exc:
            if exc.status == 404:
                raise NotFound(exc.message) from exc
            if exc.status in (401, 403):
                raise Refused(exc.message) from exc
            raise
        except HubError as exc:
            raise Offline(str(exc)) from exc
        finally:
            client.close()

    # -- catalogue -------------------------------------------------------------------
    def catalogue(self) -> Catalogue | None:
        return self.store.catalogue()

    def _tracking_url(self, reference: str, code: str | None) -> str | None:
        catalogue = self.store.catalogue()
        if not catalogue or not code:
            return None
        return tracking_url(catalogue.municipality.tracking_base_url, reference, code)

    # -- submissions -------------------------------------------------------------------
    def submit(self, draft: Draft) -> SubmitOutcome:
        location = None
        if draft.address_text or draft.place_id:
            location = Location(address_text=draft.address_text, place_id=draft.place_id)
        record = self.store.submit(
            draft.kind, service_id=draft.service_id, tier=draft.tier,
            signal_category_id=draft.signal_category_id, signal_type=draft.signal_type,
            description=draft.description, location=location,
            # the personal fields go into the applicant, which is sealed before it touches the
            # disk: the store's own catalogue copy may already be a newer one that lacks this
            # service, and could not tell them apart from the rest of the form
            form=draft.form if not draft.anonymous else {**draft.form, **draft.personal_fields},
            anonymous=draft.anonymous,
            applicant=None if draft.anonymous else _applicant(draft.applicant, draft.personal_fields),
            language=draft.language,
        )
        number, code = None, record.tracking_code
        delivered = False
        try:
            client = self._client()
        except Offline:
            client = None
        if client is not None:
            try:
                from server_sync.delivery import deliver_now

                result = deliver_now(self.store, client, record.client_id, timeout_s=self.deliver_timeout_s)
                delivered, number = result.delivered, result.number
                code = result.tracking_code or code
            except Exception:  # the row is durable; the agent delivers it later
                log.exception("immediate delivery failed")
            finally:
                client.close()
        return SubmitOutcome(
            client_id=str(record.client_id), delivered=delivered, number=number,
            provisional_ref=record.provisional_ref, tracking_code=code,
            # Offline, the QR points at the provisional reference: the hub maps it to the
            # official number once the agent has delivered the request.
            tracking_url=self._tracking_url(number if delivered else record.provisional_ref, code),
            registered_at=record.terminal_time,
        )

    def track(self, reference: str, code: str) -> TrackingResponse:
        """Tracks by the number or reference as typed, then with the Cyrillic look-alikes a
        Bulgarian keyboard layout gives ("К07-…" is "K07-…"); the code is always Latin."""
        from kiosk.state.codes import reference_candidates, tracking_code

        candidates = reference_candidates(reference.strip())
        code = tracking_code(code)
        for candidate in candidates[:-1]:
            try:
                return self._track(candidate, code)
            except PendingLocally:
                raise
            except NotFound:
                continue
        return self._track(candidates[-1], code)

    def _track(self, reference: str, code: str) -> TrackingResponse:
        if not code:
            # A provisional reference from THIS kiosk: the code the hub issued on delivery
            # is in our outbox row, so the citizen can track with the receipt's reference only.
            row = self.store.submission(reference)
            outbox = self.store.outbox_row(row["client_id"]) if row else None
            if outbox is None:
                raise NotFound(reference)
            if outbox["state"] != "delivered" or not outbox["hub_tracking_code"]:
                raise PendingLocally(reference)
            code = outbox["hub_tracking_code"]
        return self._online(lambda c: c.track(reference, code))

    def dossier(self, applicant: dict[str, Any], access_code: str) -> DossierResponse:
        def call(client: "HubClient") -> DossierResponse:
            session = client.citizen_session(CitizenSessionRequest(
                egn=applicant["egn"], document_number=applicant["document_number"], access_code=access_code))
            return client.dossier(session.token)

        return self._online(call)

    def consultations(self) -> list[Consultation]:
        return self._online(lambda c: c.consultations().consultations)

    def support(self, consultation_id: str, applicant: dict[str, Any]) -> SupportResult:
        request = SupportRequest(client_id=uuid.uuid4(), terminal_time=datetime.now(timezone.utc),
                                 applicant=_applicant(applicant))
        return self._online(lambda c: c.support(consultation_id, request))

    def record_press(self, score: int, service_id: str | None = None) -> None:
        self.store.record_press(PressFields(score, scale=4, service_id=service_id, source="kiosk"))

    def status(self) -> dict[str, Any]:
        q = self.store.queue_stats()
        s = self.store.sync_state()
        ident = self.store.identity()
        now = time.time()
        if s.revoked:
            hub = f"REVOKED — {s.revoked_reason or 'the hub refused this terminal'}; re-enrol with sync-agent enroll"
        elif s.last_contact_at is None:
            hub = "never reached"
        else:
            hub = f"last contact {_ago(now, s.last_contact_at)}"
        return {
            "terminal": ident.terminal_id if ident else "not enrolled",
            "hub": hub,
            "queue_depth": q.depth,
            "oldest_undelivered": _ago(now, q.oldest_created_at) if q.oldest_created_at else "—",
            "rejected_by_hub": q.rejected,
            "last_sync": _ago(now, s.last_sync_at) if s.last_sync_at else "never",
            "last_error": s.last_error or "—",
        }

    def audit(self, action: str) -> None:
        """One line of maintenance mode's audit trail, in the store's event log: kept on the terminal
        and sent to the hub with the next heartbeats (the agent's `recent_errors`)."""
        self.store.record_error("maintenance", action)

    MAINTENANCE_LOCK_KEY = "maintenance_entry_lock"

    def maintenance_lock(self) -> dict | None:
        """Maintenance mode's entry lock as last kept (wrong attempts, locked until), or None."""
        raw = self.store.setting(self.MAINTENANCE_LOCK_KEY)
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            log.error("the kept maintenance lock is not JSON: ignored")
            return None

    def keep_maintenance_lock(self, data: dict) -> None:
        self.store.set_setting(self.MAINTENANCE_LOCK_KEY, json.dumps(data))

    def wipe_session_data(self) -> None:
        """Nothing personal is kept in clear by the store; sealed blobs cannot be read here."""


def _ago(now: float, then: float) -> str:
    """A technician's reading of a past moment: local time and how long ago."""
    seconds = max(0, int(now - then))
    when = datetime.fromtimestamp(then).astimezone().strftime("%d.%m.%Y %H:%M:%S")
    if seconds < 120:
        return f"{when} ({seconds} s ago)"
    if seconds < 7200:
        return f"{when} ({seconds // 60} min ago)"
    if seconds < 172800:
        return f"{when} ({seconds // 3600} h ago)"
    return f"{when} ({seconds // 86400} days ago)"
