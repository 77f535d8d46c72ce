"""Tracking a request (number and code, or the receipt's QR) and the citizen's own requests (ID card
and access code)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.views.base import Screen
from kiosk.views.citizen import _backend_error_text, done_button
from kiosk.views.widgets import big_button, clear_layout, paragraph, show_rows, vbox
from server_sync.protocol.tracking import parse_tracking_url


class TrackScreen(Screen):
    """Number and tracking code typed, or the receipt's QR scanned → status and history."""

    def __init__(self, state, reference: str = "", code: str = "") -> None:
        super().__init__()
        self.state = state
        # one scrolling page: with the keyboard up there is room for a few lines only, and
        # nothing may be squeezed until it is cut off
        layout = self.frame((32, 16, 32, 16))
        layout.addWidget(paragraph(self.tr("Type the number and the tracking code from your receipt, or hold the receipt's QR code under the scanner.")))
        self.reference = QLineEdit(reference)
        self.reference.setPlaceholderText(self.tr("Number, e.g. 94-00012/05.01.2026 or K07-000123"))
        self.reference.setAccessibleName(self.tr("Request number"))
        self.code = QLineEdit(code)
        self.code.setPlaceholderText(self.tr("Tracking code"))
        self.code.setAccessibleName(self.tr("Tracking code"))
        self.code.setProperty("keyboard_layout", "en")  # Latin letters and digits (kiosk.views.keyboard)
        self.code.setProperty("spelled", True)  # kiosk.a11y.describe.PROP_SPELLED: heard as the receipt says it
        for w in (self.reference, self.code):
            w.setMinimumHeight(56)
            layout.addWidget(w)
        self.show_button = big_button(self.tr("Show status"), kind="primary")
        self.show_button.clicked.connect(self.look_up)
        self.result = paragraph("", "Result")
        layout.addWidget(self.result)
        self.history_host = QWidget()
        self.history = vbox(self.history_host, 6)
        layout.addWidget(self.history_host)
        layout.addStretch(1)
        self.add_footer(done_button(self, "normal"))
        self.add_footer(self.show_button, 2)
        state.code_scanned.connect(self._on_scan)
        # the state looks the request up, once; a screen rebuilt in another language shows its answer
        lookups = state.tracking
        latest = lookups.latest
        lookups.changed.connect(self._on_lookup_changed)
        self._shown = latest
        if reference and code and (latest is None or not latest.is_for(reference, code)):
            self.look_up()
        elif latest is not None:
            self._show_outcome(latest, announce=False)

    def _on_scan(self, text: str) -> None:
        parsed = parse_tracking_url(text)
        if parsed is None:
            self.result.setText(self.tr("This code is not from one of our receipts."))
            self.announce.emit(self.result.text(), False)
            return
        self.reference.setText(parsed[0])
        self.code.setText(parsed[1])
        self.look_up()

    def look_up(self) -> None:
        ref, code = self.reference.text().strip(), self.code.text().strip()
        if not ref:
            self.result.setText(self.tr("Please type the number (and the tracking code, if your receipt has one)."))
            self.announce.emit(self.result.text(), False)
            return
        self.state.tracking.ask(ref, code)

    def _on_lookup_changed(self) -> None:
        latest = self.state.tracking.latest
        if latest is None or latest is self._shown:
            return
        self._shown = latest
        self._show_outcome(latest, announce=not latest.pending)

    def _show_outcome(self, outcome, announce: bool) -> None:
        if outcome.pending or outcome.error is not None:
            clear_layout(self.history)  # an earlier answer's history is not this one's
        if outcome.pending:
            self.result.setText(self.tr("Looking it up…"))
            return
        if outcome.error is not None:
            self._fail(outcome.error, announce)
        else:
            self._show(outcome.result, announce)

    def _show(self, tracking, announce: bool = True) -> None:
        names = status_names(self)
        title = self.state.t(tracking.title)
        self.result.setText(self.tr("{number}: {title} — {status}").format(
            number=tracking.number, title=title, status=names.get(str(tracking.status), str(tracking.status))))
        clear_layout(self.history)
        for change in tracking.history:
            self.history.addWidget(paragraph(f"{change.at.astimezone():%d.%m.%Y %H:%M} — {names.get(str(change.status), str(change.status))}"
                                             + (f" ({change.note})" if change.note else ""), "HistoryLine"))
        self.history.addStretch(1)
        show_rows(self.history)
        self._reveal_result()
        if announce:
            self.announce.emit(self.result.text(), False)

    def _reveal_result(self) -> None:
        """The answer is what the citizen came for: put the keyboard away and show it."""
        if self.reference.hasFocus() or self.code.hasFocus():
            self.show_button.setFocus()
        QTimer.singleShot(0, self, lambda: self.body_scroll.ensureWidgetVisible(self.result, 0, 16))

    def _fail(self, exc, announce: bool = True) -> None:
        if getattr(exc, "reason", "") == "not_found":
            full, short = self._number_examples()
            text = self.tr("No request with this number and code was found. Type the incoming number from your "
                           "receipt, e.g. {full} or {short}, and the tracking code.").format(full=full, short=short)
        else:
            text = _backend_error_text(self, exc)
        self.result.setText(text)
        if announce:
            self.announce.emit(self.result.text(), False)

    def _number_examples(self) -> tuple[str, str]:
        """An incoming number in this municipality's format, with its date and without it."""
        from datetime import date

        municipality = self.state.catalogue.municipality if self.state.catalogue else None
        try:
            today = date.today()
            full = municipality.number_format.format(index=municipality.number_index, seq=12, date=today, year=today.year)
        except Exception:  # an odd format: the common one
            full = f"94-00012/{date.today():%d.%m.%Y}"
        return full, full.split("/")[0]

    def wipe(self) -> None:
        for sig, slot in ((self.state.code_scanned, self._on_scan), (self.state.tracking.changed, self._on_lookup_changed)):
            try:
                sig.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def title_text(self) -> str:
        return self.tr("Track a request")

    def instructions_text(self) -> str:
        return self.tr("Type the number and the tracking code, then touch Show status. Or scan the QR code of your receipt.")


