"""The agent's loop: drain the outbox in batches, pull the catalogue, heartbeat, notice a restored hub."""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

from server_sync import __version__, delivery, sdnotify
from server_sync.agent import system
from server_sync.client import HubClient
from server_sync.client_errors import HubError, HubRefused, TokenRefused, UnexpectedBody
from server_sync.config import HubSection, SyncSection
from server_sync.connect import hub_client
from server_sync.protocol import HeartbeatRequest, HeartbeatResponse, technicians
from server_sync.store import Identity, Store, StoreWriteError

if TYPE_CHECKING:
    from server_sync.agent.updates import Updater

__all__ = ["Agent", "Backoff"]

log = logging.getLogger("sync_agent")

SUBMISSION_BATCH = 20
PURGE_EVERY_S = 600.0  # a sealed blob outlives its window by at most this
MAX_SLEEP_S = 5.0


@dataclass
class Backoff:
    """Exponential backoff with full jitter, capped: sleep U(0, min(cap, base·2ⁿ))."""

    base_s: float
    cap_s: float
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self) -> float:
        ceiling = min(self.cap_s, self.base_s * (2 ** min(self.failures, 30)))
        self.failures += 1
        # Never quite zero: a burst of failures must not become a hot loop.
        return max(self.base_s / 10, self.rng.uniform(0, ceiling))

    def reset(self) -> None:
        self.failures = 0


