"""The kiosk state's view of the catalogue: names in the kiosk's language, the services of a life
situation or a unit, and the search. Part of `KioskState` (a mixin: it reads the state's
`backend`, `catalogue`, `language`, `settings` and `welcome_names`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pydantic catalogue arrives with the backend, after the first frame
    from server_sync.protocol.catalogue import Service

log = logging.getLogger(__name__)


class CatalogueLookups:
    """What the screens ask of the catalogue; nothing here keeps state but the search index."""

    def t(self, i18n) -> str:
        """A text of the catalogue (a {bg, en} pair the hub sent) in the kiosk's language."""
        return i18n.get(self.language) if i18n is not None else ""

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
