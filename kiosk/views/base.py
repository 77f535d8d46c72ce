"""Base class of every kiosk screen: title, spoken instructions, announcements, back, the
citizen's input (what a screen holds, kept across a language switch and a step back), and the
screen's frame: one body that scrolls when it must, and a fixed footer with the screen's actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

#: widget property: what is typed here is no data of the citizen's (a search field): leaving the
#: screen with it filled in asks nothing
PROP_DISCARDABLE = "discardable"


def input_widgets(root: QWidget) -> list[QWidget]:
    """The controls of `root` a citizen types into or chooses with, in a stable order."""
    found = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit):
            if w.isReadOnly() or isinstance(w.parentWidget(), QComboBox):
                continue
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            if w.isReadOnly():
                continue
        elif isinstance(w, QAbstractButton):
            if not w.isCheckable():
                continue
        elif not isinstance(w, QComboBox):
            continue
        found.append(w)
    return found


#: room kept above and below a field scrolled into view: its label stands above it
REVEAL_MARGIN_PX = 72


class _Body(QWidget):
    """A screen's body. In its scroll area it is as tall as its contents at its width: the least
    height Qt would give it is the narrowest layout's (every grid in one column), which left a
    blank page's worth of scrolling below a large-text form."""

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), 0)


class BodyScroll(QScrollArea):
    """The one scroll area of a screen: its body. When it shrinks (the on-screen keyboard came
    up, large text made the page taller) the focused control inside it is scrolled back into view."""

    def __init__(self, inner: QWidget) -> None:
        super().__init__()
        self.setObjectName("ScreenBodyScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setFocusPolicy(Qt.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setWidget(inner)
        QScroller.grabGesture(self.viewport(), QScroller.LeftMouseButtonGesture)
        # a touch on a button of the page is a touch at once, not held back to see whether it
        # becomes a drag (the scroller's default quarter second)
        scroller = QScroller.scroller(self.viewport())
        properties = scroller.scrollerProperties()
        properties.setScrollMetric(QScrollerProperties.MousePressEventDelay, 0)
        scroller.setScrollerProperties(properties)

    def reveal(self, widget: QWidget | None = None) -> None:
        """Scroll `widget` (default: the focused control, if it is in this body) into view, with
        room for its label above it."""
        if widget is None:
            widget = QApplication.focusWidget()
        inner = self.widget()
        if widget is None or inner is None or not inner.isAncestorOf(widget):
            return
        # the whole control, not only its cursor (QScrollArea.ensureWidgetVisible shows a text
        # field's cursor line): its label above it, if there is room, else its own top
        top = widget.mapTo(inner, QPoint(0, 0)).y()
        view = self.viewport().height()
        room = view - widget.height()
        above = max(0, min(REVEAL_MARGIN_PX, room - 8))
        below = max(0, min(8, room - above))
        bar = self.verticalScrollBar()
        lowest, highest = top + widget.height() + below - view, top - above
        bar.setValue(min(max(bar.value(), lowest), highest))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().height() < event.oldSize().height():
            self.reveal()


def reveal_in(root: QWidget, widget: QWidget) -> None:
    """Scroll every scroll area between `root` and `widget` so it shows with its label (above it)."""
    from shiboken6 import isValid

    if not isValid(widget) or not root.isAncestorOf(widget):
        return
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, BodyScroll):
            parent.reveal(widget)
        elif isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 16, REVEAL_MARGIN_PX)
        parent = parent.parentWidget()


def _value(w: QWidget) -> Any:
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, (QPlainTextEdit, QTextEdit)):
        return w.toPlainText()
    if isinstance(w, QAbstractButton):
        return w.isChecked()
    return w.currentIndex()


def _is_secret(w: QWidget) -> bool:
    return isinstance(w, QLineEdit) and w.echoMode() != QLineEdit.EchoMode.Normal


