"""Touch-sized building blocks shared by the kiosk screens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

#: minimum touch target in px; the app sets it from the panel's size (9 mm)
MIN_TARGET_PX = 40


def set_min_target(px: int) -> None:
    global MIN_TARGET_PX
    MIN_TARGET_PX = max(px, 24)


def large_text() -> bool:
    """Whether the citizen switched large text on (kiosk.a11y.themes sets the property)."""
    app = QApplication.instance()
    return bool(app is not None and app.property("a11y_large_text"))


class _StyleChangeWatcher(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback, self._pending = callback, False
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.StyleChange and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        self._pending = False
        self._callback()


def after_style_change(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call `callback` once after each burst of style changes of `widget`, on the next turn of the
    event loop: the themes set the stylesheet, then the large-text property, so a look at
    `large_text()` is right only once both are set."""
    _StyleChangeWatcher(widget, callback)


def wrap_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` broken at spaces into lines no wider than `width` (a word longer stays whole);
    the line breaks already in it are kept."""
    lines: list[str] = []
    for paragraph_text in text.split("\n"):
        line = ""
        for word in paragraph_text.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


class _WrapText:
    """A label that wraps onto more lines when its button is narrower than it (`_base`: the Qt
    class drawn). Qt's buttons and check boxes never wrap, so a long service name in large text,
    or a place name in a three-column grid, was simply cut off. The control keeps drawing through
    the style (so the stylesheet's colours and states apply); only its text gets line breaks for
    its current width, and it asks its layout for the height those lines need."""

    _base: type = QPushButton

    def _init_wrap(self, text: str) -> None:
        self._full = text
        self._measured: tuple[int, int, int, int, int] | None = None
        self._wrapped: dict[int, str] = {}
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:
        self._full = text
        self._measured = None
        self._base.setText(self, text)
        self._rewrap()
        self.updateGeometry()

    def _measures(self) -> tuple[int, int, int, int, int]:
        """(horizontal and vertical room the style takes around the label, the label's
        one-line width, its longest word, line spacing) — measured once per font and style:
        layouts ask for heights many times per page."""
        if self._measured is None:
            # the stylesheet's font first: measured before it is applied, a label of a page built
            # under large text had the small font's width and the large font's padding
            self.ensurePolished()
            metrics = self.fontMetrics()
            plain = self._base.sizeHint(self)
            lines = self._base.text(self).split("\n")
            text_w = max(metrics.horizontalAdvance(line) for line in lines)
            pad_w = max(16, plain.width() - text_w)
            pad_h = max(8, plain.height() - metrics.lineSpacing() * len(lines))
            natural = max(metrics.horizontalAdvance(line) for line in self._full.split("\n"))
            longest_word = max((metrics.horizontalAdvance(w) for w in self._full.split()), default=0)
            self._measured = (pad_w, pad_h, natural, longest_word, metrics.lineSpacing())
            self._wrapped = {}
        return self._measured

    def _lines_for(self, width: int) -> str:
        pad_w, _, natural, _, _ = self._measures()
        room = max(1, width - pad_w)
        if natural <= room:
            return self._full
        wrapped = self._wrapped.get(room)
        if wrapped is None:
            wrapped = self._wrapped[room] = wrap_lines(self._full, self.fontMetrics(), room)
        return wrapped

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        _, pad_h, _, _, spacing = self._measures()
        lines = self._lines_for(width).count("\n") + 1
        return max(self.minimumHeight(), lines * spacing + pad_h)

    def sizeHint(self) -> QSize:
        pad_w, _, natural, _, _ = self._measures()
        width = natural + pad_w
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        pad_w, _, _, longest_word, _ = self._measures()
        width = max(self.minimumWidth(), longest_word + pad_w)
        return QSize(width, self.heightForWidth(width))

    def _rewrap(self) -> None:
        wrapped = self._lines_for(self.width()) if self.width() > 0 else self._full
        if wrapped != self._base.text(self):
            self._base.setText(self, wrapped)

    def resizeEvent(self, event) -> None:
        self._base.resizeEvent(self, event)
        self._rewrap()

    def changeEvent(self, event) -> None:
        self._base.changeEvent(self, event)
        if event.type() in (QEvent.FontChange, QEvent.StyleChange):  # a theme or large text
            self._measured = None
            if self.isVisible():  # a page still being built is measured once, when shown
                self._rewrap()
                self.updateGeometry()

    def showEvent(self, event) -> None:
        self._rewrap()
        self._base.showEvent(self, event)


class WrapButton(_WrapText, QPushButton):
    """A push button whose label wraps onto more lines when the button is narrower than it."""

    _base = QPushButton

    def __init__(self, text: str) -> None:
        QPushButton.__init__(self, text)
        self._init_wrap(text)


class WrapCheckBox(_WrapText, QCheckBox):
    """A check box whose label wraps onto more lines (a long choice in large text)."""

    _base = QCheckBox

    def __init__(self, text: str) -> None:
        QCheckBox.__init__(self, text)
        self._init_wrap(text)


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit (the header's screen title); text()
    and the accessible name keep the whole of it."""

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, **kwargs)
        self.setProperty("elided", True)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.ElideRight, rect.width())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), shown,
                                  self.foregroundRole())


class ButtonGrid(QWidget):
    """A row (or grid) of buttons that takes as many columns, up to `max_columns`, as their
    words allow at the current width: in large text five choices side by side become one
    under another instead of being squeezed until their words are cut."""

    def __init__(self, max_columns: int = 3, spacing: int = 12) -> None:
        super().__init__()
        self.max_columns, self.spacing = max(1, max_columns), spacing
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        self.buttons: list[QWidget] = []
        self.columns = 0
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, button: QWidget) -> None:
        """Appended in the current column count (the widest a page being built can take); the
        first resize settles how many columns the words allow."""
        self.buttons.append(button)
        columns = self.columns or self.max_columns
        i = len(self.buttons) - 1
        self.grid.addWidget(button, i // columns, i % columns)
        if not self.columns:
            self.columns = columns
            for column in range(self.max_columns):
                self.grid.setColumnStretch(column, 1)
        if self.isVisible():
            self._place(self.columns_for(self.width()))

    def columns_for(self, width: int) -> int:
        if not self.buttons:
            return 1
        needed = max(b.minimumSizeHint().width() for b in self.buttons)
        fit = (width + self.spacing) // (needed + self.spacing)
        columns = max(1, min(self.max_columns, len(self.buttons), fit))
        rows = -(-len(self.buttons) // columns)
        return -(-len(self.buttons) // rows)  # balanced: four smileys go 2 + 2, not 3 + 1

    def _place(self, columns: int) -> None:
        if columns == self.columns and self.grid.count() == len(self.buttons):
            return
        self.columns = columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for i, button in enumerate(self.buttons):
            self.grid.addWidget(button, i // columns, i % columns)
        for column in range(self.max_columns):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        columns = self.columns_for(width)
        column_width = max(1, (width - self.spacing * (columns - 1)) // columns)
        rows = [self.buttons[i:i + columns] for i in range(0, len(self.buttons), columns)]
        heights = [max(b.heightForWidth(column_width) if b.hasHeightForWidth() else b.sizeHint().height()
                       for b in row) for row in rows]
        return sum(heights) + self.spacing * max(0, len(rows) - 1)

    def minimumSizeHint(self) -> QSize:
        width = max((b.minimumSizeHint().width() for b in self.buttons), default=0)
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:
        width = sum(b.sizeHint().width() for b in self.buttons[:self.max_columns])
        width += self.spacing * max(0, min(len(self.buttons), self.max_columns) - 1)
        return QSize(width, self.heightForWidth(width))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place(self.columns_for(event.size().width()))

    def event(self, event) -> bool:
        # a button's size changed (a theme, large text) while the grid kept its width: the
        # columns its words allow are counted again
        if event.type() == QEvent.LayoutRequest and self.width() > 0:
            self._place(self.columns_for(self.width()))
        return super().event(event)


class LinesEdit(QPlainTextEdit):
    """A text box a few lines tall (three; two in large text), not the 192 px Qt gives any
    text box: with the keyboard up, in large text, the whole box must fit above the keys."""

    def __init__(self, lines: int = 3) -> None:
        super().__init__()
        self.lines = lines
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def _shown_lines(self) -> int:
        return max(2, self.lines - 1) if large_text() else self.lines

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        height = self._shown_lines() * self.fontMetrics().lineSpacing() + 2 * int(self.document().documentMargin())
        height += margins.top() + margins.bottom()
        return QSize(super().sizeHint().width(), max(self.minimumHeight(), height))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.StyleChange):
            self.updateGeometry()


def big_button(text: str, accessible: str | None = None, kind: str = "normal") -> QPushButton:
    """A button at least 9 mm each way; QPushButton activates on release; a long label wraps."""
    button = WrapButton(text)
    button.setAccessibleName(accessible or text.replace("\n", " "))
    button.setMinimumHeight(max(MIN_TARGET_PX, 72 if kind == "tile" else MIN_TARGET_PX))
    button.setMinimumWidth(MIN_TARGET_PX)
    button.setProperty("kind", kind)
    button.setAutoDefault(False)
    return button


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("Heading" if level == 1 else "Subheading")
    label.setTextInteractionFlags(Qt.NoTextInteraction)
    return label


def paragraph(text: str, object_name: str = "Body") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName(object_name)
    return label


def vbox(parent: QWidget | None = None, spacing: int = 12) -> QVBoxLayout:
    layout = QVBoxLayout(parent)
    layout.setSpacing(spacing)
    return layout


def qr_pixmap(text: str, size: int = 220) -> QPixmap:
    """The receipt's QR, drawn from qrcode's module matrix (the same data the printer prints)."""
    from server_sync.protocol.qr import screen_qr

    matrix = screen_qr(text).get_matrix()
    n = len(matrix)
    image = QImage(n, n, QImage.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawPoint(x, y)
    painter.end()
    return QPixmap.fromImage(image.scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation))


def clear_layout(layout) -> None:
    """Remove every item now (hidden at once, deleted later) so stale rows are never seen or tapped."""
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.hide()
            w.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


SMILEY_COLOURS = {1: "#c62828", 2: "#ef6c00", 3: "#7cb342", 4: "#2e7d32"}


def smiley_icon(score: int, size: int = 96):
    """A face drawn with QPainter (no emoji font needed on the Pi): 1 = very unhappy … 4 = very happy."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QBrush, QIcon, QPainterPath, QPen

    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(QColor("#1a1a1a"), size * 0.04))
    p.setBrush(QBrush(QColor(SMILEY_COLOURS[score])))
    m = size * 0.05
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    p.setBrush(QBrush(QColor("#1a1a1a")))
    for x in (0.36, 0.64):
        p.drawEllipse(QPointF(size * x, size * 0.4), size * 0.055, size * 0.055)
    p.setBrush(Qt.NoBrush)
    p.setPen(QPen(QColor("#1a1a1a"), size * 0.06, Qt.SolidLine, Qt.RoundCap))
    curve = {1: -0.16, 2: -0.07, 3: 0.07, 4: 0.16}[score]  # mouth: frown … smile
    path = QPainterPath(QPointF(size * 0.3, size * 0.68))
    path.quadTo(QPointF(size * 0.5, size * (0.68 + 2 * curve)), QPointF(size * 0.7, size * 0.68))
    p.drawPath(path)
    p.end()
    return QIcon(pixmap)


def show_rows(layout) -> None:
    """Show rows added to a visible page now, not on Qt's next event-loop pass (keypad and speech see them at once)."""
    for i in range(layout.count()):
        w = layout.itemAt(i).widget()
        if w is not None and w.isHidden() and w.parentWidget() is not None and w.parentWidget().isVisible():
            w.show()
