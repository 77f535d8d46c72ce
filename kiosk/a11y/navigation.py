"""Focus and navigation over the kiosk's window: what the keypad can reach, in which order,
and moving there without trapping anyone (EN 301 549 5.1.6)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QScrollArea, QWidget

from kiosk.a11y import describe as d
from kiosk.a11y.depth import Depth
from kiosk.a11y.window import A11yWindow

__all__ = ["Navigator"]


class Navigator:
    """The window's keypad stops and the focus among them.

    `speech_mode()` says whether text and meaningful images are stops too (in speech mode
    everything shown is reachable by ear, as a screen reader's reading order)."""

    def __init__(self, window: A11yWindow, speech_mode: Callable[[], bool]) -> None:
        self.window = window
        self._speech_mode = speech_mode
        #: `with nav.quietly():` the focus moves without being announced (a screen's first
        #: control, a touch); true while it does
        self.quietly = Depth()

    def contains(self, w: object) -> bool:
        return isinstance(w, QWidget) and (w is self.window or self.window.isAncestorOf(w))

    def chain(self) -> list[QWidget]:
        """Every control the keypad can reach on the window, in focus order (screen and header)."""
        chain: list[QWidget] = []
        start = self.window
        header = self.window.header
        speech_mode = self._speech_mode()
        w = start.nextInFocusChain()
        seen = set()
        while w is not None and w is not start and id(w) not in seen:
            seen.add(id(w))
            if self.window.isAncestorOf(w) and w.isVisible() and not w.property(d.PROP_SKIP):
                if d.is_keypad_stop(w):
                    chain.append(w)
                elif (speech_mode and d.is_readable_text(w) and w.isEnabled()
                      and (w.property("header_stop") or not (header is not None and header.isAncestorOf(w)))):
                    # the header's title repeats the screen's intro; whose card is in, it does not
                    chain.append(w)
            w = w.nextInFocusChain()
        return chain

    def focused(self) -> QWidget | None:
        """The stop that has the focus (a control's inner widget counts as the control)."""
        return self.target_of(QApplication.focusWidget())

    def target_of(self, w: QWidget | None) -> QWidget | None:
        """The stop a widget belongs to (itself, if it is text to read), or None outside the window."""
        if not self.contains(w):
            return None
        return w if d.is_readable_text(w) else d.interactive_ancestor(w, self.window)

    @staticmethod
    def focus(widget: QWidget, reason: Qt.FocusReason = Qt.FocusReason.TabFocusReason) -> None:
        if isinstance(widget, QLabel) and not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # text stops exist only in speech mode
        widget.setFocus(reason)

    def go_to(self, target: QWidget, step: int = 1) -> None:
        self.focus(target, Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason)
        self.ensure_visible(target)

    @staticmethod
    def ensure_visible(widget: QWidget) -> None:
        # the screen's body (its one scroll area) brings the control into view
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
            parent = parent.parentWidget()

    def first_in(self, screen: QWidget) -> QWidget | None:
        """The screen's first control — its first button rather than a text field, as the window
        does: focus in a field brings up the on-screen keyboard over half the page (hotlines,
        dossier) before the citizen has touched anything; the field is one step away. Not a button
        that leaves the screen ("Done"), where another is there: a reflexive 5 would leave."""
        controls = [w for w in self.chain() if screen.isAncestorOf(w) and d.is_interactive(w)]
        buttons = [w for w in controls if not d.is_text_input(w)]
        staying = [w for w in buttons if not w.property("leaves_screen")]
        return next(iter(staying or buttons or controls), None)

    def focus_first(self, screen: QWidget) -> None:
        """Put the focus on the screen's first control without announcing it separately."""
        first = self.first_in(screen)
        if first is not None:
            with self.quietly():
                first.setFocus(Qt.FocusReason.OtherFocusReason)

    def move(self, step: int) -> None:
        """Next/previous control, wrapping within the window: never trapped (5.1.6)."""
        chain = self.chain()
        if not chain:
            return
        current = self.focused()
        if current in chain:
            target = chain[(chain.index(current) + step) % len(chain)]
        else:
            target = chain[0] if step > 0 else chain[-1]
        self.go_to(target, step)

    def leave_field(self, field: QWidget) -> None:
        """Focus on the next control that is not a text field (a form's next choice, or its
        Continue); nothing typed is touched."""
        chain = self.chain()
        if field in chain:
            start = chain.index(field)
            for step in range(1, len(chain)):
                target = chain[(start + step) % len(chain)]
                if not d.is_text_input(target) and d.is_interactive(target):
                    self.go_to(target)
                    return
        field.clearFocus()

    def move_in_group(self, w: QWidget, step: int) -> bool:
        """Left/right on an option of a group of choices: the previous/next option of the same
        group, wrapping within it (the radio-group convention); choosing is still Enter/5."""
        options = d.option_group(w)
        if options is None:
            return False
        members = [o for o in self.chain() if o in options]
        if w not in members or len(members) < 2:
            return False
        self.go_to(members[(members.index(w) + step) % len(members)], step)
        return True

    @staticmethod
    def move_in_list(view: QAbstractItemView, step: int) -> bool:
        model = view.model()
        if model is None or not model.rowCount():
            return False
        index = view.currentIndex()
        row = (index.row() if index.isValid() else -1) + step
        if not 0 <= row < model.rowCount():
            return False  # leave the list: focus is never trapped
        view.setCurrentIndex(model.index(row, 0))
        return True
