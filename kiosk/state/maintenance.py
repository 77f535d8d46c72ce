"""Maintenance mode's state: who may enter, the entry lockout, the audit trail, the devices' story and
the test page. No widgets: kiosk/views/maintenance.py shows it, in the kiosk's language.

Entry: the hub's technicians (badge, then that technician's PIN: `KioskState.technician_allowed`),
or — on a terminal the hub never sent a list to — the configured local PIN, kept as an Argon2id
hash (`[kiosk].technician_pin_hash`; `kiosk hash-pin` makes one). Five wrong attempts lock entry
for a minute, each further wrong attempt doubles the wait; the count and the wait are kept in the
terminal store, so pulling the plug does not reset them. Every entry, refusal, lockout and action
goes to the audit log: the journal and the terminal store's event log (`record_error` with source
"maintenance"), which the sync agent's heartbeats carry to the hub's fleet page.
"""

from __future__ import annotations

import enum
import hmac
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.state.tasks import owner_gone

log = logging.getLogger(__name__)
audit_log = logging.getLogger("kiosk.audit")

FREE_ATTEMPTS = 5
FIRST_LOCK_S = 60.0
#: maintenance mode left alone this long goes back to the citizen screens
IDLE_TIMEOUT_S = 120.0


def hash_pin(pin: str) -> str:
    """An Argon2id hash of a technician PIN, for `[kiosk].technician_pin_hash` (libsodium's string form)."""
    from nacl import pwhash

    if not pin or not pin.strip():
        raise ValueError("the PIN is empty")
    return pwhash.argon2id.str(pin.encode(), opslimit=pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                               memlimit=pwhash.argon2id.MEMLIMIT_INTERACTIVE).decode("ascii")


def local_pin_matches(settings: Any, pin: str | None) -> bool:
    """The configured local PIN: its Argon2id hash, or (old configs) the PIN in clear."""
    if not pin:
        return False
    pin_hash = getattr(settings, "technician_pin_hash", None)
    if pin_hash:
        from nacl import exceptions, pwhash

        try:
            return pwhash.verify(pin_hash.encode("ascii"), pin.encode())
        except (exceptions.InvalidkeyError, exceptions.CryptoError, ValueError, UnicodeError):
            return False
    plain = getattr(settings, "technician_pin", None)
    return bool(plain) and hmac.compare_digest(pin.encode(), plain.encode())


#: the longest single wait (a day): the doubling stops there
MAX_LOCK_S = 86400.0


class EntryLock:
    """Five wrong attempts → locked for a minute; every wrong attempt after that doubles the wait.

    Times are wall-clock seconds, so a lock kept in the store means the same after a reboot;
    `save` (the app wires the store) receives the state after every change, `restore` takes it
    back. A clock set backwards never makes a wait longer than the wait it was given.
    """

    def __init__(self, clock: Callable[[], float] = time.time,
                 save: Callable[[dict], None] | None = None) -> None:
        self._clock = clock
        self.save = save
        self.failures = 0
        self.locked_until = 0.0
        self._wait = 0.0

    def remaining_s(self) -> float:
        return min(self._wait, max(0.0, self.locked_until - self._clock()))

    def failed(self) -> float:
        """Count a wrong attempt; the seconds entry is now locked for (0: not locked)."""
        self.failures += 1
        wait = 0.0
        if self.failures >= FREE_ATTEMPTS:
            wait = min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** min(self.failures - FREE_ATTEMPTS, 20))
            self.locked_until, self._wait = self._clock() + wait, wait
        self._changed()
        return wait

    def succeeded(self) -> None:
        had = self.failures
        self.failures, self.locked_until, self._wait = 0, 0.0, 0.0
        if had:
            self._changed()

    def as_dict(self) -> dict:
        return {"failures": self.failures, "locked_until": self.locked_until, "wait": self._wait}

    def restore(self, saved: dict | None) -> None:
        """Take back a kept state; anything malformed counts as no failures (and is logged)."""
        if not saved:
            return
        try:
            failures, until, wait = int(saved["failures"]), float(saved["locked_until"]), float(saved["wait"])
        except (KeyError, TypeError, ValueError) as exc:
            log.error("the kept maintenance lock is unreadable (%s): starting from none", exc)
            return
        self.failures = max(0, failures)
        self.locked_until, self._wait = until, max(0.0, min(wait, MAX_LOCK_S))

    def _changed(self) -> None:
        if self.save is not None:
            self.save(self.as_dict())


