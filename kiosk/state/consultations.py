"""Supporting a public consultation with the ID card: asked by a screen, sent once, by the state.

The consultations screen only shows what happened. It is rebuilt after a language switch and
built again after the identify screen; before this module it sent the support as it was built,
so a language switch sent it a second time ("You have already supported this").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal


class SupportHost(Protocol):
    """What supporting needs of the kiosk state (kiosk.state.kiosk_state.KioskState)."""

    session: Any  # kiosk.state.session.Session: its identity_changed
    backend: Any  # the terminal backend: support(consultation_id, applicant)
    tasks: Any  # kiosk.state.tasks: run(work, done, failed, owner)

    def applicant(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class SupportOutcome:
    """The last support asked in this citizen's session: None while it is being sent."""

    consultation_id: str
    result: Any = None  # server_sync.protocol.messages.SupportResult once it is known
    error: Exception | None = None

    @property
    def pending(self) -> bool:
        return self.result is None and self.error is None


class ConsultationSupports(QObject):
    """`ask(id)`: support a consultation for the citizen whose card was read. Without a card the
    wish waits for it (the identify screen is next) and is sent once the card is read — once,
    whichever screens are built meanwhile. The identity's end forgets both the wish and the
    outcome."""

    changed = Signal()

    def __init__(self, state: SupportHost) -> None:
        super().__init__(state)
        self._state = state
        #: a support asked before the card was read; sent when it is
        self.wanted: str | None = None
        self.latest: SupportOutcome | None = None
        self._serial = 0
        state.session.identity_changed.connect(self._identity_changed)

    def ask(self, consultation_id: str) -> bool:
        """True: sent now; False: waiting for the ID card."""
        if self._state.applicant() is None:
            self.wanted = consultation_id
            return False
        self.wanted = None
        self._send(consultation_id)
        return True

    def forget_wish(self) -> None:
        """The citizen left the identify screen without a card: nothing is sent later."""
        self.wanted = None

    def _identity_changed(self, identity) -> None:
        if identity is None:
            self.clear()
        elif self.wanted is not None:
            wanted, self.wanted = self.wanted, None
            self._send(wanted)

    def _send(self, consultation_id: str) -> None:
        if self.latest is not None and self.latest.pending and self.latest.consultation_id == consultation_id:
            return  # already on its way
        applicant = self._state.applicant()
        serial = self._serial
        self.latest = SupportOutcome(consultation_id)
        self.changed.emit()

        def done(result) -> None:
            if serial == self._serial:
                self.latest = SupportOutcome(consultation_id, result=result)
                self.changed.emit()

        def failed(exc: Exception) -> None:
            if serial == self._serial:
                self.latest = SupportOutcome(consultation_id, error=exc)
                self.changed.emit()

        backend = self._state.backend
        self._state.tasks.run(lambda: backend.support(consultation_id, applicant), done, failed, owner=self)

    def clear(self) -> None:
        """The citizen's identity ended: an answer still on its way is dropped."""
        self._serial += 1
        self.wanted = None
        if self.latest is not None:
            self.latest = None
            self.changed.emit()