def status_names(ctx) -> dict[str, str]:
    return {
        "registered": QCoreApplication.translate("Common", "registered"),
        "pending": QCoreApplication.translate("Common", "pending"),
        "in_progress": QCoreApplication.translate("Common", "in progress"),
        "resolved": QCoreApplication.translate("Common", "resolved"),
        "rejected": QCoreApplication.translate("Common", "rejected"),
    }


class DossierScreen(Screen):
    """The ID card and the personal access code → the citizen's requests (online only)."""

    def __init__(self, state) -> None:
        super().__init__()
        self.state = state
        layout = self.frame((32, 16, 32, 16))  # one scrolling page, as on the tracking screen
        layout.addWidget(paragraph(self.tr("You need your ID card and the personal access code the municipality gave you. "
                                           "This works only while the kiosk is connected.")))
        self.card_label = paragraph("", "Notice")
        layout.addWidget(self.card_label)
        self.access_code = QLineEdit()
        self.access_code.setEchoMode(QLineEdit.Password)
        self.access_code.setPlaceholderText(self.tr("Personal access code"))
        self.access_code.setAccessibleName(self.tr("Personal access code"))
        self.access_code.setProperty("keyboard_layout", "en")  # Latin letters and digits, as on the letter
        self.access_code.setMinimumHeight(56)
        layout.addWidget(self.access_code)
        self.open_button = big_button(self.tr("Show my requests"), kind="primary")
        self.open_button.clicked.connect(self.open_dossier)
        self.result = paragraph("", "Result")
        layout.addWidget(self.result)
        self.items_host = QWidget()
        self.items = vbox(self.items_host, 6)
        layout.addWidget(self.items_host)
        layout.addStretch(1)
        self.add_footer(done_button(self, "normal"))
        self.add_footer(self.open_button, 2)
        state.document_read.connect(self._update_card)
        state.document_refused.connect(self._refused)
        self._update_card()

    def _update_card(self, *_):
        ident = self.state.session.identity
        # the citizen's name is spoken only through the headset (kiosk.a11y.describe.PROP_PRIVATE)
        self.card_label.setProperty("private", ident is not None)
        if ident is None:
            self.card_label.setText(self.tr("Place your ID card on the reader."))
        else:
            self.card_label.setText(self.tr("ID card read: {name}").format(name=ident.full_name))

    def _refused(self, reason: str) -> None:
        self.card_label.setProperty("private", False)
        self.card_label.setText(reason)
        self.announce.emit(reason, False)

    def open_dossier(self) -> None:
        applicant = self.state.applicant()
        code = self.access_code.text()
        if applicant is None:
            self.result.setText(self.tr("Place your ID card on the reader first."))
        elif len(code) < 4:
            self.result.setText(self.tr("Personal access code: type at least 4 characters."))
        else:
            self.result.setText(self.tr("Looking it up…"))
            self.state.tasks.run(lambda: self.state.backend.dossier(applicant, code), self._show, self._fail)
            return
        self.announce.emit(self.result.text(), False)

    def _show(self, dossier) -> None:
        names = status_names(self)
        clear_layout(self.items)
        self.result.setText(self.tr("Your requests: {n}").format(n=len(dossier.requests)))
        for item in dossier.requests:
            self.items.addWidget(paragraph(f"{item.number} — {self.state.t(item.title)} — {names.get(str(item.status), str(item.status))}", "DossierLine"))
        self.items.addStretch(1)
        show_rows(self.items)
        self.announce.emit(self.result.text(), True)

    def _fail(self, exc) -> None:
        clear_layout(self.items)
        self.result.setText(_backend_error_text(self, exc))
        self.announce.emit(self.result.text(), False)

    def wipe(self) -> None:
        self.access_code.clear()
        for sig, slot in ((self.state.document_read, self._update_card), (self.state.document_refused, self._refused)):
            try:
                sig.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def title_text(self) -> str:
        return self.tr("My requests")

    def instructions_text(self) -> str:
        return self.tr("Place your ID card on the reader, type your access code, then touch Show my requests.")
