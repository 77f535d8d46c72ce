"""The outbox's delivery policy, one for the agent and the kiosk's immediate delivery.

A claimed row is sent with its own client id and settled by the hub's answer:

| answer | the row |
|---|---|
| the expected receipt | `delivered` (with the hub's number and tracking code) |
| the hub's refusal (`HubRefused`) | `rejected` for good, and recorded in the store's errors |
| the token refused (`TokenRefused`) | released untouched: the terminal is revoked, not the row |
| anything transient (`HubError`) | back to `pending`, due at the caller's `retry_at` |

The caller owns what lies around it: the agent its backoff and revoked state, the kiosk its
deadline. `HubClient` only speaks HTTP; the store only keeps the states.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Sequence

import httpx

from server_sync.client import HubClient
from server_sync.client_errors import HubError, HubRefused, TokenRefused
from server_sync.protocol import FeedbackBatch
from server_sync.store import OutboxItem, Store

__all__ = [
    "SUBMISSION_KINDS",
    "Delivery",
    "DeliveryResult",
    "BatchResult",
    "send",
    "deliver",
    "deliver_one_by_one",
    "deliver_presses",
    "deliver_now",
]

log = logging.getLogger(__name__)

SUBMISSION_KINDS = ("service_request", "signal")  # a consultation's support goes online, not queued

# (what failed, the error) -> epoch seconds at which the row is due again
RetryAt = Callable[[str, HubError], float]


@dataclass(frozen=True)
class Delivery:
    """The hub's answer to one delivered outbox item."""

    number: str | None = None
    tracking_code: str | None = None
    tracking_url: str | None = None


@dataclass(frozen=True)
class DeliveryResult:
    """One row's fate: delivered (with the hub's number), or the error that stopped it."""

    delivered: bool
    client_id: uuid.UUID
    number: str | None = None
    tracking_code: str | None = None
    error: HubError | None = None

    @property
    def stops_the_batch(self) -> bool:
        """A revoked token or a transient failure: the rest of a batch would fare the same."""
        return self.error is not None and (isinstance(self.error, TokenRefused) or self.error.transient)


@dataclass(frozen=True)
class BatchResult:
    delivered: int
    stopped_by: HubError | None = None  # TokenRefused or a transient error; the rest released


def send(client: HubClient, item: OutboxItem, *, timeout: httpx.Timeout | float | None = None) -> Delivery:
    """Send one outbox item with its own client id; the hub's answer (raises `HubError`)."""
    if item.kind in ("service_request", "signal"):
        receipt = client.submit(item.submission(), timeout=timeout)
        return Delivery(receipt.number, receipt.tracking_code, receipt.tracking_url)
    if item.kind == "press":
        client.send_feedback(FeedbackBatch(presses=[item.press()]), timeout=timeout)
        return Delivery()
    raise ValueError(f"unknown outbox kind {item.kind!r}")


def deliver(store: Store, client: HubClient, item: OutboxItem, *, hub_epoch: str | None,
            retry_at: RetryAt, source: str = "sync",
            timeout: httpx.Timeout | float | None = None) -> DeliveryResult:
    """Send one claimed row and settle it by the answer (see the module's table)."""
    try:
        delivery = send(client, item, timeout=timeout)
    except TokenRefused as exc:
        store.release([item.id])
        return DeliveryResult(False, item.client_id, error=exc)
    except HubRefused as exc:
        log.error("the hub refused %s %s for good: %s", item.kind, item.client_id, exc)
        store.mark_rejected(item.id, str(exc))
        store.record_error(source, f"{item.kind} refused by the hub: {exc.code}")
        return DeliveryResult(False, item.client_id, error=exc)
    except HubError as exc:
        store.mark_failed([item.id], f"{type(exc).__name__}: {exc}",
                          retry_at=retry_at(f"{item.kind} {item.client_id}", exc))
        return DeliveryResult(False, item.client_id, error=exc)
    store.mark_delivered([(item.id, delivery.number, delivery.tracking_code)], hub_epoch=hub_epoch)
    return DeliveryResult(True, item.client_id, delivery.number, delivery.tracking_code)


