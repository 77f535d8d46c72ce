"""Submissions and the printer: filing a draft for the citizen of the session, the receipt it
gets (made and printed once, here, whatever the screens do next), and the printer's readiness.
Part of `KioskState` (mixins: they use the state's backend, catalogue, session and signals)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from kiosk.state.backend import Draft, SubmitOutcome
from kiosk.state.tasks import owner_gone
from kiosk.state.wording import application_title, format_deadline, format_fee, signal_title

log = logging.getLogger(__name__)

_SOFIA = ZoneInfo("Europe/Sofia")

PRINTED_KEPT = 5


@dataclass
class ReceiptData:
    """What a receipt says, on paper and on screen (the same content)."""

    reference: str
    official: bool
    title: str
    created_at: datetime
    office: str
    tracking_code: str | None
    tracking_url: str | None
    fee_eur: str | None = None
    deadline: str | None = None
    kind: str = "service_request"
    #: where the signal is: the place the citizen chose, the address and landmark typed
    place: str | None = None
    #: the day by which the municipality answers (the service's deadline; two months for a signal)
    due: date | None = None
    #: a signal filed without the ID card: accepted as information, no proceedings, no answer
    information_only: bool = False
    #: the telephone to ask about it: "name: number"
    hotline: str | None = None
    #: what it was made from (the draft and the outcome), to say it again in another language
    source: tuple | None = field(default=None, repr=False, compare=False)


class Submissions:
    """Filing a draft and making its receipt."""

    def applicant(self) -> dict[str, Any] | None:
        ident = self.session.identity
        if ident is None:
            return None
        return {
            "egn": ident.egn,
            "document_number": ident.document_number,
            "given_names": ident.given_names,
            "surname": ident.surname,
            "birth_date": ident.birth_date,
            "mrz": ident.mrz or None,
        }

    def submit(self, draft: Draft, on_done: Callable[[ReceiptData], None], on_error: Callable[[Exception], None]) -> None:
        """File `draft` for the citizen of this session (the applicant from the ID card, unless it
        is anonymous). Once the outcome is known the receipt is made and printed, once, here —
        whatever the screens do next (a language switch rebuilds them) — and `on_done(receipt)`
        is called if the screen that asked is still shown."""
        if not draft.anonymous and draft.applicant is None:
            draft = replace(draft, applicant=self.applicant())
        if not draft.anonymous and draft.contact and draft.applicant is not None:
            # a phone or e-mail to answer on travels with the applicant, sealed
            draft = replace(draft, applicant={**draft.applicant, **{k: v for k, v in draft.contact.items() if v}})
        serial = self._session_serial

        def filed(outcome: SubmitOutcome) -> None:
            receipt = self.complete_submission(draft, outcome, print_it=serial == self._session_serial)
            view = getattr(on_done, "__self__", None)
            if not owner_gone(view if isinstance(view, QObject) else None):
                on_done(receipt)

        def failed(exc: Exception) -> None:
            view = getattr(on_error, "__self__", None)
            if not owner_gone(view if isinstance(view, QObject) else None):
                on_error(exc)

        # the callbacks here are the state's own: the outcome is handled even if the screen has gone
        self.tasks.run(lambda: self.backend.submit(draft), filed, failed, owner=self)

    def complete_submission(self, draft: Draft, outcome: SubmitOutcome, print_it: bool = True) -> ReceiptData:
        """The outcome of a submission is known: its receipt, printed once (unless the session that
        filed it has ended: nobody is there to take it)."""
        receipt = self.make_receipt(draft, outcome)
        if print_it:
            self.print_receipt(receipt)
        else:
            log.info("the session ended before %s was filed: no receipt printed", outcome.reference)
        return receipt

    def make_receipt(self, draft: Draft, outcome: SubmitOutcome) -> ReceiptData:
        """What was filed, where, by when it is answered, how to track it and whom to call."""
        self.last_receipt = receipt = self._receipt(draft, outcome)
        return receipt

    def receipt_in_language(self, receipt: ReceiptData) -> ReceiptData:
        """`receipt` in the kiosk's language now (the screen after a language switch); the paper, and
        the receipt the printer was given, stay as printed."""
        return self._receipt(*receipt.source) if receipt.source is not None else receipt

    def _receipt(self, draft: Draft, outcome: SubmitOutcome) -> ReceiptData:
        from server_sync.protocol.catalogue import Tier
        from server_sync.protocol.deadlines import deadline_for, signal_deadline

        fee = deadline = place = None
        due_at = outcome.deadline_at
        unit_id = None
        information_only = False
        if draft.kind == "service_request":
            service = self.service(draft.service_id or "")
            name = self.t(service.name) if service else (draft.service_id or "")
            title = application_title(name)
            tier = service.tier(draft.tier or Tier.ORDINARY) if service else None
            if tier is not None:
                fee = format_fee(tier.fee_eur)
                deadline = format_deadline(tier.deadline)
                if due_at is None:  # offline: the date the hub sets, by the same rule
                    due_at = deadline_for(outcome.registered_at, tier.deadline)
            unit_id = service.unit_id if service else None
        else:
            cat = next((c for c in self.catalogue.signal_categories if c.id == draft.signal_category_id), None) if self.catalogue else None
            title = signal_title(self.t(cat.name) if cat else None)
            unit_id = cat.unit_id if cat else None
            place = self.signal_place(draft)
            information_only = draft.anonymous
            if information_only:
                due_at = None  # accepted as information: no proceedings, no answer (АПК, art. 111)
            elif due_at is None:
                due_at = signal_deadline(outcome.registered_at)
        return ReceiptData(
            reference=outcome.reference,
            official=outcome.delivered,
            title=title,
            created_at=outcome.registered_at,
            office=self.office_name(),
            tracking_code=outcome.tracking_code,
            tracking_url=outcome.tracking_url,
            fee_eur=fee,
            deadline=deadline,
            kind=draft.kind,
            place=place,
            due=due_at.astimezone(_SOFIA).date() if due_at is not None else None,
            information_only=information_only,
            hotline=self.hotline_for(unit_id),
            source=(draft, outcome),
        )

    def signal_place(self, draft: Draft) -> str | None:
        """The place a signal points at, as the citizen gave it: a place of the catalogue, and
        what was typed (street and number, a landmark)."""
        chosen = next((p for p in self.catalogue.places if p.id == draft.place_id), None) \
            if self.catalogue and draft.place_id else None
        parts = [self.t(chosen.name) if chosen else None, draft.address_text]
        return ", ".join(p for p in parts if p) or None

    def hotline_for(self, unit_id: str | None) -> str | None:
        """The telephone of the unit that handles it, else the citizen centre's: "name: number"."""
        hotlines = self.catalogue.hotlines if self.catalogue else []
        line = next((h for h in hotlines if unit_id and h.unit_id == unit_id), None) or \
            next((h for h in hotlines if h.unit_id == "registry"), None)
        return f"{self.t(line.name)}: {line.phone}" if line else None

    def record_press(self, score: int, service_id: str | None = None, on_done=None, on_error=None) -> None:
        self.tasks.run(
            lambda: self.backend.record_press(score, service_id),
            on_done or (lambda _: None),
            on_error or (lambda exc: log.warning("press not recorded: %s", exc)),
        )


