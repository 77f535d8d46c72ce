"""Tracking a request: asked by the tracking screen, looked up once, by the state.

The tracking screen only shows what was found. It is rebuilt after a language switch; before
this module it looked the request up again as it was built (a second call to the hub, and the
answer gone from the screen meanwhile). The answer is kept until the identity ends (the welcome
screen, Finish, the timeout) and shown again, in the new language, by a rebuilt screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal


class TrackingHost(Protocol):
    """What tracking needs of the kiosk state (kiosk.state.kiosk_state.KioskState)."""

    backend: Any  # the terminal backend: track(reference, code)
    tasks: Any  # kiosk.state.tasks: run(work, done, failed, owner)


@dataclass(frozen=True)
class TrackingOutcome:
    """The last look-up of this session: pending until the answer or the error is known."""

    reference: str
    code: str
    result: Any = None  # server_sync.protocol.messages.TrackingResponse once it is known
    error: Exception | None = None

    @property
    def pending(self) -> bool:
        return self.result is None and self.error is None

    def is_for(self, reference: str, code: str) -> bool:
        return (self.reference, self.code) == (reference.strip(), code.strip())


class TrackingLookups(QObject):
    """`ask(reference, code)`: look a request up (once while the same look-up is on its way);
    `latest` is what was asked last and how it went; `changed` says when it moves on."""

    changed = Signal()

    def __init__(self, state: TrackingHost) -> None:
        super().__init__(state)
        self._state = state
        self.latest: TrackingOutcome | None = None
        self._serial = 0

    def ask(self, reference: str, code: str) -> None:
        reference, code = reference.strip(), code.strip()
        if self.latest is not None and self.latest.pending and self.latest.is_for(reference, code):
            return  # already on its way
        self._serial += 1
        serial = self._serial
        self.latest = TrackingOutcome(reference, code)
        self.changed.emit()

        def done(result) -> None:
            if serial == self._serial:
                self.latest = TrackingOutcome(reference, code, result=result)
                self.changed.emit()

        def failed(exc: Exception) -> None:
            if serial == self._serial:
                self.latest = TrackingOutcome(reference, code, error=exc)
                self.changed.emit()

        backend = self._state.backend
        self._state.tasks.run(lambda: backend.track(reference, code), done, failed, owner=self)

    def clear(self) -> None:
        """The citizen is gone: an answer still on its way is dropped, nothing is shown again."""
        self._serial += 1
        if self.latest is not None:
            self.latest = None
            self.changed.emit()


def tracking_qr_text(state: Any, receipt: Any) -> str:
    """What a receipt's QR code holds (paper and screen alike): the hub's tracking URL when it gave
    one, else the one built from the municipality's tracking address."""
    from server_sync.protocol.tracking import tracking_url

    if receipt.tracking_url:
        return receipt.tracking_url
    base = state.catalogue.municipality.tracking_base_url if state.catalogue else "/t/"
    return tracking_url(base, receipt.reference, receipt.tracking_code)