def deliver_one_by_one(store: Store, client: HubClient, items: Sequence[OutboxItem], *,
                       hub_epoch: str | None, retry_at: RetryAt,
                       on_delivered: Callable[[], None] = lambda: None) -> BatchResult:
    """Deliver claimed rows in order; a refused row is rejected and the next one goes, a
    revoked token or a transient failure stops the batch and releases the rows not tried."""
    done = 0
    for n, item in enumerate(items):
        result = deliver(store, client, item, hub_epoch=hub_epoch, retry_at=retry_at)
        if result.delivered:
            on_delivered()
            done += 1
        elif result.stops_the_batch:
            store.release([i.id for i in items[n + 1:]])
            return BatchResult(done, result.error)
    return BatchResult(done)


def deliver_presses(store: Store, client: HubClient, items: Sequence[OutboxItem], *,
                    hub_epoch: str | None, retry_at: RetryAt,
                    on_delivered: Callable[[], None] = lambda: None) -> BatchResult:
    """Deliver claimed presses as one FeedbackBatch from their stored JSON; if the hub refuses
    the batch, press by press, so one bad press cannot hold the others hostage."""
    if not items:
        return BatchResult(0)
    try:
        client.send_feedback_json([i.payload_json for i in items])
    except TokenRefused as exc:
        store.release([i.id for i in items])
        return BatchResult(0, exc)
    except HubRefused as exc:
        log.warning("the hub refused a batch of %d presses (%s); isolating", len(items), exc)
        return deliver_one_by_one(store, client, items, hub_epoch=hub_epoch, retry_at=retry_at,
                                  on_delivered=on_delivered)
    except HubError as exc:
        store.mark_failed([i.id for i in items], f"{type(exc).__name__}: {exc}",
                          retry_at=retry_at(f"{len(items)} presses", exc))
        return BatchResult(0, exc)
    store.mark_delivered([(i.id, None, None) for i in items], hub_epoch=hub_epoch)
    on_delivered()
    return BatchResult(len(items))


def deliver_now(store: Store, client: HubClient, client_id: uuid.UUID | str, *,
                timeout_s: float = 3.0) -> DeliveryResult:
    """The kiosk's immediate delivery of a just-written outbox row, within `timeout_s`.

    Claims the row (so the agent skips it meanwhile; lease = timeout + 30 s), sends it with the
    SAME client id and settles it as the agent would; a transient failure makes it due for the
    agent at once (the agent owns backoff). If the agent holds the row, waits (to the deadline)
    for the agent's answer. The client timeout is per phase: connect ≤ 1.5 s, then the rest of
    the budget, so a blackholed hub gives up in `timeout_s`.
    """
    client_id = uuid.UUID(str(client_id))
    deadline = time.monotonic() + timeout_s
    item = store.claim_one(client_id, owner=f"immediate-{os.getpid()}", lease_s=timeout_s + 30)
    if item is None:
        return _await_other_deliverer(store, client_id, deadline)
    remaining = max(0.1, deadline - time.monotonic())
    identity = store.identity()
    result = deliver(store, client, item, hub_epoch=identity.hub_epoch if identity else None,
                     retry_at=lambda _what, _exc: time.time(), source="immediate",
                     timeout=httpx.Timeout(remaining, connect=min(remaining, 1.5)))
    if isinstance(result.error, TokenRefused):
        store.record_error("immediate", str(result.error))
    return result


def _await_other_deliverer(store: Store, client_id: uuid.UUID, deadline: float) -> DeliveryResult:
    while True:
        row = store.outbox_row(client_id)
        if row is None:
            return DeliveryResult(False, client_id, error=HubError("no such outbox row"))
        if row["state"] == "delivered":
            return DeliveryResult(True, client_id, row["hub_number"], row["hub_tracking_code"])
        if row["state"] != "pending" or time.monotonic() >= deadline:
            return DeliveryResult(False, client_id)
        time.sleep(0.05)
