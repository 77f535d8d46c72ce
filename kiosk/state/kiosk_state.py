"""The kiosk's application state: language, session, ID card — no widgets. `KioskState` is put
together from its parts: the catalogue's names and search (`catalogue_lookups`), submissions,
receipts and the printer (`receipts`), maintenance mode (`maintenance`); the fee and deadline
words are in `wording`. `ReceiptData` and `PRINTED_KEPT` stay importable from here."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Signal

from kiosk.state.backend import KioskBackend
from kiosk.state.catalogue_lookups import CatalogueLookups
from kiosk.state.maintenance import MaintenanceMode
from kiosk.state.receipts import PRINTED_KEPT, Printing, ReceiptData, Submissions
from kiosk.state.session import Identity, Session, SessionTimeouts
from kiosk.state.tasks import TaskRunner
from kiosk.state.welcome_cache import WelcomeNames

if TYPE_CHECKING:  # the pydantic catalogue arrives with the backend, after the first frame
    from kiosk.state.search import SearchIndex
    from server_sync.protocol.catalogue import Catalogue

__all__ = ["KioskSettings", "KioskState", "ReceiptData", "PRINTED_KEPT", "identity_refusal"]

log = logging.getLogger(__name__)


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
    #: the local technician badges of a terminal the hub never sent technicians to: Argon2id hashes of
    #: the normalised UIDs (`kiosk hash-badge`), never the UIDs. Checked by `badge_allowed` (the app
    #: wires kiosk.maintenance.badge_checker; an old sha256 entry or a UID in clear is ignored, with
    #: a warning)
    badge_uids: tuple[str, ...] = ()
    screen_width_mm: float = 216.96  # 10.1" 16:10 panel
    screen_width_px: int = 1280
    screen_height_px: int = 800
    viewing_distance_mm: float = 600.0  # the panel's text sizes follow from it (kiosk.a11y.themes)
    #: EN 301 549 5.8: an identical key pressed again within this many seconds is ignored (0 = off)
    ignore_repeat_seconds: float = 0.0

    @property
    def min_target_px(self) -> int:
        """Touch targets ≥ 9 mm (EN 301 549 11.2.5) at this panel's pixel pitch."""
        return int(9.0 * self.screen_width_px / self.screen_width_mm + 0.999)


def identity_refusal(doc: Any, today: date | None = None) -> str | None:
    """Why an ID document cannot be used, in the current language, or None if it can."""
    from kiosk.state.messages import document_refusal_text

    return document_refusal_text(doc, today or date.today())


class KioskState(CatalogueLookups, Submissions, Printing, MaintenanceMode, QObject):
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

