"""The binding flows: identify with the ID card, the form, review and confirm (the receipt and the
smileys: kiosk/views/receipt.py, kiosk/views/feedback.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from kiosk.state.backend import Draft
from kiosk.state.forms import validate_form
from kiosk.views.base import Screen
from kiosk.views.widgets import ButtonGrid, LinesEdit, WrapCheckBox, big_button, heading, paragraph
from server_sync.protocol.catalogue import FieldType


class IdentifyScreen(Screen):
    """Waits for the ID card; a refused card says why, and the citizen may try again."""

    def __init__(self, state, then: str, then_kwargs: dict | None = None, purpose: str = "") -> None:
        super().__init__()
        self.state, self.then, self.then_kwargs = state, then, then_kwargs or {}
        layout = self.frame((48, 32, 48, 32), 20)
        layout.addWidget(heading(self.tr("Place your ID card on the reader")))
        layout.addWidget(paragraph(self.tr("Put the card with the photo side down, the three lines of letters and digits towards the reader. "
                                           "We read only your name, personal number (EGN), document number and dates; nothing is kept after you finish.")))
        self.error_label = paragraph("", "Error")
        self.error_label.setAccessibleName(self.tr("Error"))
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        cancel = big_button(self.tr("Cancel"))
        cancel.clicked.connect(self.go_back)
        self.add_footer(cancel)
        state.document_read.connect(self._on_read)
        state.document_refused.connect(self._on_refused)

    def _on_read(self, identity) -> None:
        self.navigate.emit(self.then, dict(self.then_kwargs))

    def _on_refused(self, reason: str) -> None:
        self.error_label.setText(reason + " " + self.tr("Please try another document or ask a clerk."))
        self.error_label.show()
        self.announce.emit(self.error_label.text(), False)

    def wipe(self) -> None:
        for sig, slot in ((self.state.document_read, self._on_read), (self.state.document_refused, self._on_refused)):
            try:
                sig.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        if self.state.session.identity is None:
            # left without a card: what was to be done with it (a consultation's support) is not done later
            self.state.consultations.forget_wish()

    def title_text(self) -> str:
        return self.tr("Identification")

    def instructions_text(self) -> str:
        return self.tr("Place your ID card on the reader below the screen.")


class IdentityPanel(QWidget):
    """Name and document from the card, read-only: the citizen cannot edit what the card says."""

    def __init__(self, identity, parent=None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.fields = []
        for label, value in ((self.tr("Name"), identity.full_name), (self.tr("Personal number (EGN)"), identity.egn),
                             (self.tr("ID card number"), identity.document_number)):
            edit = QLineEdit(value)
            edit.setReadOnly(True)
            edit.setFocusPolicy(Qt.TabFocus)
            edit.setAccessibleName(label)
            edit.setProperty("private", True)
            edit.setObjectName("IdentityField")
            self.fields.append(edit)
            form.addRow(label, edit)


class RequestFormScreen(Screen):
    """The applicant (from the card), the service's own fields, and the tier."""

    def __init__(self, state, service_id: str) -> None:
        super().__init__()
        self.state = state
        self.service = service = state.service(service_id)
        layout = self.frame()
        self.inputs, self.errors = {}, {}
        if service is None:  # the catalogue changed under the citizen's feet
            layout.addWidget(paragraph(self.tr("This service is no longer in the list.")))
            return
        layout.addWidget(heading(state.t(service.name)))
        identity = state.session.identity
        if identity is not None:
            layout.addWidget(heading(self.tr("Applicant (from your ID card)"), 2))
            self.identity_panel = IdentityPanel(identity)
            layout.addWidget(self.identity_panel)
        if service.form_fields:
            layout.addWidget(heading(self.tr("Details of the request"), 2))
        for field in service.form_fields:
            label = state.t(field.label) + (" *" if field.required else "")
            label_widget = paragraph(label, "FieldLabel")
            layout.addWidget(label_widget)
            if field.type == FieldType.CHOICE:
                widget = ButtonGrid(max_columns=4)
                group = QButtonGroup(widget)
                for choice in field.choices:
                    b = big_button(state.t(choice.label))
                    b.setCheckable(True)
                    b.setProperty("value", choice.value)
                    group.addButton(b)
                    widget.add(b)
                widget.group = group
            elif field.type == FieldType.CHECKBOX:
                widget = WrapCheckBox(state.t(field.label))
                widget.setMinimumHeight(48)
            elif field.type == FieldType.MULTILINE:
                widget = LinesEdit()
                widget.setMinimumHeight(90)
            else:
                widget = QLineEdit()
                widget.setMinimumHeight(52)
                if field.type == FieldType.DATE:
                    widget.setPlaceholderText(self.tr("DD.MM.YYYY"))
                    # kiosk.a11y.describe.PROP_SPOKEN_HINT: letters read aloud mean nothing
                    widget.setProperty("spoken_hint", self.tr("day, month and year, with dots"))
            widget.setAccessibleName(state.t(field.label))
            if field.type != FieldType.CHOICE:
                # the field says its own name: the keypad does not stop on its label first (a
                # choice's label stays a stop: its options do not say the question)
                label_widget.setBuddy(widget)
            if field.required and field.type != FieldType.CHOICE:
                widget.setProperty("required", True)  # kiosk.a11y.describe.PROP_REQUIRED
            if field.help:
                widget.setAccessibleDescription(state.t(field.help))
            if field.is_personal:  # an ЕГН, a name, an address, a phone: spoken only through the headset
                widget.setProperty("private", True)  # kiosk.a11y.describe.PROP_PRIVATE
            self.inputs[field.name] = widget
            layout.addWidget(widget)
            error = paragraph("", "Error")
            error.hide()
            self.errors[field.name] = error
            layout.addWidget(error)
        layout.addWidget(heading(self.tr("How fast?"), 2))
        from kiosk.state.wording import tier_name, tier_terms

        self.tier_group = QButtonGroup(self)
        tiers = ButtonGrid(max_columns=3)
        for i, tier in enumerate(service.tiers):
            text = f"{tier_name(tier.tier)}\n{tier_terms(tier.deadline, tier.fee_eur)}"
            b = big_button(text, text.replace("\n", ", "), kind="choice")
            b.setMinimumHeight(80)
            b.setCheckable(True)
            b.setChecked(i == 0)
            b.setProperty("value", str(tier.tier))
            self.tier_group.addButton(b)
            tiers.add(b)
        layout.addWidget(tiers)
        layout.addStretch(1)
        self.continue_button = big_button(self.tr("Continue to review"), kind="primary")
        self.continue_button.clicked.connect(self.submit_form)
        self.add_footer(self.continue_button)

    def values(self) -> dict:
        out = {}
        for name, w in self.inputs.items():
            if isinstance(w, QLineEdit):
                out[name] = w.text()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            elif isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            else:
                checked = w.group.checkedButton()
                out[name] = checked.property("value") if checked else ""
        return out

    def submit_form(self) -> None:
        clean, errors = validate_form(self.service.form_fields, self.values(), self.state.language)
        for label in self.errors.values():
            label.hide()
        if errors:
            for e in errors:
                self.errors[e.field].setText(e.message)
                self.errors[e.field].show()
            first = self.inputs[errors[0].field]
            first.setFocus()
            # after the keyboard has taken its room, bring the first wrong field (and its error) into view
            QTimer.singleShot(0, self, lambda: self.body_scroll.ensureWidgetVisible(self.errors[errors[0].field], 20, 120))
            QTimer.singleShot(0, self, lambda: self.reveal(first))
            self.announce.emit(self.tr("Please correct: ") + "; ".join(e.text() for e in errors), False)
            return
        personal_names = {f.name for f in self.service.form_fields if f.is_personal}
        draft = Draft(
            kind="service_request",
            language=self.state.language,
            service_id=self.service.id,
            tier=self.tier_group.checkedButton().property("value"),
            form={k: v for k, v in clean.items() if k not in personal_names},
            personal_fields={k: str(v) for k, v in clean.items() if k in personal_names},
        )
        self.navigate.emit("review", {"draft": draft})

    def wipe(self) -> None:
        for w in self.inputs.values():
            if isinstance(w, (QLineEdit, QPlainTextEdit)):
                w.clear()

    def title_text(self) -> str:
        return self.tr("Request")

    def instructions_text(self) -> str:
        return self.tr("Fill in the fields marked with a star, choose how fast, then touch Continue.")