class Entry(enum.Enum):
    OPEN = "open"
    BADGE_WAITING = "badge_waiting"  # a known badge: that technician's PIN next
    REFUSED = "refused"
    LOCKED = "locked"  # refused without looking: wait `Attempt.wait_s`


@dataclass(frozen=True)
class Attempt:
    entry: Entry
    wait_s: float = 0.0


@dataclass
class DeviceStory:
    """What a technician reads about one device: its state, the last read, the last error and when."""

    name: str
    state: str = "unknown"  # hardware.base.DeviceState value
    reason: str | None = None
    last_read_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None


@dataclass
class DeviceBook:
    """The devices' stories, kept on the GUI thread from the polled healths and the readers' signals.
    A device's last error stays with its time until the device is OK again, then it goes."""

    devices: dict[str, DeviceStory] = field(default_factory=dict)

    def story(self, name: str) -> DeviceStory:
        return self.devices.setdefault(name, DeviceStory(name))

    def update(self, healths: dict[str, Any], now: datetime | None = None) -> None:
        now = now or datetime.now().astimezone()
        for name, health in healths.items():
            state = getattr(getattr(health, "state", None), "value", None) or str(getattr(health, "state", "unknown"))
            reason = getattr(health, "reason", None)
            story = self.story(name)
            story.state, story.reason = state, reason
            if state == "ok":
                story.last_error = story.last_error_at = None
            elif reason and reason != story.last_error:
                story.last_error, story.last_error_at = reason, now

    def read(self, name: str, now: datetime | None = None) -> None:
        self.story(name).last_read_at = now or datetime.now().astimezone()


def check_page_lines(terminal_name: str, code_page: str | None, now: datetime) -> list[tuple[str, str]]:
    """What the test page says, as (key, value) lines: the screen shows these, the printer prints them
    (and the QR code, which encodes `check_page_qr`)."""
    return [
        ("code_page", code_page or "—"),
        ("cyrillic", "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ абвгдежзийклмнопрстуфхцчшщъьюя"),
        ("euro", "€ 12,50 — 1 € = 1,95583 лв."),
        ("terminal", terminal_name or "—"),
        ("time", now.strftime("%d.%m.%Y %H:%M")),
    ]


def check_page_qr(terminal_name: str, now: datetime) -> str:
    return f"e-obshtina test {terminal_name or '-'} {now:%Y-%m-%dT%H:%M}"