class Printing:
    """The receipt printer: asked whether it can print, and printing a receipt once."""

    def check_printer(self) -> None:
        """Ask the printer (on a worker: USB I/O) whether it can print; `printer_checked` says."""
        if self.printer is None:
            self._printer_checked(False)
            return
        probe = self.printer_paper
        if probe is None:
            self._printer_checked(None)
            return
        self.tasks.run(lambda: str(probe()), lambda paper: self._printer_checked(
            False if paper == "out" else True if paper in ("ok", "near_end") else None),
            lambda exc: self._printer_checked(False), owner=self)

    def _printer_checked(self, ready: bool | None) -> None:
        self.printer_ready = ready
        self.printer_checked.emit(ready)

    def print_receipt(self, receipt: ReceiptData) -> None:
        self._printing = (receipt, None)
        if self.printer is None:
            self._printed(receipt, False)
            return

        def done(_):
            self.printed.append(receipt)
            self._printed(receipt, True)

        self.tasks.run(lambda: self.printer(receipt), done, lambda exc: self._printed(receipt, False, exc))

    def _printed(self, receipt: ReceiptData, ok: bool, exc: Exception | None = None) -> None:
        if self._printing is not None and self._printing[0] is receipt:
            self._printing = (receipt, ok)
        from kiosk.state.messages import printer_text

        self.printer_status.emit(printer_text(ok), ok)

    def print_outcome(self, receipt: ReceiptData) -> bool | None:
        """How printing `receipt` went: True printed, False not, None still printing (or not asked)."""
        if self._printing is not None and self._printing[0] is receipt:
            return self._printing[1]
        return None
