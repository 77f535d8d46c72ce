"""Speaking a control's value as it changes: each typed or deleted character, the new choice of
a list, a check box's new state — private values only through the headset, masked ones never."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.a11y import describe as d
from kiosk.a11y.depth import Depth
from kiosk.a11y.strings import char_name, phrase

__all__ = ["ValueSpeaker"]


class ValueSpeaker:
    """Follows the one control that has the focus. `say(text, private=…, public_text=…)` speaks;
    `language()` is the screen's language."""

    def __init__(self, say: Callable[..., None], language: Callable[[], str]) -> None:
        self._say = say
        self._language = language
        self._links: list[tuple[Any, Callable]] = []
        self.widget: QWidget | None = None
        self._last_text = ""
        #: a change made for keyboard mode, which speaks its result itself
        self._quiet = Depth()

    @contextmanager
    def quietly(self) -> Iterator[None]:
        with self._quiet():
            yield
        self._sync_last_text()

    def forget_text(self) -> None:
        """The citizen's identity ended: nothing typed is kept to compare against."""
        self._last_text = ""

    def follow(self, w: QWidget | None) -> None:
        """Speak `w`'s value changes from now on (None: nobody's)."""
        if w is self.widget:
            return
        self.unlink()
        if w is not None:
            self._link_values(w)

    def _link(self, signal, slot) -> None:
        signal.connect(slot)
        self._links.append((signal, slot))

    def unlink(self) -> None:
        for signal, slot in self._links:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._links.clear()
        self.widget = None

    def _link_values(self, w: QWidget) -> None:
        self.widget = w
        if isinstance(w, QLineEdit):
            self._last_text = w.text()
            self._link(w.textChanged, self._on_text_changed)
        elif isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly():
            # a multi-line field (a signal's description): typed characters are spoken too
            self._last_text = w.toPlainText()
            self._link(w.textChanged, lambda: self._on_text_changed(w.toPlainText()))
        elif isinstance(w, QComboBox):
            self._link(w.currentIndexChanged, lambda _i: self.say_value(w))
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            self._link(w.toggled, lambda _c: self._say(", ".join(d.state_words(w, self._language()))))
        elif isinstance(w, (QAbstractSpinBox, QAbstractSlider)):
            signal = getattr(w, "valueChanged", None)
            if signal is not None:
                self._link(signal, lambda _v: self.say_value(w))
        elif isinstance(w, QAbstractItemView) and w.selectionModel() is not None:
            self._link(w.selectionModel().currentChanged, lambda *_: self.say_value(w))

    def say_value(self, w: QWidget) -> None:
        lang = self._language()
        if d.is_private(w):
            self._say(d.value_text(w, lang, True), private=True, public_text=d.value_text(w, lang, False))
        else:
            self._say(d.value_text(w, lang, False))

    def _on_text_changed(self, text: str) -> None:
        w = self.widget
        before, self._last_text = self._last_text, text
        if w is None or self._quiet:
            return
        lang = self._language()
        star = phrase(lang, "star")
        if d.is_masked(w):
            # never the characters, not even through the headset (5.1.3.8)
            if len(text) > len(before):
                self._say(star)
            elif len(text) < len(before):
                self._say(phrase(lang, "deleted", what=star))
            return
        private = d.is_private(w)
        if len(text) == len(before) + 1 and text.startswith(before):
            self._say(char_name(lang, text[-1]), private=private, public_text=star if private else None)
        elif len(text) < len(before) and before.startswith(text):
            removed = " ".join(char_name(lang, ch) for ch in before[len(text):])
            self._say(phrase(lang, "deleted", what=removed), private=private,
                      public_text=phrase(lang, "deleted", what=star) if private else None)
        else:
            self.say_value(w)

    def _sync_last_text(self) -> None:
        w = self.widget
        if isinstance(w, QLineEdit):
            self._last_text = w.text()
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            self._last_text = w.toPlainText()