class MaintenanceAccess(QObject):
    """Entry to maintenance mode and its audit trail (one per kiosk, `KioskState.maintenance`)."""

    locked = Signal(float)  # seconds to wait

    def __init__(self, state, clock: Callable[[], float] = time.time) -> None:
        super().__init__(state)
        self.state = state
        self.lock = EntryLock(clock)
        self.devices = DeviceBook()
        #: the store's event log (StoreBackend.audit); the app wires it, None in bare tests
        self.sink: Callable[[str], None] | None = None
        self.technician: str | None = None
        #: a credential check is running on a worker (`attempt_later`)
        self.checking = False
        state.document_read.connect(lambda _doc: self.devices.read("id_reader"))
        state.code_scanned.connect(lambda _code: self.devices.read("scanner"))
        state.badge_presented.connect(lambda _uid: self.devices.read("badge"))

    def attempt(self, pin: str | None = None, badge: str | None = None) -> Attempt:
        wait = self.lock.remaining_s()
        if wait > 0:
            return self._locked_out(wait)
        return self._settle(self.state.technician_allowed(pin=pin, badge=badge), badge)

    def attempt_later(self, done: Callable[[Attempt], None], pin: str | None = None,
                      badge: str | None = None) -> None:
        """`attempt`, with the credentials checked on a worker; `done(attempt)` on the GUI thread.

        For a badge: the local list holds Argon2id hashes, each verified in ~85 ms (64 MiB) on a
        desktop CPU and slower on the kiosk's, so ten of them would stop the screen for a second
        and more. One check at a time: a badge presented while one runs is refused without looking."""
        wait = self.lock.remaining_s()
        if wait > 0:
            done(self._locked_out(wait))
            return
        if self.checking:
            done(Attempt(Entry.REFUSED))
            return
        self.checking = True

        def checked(allowed: bool) -> None:
            self.checking = False
            attempt = self._settle(allowed, badge)  # counted even if the screen has gone meanwhile
            screen = getattr(done, "__self__", None)
            if not owner_gone(screen if isinstance(screen, QObject) else None):
                done(attempt)

        def failed(exc: Exception) -> None:
            log.error("checking a technician's credentials failed: %s", exc)
            checked(False)

        self.state.tasks.run(lambda: bool(self.state.technician_allowed(pin=pin, badge=badge)), checked, failed,
                             owner=self)

    def _locked_out(self, wait: float) -> Attempt:
        self.audit(f"entry refused: locked for {wait:.0f} s more")
        return Attempt(Entry.LOCKED, wait)

    def _settle(self, allowed: bool, badge: str | None) -> Attempt:
        """What a checked attempt means: entry, a known badge waiting for its PIN, or a refusal
        (counted: the fifth in a row locks entry)."""
        if allowed:
            self.lock.succeeded()
            self.audit("entry: " + ("badge" if badge else "PIN"))
            return Attempt(Entry.OPEN)
        if badge and self.state.technician_badge_waiting:
            self.audit("badge recognised, waiting for the PIN")
            return Attempt(Entry.BADGE_WAITING)
        wait = self.lock.failed()
        self.audit(f"entry refused: wrong {'badge' if badge else 'PIN'} ({self.lock.failures} in a row)")
        if wait:
            self.audit(f"entry locked for {wait:.0f} s")
            self.locked.emit(wait)
            return Attempt(Entry.LOCKED, wait)
        return Attempt(Entry.REFUSED)

    def keep_lock_in(self, load: Callable[[], dict | None], save: Callable[[dict], None]) -> None:
        """Keep the entry lock in the terminal store: `load` now (the app calls this off the GUI
        thread's hot path, once the store is open), `save` off the GUI thread after each change."""
        self.lock.restore(load())
        # Each write reads the lock and stores it under one mutex: two writes on the pool never
        # interleave (an early write's old state stored after a later one's), and the last write
        # to run, queued after the last change, stores the latest state.
        one_at_a_time = threading.Lock()

        def write() -> None:
            with one_at_a_time:
                save(self.lock.as_dict())

        self.lock.save = lambda _data: self.state.tasks.run(
            write, lambda _: None, lambda exc: log.error("maintenance lock not kept: %s", exc))

    def audit(self, action: str) -> None:
        """One line of the audit trail: the journal now, the store (and so the hub) off the GUI thread."""
        audit_log.info("maintenance: %s", action)
        sink = self.sink
        if sink is None:
            return
        self.state.tasks.run(lambda: sink(action), lambda _: None,
                             lambda exc: log.error("audit line not stored: %s", exc))


class MaintenanceMode:
    """Part of `KioskState` (a mixin): who may enter maintenance mode, and what it reads and prints."""

    # True after a badge on the hub's list was presented: the next step is that technician's PIN.
    technician_badge_waiting = False

    def technician_allowed(self, pin: str | None = None, badge: str | None = None) -> bool:
        from kiosk.state.technicians import hub_technicians

        delivered = hub_technicians(self.backend)
        if delivered is not None:
            # The hub's list decides: a technician's badge, then within a minute that technician's PIN.
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
                self.printer_status.emit(QCoreApplication.translate("TestPage", "The test page is printed."), True)
                if on_done:
                    on_done()

            def failed(exc: Exception) -> None:
                self.printer_status.emit(str(exc), False)
                if on_error:
                    on_error(exc)

            self.tasks.run(lambda: self.print_test_page(lines, qr), done, failed)
            return
        from kiosk.state.receipts import ReceiptData

        now = datetime.now().astimezone()
        self.print_receipt(ReceiptData(reference="TEST", official=False,
                                       title=QCoreApplication.translate("TestPage", "Test print"),
                                       created_at=now, office=self.office_name(), tracking_code=None, tracking_url=None))
