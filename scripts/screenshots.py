"""`make screenshots`: render every kiosk screen in Bulgarian, English and high contrast to PNG files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from types import SimpleNamespace

from PySide6.QtCore import QDeadlineTimer, QEvent
from PySide6.QtWidgets import QApplication

from hardware.idcard import parse_mrz
from hardware.speech import RecordingSpeech
from kiosk.app import KioskApp
from kiosk.simulated_backend import SimulatedBackend
from kiosk.simulator import demo_cards
from kiosk.state.backend import Draft
from kiosk.state.kiosk_state import KioskSettings


def shipped_catalogue():
    from server_sync.hub.testing import seed_catalogue
    from server_sync.protocol.catalogue import Catalogue

    return Catalogue(**seed_catalogue().model_dump(), version="screenshots")


def settle(app: QApplication, kiosk: KioskApp) -> None:
    """Let worker results and deferred layout land (bounded, no sleeping)."""
    deadline = QDeadlineTimer(5000)
    while (kiosk.state.tasks.busy or kiosk.state.tasks.pool.activeThreadCount()) and not deadline.hasExpired():
        app.processEvents()
        kiosk.state.tasks.pool.waitForDone(20)
    for _ in range(5):
        app.processEvents()
    # screens the window replaced are deleteLater()'d; without an event loop that never
    # happens, and every theme change would restyle all of them
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def scenes(kiosk: KioskApp, backend: SimulatedBackend):
    w, state = kiosk.window, kiosk.state
    cards = demo_cards()
    card = parse_mrz(cards["valid"], allow_expired=True)
    expired = parse_mrz(cards["expired"], allow_expired=True)

    def identify():
        state.session.end()
        state.accept_document(card)

    draft = Draft(kind="service_request", service_id="heirs-certificate", tier="fast",
                  form={"deceased_names": "Петър Иванов Колев", "deceased_egn": "4803151938",
                        "date_of_death": "2026-10-01", "purpose": "notary", "copies": 1})
    signal = Draft(kind="signal", signal_type="problem", signal_category_id="street-lighting",
                   description="Не свети лампата пред блок 5 от три дни.", place_id="city-park")

    def receipt(online: bool):
        def run():
            identify()
            backend.online = online
            d = Draft(**{**draft.__dict__, "applicant": state.applicant()})
            outcome = backend.submit(d)
            # as the state does once a submission's outcome is known: the receipt, printed
            w.show_screen("receipt", receipt=state.complete_submission(d, outcome), service_id=d.service_id)
            backend.online = True
        return run

    def form_with_errors():
        identify()
        w.show_screen("request_form", service_id="heirs-certificate")
        w.current_screen().submit_form()

    def refused():
        state.session.end()
        w.show_screen("identify", then="request_form", then_kwargs={"service_id": "heirs-certificate"})
        state.accept_document(expired)

    def tracked():
        outcome = backend.submit(signal)
        w.show_screen("track", reference=outcome.reference, code=outcome.tracking_code)

    def search():
        w.show_screen("catalogue", mode="situations", query="naslednitsi")
        w.current_screen().search.setFocus()

    def warning():
        identify()
        w.show_screen("request_form", service_id="current-address")
        state.session._last_activity -= state.settings.timeouts.idle_seconds + 1
        state.session.tick()

    def typing_in_a_form():
        from PySide6.QtWidgets import QLineEdit

        identify()
        w.show_screen("request_form", service_id="heirs-certificate")
        fields = [e for e in w.current_screen().findChildren(QLineEdit) if not e.isReadOnly()]
        fields[2].setFocus()

    def leave_confirmation():
        # Back on a filled form: the question before anything typed is deleted
        identify()
        w.show_screen("request_form", service_id="heirs-certificate")
        w.current_screen().inputs["deceased_names"].setText("Петър Иванов Колев")
        w.go_back()

    def welcome_identified():
        # a card read on the welcome screen: whose it is, and Finish, in the header
        w.go_home()
        state.accept_document(card)

    def until(done) -> None:
        """Wait (on events) for what the state does on its workers: a printer query, a print."""
        import time

        app = QApplication.instance()
        end = time.monotonic() + 5
        while not done() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def review_printer_out():
        # the printer is out of paper: said on the review, before anything is filed
        identify()
        w.show_screen("review", draft=Draft(**signal.__dict__))
        until(lambda: state.printer_ready is False)

    def receipt_large_number():
        # nothing printed: the number large, a QR code to photograph, and "read it aloud"
        identify()
        d = Draft(**{**signal.__dict__, "applicant": state.applicant()})
        shown = w.show_screen("receipt", receipt=state.complete_submission(d, backend.submit(d)))
        until(lambda: state.print_outcome(shown.receipt) is False)

    def maintenance():
        state.maintenance.lock.succeeded()  # a lock left by the scene "maintenance-locked"
        w.show_screen("maintenance")
        w.current_screen().unlock(pin=state.settings.technician_pin)

    def maintenance_entry():
        state.maintenance.lock.succeeded()
        w.show_screen("maintenance")

    def maintenance_locked():
        # five wrong PINs: entry locked for a minute, shown (and spoken) on the entry screen
        state.maintenance.lock.succeeded()
        screen = w.show_screen("maintenance")
        for _ in range(5):
            screen.unlock(pin="0000")

    def maintenance_reboot_question():
        maintenance()
        w.current_screen().ask("reboot")

    return [
        ("welcome", lambda: w.go_home()),
        ("catalogue-situations", lambda: w.show_screen("catalogue", mode="situations")),
        ("catalogue-units", lambda: w.show_screen("catalogue", mode="units")),
        ("catalogue-group", lambda: w.show_screen("catalogue", mode="situations", group_id="death")),
        ("catalogue-search-keyboard", search),
        ("service", lambda: w.show_screen("service", service_id="heirs-certificate")),
        ("identify", lambda: (state.session.end(), w.show_screen("identify", then="welcome"))),
        ("identify-refused", refused),
        ("request-form", lambda: (identify(), w.show_screen("request_form", service_id="heirs-certificate"))),
        ("request-form-errors", form_with_errors),
        ("review", lambda: (identify(), w.show_screen("review", draft=Draft(**draft.__dict__)))),
        ("receipt", receipt(True)),
        ("receipt-offline-printer-out", receipt(False)),
        ("feedback", lambda: w.show_screen("feedback", service_id="heirs-certificate")),
        ("signal", lambda: w.show_screen("signal")),
        ("signal-review", lambda: w.show_screen("review", draft=Draft(**{**signal.__dict__, "anonymous": True}))),
        ("track", lambda: w.show_screen("track")),
        ("track-result", tracked),
        ("dossier", lambda: (identify(), w.show_screen("dossier"))),
        ("hotlines", lambda: w.show_screen("hotlines")),
        ("consultations", lambda: w.show_screen("consultations")),
        ("timeout-warning", warning),
        ("maintenance", maintenance),
        ("request-form-keyboard", typing_in_a_form),
        # appended, so the files of the scenes above keep their numbers
        ("leave-confirmation", leave_confirmation),
        ("welcome-identified", welcome_identified),
        ("signal-review-printer-out", review_printer_out),
        ("receipt-printer-out-large-number", receipt_large_number),
        ("maintenance-entry", maintenance_entry),
        ("maintenance-reboot-question", maintenance_reboot_question),
        ("maintenance-locked", maintenance_locked),
        # the longest service name of the catalogue: a heading of two lines and more
        ("service-long-title", lambda: w.show_screen("service", service_id=LONG_TITLE_SERVICE)),
        ("request-form-long-title",
         lambda: (identify(), w.show_screen("request_form", service_id=LONG_TITLE_SERVICE))),
    ]


#: a service whose name runs to two lines and more in the heading
LONG_TITLE_SERVICE = "property-tax-declaration"

#: the panels a kiosk is built with, both 10.1": (width px, height px, active-area width mm)
PANELS = {"1280x800": (1280, 800, 216.96),
          "1024x600": (1024, 600, 221.34)}


def render(out_dir: Path | None, lang: str, theme: str, only: set[str] | None = None, *,
           large_text: bool = False, on_scene=None, panel: str = "1280x800") -> list[Path]:
    """Walk every scene; save each to `out_dir` (if given) and hand it to `on_scene(name, kiosk)`.
    `panel` (PANELS) sets the window's size and the geometry large text is computed for."""
    app = QApplication.instance() or QApplication([])
    backend = SimulatedBackend(shipped_catalogue())
    width, height, width_mm = PANELS[panel]
    settings = KioskSettings(language=lang, office_id="centre", technician_pin="2468",
                             screen_width_px=width, screen_height_px=height, screen_width_mm=width_mm)
    printed_ok = [True]

    def printer(receipt):
        if not backend.online or not printed_ok[0]:
            raise RuntimeError("paper out")

    # the kiosk as a citizen meets it: with its accessibility layer (theme, contrast and
    # large-text switches in the header), speech going to a recorder instead of a speaker
    devices = SimpleNamespace(id_reader=None, scanner=None, badge=None, printer=None, speech=RecordingSpeech(),
                              health=lambda: {}, close=lambda: None)
    kiosk = KioskApp(app, backend, settings, devices=devices, accessibility=True, headset=None)
    kiosk.state.printer = printer
    kiosk.state.printer_paper = lambda: "ok" if printed_ok[0] else "out"
    kiosk.window.resize(settings.screen_width_px, settings.screen_height_px)
    kiosk.window.show()
    written = []
    for n, (name, action) in enumerate(scenes(kiosk, backend), 1):
        if only and name not in only:
            continue
        printed_ok[0] = "printer-out" not in name
        action()
        if (kiosk.a11y.theme, kiosk.a11y.large_text) != (theme, large_text):
            # asked for, or reset by a scene's session end
            kiosk.a11y.set_theme(theme, large_text=large_text)
        settle(app, kiosk)
        if on_scene is not None:
            on_scene(name, kiosk)
        if out_dir is not None:
            path = out_dir / f"{lang}{'' if theme == 'default' else '-' + theme.replace('_', '-')}-{n:02d}-{name}.png"
            kiosk.window.grab().save(str(path))
            written.append(path)
    kiosk.close()
    kiosk.window.close()
    devices.speech.close()
    # gone, not only closed: every later theme change would restyle this window too
    kiosk.window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.setStyleSheet("")
    app.setPalette(app.style().standardPalette())
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", help="scene names to render (default: all)")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    total = []
    for lang, theme in (("bg", "default"), ("en", "default"), ("bg", "high_contrast")):
        total += render(args.out_dir, lang, theme, set(args.only) if args.only else None)
    print(f"{len(total)} screenshots in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
