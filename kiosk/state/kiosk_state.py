"""The kiosk's application state: language, session, catalogue, ID card, submissions — no widgets."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from kiosk.state.backend import Draft, KioskBackend, SubmitOutcome
from kiosk.state.session import Identity, Session, SessionTimeouts
from kiosk.state.tasks import TaskRunner, owner_gone
from kiosk.state.welcome_cache import WelcomeNames

if TYPE_CHECKING:  # the pydantic catalogue arrives with the backend, after the first frame
    from kiosk.state.search import SearchIndex
    from server_sync.protocol.catalogue import Catalogue, Service

log = logging.getLogger(__name__)

_SOFIA = ZoneInfo("Europe/Sofia")

PRINTED_KEPT = 5


@dataclass
class KioskSettings:
    """The [kiosk] section of the terminal config."""

    office_id: str | None = None
    terminal_name: str = ""
    language: str = "bg"
    timeouts: SessionTimeouts = field(default_factory=SessionTimeouts)
    #: the local technician PIN of a terminal the hub never sent technicians to: an Argon2id hash
    #: (`kiosk hash-pin`); `technician_pin` in clear is still read from old configs, with a warning
    technician_pin_hash: str | None = None
    technician_pin: str | None = None
    #: technician badges as sha256 hex of the normalised UID, never the UIDs themselves (the hub's
    #: allow-list has the same form). One hash: `python -c "from hardware.badge import hash_uid;
    #: print(hash_uid('04:A3:B2:C1'))"`. Checked by `badge_allowed` (the app wires
    #: kiosk.maintenance.badge_checker, which hashes a raw UID found here at once, with a warning).
    badge_uids: tuple[str, ...] = ()
    screen_width_mm: float = 216.96  # 10.1" 16:10 panel
    screen_width_px: int = 1280
    screen_height_px: int = 800

    @property
    def min_target_px(self) -> int:
        """Touch targets ≥ 9 mm (EN 301 549 11.2.5) at this panel's pixel pitch."""
        return int(9.0 * self.screen_width_px / self.screen_width_mm + 0.999)


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


def identity_refusal(doc: Any, today: date | None = None) -> str | None:
    """Why an ID document cannot be used, in the current language, or None if it can."""
    from kiosk.state.messages import document_refusal_text

    return document_refusal_text(doc, today or date.today())