class Agent:
    """One terminal's sync agent. `run(stop)` loops until `stop` is set; each step is also
    callable on its own (tests, `run --until-empty`)."""

    def __init__(self, store: Store, sync: SyncSection | None = None, hub: HubSection | None = None, *,
                 client_factory: Callable[[Identity], HubClient] | None = None,
                 rng: random.Random | None = None, owner: str | None = None,
                 updater: "Updater | None" = None) -> None:
        self.store = store
        self.updater = updater  # software updates (server_sync.agent.updates), when configured
        self.sync = sync or SyncSection()
        self.hub = hub or HubSection()
        self.client_factory = client_factory or self._default_client
        self.backoff = Backoff(self.sync.backoff_initial_s, self.sync.backoff_max_s, rng or random.Random())
        self.owner = owner or f"agent-{os.getpid()}"
        self.lease_s = max(60.0, 3 * self.hub.timeout_s)
        self._client: HubClient | None = None
        self._client_key: tuple[str, str] | None = None
        self._hub_wait_until = 0.0  # monotonic: no hub call before this (backoff)
        self._next_heartbeat = 0.0
        self._next_catalogue = 0.0
        self._next_purge = 0.0
        self._not_enrolled_logged = False
        self._revoked_token: str | None = None  # the token the hub refused, while we wait
        # Logged that the store cannot be written (full disk, read-only SD card); the store's
        # `write_error` says whether that still holds, and heartbeats carry it meanwhile.
        self._store_error_logged = False
        self._store_backoff = Backoff(self.sync.backoff_initial_s, min(60.0, self.sync.backoff_max_s),
                                      rng or random.Random())
        self._heartbeat_seq = 0

    # --- plumbing ---------------------------------------------------------------------

    def _default_client(self, identity: Identity) -> HubClient:
        return hub_client(identity, self.hub)

    def _client_for(self, identity: Identity) -> HubClient:
        key = (identity.hub_url, identity.token)
        if self._client is None or self._client_key != key:  # re-enrolled meanwhile
            if self._client is not None:
                self._client.close()
            self._client, self._client_key = self.client_factory(identity), key
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _transient_failure(self, what: str, exc: HubError) -> float:
        delay = self.backoff.next_delay()
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:  # the hub (or its proxy) asked for a pause: honour it, within the cap
            delay = max(delay, min(retry_after, self.sync.backoff_max_s))
        self._hub_wait_until = time.monotonic() + delay
        message = f"{what}: {type(exc).__name__}: {exc}"
        log.warning("%s; retrying in %.1f s", message, delay)
        now = time.time()
        self.store.update_sync_state(last_error=message[:500], last_error_at=now)
        if self.backoff.failures in (1, 5, 10) or self.backoff.failures % 50 == 0:
            self.store.record_error("sync", message)  # not every retry: the log stays bounded
        return delay

    def _not_blocking_failure(self, what: str, exc: Exception) -> None:
        message = f"{what}: {type(exc).__name__}: {exc}"
        log.error("%s", message)
        self.store.update_sync_state(last_error=message[:500], last_error_at=time.time())
        self.store.record_error("sync", message)

    def _revoked(self, exc: TokenRefused) -> None:
        message = (f"the hub refused this terminal's token ({exc.status} {exc.code}: {exc.message}); "
                   "delivery stopped until the terminal is re-enrolled (sync-agent enroll)")
        log.error(message)
        self.store.update_sync_state(revoked=True, revoked_reason=message[:500], last_error=message[:500],
                                     last_error_at=time.time())
        self.store.record_error("sync", "token revoked: delivery stopped")
        self._hub_wait_until = time.monotonic() + self.sync.revoked_recheck_s
        identity = self.store.identity()
        self._revoked_token = identity.token if identity else None

    def _store_write_failed(self, exc: StoreWriteError) -> None:
        if not self._store_error_logged:
            log.error("%s; delivery paused until the store can be written again", exc)
            self._store_error_logged = True

    def _contact(self) -> None:
        self.backoff.reset()
        self._hub_wait_until = 0.0

    # --- the loop ---------------------------------------------------------------------

    def run(self, stop: threading.Event, *, until_empty: bool = False) -> None:
        """Loop until `stop` is set (SIGTERM) — or, with `until_empty`, until nothing is pending."""
        try:
            released = self.store.release_claims_of("agent-")  # only one agent runs per data dir
        except StoreWriteError as exc:  # a full disk: the old leases will simply run out
            released = 0
            self._store_write_failed(exc)
        if released:
            log.info("took over %d rows claimed by a previous agent that did not finish", released)
        sdnotify.notify("READY=1\nSTATUS=draining the outbox")
        watchdog = sdnotify.watchdog_interval_s()
        try:
            while not stop.is_set():
                if watchdog:
                    sdnotify.notify("WATCHDOG=1")
                try:
                    worked = self.step()
                except StoreWriteError as exc:
                    # Nothing stored is lost (the write rolled back; a delivered-but-unmarked
                    # row is re-sent and the hub answers it idempotently). Say it once, keep
                    # heartbeating so the hub sees it, and do not spin against the disk.
                    self._store_write_failed(exc)
                    stop.wait(min(self._store_backoff.next_delay(), watchdog or MAX_SLEEP_S))
                    continue
                if self._store_error_logged and self.store.write_error is None:
                    log.warning("the store can be written again: delivery resumes")
                    self._store_error_logged = False
                    self._store_backoff.reset()
                if until_empty and not self.store.has_pending():
                    return
                if not worked:
                    wait = self.sync.idle_poll_s
                    backoff_left = self._hub_wait_until - time.monotonic()
                    if backoff_left > 0:
                        # Wake now and then even in a long wait: a re-enrolment or SIGTERM
                        # should not wait out an hour's recheck interval.
                        wait = min(backoff_left, MAX_SLEEP_S)
                    if watchdog:
                        wait = min(wait, watchdog)
                    stop.wait(max(wait, 0.001))
        finally:
            sdnotify.notify("STOPPING=1")

    def step(self) -> bool:
        """Do what is due now; True if it did something worth looping on at once."""
        identity = self.store.identity()
        if identity is None:
            if not self._not_enrolled_logged:
                log.warning("not enrolled with a hub: presses queue locally (sync-agent enroll --hub URL --code CODE)")
                self._not_enrolled_logged = True
            return False
        self._not_enrolled_logged = False
        now = time.monotonic()
        if now >= self._next_purge:
            self._next_purge = now + PURGE_EVERY_S
            blobs, rows = self.store.purge()
            if blobs or rows:
                log.info("purged %d sealed personal blobs and %d old delivered rows", blobs, rows)
        state = self.store.sync_state()
        if self._revoked_token is not None and (not state.revoked or identity.token != self._revoked_token):
            log.info("re-enrolled: delivery resumes")
            self._revoked_token, self._hub_wait_until = None, 0.0
        if now < self._hub_wait_until:
            return False
        client = self._client_for(identity)
        if state.revoked:
            # Re-check rarely, with one heartbeat: no busy retry loop against a revoked token.
            self.heartbeat(identity, client)
            return False
        if now >= self._next_heartbeat and not self.heartbeat(identity, client):
            return False
        if self.updater is not None:
            self._update_tick()
        if now >= self._next_catalogue and not self.pull_catalogue(client):
            return False
        if not self.store.has_pending():
            return False  # a read, not a write lock: an idle agent leaves the UIs the database
        return self.drain_once(identity, client)

    # --- heartbeats and the restored-hub check ----------------------------------------

    def build_heartbeat(self) -> HeartbeatRequest:
        stats = self.store.queue_stats()
        state = self.store.sync_state()
        errors = [f"{source}: {message}"[:300] for _at, source, message in self.store.recent_errors(20)]
        try:
            self._heartbeat_seq = self.store.next_heartbeat_seq()
        except StoreWriteError:
            # A full disk is exactly what the hub should hear about: report anyway, with a
            # sequence number kept in memory (heartbeats are not events; the hub only logs it).
            self._heartbeat_seq = max(self._heartbeat_seq, self.store.counter_value("heartbeat")) + 1
        if self.store.write_error:
            errors = [f"store: {self.store.write_error}"[:300], *errors][:20]
        return HeartbeatRequest(
            terminal_time=datetime.now().astimezone(),
            seq=self._heartbeat_seq,
            software_version=__version__,
            uptime_s=system.uptime_s(),
            queue_depth=stats.depth,
            oldest_undelivered_age_s=stats.oldest_age_s(),
            last_sync_at=(datetime.fromtimestamp(state.last_sync_at, timezone.utc)
                          if state.last_sync_at else None),
            disk_free_bytes=system.disk_free_bytes(self.store.data_dir),
            cpu_temp_c=system.cpu_temp_c(),
            under_voltage=system.under_voltage(),
            catalogue_version=self.store.catalogue_version(),
            devices=self.store.device_states(),
            last_errors=errors,
            rejected_items=stats.rejected,
            last_rejection=(stats.last_rejection or "")[:300] or None,
            features=["technicians", technicians.VERSIONED, *(["updates"] if self.updater is not None else [])],
            technicians_version=technicians.stored_version(self.store.setting(technicians.SETTING_KEY)),
            update=self.updater.report() if self.updater is not None else None,
        )

    def heartbeat(self, identity: Identity | None = None, client: HubClient | None = None) -> bool:
        identity = identity or self.store.identity()
        client = client or self._client_for(identity)
        # What we had delivered when the heartbeat left: the kiosk may deliver a request
        # while it is in flight, and the hub's answer cannot count that one yet.
        delivered_before = self.store.max_delivered_seq()
        try:
            answer = client.heartbeat(self.build_heartbeat())
        except TokenRefused as exc:
            self._revoked(exc)
            return False
        except (HubRefused, UnexpectedBody, ValueError) as exc:
            if isinstance(exc, HubRefused) and exc.field == "technicians_version" and self._forget_technicians_version():
                # A hub rolled back to a release before list versions refuses the field it once gave:
                # ask again at once as kiosks did before versions (the list we hold stays).
                log.warning("the hub does not take the technicians' version any more: asking without it")
                return True
            # The hub is there but dislikes this report (or we built a bad one): say so, and
            # do not let health reporting hold up delivery.
            self._not_blocking_failure("heartbeat", exc)
            self._next_heartbeat = time.monotonic() + self.sync.heartbeat_interval_s
            return True
        except HubError as exc:
            self._transient_failure("heartbeat", exc)
            return False
        self._contact()
        self._next_heartbeat = time.monotonic() + self.sync.heartbeat_interval_s
        now = time.time()
        updates = dict(last_contact_at=now, last_heartbeat_at=now, hub_last_seq=answer.last_seq)
        if self.store.sync_state().revoked:
            log.warning("the hub accepts this terminal's token again: delivery resumes")
            updates.update(revoked=False, revoked_reason=None)
            self._revoked_token = None
        self.store.update_sync_state(**updates)
        self._keep_technicians(answer)
        if self.updater is not None:
            self.updater.note_heartbeat()
            if answer.release is not None and self.updater.offer(answer.release, self._downloader(identity)):
                log.info("release %s offered by the hub: downloading in the background", answer.release.version)
        self._check_hub_continuity(identity, answer, delivered_before)
        if answer.catalogue_version and answer.catalogue_version != self.store.catalogue_version():
            self._next_catalogue = 0.0  # a new catalogue is out: pull it now
        return True

    def _downloader(self, identity: Identity):
        """Fetch a release bundle on the update thread, with its own client (not the loop's)."""
        def download(path: str, dest) -> None:
            client = self.client_factory(identity)
            try:
                client.download(path, dest)
            finally:
                client.close()
        return download

    def _update_tick(self) -> None:
        """Switch to an installed release at a quiet moment; judge (or roll back) a switched one."""
        devices_ok = all(d.state.value != "offline" for d in self.store.device_states().values())
        try:
            done = self.updater.tick(devices_ok=devices_ok)
        except OSError as exc:  # a full disk or a read-only root: say so, keep delivering
            self._not_blocking_failure("update", exc)
            return
        if done == "rolled_back":
            self.store.record_error("update", f"release rolled back: {self.updater.state.get('reason')}")

    def _keep_technicians(self, answer: HeartbeatResponse) -> None:
        """The hub's technicians for maintenance mode (kiosks): kept in the store, where the kiosk
        checks a badge and PIN against them (server_sync.protocol.technicians). Written only when
        the list changed; an answer without the list (a feedback terminal, an older hub, or a hub
        whose current list is the one we hold: `technicians_version`) keeps ours."""
        if answer.technicians is None:
            return
        value = technicians.to_json(answer.technicians, answer.badge_key, answer.technicians_version)
        if self.store.setting(technicians.SETTING_KEY) != value:
            self.store.set_setting(technicians.SETTING_KEY, value)
            log.info("technicians for maintenance mode updated from the hub: %d", len(answer.technicians))

    def _forget_technicians_version(self) -> bool:
        """Keep the stored list without the hub's version (True when there was one to forget)."""
        stored = self.store.setting(technicians.SETTING_KEY)
        held = technicians.from_json(stored)
        if held is None or technicians.stored_version(stored) is None:
            return False
        self.store.set_setting(technicians.SETTING_KEY, technicians.to_json(*held))
        return True

    def _check_hub_continuity(self, identity: Identity, answer: HeartbeatResponse,
                              delivered: int | None) -> None:
        """A hub restored from an older backup has lost what we delivered after that backup.

        `delivered`: our highest delivered event seq when the heartbeat was sent."""
        if answer.hub_epoch != identity.hub_epoch:
            count = self.store.requeue_lost(new_epoch=answer.hub_epoch)
            self.store.update_hub_epoch(answer.hub_epoch)
            log.warning("hub epoch changed (%s → %s): the hub was reset or restored; re-sending %d items",
                        identity.hub_epoch, answer.hub_epoch, count)
            self.store.record_error("sync", f"hub epoch changed; re-sending {count} items")
        if delivered is not None and (answer.last_seq or 0) < delivered:
            count = self.store.requeue_lost(above_seq=answer.last_seq or 0)
            if count:
                log.warning("the hub holds events up to seq %s but we delivered up to %s "
                            "(restored from a backup?): re-sending %d items",
                            answer.last_seq, delivered, count)
                self.store.record_error("sync", f"hub lost events after seq {answer.last_seq}; re-sending {count}")

    # --- catalogue --------------------------------------------------------------------

    def pull_catalogue(self, client: HubClient | None = None) -> bool:
        client = client or self._client_for(self.store.identity())
        try:
            result = client.catalogue(self.store.catalogue_etag())
        except TokenRefused as exc:
            self._revoked(exc)
            return False
        except (HubRefused, UnexpectedBody) as exc:
            # Keep the cached catalogue (the kiosk works from it) and keep delivering.
            self._not_blocking_failure("catalogue", exc)
            self._next_catalogue = time.monotonic() + self.sync.catalogue_interval_s
            return True
        except HubError as exc:
            self._transient_failure("catalogue", exc)
            return False
        self._contact()
        self._next_catalogue = time.monotonic() + self.sync.catalogue_interval_s
        if result is not None:
            catalogue, etag = result
            self.store.save_catalogue(catalogue, etag)
            log.info("catalogue %s stored (%d services)", catalogue.version, len(catalogue.services))
        self.store.update_sync_state(last_contact_at=time.time())
        return True

    # --- the outbox -------------------------------------------------------------------

    def drain_once(self, identity: Identity | None = None, client: HubClient | None = None) -> bool:
        """Deliver one batch of submissions and one batch of presses; True if any went."""
        identity = identity or self.store.identity()
        client = client or self._client_for(identity)
        sent = self._drain_submissions(identity, client)
        if sent is None:
            return False
        presses = self._drain_presses(identity, client)
        if presses is None:
            return False
        return bool(sent or presses)

    def _retry_at(self, what: str, exc: HubError) -> float:
        """When a row that failed transiently is due again: after the hub-wide backoff."""
        return time.time() + self._transient_failure(what, exc)

    def _drain_submissions(self, identity: Identity, client: HubClient) -> int | None:
        items = self.store.claim(delivery.SUBMISSION_KINDS, SUBMISSION_BATCH, owner=self.owner,
                                 lease_s=self.lease_s)
        result = delivery.deliver_one_by_one(self.store, client, items, hub_epoch=identity.hub_epoch,
                                             retry_at=self._retry_at, on_delivered=self._contact)
        return self._settled(result)

    def _drain_presses(self, identity: Identity, client: HubClient) -> int | None:
        items = self.store.claim(("press",), self.sync.press_batch, owner=self.owner, lease_s=self.lease_s)
        result = delivery.deliver_presses(self.store, client, items, hub_epoch=identity.hub_epoch,
                                          retry_at=self._retry_at, on_delivered=self._contact)
        return self._settled(result)

    def _settled(self, result: delivery.BatchResult) -> int | None:
        """How many went, or None when the batch stopped (backoff already set by `_retry_at`)."""
        if isinstance(result.stopped_by, TokenRefused):
            self._revoked(result.stopped_by)
        return None if result.stopped_by is not None else result.delivered
