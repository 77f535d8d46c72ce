"""Welcome, catalogue browsing and search, and the service page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLineEdit, QPushButton, QWidget

from kiosk.views.base import Screen
from kiosk.views.widgets import (
    ButtonGrid,
    after_style_change,
    big_button,
    clear_layout,
    heading,
    large_text,
    paragraph,
    show_rows,
    vbox,
)


class WelcomeScreen(Screen):
    """The attract screen: who we are, where we are, and the six ways in."""

    def __init__(self, state) -> None:
        super().__init__()
        self.state = state
        self._columns = 0
        layout = self.frame((32, 24, 32, 24), 16)
        name = state.municipality_name() or self.tr("Municipality")
        self.name_label = heading(name)
        self.name_label.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.name_label)
        office = state.office_name()
        self.office_label = paragraph(office, "Office")
        self.office_label.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.office_label)
        # while the store is still loading (the first half second), the names come from the cache
        # and there is no notice: it would flash for nothing
        self._notice = state.catalogue is None and state.is_ready
        if self._notice:
            layout.addWidget(paragraph(self.tr("The list of services is not loaded yet. Tracking and signals still work."), "Notice"))
        prompt = heading(self.tr("How can we help you? Touch a button."), 2)
        prompt.setAlignment(Qt.AlignCenter)
        layout.addWidget(prompt)
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(16)
        # a tile says what the page it opens is called, in as few words as a tile can hold
        short = {"consultations": self.tr("Public consultations")}
        tiles = [
            ("catalogue", self.tr("Services\nand certificates"), {"mode": "situations"}),
            ("signal", self.tr("Report a problem\nor send a signal"), {}),
            ("track", self.tr("Track my request"), {}),
            ("dossier", self.tr("My requests\n(ID card and code)"), {}),
            ("hotlines", self.tr("Phone numbers"), {}),
            ("consultations", self.tr("Public\nconsultations"), {}),
        ]
        self.tiles: dict[str, QPushButton] = {}
        for target, text, kwargs in tiles:
            button = big_button(text, short.get(target, text.replace("\n", " ")), kind="tile")
            button.setMinimumHeight(120)
            button.clicked.connect(lambda _=False, t=target, kw=kwargs: self.navigate.emit(t, kw))
            self.tiles[target] = button
        self._arrange_tiles()
        after_style_change(self, self._arrange_tiles)
        layout.addLayout(self.tile_grid)
        layout.addStretch(1)
        # spoken guidance and the language in the footer: on screen whatever the tiles need
        switches = QWidget()
        self.bottom_row = bottom = QBoxLayout(QBoxLayout.LeftToRight, switches)
        bottom.setContentsMargins(0, 0, 0, 0)
        self.speech_button = big_button(self.tr("Spoken guidance (headphones)"), self.tr("Spoken guidance"))
        # the accessibility layer starts with the devices, right after the first frame
        self.speech_button.clicked.connect(lambda: state.when_ready("speech", state.speech_mode_requested.emit))
        self.language_button = big_button("English" if state.language == "bg" else "Български",
                                          "Switch to English" if state.language == "bg" else "Превключи на български")
        self.language_button.setProperty("speech_lang", "en" if state.language == "bg" else "bg")  # said in its voice
        self.language_button.clicked.connect(lambda: state.set_language("en" if state.language == "bg" else "bg"))
        for b in (self.speech_button, self.language_button):
            b.setMinimumHeight(80)
            b.setProperty("kind", "secondary")
        bottom.addWidget(self.speech_button, 2)
        bottom.addWidget(self.language_button, 1)
        self.add_footer(switches)
        self._columns = 0
        self._arrange_tiles()
        self._taps = 0
        self.office_label.mousePressEvent = self._count_tap  # five taps: technician PIN entry

    def outdated(self) -> bool:
        """Whether this page would look different built now (after the store has loaded)."""
        name = self.state.municipality_name() or self.tr("Municipality")
        notice = self.state.catalogue is None and self.state.is_ready
        return (name, self.state.office_name(), notice) != (self.name_label.text(), self.office_label.text(), self._notice)

    def _arrange_tiles(self) -> None:
        """Two wide columns; one in large text, where long Bulgarian words ("удостоверения") would
        not fit half the panel (the page's body scrolls, so a taller page is fine)."""
        columns = 1 if large_text() else 2
        if columns == self._columns:
            return
        self._columns = columns
        if hasattr(self, "bottom_row"):  # the two wide switches below the tiles stack too
            self.bottom_row.setDirection(QBoxLayout.TopToBottom if columns == 1 else QBoxLayout.LeftToRight)
            # the footer's switches take their new widths with the tiles, not a pass later
            self.bottom_row.activate()
        for button in self.tiles.values():
            self.tile_grid.removeWidget(button)
        for i, button in enumerate(self.tiles.values()):
            self.tile_grid.addWidget(button, i // columns, i % columns)
        for column in range(2):  # equal tiles whatever the theme's font does to the labels
            self.tile_grid.setColumnStretch(column, 1 if column < columns else 0)

    def _count_tap(self, event) -> None:
        self._taps += 1
        if self._taps >= 5:
            self._taps = 0
            self.navigate.emit("maintenance", {})

    def title_text(self) -> str:
        return self.tr("Welcome")

    def instructions_text(self) -> str:
        return self.tr("Choose what you need: services, a signal, tracking, your requests, phone numbers or consultations.")


class CatalogueScreen(Screen):
    """Services by life situation or by unit, and search that accepts Latin or Cyrillic."""

    def __init__(self, state, mode: str = "situations", group_id: str | None = None, query: str = "") -> None:
        super().__init__()
        self.state, self.mode, self.group_id = state, mode, group_id
        # search, the two lists and the results scroll as one page: with large text and the
        # keyboard up, a fixed search bar would leave no room for what it finds
        layout = self.frame()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search, e.g. “heirs” or “udostoverenie”"))
        self.search.setAccessibleName(self.tr("Search for a service"))
        self.search.setProperty("discardable", True)  # kiosk.views.base.PROP_DISCARDABLE: a query, not the citizen's data
        self.search.setMinimumHeight(56)
        self.search.textChanged.connect(self._refresh)
        layout.addWidget(self.search)
        modes = ButtonGrid(max_columns=2)
        self.by_situation = big_button(self.tr("By life situation"))
        self.by_unit = big_button(self.tr("By municipal unit"))
        for button, m in ((self.by_situation, "situations"), (self.by_unit, "units")):
            button.setCheckable(True)
            button.setChecked(m == mode and group_id is None)
            button.setProperty("discardable", True)  # a way to another list, not a choice to keep
            # inside a group the tabs lead out of it: the keypad starts on the group's first service
            button.setProperty("leaves_screen", group_id is not None)
            button.clicked.connect(lambda _=False, m=m: self.navigate.emit("catalogue", {"mode": m}))
            modes.add(button)
        layout.addWidget(modes)
        self.caption = heading("", 2)
        layout.addWidget(self.caption)
        self.list_host = QWidget()
        self.list_layout = vbox(self.list_host, 10)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list_host, 1)
        self.search.setText(query)
        self._refresh()

    def _clear(self) -> None:
        clear_layout(self.list_layout)

    def _service_button(self, service) -> QPushButton:
        text = self.state.t(service.name)
        b = big_button(text, text, kind="list")
        b.clicked.connect(lambda _=False, s=service.id: self.navigate.emit("service", {"service_id": s}))
        return b

    def _refresh(self) -> None:
        self._clear()
        cat = self.state.catalogue
        if cat is None:
            self.caption.setText(self.tr("The list of services is not loaded yet."))
            return
        query = self.search.text().strip()
        if query:
            services = self.state.search_services(query)
            self.caption.setText(self.tr("Found: {n}").format(n=len(services)) if services else
                                 self.tr("Nothing found. Try another word or browse the lists."))
            for s in services:
                self.list_layout.addWidget(self._service_button(s))
        elif self.group_id is None:
            self.caption.setText(self.tr("Choose a life situation") if self.mode == "situations" else self.tr("Choose a unit"))
            groups = cat.life_situations if self.mode == "situations" else cat.units
            for g in groups:
                text = self.state.t(g.name)
                b = big_button(text, text, kind="list")
                b.clicked.connect(lambda _=False, gid=g.id: self.navigate.emit("catalogue", {"mode": self.mode, "group_id": gid}))
                self.list_layout.addWidget(b)
        else:
            services = self._group_services()
            group = self._group()
            self.caption.setText(self.state.t(group.name) if group else "")
            for s in services:
                self.list_layout.addWidget(self._service_button(s))
        self.list_layout.addStretch(1)
        show_rows(self.list_layout)

    def title_text(self) -> str:
        return self.tr("Services and certificates")

    def instructions_text(self) -> str:
        group = self._group()
        if group is not None and not self.search.text().strip():
            # a blind citizen who chose "Birth of a child" hears where they are, not the lists' intro
            return self.tr("%1. Choose a service; Back returns to the groups.").replace(
                "%1", self.state.t(group.name))
        return self.tr("Choose a group, or type in the search field with the keyboard below.")

    def _group(self):
        cat = self.state.catalogue
        if cat is None or self.group_id is None:
            return None
        groups = cat.life_situations if self.mode == "situations" else cat.units
        return next((g for g in groups if g.id == self.group_id), None)

    def _group_services(self) -> list:
        return (self.state.services_in_situation(self.group_id) if self.mode == "situations"
                else self.state.services_in_unit(self.group_id))


class ServiceScreen(Screen):
    """One service: what it is, deadline and fee per tier, documents, where to go, legal basis."""

    def __init__(self, state, service_id: str) -> None:
        super().__init__()
        self.state = state
        self.service = service = state.service(service_id)
        layout = self.frame()
        if service is None:
            layout.addWidget(paragraph(self.tr("This service is no longer in the list.")))
            return
        t = state.t
        self.name_label = heading(t(service.name))
        layout.addWidget(self.name_label)
        layout.addWidget(paragraph(t(service.description)))
        unit = state.unit_name(service.unit_id)
        if unit:
            layout.addWidget(paragraph(self.tr("Unit: {unit}").format(unit=unit)))
        layout.addWidget(heading(self.tr("Deadline and fee"), 2))
        from kiosk.state.wording import tier_name, tier_terms

        for tier in service.tiers:
            layout.addWidget(paragraph(self.tr("{tier}: {terms}").format(
                tier=tier_name(tier.tier), terms=tier_terms(tier.deadline, tier.fee_eur, fee_word=True)), "TierLine"))
        if service.required_documents:
            layout.addWidget(heading(self.tr("Documents you need"), 2))
            for doc in service.required_documents:
                layout.addWidget(paragraph("• " + t(doc)))
        if service.where:
            layout.addWidget(heading(self.tr("Where to go"), 2))
            layout.addWidget(paragraph(t(service.where)))
        if service.legal_basis:
            layout.addWidget(heading(self.tr("Legal basis"), 2))
            layout.addWidget(paragraph(t(service.legal_basis)))
        layout.addStretch(1)
        self.apply_button = big_button(self.tr("Apply here with my ID card"), kind="primary")
        self.apply_button.clicked.connect(self._apply)
        self.add_footer(self.apply_button)

    def _apply(self) -> None:
        target = {"then": "request_form", "then_kwargs": {"service_id": self.service.id}}
        if self.state.session.identity is not None:
            self.navigate.emit("request_form", {"service_id": self.service.id})
        else:
            self.navigate.emit("identify", target)

    def title_text(self) -> str:
        return self.state.t(self.service.name) if self.service else self.tr("Service")

    def instructions_text(self) -> str:
        return self.tr("Read the deadline, the fee and the documents. To apply, touch the button at the bottom.")
