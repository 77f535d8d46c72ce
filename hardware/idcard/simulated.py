"""A simulated ID reader for tests and the demo: insert a card (MRZ text or a document), unplug, replug."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from hardware.base import DeviceState, Health
from hardware.idcard.base import IdReader
from hardware.idcard.mrz import IdDocument, MrzError, parse_mrz

__all__ = ["SimulatedIdReader"]


class SimulatedIdReader(IdReader):
    """Calls the listener synchronously, on the caller's thread, exactly as a real reader would report.

    MRZ text goes through the same verification as a real read, so an expired or
    mistyped card is refused with the same MrzError; an IdDocument is delivered as it is.
    """

    name = "id_reader_simulated"

    def __init__(self, listener: Any | None = None, *, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(listener)
        self._today = today
        self._set_health(Health(DeviceState.OK, None, {"simulated": True}))

    def insert_card(self, card: IdDocument | str | Sequence[str]) -> IdDocument | MrzError | None:
        """Present a card (a document, MRZ text, or its lines); returns what the listener was given
        (document, error, or None when unplugged)."""
        if self._health.state is DeviceState.OFFLINE:
            return None  # an unplugged reader reads nothing
        if isinstance(card, IdDocument):
            self._document(card)
            return card
        if isinstance(card, (list, tuple)):
            card = "\n".join(str(line) for line in card)
        result: IdDocument | MrzError
        try:
            result = parse_mrz(str(card), today=self._today())
        except MrzError as error:
            result = error
        self._deliver(result)
        return result

    def unplug(self, reason: str = "reader disconnected (simulated)") -> None:
        self._set_health(Health(DeviceState.OFFLINE, reason, {"simulated": True}))

    def replug(self) -> None:
        self._set_health(Health(DeviceState.OK, None, {"simulated": True}))

    @property
    def documents(self) -> list[IdDocument]:
        return [event.payload for event in self.history if event.kind == "document"]

    @property
    def read_errors(self) -> list[MrzError]:
        return [event.payload for event in self.history if event.kind == "read_error"]

    def close(self) -> None:
        """Nothing to release."""