def _citizen_date(value) -> str:
    """An ISO date as the citizen typed it (ДД.ММ.ГГГГ); anything else unchanged."""
    from datetime import date

    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


class ReviewScreen(Screen):
    """11.3.3.4: everything the citizen is about to send, and a separate confirm."""

    def __init__(self, state, draft: Draft) -> None:
        super().__init__()
        self.state, self.draft = state, draft
        layout = self.frame(spacing=8)
        layout.addWidget(heading(self.tr("Please check before sending")))
        # known before filing: no paper (or no printer) means the number is shown, not printed
        self.printer_warning = paragraph("", "Error")
        self.printer_warning.hide()
        layout.addWidget(self.printer_warning)
        self.status_label = paragraph("", "Notice")
        self.status_label.hide()  # an empty notice box would look like a broken field
        layout.addWidget(self.status_label)
        self.lines = []
        for label, value, private in self._summary():
            line = paragraph(f"{label}: {value}", "ReviewLine")
            if private:  # the citizen's name, phone, e-mail: spoken only through the headset
                line.setProperty("private", True)
            self.lines.append(line)
            layout.addWidget(line)
        layout.addStretch(1)
        self.edit_button = big_button(self.tr("Change"))
        self.edit_button.clicked.connect(self.go_back)
        self.confirm_button = big_button(self.tr("Confirm and send"), kind="primary")
        self.confirm_button.clicked.connect(self.confirm)
        self.add_footer(self.edit_button)
        self.add_footer(self.confirm_button, 2)
        if state.printer_ready is False:  # known already (a rebuilt screen): shown at once
            self._show_printer_warning(False, announce=False)
        state.printer_checked.connect(self._on_printer_checked)
        state.check_printer()

    def _on_printer_checked(self, ready) -> None:
        self._show_printer_warning(ready, announce=getattr(self, "_read", False))

    def _show_printer_warning(self, ready, announce: bool) -> None:
        if ready is not False:
            self.printer_warning.hide()
            return
        was_shown = self.printer_warning.isVisible() or not self.printer_warning.isHidden()
        self.printer_warning.setText(self.tr(
            "The printer is out of paper: there will be no printed receipt. You will get the number on the "
            "screen, large, with a QR code to photograph, and you can have it read aloud."))
        self.printer_warning.show()
        if announce and not was_shown:
            self.announce.emit(self.printer_warning.text(), False)

    def _summary(self) -> list[tuple[str, str, bool]]:
        """(label, value, private) rows; private values are the citizen's own personal data."""
        s, d, t = self.state, self.draft, self.state.t
        rows = []
        if d.kind == "service_request":
            service = s.service(d.service_id)
            rows.append((self.tr("Service"), t(service.name), False))
            tier = service.tier(d.tier)
            from kiosk.state.wording import format_deadline, format_fee, tier_name

            if len(service.tiers) > 1:  # which of them was chosen, by its name: the fee depends on it
                rows.append((self.tr("Service level"), tier_name(tier.tier), False))
            rows.append((self.tr("Deadline"), format_deadline(tier.deadline), False))
            rows.append((self.tr("Fee"), format_fee(tier.fee_eur), False))
            for f in service.form_fields:
                personal = f.name not in d.form and f.name in d.personal_fields
                value = d.form.get(f.name, d.personal_fields.get(f.name))
                if value not in (None, ""):
                    if f.type == FieldType.CHOICE:
                        value = next((t(c.label) for c in f.choices if c.value == value), value)
                    elif f.type == FieldType.DATE:
                        value = _citizen_date(value)
                    rows.append((t(f.label), str(value), personal))
        else:
            types = signal_type_names(self)
            rows.append((self.tr("Type"), types.get(d.signal_type, d.signal_type), False))
            cat = next((c for c in s.catalogue.signal_categories if c.id == d.signal_category_id), None)
            rows.append((self.tr("Category"), t(cat.name) if cat else "", False))
            rows.append((self.tr("Description"), d.description or "", False))
            where = s.signal_place(d)
            if where:
                rows.append((self.tr("Location"), where, False))
            rows.append((self.tr("Filed as"), self.tr("information only (without an ID card)") if d.anonymous
                         else self.tr("an official signal (with your ID card)"), False))
        # the applicant is filled in by the state when the draft is filed: shown here from the card
        applicant = None if d.anonymous else (d.applicant or s.applicant())
        if d.anonymous:
            rows.append((self.tr("Sender"), self.tr("anonymous (only recorded)"), False))
        elif applicant:
            rows.append((self.tr("Applicant"), f"{applicant['given_names']} {applicant['surname']}", True))
        if not d.anonymous and d.contact.get("phone"):
            rows.append((self.tr("Phone"), d.contact["phone"], True))
        if not d.anonymous and d.contact.get("email"):
            rows.append((self.tr("E-mail"), d.contact["email"], True))
        return rows

    def showEvent(self, event) -> None:
        """Speech mode reads what is about to be sent: public rows aloud, personal ones only
        through the headset (the accessibility layer drops private text on the speaker)."""
        super().showEvent(event)
        if getattr(self, "_read", False):
            return
        self._read = True
        public = [line.text() for line in self.lines if not line.property("private")]
        if not self.printer_warning.isHidden():
            public.append(self.printer_warning.text().rstrip("."))
        self.announce.emit(" ".join(f"{text}." for text in public), False)
        private = [line.text() for line in self.lines if line.property("private")]
        if private:
            self.announce.emit(" ".join(f"{text}." for text in private), True)

    def confirm(self) -> None:
        self.confirm_button.setEnabled(False)
        self.edit_button.setEnabled(False)
        self.status_label.setText(self.tr("Sending… please wait."))
        self.status_label.show()
        self.reveal(self.status_label)
        self.state.submit(self.draft, self._done, self._failed)

    def _done(self, receipt) -> None:
        # the state has made the receipt and sent it to the printer
        self.navigate.emit("receipt", {"receipt": receipt, "service_id": self.draft.service_id})

    def _failed(self, exc) -> None:
        self.confirm_button.setEnabled(True)
        self.edit_button.setEnabled(True)
        self.status_label.setText(self.tr("Your request could not be saved on this kiosk. Nothing was sent. Please ask a clerk."))
        self.announce.emit(self.status_label.text(), False)

    def wipe(self) -> None:
        try:
            self.state.printer_checked.disconnect(self._on_printer_checked)
        except (RuntimeError, TypeError):
            pass

    def title_text(self) -> str:
        return self.tr("Review")

    def instructions_text(self) -> str:
        return self.tr("Check the details. Touch “Confirm and send” to file it, or “Change” to go back.")


def signal_type_names(ctx) -> dict[str, str]:
    return {
        "problem": QCoreApplication.translate("Common", "Problem"),
        "complaint": QCoreApplication.translate("Common", "Complaint"),
        "praise": QCoreApplication.translate("Common", "Praise"),
        "proposal": QCoreApplication.translate("Common", "Proposal"),
        "question": QCoreApplication.translate("Common", "Question"),
    }