class KioskState(QObject):
    """One per kiosk process; views take it (or parts of it) in their constructors."""

    language_changed = Signal(str)
    catalogue_changed = Signal()
    document_read = Signal(object)  # Identity accepted from the card
    document_refused = Signal(str)  # reason in the current language
    code_scanned = Signal(str)
    badge_presented = Signal(str)
    printer_status = Signal(str, bool)  # message, ok
    #: the printer's readiness, asked before filing (`check_printer`): True, False (no paper,
    #: offline, none), None (it does not say)
    printer_checked = Signal(object)
    speech_mode_requested = Signal()  # the big welcome button / keypad key: A11Y starts speech mode
    exit_requested = Signal()  # maintenance mode: a technician closes the app
    reboot_requested = Signal()  # maintenance mode: a technician restarts the terminal
    ready = Signal()  # the backend (store, catalogue) is loaded: every screen can be used

    def __init__(
        self,
        backend: KioskBackend | None,
        settings: KioskSettings | None = None,
        session: Session | None = None,
        printer: Callable[[ReceiptData], None] | None = None,
        apply_language: Callable[[str], None] | None = None,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
        welcome_names: WelcomeNames | None = None,
    ) -> None:
        super().__init__(parent)
        #: None until the app has loaded it (after the first frame): see `set_backend`
        self.backend = backend
        #: the names the welcome screen shows while the catalogue is not loaded yet
        self.welcome_names = welcome_names
        #: what a touch asked for before the backend was ready, run once it is (key → action)
        self._pending: dict[str, Callable[[], None]] = {}
        self.settings = settings or KioskSettings()
        self.session = session or Session(self.settings.timeouts, parent=self)
        self.printer = printer
        #: the printer's paper state ("ok", "near_end", "out", "unknown"), read on a worker; the app
        #: wires the driver's `paper_status` (it raises when the printer is offline)
        self.printer_paper: Callable[[], str] | None = None
        #: what `check_printer` found last (None: not asked, or the printer does not say)
        self.printer_ready: bool | None = None
        self._apply_language = apply_language
        self._today = today
        self.language = self.settings.language
        self.tasks = TaskRunner(self)
        self.catalogue: Catalogue | None = None
        self._index: SearchIndex | None = None
        self.last_receipt: ReceiptData | None = None
        #: the last receipt handed to the printer and how that went: None while it prints, then
        #: True (printed) or False (not); a receipt screen rebuilt in another language shows it
        self._printing: tuple[ReceiptData, bool | None] | None = None
        #: counts session ends: a submission whose session ended before its outcome came prints nothing
        self._session_serial = 0
        #: the last few receipts printed (the simulator scans the last one's QR); bounded, for a
        #: kiosk prints for months without a restart
        self.printed: deque[ReceiptData] = deque(maxlen=PRINTED_KEPT)
        #: device name → health text, filled by the app from the drivers (maintenance mode)
        self.device_health: Callable[[], dict[str, str]] = lambda: {}
        #: badge UID → may this technician in? (the app wires the hashed allow-list; none by default)
        self.badge_allowed: Callable[[str], bool] = lambda uid: False
        from kiosk.state.consultations import ConsultationSupports

        #: supporting a public consultation: sent once, here, whatever the screens do
        self.consultations = ConsultationSupports(self)
        from kiosk.state.tracking import TrackingLookups

        #: tracking a request: looked up once, here; a rebuilt tracking screen shows the answer
        self.tracking = TrackingLookups(self)
        from kiosk.state.maintenance import MaintenanceAccess

        #: maintenance mode's entry lockout, audit trail and device stories
        self.maintenance = MaintenanceAccess(self)
        #: the printer's test page: (lines shown on the screen, QR payload) → printed; the app wires it
        self.print_test_page: Callable[[list[tuple[str, str]], str], None] | None = None
        #: the printer's code page as configured (the test page names it)
        self.printer_code_page: str | None = None
        #: name → hardware Health, for the maintenance screen's words (the app wires the drivers')
        self.device_healths: Callable[[], dict[str, Any]] = lambda: {}
        if backend is not None:
            self.reload_catalogue()

    # -- deferred start ------------------------------------------------------------
    @property
    def is_ready(self) -> bool:
        return self.backend is not None

    def set_backend(self, backend: KioskBackend) -> None:
        """The backend arrives (once): load the catalogue, then do what was asked meanwhile."""
        self.backend = backend
        self.reload_catalogue()
        self.ready.emit()
        pending, self._pending = self._pending, {}
        for action in pending.values():
            action()

    def when_ready(self, key: str, action: Callable[[], None]) -> bool:
        """Run `action` now if the backend is loaded, else once it is (True: ran now). A later
        request with the same key replaces an earlier one: two taps on two tiles open the last."""
        if self.is_ready:
            action()
            return True
        self._pending.pop(key, None)
        self._pending[key] = action
        return False

    # -- language -----------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang not in ("bg", "en") or lang == self.language:
            return
        self.language = lang
        if self._apply_language:
            self._apply_language(lang)
        self.language_changed.emit(lang)

    def t(self, i18n) -> str:
        return i18n.get(self.language) if i18n is not None else ""

    # -- catalogue ----------------------------------------------------------------------
    def reload_catalogue(self) -> None:
        if self.backend is None:
            return
        try:
            self.catalogue = self.backend.catalogue()
        except Exception:  # a damaged cache must not stop the kiosk; it says "no catalogue"
            log.exception("reading the cached catalogue failed")
            self.catalogue = None
        self._index = None
        self.catalogue_changed.emit()

    def municipality_name(self) -> str:
        if self.catalogue:
            return self.t(self.catalogue.municipality.name)
        if self.welcome_names is not None and not self.is_ready:
            return self.welcome_names.municipality.get(self.language, "")
        return ""

    def office(self):
        if not self.catalogue:
            return None
        offices = self.catalogue.offices
        return next((o for o in offices if o.id == self.settings.office_id), offices[0] if offices else None)

    def office_name(self) -> str:
        office = self.office()
        if office is None and self.welcome_names is not None and not self.is_ready:
            return self.welcome_names.office(self.settings.office_id).get(self.language) or self.settings.terminal_name
        return self.t(office.name) if office else self.settings.terminal_name

    def unit_name(self, unit_id: str | None) -> str:
        if not self.catalogue or not unit_id:
            return ""
        unit = next((u for u in self.catalogue.units if u.id == unit_id), None)
        return self.t(unit.name) if unit else ""

    def service(self, service_id: str) -> Service | None:
        if not self.catalogue:
            return None
        return next((s for s in self.catalogue.services if s.id == service_id), None)

    def services_in_situation(self, situation_id: str) -> list[Service]:
        return [s for s in (self.catalogue.services if self.catalogue else []) if situation_id in s.life_situations]

    def services_in_unit(self, unit_id: str) -> list[Service]:
        return [s for s in (self.catalogue.services if self.catalogue else []) if s.unit_id == unit_id]

    def search_services(self, query: str) -> list[Service]:
        if not self.catalogue:
            return []
        from kiosk.state.search import SearchIndex

        if self._index is None:
            self._index = SearchIndex(
                (s, [s.name.bg, s.name.en, s.description.bg, s.description.en, *s.keywords,
                     s.iisda_code or "", self.unit_name(s.unit_id)])
                for s in self.catalogue.services
            )
        return [hit.item for hit in self._index.search(query)]

    def search_hotlines(self, query: str):
        hotlines = self.catalogue.hotlines if self.catalogue else []
        if not query.strip():
            return list(hotlines)
        from kiosk.state.search import SearchIndex

        index = SearchIndex((h, [h.name.bg, h.name.en, h.phone, self.unit_name(h.unit_id)]) for h in hotlines)
        return [hit.item for hit in index.search(query)]

    # -- devices (called by the bridge on the GUI thread) ----------------------------------
    def accept_document(self, doc: Any) -> None:
        refusal = identity_refusal(doc, self._today())
        if refusal:
            self.document_refused.emit(refusal)
            return
        identity = Identity(
            egn=doc.egn,
            given_names=getattr(doc, "given_names", ""),
            surname=getattr(doc, "surname", ""),
            document_number=getattr(doc, "document_number", ""),
            birth_date=getattr(doc, "birth_date", None),
            expiry_date=getattr(doc, "expiry_date", None),
            nationality=getattr(doc, "nationality", "BGR"),
            mrz="\n".join(getattr(doc, "mrz_lines", ()) or ()),
        )
        self.session.start()
        self.session.set_identity(identity)
        self.document_read.emit(identity)

    def reject_document(self, error: Any) -> None:
        from kiosk.state.messages import card_error_text

        self.document_refused.emit(card_error_text(error))

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

    # -- submissions -----------------------------------------------------------------------
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
        from server_sync.protocol.catalogue import Tier
        from server_sync.protocol.deadlines import deadline_for, signal_deadline

        en = self.language == "en"
        fee = deadline = place = None
        due_at = outcome.deadline_at
        unit_id = None
        information_only = False
        if draft.kind == "service_request":
            service = self.service(draft.service_id or "")
            name = self.t(service.name) if service else (draft.service_id or "")
            title = f"Application: {name}" if en else f"Заявление за {_lower_first(name)}"
            tier = service.tier(draft.tier or Tier.ORDINARY) if service else None
            if tier is not None:
                fee = format_fee(tier.fee_eur, self.language)
                deadline = format_deadline(tier.deadline, self.language)
                if due_at is None:  # offline: the date the hub sets, by the same rule
                    due_at = deadline_for(outcome.registered_at, tier.deadline)
            unit_id = service.unit_id if service else None
        else:
            cat = next((c for c in self.catalogue.signal_categories if c.id == draft.signal_category_id), None) if self.catalogue else None
            title = (("Signal: " if en else "Сигнал: ") + self.t(cat.name)) if cat else ("Signal" if en else "Сигнал")
            unit_id = cat.unit_id if cat else None
            place = self.signal_place(draft)
            information_only = draft.anonymous
            if information_only:
                due_at = None  # accepted as information: no proceedings, no answer (АПК, art. 111)
            elif due_at is None:
                due_at = signal_deadline(outcome.registered_at)
        receipt = ReceiptData(
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
        )
        self.last_receipt = receipt
        return receipt

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

    # -- the printer ------------------------------------------------------------------------
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

    def record_press(self, score: int, service_id: str | None = None, on_done=None, on_error=None) -> None:
        self.tasks.run(
            lambda: self.backend.record_press(score, service_id),
            on_done or (lambda _: None),
            on_error or (lambda exc: log.warning("press not recorded: %s", exc)),
        )

    # -- maintenance ---------------------------------------------------------------------
    # True after a badge on the hub's list was presented: the next step is that technician's PIN.
    technician_badge_waiting = False

    def technician_allowed(self, pin: str | None = None, badge: str | None = None) -> bool:
        from kiosk.state.maintenance import local_pin_matches
        from kiosk.state.technicians import hub_technicians

        delivered = hub_technicians(self.backend)
        if delivered is not None:
            # The hub's list decides: a technician's badge, then within a minute that technician's PIN.
            import time

            from server_sync.protocol import technicians

            if badge:
                technicians_list, key = delivered
                known = bool(key) and any(t.badge_hash == technicians.badge_hash(key, badge) for t in technicians_list)
                # Only a badge on the list is held for its PIN; the screen asks for the PIN (or refuses).
                self._technician_badge = (badge, time.monotonic()) if known else None
                self.technician_badge_waiting = known
                return False
            self.technician_badge_waiting = False
            held, at = getattr(self, "_technician_badge", None) or (None, 0.0)
            self._technician_badge = None
            if not pin or held is None or time.monotonic() - at > 60:
                return False
            return technicians.check(delivered, badge=held, pin=pin) is not None
        if pin:
            return local_pin_matches(self.settings, pin)
        if badge:
            return self.badge_allowed(badge)
        return False

    def maintenance_status(self) -> dict[str, str]:
        status: dict[str, str] = {}
        if self.backend is None:
            return {"store": "loading"}
        try:
            status.update({k: str(v) for k, v in self.backend.status().items()})
        except Exception as exc:
            status["store"] = f"error: {exc}"
        status["catalogue"] = self.catalogue.version if self.catalogue else "none"
        status.update(self.device_health())
        return status

    def maintenance_report(self) -> dict[str, Any]:
        """For the maintenance screen (on a worker: a printer status query is USB I/O): the store's
        and hub's state as the backend gives it, and every device's Health."""
        report: dict[str, Any] = {"status": {}, "devices": {}, "catalogue": None}
        if self.backend is None:
            return report
        try:
            report["status"] = dict(self.backend.status())
        except Exception as exc:
            report["status"] = {"store_error": str(exc)}
        report["catalogue"] = self.catalogue.version if self.catalogue else None
        try:
            report["devices"] = dict(self.device_healths())
        except Exception as exc:
            report["devices_error"] = str(exc)
        return report

    def check_page(self, now: datetime | None = None) -> tuple[list[tuple[str, str]], str]:
        """The test page's lines and QR payload: what the screen says it prints, and prints."""
        from kiosk.state.maintenance import check_page_lines, check_page_qr

        now = now or datetime.now().astimezone()
        name = self.settings.terminal_name or self.office_name()
        return check_page_lines(name, self.printer_code_page, now), check_page_qr(name, now)

    def test_print(self, page: tuple[list[tuple[str, str]], str] | None = None,
                   on_done: Callable[[], None] | None = None,
                   on_error: Callable[[Exception], None] | None = None) -> None:
        """Print the test page (`check_page`) on a worker; the printer's health is polled after it."""
        lines, qr = page or self.check_page()
        if self.print_test_page is not None:
            def done(_=None) -> None:
                self.printer_status.emit("test page printed", True)
                if on_done:
                    on_done()

            def failed(exc: Exception) -> None:
                self.printer_status.emit(str(exc), False)
                if on_error:
                    on_error(exc)

            self.tasks.run(lambda: self.print_test_page(lines, qr), done, failed)
            return
        now = datetime.now().astimezone()
        self.print_receipt(ReceiptData(reference="TEST", official=False, title="Test print / Пробен печат",
                                       created_at=now, office=self.office_name(), tracking_code=None, tracking_url=None))

    # -- session end ---------------------------------------------------------------------
    def end_identity(self) -> None:
        """The citizen's identity ends while the kiosk stays in use (back on the welcome screen):
        the card's data, the last receipt and the store's session data go; a submission still
        on its way prints nothing. Finish and the timeout do this and more (`on_session_end`)."""
        self._forget_citizen()
        self.session.clear_identity()

    def _forget_citizen(self) -> None:
        """What ending an identity and ending a session share: the last receipt, a print or a
        tracking answer still on its way, and the store's session data."""
        self.last_receipt = None
        self._printing = None
        self._session_serial += 1
        self.tracking.clear()
        try:
            if self.backend is not None:
                self.backend.wipe_session_data()
        except Exception:
            log.exception("wiping the store's session data failed")

    def on_session_end(self) -> None:
        """Everything personal goes: identity, last receipt, store session data; language back."""
        self._forget_citizen()
        self.set_language(self.settings.language)


def _lower_first(name: str) -> str:
    """"Удостоверение за…" → "удостоверение за…" after "Заявление за"; an abbreviation stays."""
    return name[:1].lower() + name[1:] if len(name) > 1 and name[1:2].islower() else name


def format_fee(fee, lang: str) -> str:
    if fee is None:
        return "not published" if lang == "en" else "не е обявена"
    if fee == 0:
        return "free" if lang == "en" else "безплатно"
    text = f"{fee:.2f}"
    return f"€{text}" if lang == "en" else f"{text.replace('.', ',')} €"


def format_deadline(deadline, lang: str) -> str:
    if deadline is None:
        return "not published" if lang == "en" else "не е обявен"
    unit, n = deadline.unit, deadline.amount
    en = {"immediate": "immediately", "same_day": "the same day", "hours": f"{n} hours",
          "days": f"{n} days", "working_days": f"{n} working days"}
    bg = {"immediate": "веднага", "same_day": "в деня на заявяването", "hours": f"{n} часа",
          "days": f"{n} дни", "working_days": f"{n} работни дни"}
    return (en if lang == "en" else bg)[str(unit)]
