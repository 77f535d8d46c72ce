"""Signals, hotlines and consultations (tracking and the dossier: kiosk/views/tracking.py; maintenance
mode: kiosk/views/maintenance.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QButtonGroup, QLineEdit, QWidget

from kiosk.state.backend import Draft
from kiosk.views.base import Screen
from kiosk.views.request import signal_type_names
from kiosk.views.widgets import ButtonGrid, LinesEdit, WrapCheckBox, big_button, clear_layout, heading, paragraph, show_rows, vbox


def _backend_error_text(ctx, exc) -> str:
    reason = getattr(exc, "reason", "error")
    if reason == "offline":
        return QCoreApplication.translate("Common", "There is no connection to the municipality right now. Please try again later or ask at the counter.")
    if reason == "pending_locally":
        return QCoreApplication.translate("Common", "This request is saved on this kiosk and will be sent as soon as there is a connection. Try again later.")
    if reason == "not_found":
        return QCoreApplication.translate("Common", "No request with this number and code was found. Check both and try again.")
    if reason == "refused":
        return QCoreApplication.translate("Common", "The access code is not correct.")
    return QCoreApplication.translate("Common", "Something went wrong. Please try again or ask a clerk.")


def done_button(screen: Screen, kind: str = "primary"):
    """"Done" at the foot of an information flow: on to the four smileys (how was it?)."""
    button = big_button(QCoreApplication.translate("Common", "Done"), kind=kind)
    button.clicked.connect(lambda: screen.navigate.emit("feedback", {"service_id": None}))
    button.setProperty("leaves_screen", True)  # kiosk.a11y.navigation: never where the keypad starts
    return button


class SignalScreen(Screen):
    """A signal: type, category, description, where (a place of the municipality, or the street
    typed, with a landmark; required for the categories a clerk must find on the ground), how to
    answer (phone, e-mail, optional), and with or without the ID card: with it the signal is
    official, without it accepted as information only (no proceedings on anonymous signals)."""

    def __init__(self, state) -> None:
        super().__init__()
        self.state = state
        layout = self.frame()
        layout.addWidget(heading(self.tr("What kind of signal?"), 2))
        self.type_group = QButtonGroup(self)
        row = ButtonGrid(max_columns=5)
        for value, name in signal_type_names(self).items():
            b = big_button(name)
            b.setCheckable(True)
            b.setProperty("value", value)
            b.setChecked(value == "problem")
            self.type_group.addButton(b)
            row.add(b)
        layout.addWidget(row)
        layout.addWidget(heading(self.tr("About what?"), 2))
        self.category_group = QButtonGroup(self)
        self.category_group.buttonToggled.connect(lambda _b, _on: self._category_changed())
        grid = ButtonGrid(max_columns=3)
        cats = state.catalogue.signal_categories if state.catalogue else []
        self.categories = {c.id: c for c in cats}
        for c in cats:
            b = big_button(state.t(c.name))
            b.setCheckable(True)
            b.setProperty("value", c.id)
            self.category_group.addButton(b)
            grid.add(b)
        layout.addWidget(grid)
        layout.addWidget(heading(self.tr("Describe it"), 2))
        self.description = LinesEdit()
        self.description.setAccessibleName(self.tr("Description"))
        self.description.setProperty("required", True)  # kiosk.a11y.describe.PROP_REQUIRED
        self.description.setMinimumHeight(90)
        layout.addWidget(self.description)
        self.where_heading = heading(self.tr("Where? (optional)"), 2)
        layout.addWidget(self.where_heading)
        layout.addWidget(paragraph(self.tr("Choose a place or a street of the municipality, or type the street and number.")))
        self.place_group = QButtonGroup(self)
        places = ButtonGrid(max_columns=3)
        for p in state.catalogue.places if state.catalogue else []:
            b = big_button(state.t(p.name))
            b.setCheckable(True)
            b.setProperty("value", p.id)
            self.place_group.addButton(b)
            places.add(b)
        layout.addWidget(places)
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("Street and number"))
        self.address.setAccessibleName(self.tr("Street and number"))
        self.address.setMaxLength(150)
        self.address.setMinimumHeight(52)
        layout.addWidget(self.address)
        self.landmark = QLineEdit()
        self.landmark.setPlaceholderText(self.tr("Landmark (optional), e.g. next to the bus stop"))
        self.landmark.setAccessibleName(self.tr("Landmark (optional)"))
        self.landmark.setMaxLength(120)
        self.landmark.setMinimumHeight(52)
        layout.addWidget(self.landmark)
        self.location_error = paragraph("", "Error")
        self.location_error.hide()
        layout.addWidget(self.location_error)
        layout.addWidget(heading(self.tr("With your ID card, or as information?"), 2))
        self.anonymous = WrapCheckBox(self.tr("Without my ID card: only as information"))
        self.anonymous.setAccessibleName(self.tr("Without my ID card: only as information"))
        self.anonymous.setMinimumHeight(48)
        self.anonymous.toggled.connect(lambda _on: self._anonymous_changed())
        layout.addWidget(self.anonymous)
        self.anonymous_note = paragraph("", "Notice")
        layout.addWidget(self.anonymous_note)
        self.contact_host = QWidget()
        contact = vbox(self.contact_host)
        contact.setContentsMargins(0, 0, 0, 0)
        contact.addWidget(heading(self.tr("How can the municipality answer you? (optional)"), 2))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("Phone, e.g. 0888 123 456"))
        self.phone.setAccessibleName(self.tr("Phone (optional)"))
        self.phone.setProperty("private", True)  # kiosk.a11y.describe: spoken only through the headset
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("E-mail"))
        self.email.setAccessibleName(self.tr("E-mail (optional)"))
        self.email.setProperty("private", True)
        for w in (self.phone, self.email):
            w.setMaxLength(120)
            w.setMinimumHeight(52)
            contact.addWidget(w)
        layout.addWidget(self.contact_host)
        self.error_label = paragraph("", "Error")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.continue_button = big_button(self.tr("Continue"), kind="primary")
        self.continue_button.clicked.connect(self.submit_form)
        self.add_footer(self.continue_button)
        self._category_changed()

    def _category(self):
        b = self.category_group.checkedButton()
        return self.categories.get(b.property("value")) if b else None

    def location_required(self) -> bool:
        cat = self._category()
        return bool(cat is not None and getattr(cat, "location_required", False))

    def _category_changed(self) -> None:
        cat = self._category()
        allowed = cat.anonymous_allowed if cat is not None else True
        self.anonymous.setEnabled(allowed)
        if not allowed:
            self.anonymous.setChecked(False)
        self.where_heading.setText(self.tr("Where? *") if self.location_required() else self.tr("Where? (optional)"))
        self.address.setProperty("required", self.location_required())
        self._anonymous_changed()

    def _anonymous_changed(self) -> None:
        cat = self._category()
        if cat is not None and not cat.anonymous_allowed:
            note = self.tr("Signals in this category need your ID card: they are official and the municipality answers them.")
        elif self.anonymous.isChecked():
            note = self.tr("Without the ID card the signal is accepted as information only: by law (АПК, art. 111) "
                           "no proceedings are opened on anonymous signals, and you get no answer.")
        else:
            note = self.tr("With your ID card the signal is official: it is registered and the municipality "
                           "answers within two months. Without it, it is accepted as information only (АПК, art. 111).")
        self.anonymous_note.setText(note)
        # contact details belong to a named sender: without the card nothing personal is sent
        self.contact_host.setVisible(not self.anonymous.isChecked())

    def submit_form(self) -> None:
        import re as _re

        errors = []
        cat = self.category_group.checkedButton()
        if cat is None:
            errors.append(self.tr("Category: choose what the signal is about"))
        text = self.description.toPlainText().strip()
        if len(text) < 5:
            errors.append(self.tr("Description: write at least a few words"))
        place = next((b.property("value") for b in self.place_group.buttons() if b.isChecked()), None)
        address, landmark = self.address.text().strip(), self.landmark.text().strip()
        self.location_error.hide()
        if self.location_required() and not (place or address or landmark):
            message = self.tr("Where: choose a place or type the street, so the municipality can find it")
            errors.append(message)
            self.location_error.setText(message)
            self.location_error.show()
        contact = {}
        if not self.anonymous.isChecked():
            from server_sync.protocol.identifiers import normalise_typed

            # NFKC: fullwidth digits become 0-9 (the hub takes ASCII digits only)
            phone, email = normalise_typed(self.phone.text()), normalise_typed(self.email.text())
            if phone and not _re.fullmatch(r"[0-9+ ()/-]{3,32}", phone):
                errors.append(self.tr("Phone: digits only, e.g. 0888 123 456"))
            if email and not _re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
                errors.append(self.tr("E-mail: for example name@example.bg"))
            contact = {k: v for k, v in (("phone", phone), ("email", email)) if v}
        if errors:
            self.error_label.setText("\n".join(errors))
            self.error_label.show()
            QTimer.singleShot(0, self, lambda: self.reveal(self.error_label))
            self.announce.emit(self.tr("Please correct: ") + "; ".join(errors), False)
            return
        self.error_label.hide()
        where = address or None
        if landmark:
            where = f"{address} ({landmark})" if address else landmark
        draft = Draft(
            kind="signal",
            language=self.state.language,
            signal_type=self.type_group.checkedButton().property("value"),
            signal_category_id=cat.property("value"),
            description=text,
            address_text=where,
            place_id=place,
            anonymous=self.anonymous.isChecked(),
            contact=contact,
        )
        if draft.anonymous or self.state.session.identity is not None:
            self.navigate.emit("review", {"draft": draft})
        else:
            self.navigate.emit("identify", {"then": "review", "then_kwargs": {"draft": draft}})

    def restore_input(self, values) -> bool:
        restored = super().restore_input(values)
        self._category_changed()
        return restored

    def wipe(self) -> None:
        for w in (self.description, self.address, self.landmark, self.phone, self.email):
            w.clear()

    def title_text(self) -> str:
        return self.tr("Signal")

    def instructions_text(self) -> str:
        return self.tr("Choose the kind and the category, describe the problem, say where it is, then touch Continue. "
                       "With your ID card the signal is official; without it, it is accepted as information.")


class HotlinesScreen(Screen):
    """The municipality's phone numbers, searchable, grouped by unit."""

    def __init__(self, state) -> None:
        super().__init__()
        self.state = state
        layout = self.frame((32, 16, 32, 16))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name or unit"))
        self.search.setAccessibleName(self.tr("Search phone numbers"))
        self.search.setProperty("discardable", True)  # kiosk.views.base.PROP_DISCARDABLE
        self.search.setMinimumHeight(56)
        self.search.textChanged.connect(self._refresh)
        layout.addWidget(self.search)
        self.host = QWidget()
        self.list = vbox(self.host, 6)
        self.list.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.host, 1)
        self.add_footer(done_button(self))
        self._refresh()

    def _refresh(self) -> None:
        clear_layout(self.list)
        hotlines = self.state.search_hotlines(self.search.text())
        groups: dict[str, list] = {}
        for h in hotlines:
            groups.setdefault(self.state.unit_name(h.unit_id) or self.tr("Other"), []).append(h)
        if not hotlines:
            self.list.addWidget(paragraph(self.tr("Nothing found.")))
        for unit, items in groups.items():
            self.list.addWidget(heading(unit, 2))
            for h in items:
                hours = f" — {self.state.t(h.hours)}" if h.hours else ""  # the hours may hold brackets themselves
                self.list.addWidget(paragraph(f"{self.state.t(h.name)}: {h.phone}{hours}", "HotlineLine"))
        self.list.addStretch(1)
        show_rows(self.list)

    def title_text(self) -> str:
        return self.tr("Phone numbers")

    def instructions_text(self) -> str:
        return self.tr("Phone numbers of the municipality, grouped by unit. Type in the search field to filter.")