class Screen(QWidget):
    """One full-window page of the kiosk.

    A11Y reads `title_text()` and `instructions_text()` when the screen opens and
    speaks whatever the screen emits on `announce` (text, private). Private text
    (ЕГН, address) goes to the headset only.

    The window asks `holds_input()` before Back leaves a screen (a filled form is not lost
    without a question), and carries `input_state()` over when it rebuilds the screen (a
    language switch) or returns to it (Back from the next step): every screen's fields and
    choices, with no code of its own.
    """

    announce = Signal(str, bool)
    #: text the citizen asked to hear ("Read the number aloud"): said even outside speech mode
    read_aloud = Signal(str)
    back_requested = Signal()
    #: a screen asks the window to open another one by name with keyword arguments
    navigate = Signal(str, dict)

    screen_name = "screen"
    #: False after a binding step (the receipt): "Back" must not lead to a second submission
    allow_back = True
    #: the screen's body scroll area (None: the body does not scroll) and its footer
    body_scroll: BodyScroll | None = None
    footer: QFrame | None = None

    # -- the frame: a body and a fixed footer --------------------------------------------------
    def frame(self, margins: tuple[int, int, int, int] = (24, 16, 24, 16), spacing: int = 12,
              scroll: bool = True) -> QVBoxLayout:
        """Lay the screen out as a body and a footer; returns the body's layout.

        The body is the screen's only scroll area (`scroll=False`: a body that fits as it is,
        its own list scrolling instead); the footer (`add_footer`) holds the screen's actions,
        never scrolls and is never squeezed: in large text, with a long title or with the
        on-screen keyboard up it is the body that gives way. Nothing else on a screen scrolls."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.body = _Body(objectName="ScreenBody") if scroll else QWidget(objectName="ScreenBody")
        layout = QVBoxLayout(self.body)
        left, top, right, bottom = margins
        layout.setContentsMargins(left, top, right, bottom // 2)
        layout.setSpacing(spacing)
        if scroll:
            self.body_scroll = BodyScroll(self.body)
            outer.addWidget(self.body_scroll, 1)
        else:
            outer.addWidget(self.body, 1)
        self.footer = QFrame(objectName="ScreenFooter")
        self.footer_layout = QHBoxLayout(self.footer)
        self.footer_layout.setContentsMargins(left, bottom // 2, right, bottom)
        self.footer_layout.setSpacing(12)
        self.footer.hide()  # shown with its first action
        outer.addWidget(self.footer)
        return layout

    def add_footer(self, widget: QWidget, stretch: int = 1) -> QWidget:
        """An action in the fixed footer, after those already there (the primary one last)."""
        self.footer_layout.addWidget(widget, stretch)
        self.footer.setVisible(True)
        return widget

    def reveal(self, widget: QWidget) -> None:
        """Scroll the body so `widget` shows (a field above the keyboard, an answer, an error)."""
        if self.body_scroll is not None:
            self.body_scroll.reveal(widget)

    def title_text(self) -> str:
        return ""

    def instructions_text(self) -> str:
        return ""

    def go_back(self) -> None:
        self.back_requested.emit()

    def retranslate(self) -> None:
        """Re-read every visible string after a language change."""

    def wipe(self) -> None:
        """Forget every personal value this screen holds; the window calls it as the screen goes."""

    def clear_all_text(self) -> None:
        """Blank every text on this screen at once, so nothing personal waits for deferred deletion."""
        from PySide6.QtWidgets import QLabel

        for w in self.findChildren(QLineEdit):
            w.clear()
        for w in self.findChildren(QPlainTextEdit):
            w.clear()
        for w in self.findChildren(QLabel):
            w.clear()

    # -- the citizen's input ---------------------------------------------------------------
    def _values(self) -> list[tuple[str, Any]]:
        return [(type(w).__name__, _value(w)) for w in input_widgets(self)]

    def mark_pristine(self) -> None:
        """What the screen holds as built: the window calls it once the screen is made."""
        self._pristine = [(kind, v) for (kind, v), w in zip(self._values(), input_widgets(self))
                          if not w.property(PROP_DISCARDABLE)]

    def holds_input(self) -> bool:
        """Whether the citizen has typed or chosen anything here that Back would throw away."""
        pristine = getattr(self, "_pristine", None)
        if pristine is None:
            return False
        now = [(kind, v) for (kind, v), w in zip(self._values(), input_widgets(self))
               if not w.property(PROP_DISCARDABLE)]
        return now != pristine

    def input_state(self) -> list[tuple[str, Any]] | None:
        """The values of the screen's fields and choices (never a masked code), for `restore_input`."""
        widgets = input_widgets(self)
        if not widgets:
            return None
        return [(type(w).__name__, None if _is_secret(w) else _value(w)) for w in widgets]

    def restore_input(self, saved: list[tuple[str, Any]] | None) -> bool:
        """Put back what `input_state()` gave, on a screen built the same way (the same fields in
        the same order: same screen, same arguments); False, and nothing touched, otherwise.
        Choices are made as a touch makes them (a click), so the screen reacts as it would."""
        widgets = input_widgets(self)
        if not saved or [kind for kind, _ in saved] != [type(w).__name__ for w in widgets]:
            return False
        for w, (_kind, value) in zip(widgets, saved):
            if value is None:
                continue
            if isinstance(w, QLineEdit):
                if w.text() != value:
                    w.setText(value)
            elif isinstance(w, (QPlainTextEdit, QTextEdit)):
                if w.toPlainText() != value:
                    w.setPlainText(value)
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(value)
        # choices after text (a choice may enable or disable a field); chosen ones first, so an
        # exclusive group's choice moves, then the free check boxes that must be unticked
        # (a discardable choice is a way to another page, as the catalogue's "by unit": not clicked)
        buttons = [(w, v) for w, (_k, v) in zip(widgets, saved)
                   if isinstance(w, QAbstractButton) and v is not None and not w.property(PROP_DISCARDABLE)]
        for w, wanted in buttons:
            if wanted and not w.isChecked() and w.isEnabled():
                w.click()
        for w, wanted in buttons:
            group = w.group()
            exclusive = (group is not None and group.exclusive()) or w.autoExclusive()
            if not wanted and w.isChecked() and not exclusive and w.isEnabled():
                w.click()
        return True


def focus_first_button(screen: QWidget) -> None:
    """Focus on the page's first button, not on a text field: the on-screen keyboard appears when a
    field is touched, and a keypad user starts on something to press."""
    first = next((b for b in screen.findChildren(QAbstractButton)
                  if b.focusPolicy() != Qt.NoFocus and b.isVisibleTo(screen) and b.isEnabled()), None)
    (first or screen).setFocus(Qt.OtherFocusReason)