class ConsultationsScreen(Screen):
    """Current public consultations, their documents' summaries, and support with the ID card.

    The state sends a support (`state.consultations`), once; this screen asks for it and shows
    how it went — rebuilt after a language switch, it sends nothing again."""

    def __init__(self, state, support_id: str | None = None) -> None:
        super().__init__()
        self.state = state
        layout = self.frame((32, 16, 32, 16))
        self.result = paragraph(self.tr("Loading…"), "Result")
        layout.addWidget(self.result)
        self.host = QWidget()
        self.list = vbox(self.host, 10)
        self.list.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.host, 1)
        self.add_footer(done_button(self))
        self.support_buttons = {}
        supports = state.consultations
        if support_id is not None and state.session.identity is not None and supports.latest is None:
            supports.ask(support_id)  # an older caller's way of asking; the state sends it once
        # what the state has already done is shown, not announced again (a rebuilt screen)
        self._shown_outcome = supports.latest
        if supports.latest is not None:
            self._show_outcome(supports.latest)
        supports.changed.connect(self._on_support_changed)
        state.tasks.run(state.backend.consultations, self._show, self._fail)

    def _show(self, consultations) -> None:
        t = self.state.t
        if self.result.text() == self.tr("Loading…"):
            self.result.setText(self.tr("Open consultations: {n}").format(n=len(consultations)) if consultations
                                else self.tr("There are no open consultations now."))
        for c in consultations:
            self.list.addWidget(heading(t(c.title), 2))
            self.list.addWidget(paragraph(t(c.summary)))
            self.list.addWidget(paragraph(self.tr("Open until {date}").format(date=f"{c.closes_at.astimezone():%d.%m.%Y}")))
            for d in c.documents:
                self.list.addWidget(paragraph(f"• {t(d.title)}: {t(d.summary)}"))
            b = big_button(self.tr("Support with my ID card"), self.tr("Support: {title}").format(title=t(c.title)))
            b.clicked.connect(lambda _=False, cid=c.id: self.support(cid))
            self.support_buttons[c.id] = b
            self.list.addWidget(b)
        self.list.addStretch(1)
        show_rows(self.list)

    def support(self, consultation_id: str) -> None:
        if not self.state.consultations.ask(consultation_id):
            # no card yet: the state sends the support once the card is read
            self.navigate.emit("identify", {"then": "consultations"})

    def _on_support_changed(self) -> None:
        outcome = self.state.consultations.latest
        if outcome is None or outcome is self._shown_outcome:
            return
        self._shown_outcome = outcome
        self._show_outcome(outcome)
        if not outcome.pending:
            self.announce.emit(self.result.text(), False)

    def _show_outcome(self, outcome) -> None:
        if outcome.pending:
            self.result.setText(self.tr("Sending your support…"))
        elif outcome.error is not None:
            self.result.setText(_backend_error_text(self, outcome.error))
        elif outcome.result.already_supported:
            self.result.setText(self.tr("You have already supported this consultation. Each person can support it once."))
        else:
            self.result.setText(self.tr("Thank you, your support is recorded. Supporters so far: {n}").format(
                n=outcome.result.support_count))

    def _fail(self, exc) -> None:
        self.result.setText(_backend_error_text(self, exc))
        self.announce.emit(self.result.text(), False)

    def wipe(self) -> None:
        try:
            self.state.consultations.changed.disconnect(self._on_support_changed)
        except (RuntimeError, TypeError):
            pass

    def title_text(self) -> str:
        return self.tr("Public consultations")

    def instructions_text(self) -> str:
        return self.tr("Read the consultations. To support one, touch its button and place your ID card on the reader.")
