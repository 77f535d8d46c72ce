"""Optional touch face of a satisfaction terminal: drawn smileys, a follow-up question, then "Благодарим!"."""

from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.gui_gc import pin_gc_to_gui_thread
from terminal_feedback.config import FeedbackConfig
from terminal_feedback.terminal import FeedbackTerminal, PressOutcome

__all__ = ["SmileyButton", "FeedbackFace", "run_face", "TEXTS", "DEFAULT_LANG"]

DEFAULT_LANG = "bg"  # each citizen starts in it: the last one's English is not the next one's

TEXTS = {
    "bg": {
        "question": "Доволни ли сте от обслужването?",
        "skip": "Пропусни",
        "thanks": "Благодарим!",
        "thanks_detail": "Вашето мнение е записано.",
        "error": "Отговорът не можа да бъде записан. Моля, кажете на служител.",
        "language": "English",
        "scores": {1: "Много недоволен", 2: "Недоволен", 3: "Доволен", 4: "Много доволен", 5: "Отлично"},
    },
    "en": {
        "question": "How satisfied were you with our service?",
        "skip": "Skip",
        "thanks": "Thank you!",
        "thanks_detail": "Your answer has been saved.",
        "error": "Your answer could not be saved. Please tell a member of staff.",
        "language": "Български",
        "scores": {1: "Very unhappy", 2: "Unhappy", 3: "Happy", 4: "Very happy", 5: "Excellent"},
    },
}

# Red → green, readable for red–green colour blindness too because the mouth shape differs.
_COLOURS = {3: ["#d7301f", "#fdae61", "#1a9850"], 4: ["#d7301f", "#fc8d59", "#91cf60", "#1a9850"],
            5: ["#d7301f", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]}


def _score_label(score: int, scale: int, lang: str) -> str:
    labels = TEXTS[lang]["scores"]
    if scale == 3:
        labels = {1: labels[1], 2: labels[3], 3: labels[4]}
    return labels[score]


class SmileyButton(QAbstractButton):
    """A large smiley painted with QPainter (no emoji font needed); the mouth bends with the score."""

    def __init__(self, score: int, scale: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score, self.scale = score, scale
        self.setFocusPolicy(Qt.StrongFocus)
        self.setCursor(Qt.PointingHandCursor)
        self.setMinimumSize(QSize(120, 120))

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def curvature(self) -> float:
        """−1 (deep frown) … +1 (broad smile)."""
        return -1.0 + 2.0 * (self.score - 1) / (self.scale - 1)

    def paintEvent(self, _event) -> None:
        side = min(self.width(), self.height()) - 8
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        face = QColor(_COLOURS[self.scale][self.score - 1])
        if self.isDown():
            face = face.darker(130)
        p.setPen(QPen(QColor("#202020"), max(3.0, side * 0.03)))
        p.setBrush(face)
        p.drawEllipse(rect)
        eye = side * 0.07
        for dx in (-0.17, 0.17):
            p.setBrush(QColor("#202020"))
            p.drawEllipse(QPointF(rect.center().x() + dx * side, rect.top() + side * 0.38), eye / 2, eye / 2)
        bend = self.curvature() * side * 0.14
        y = rect.top() + side * 0.66
        path = QPainterPath(QPointF(rect.center().x() - side * 0.22, y - bend / 2))
        path.quadTo(QPointF(rect.center().x(), y + bend * 1.2), QPointF(rect.center().x() + side * 0.22, y - bend / 2))
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor("#202020"), max(4.0, side * 0.05), Qt.SolidLine, Qt.RoundCap))
        p.drawPath(path)
        if self.hasFocus():
            p.setPen(QPen(QColor("#0050c8"), 4, Qt.DashLine))
            p.drawRect(self.rect().adjusted(2, 2, -2, -2))
        p.end()


class FeedbackFace(QWidget):
    """Smileys → (optional) follow-up question → thank you; each answer goes through `terminal.press`.

    The press is written the moment a smiley is touched; the follow-up answer, if any, is attached
    to it afterwards (`terminal.attach_reason`), so a power cut during the question loses only the
    answer. "Благодарим!" is shown only once the press is durable.
    """

    answered = Signal(int, str)  # score, reason ("" when none) — after the durable write

    # A touch (or key) on the smileys page: the citizen is still there, their language stays.
    _PRESENCE = (QEvent.MouseButtonPress, QEvent.TouchBegin, QEvent.KeyPress)

    def __init__(self, config: FeedbackConfig, terminal: FeedbackTerminal, *, question_timeout_ms: int = 15000,
                 language_timeout_ms: int = 45000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config, self.terminal = config, terminal
        self.lang = DEFAULT_LANG
        self._pressed: PressOutcome | None = None  # written, its follow-up question on screen
        self.setAccessibleName("Оценка на обслужването")
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        big = QFont()
        big.setPointSize(28)
        big.setBold(True)
        # The buttons' words are as readable as the titles (Qt's default, about 9 pt, is not).
        button_font = QFont()
        button_font.setPointSize(22)
        button_font.setBold(True)

        # Page 0: the smileys.
        page = QWidget()
        v = QVBoxLayout(page)
        self.title = QLabel(alignment=Qt.AlignCenter, wordWrap=True)
        self.title.setFont(big)
        v.addWidget(self.title)
        row = QHBoxLayout()
        self.smileys = [SmileyButton(score, config.scale) for score in range(1, config.scale + 1)]
        for button in self.smileys:
            button.clicked.connect(lambda _=False, s=button.score: self._chose(s))
            row.addWidget(button)
        v.addLayout(row, 1)
        self.language_button = QPushButton()
        self.language_button.setFont(button_font)
        self.language_button.setMinimumSize(QSize(220, 60))
        self.language_button.clicked.connect(self.toggle_language)
        v.addWidget(self.language_button, 0, Qt.AlignRight)
        self.stack.addWidget(page)
        for widget in (page, *page.findChildren(QWidget)):
            widget.installEventFilter(self)

        # Page 1: the follow-up question.
        page = QWidget()
        v = QVBoxLayout(page)
        self.follow_label = QLabel(alignment=Qt.AlignCenter, wordWrap=True)
        self.follow_label.setFont(big)
        v.addWidget(self.follow_label)
        grid = QGridLayout()
        self.answer_buttons: list[QPushButton] = []
        answers = config.follow_up.answers if config.follow_up else ()
        for index, answer in enumerate(answers):
            button = QPushButton()
            button.setFont(button_font)
            button.setMinimumHeight(80)
            button.clicked.connect(lambda _=False, a=answer.id: self._finish(a))
            grid.addWidget(button, index // 2, index % 2)
            self.answer_buttons.append(button)
        v.addLayout(grid, 1)
        self.skip_button = QPushButton()
        self.skip_button.setFont(button_font)
        self.skip_button.setMinimumHeight(60)
        self.skip_button.clicked.connect(lambda: self._finish(None))
        v.addWidget(self.skip_button)
        self.stack.addWidget(page)

        # Page 2: thank you (or the error).
        page = QWidget()
        v = QVBoxLayout(page)
        self.thanks_label = QLabel(alignment=Qt.AlignCenter, wordWrap=True)
        self.thanks_label.setFont(big)
        self.thanks_detail = QLabel(alignment=Qt.AlignCenter, wordWrap=True)
        detail_font = QFont(button_font)  # the buttons' size: a pensioner reads it without leaning in
        detail_font.setBold(False)
        self.thanks_detail.setFont(detail_font)
        v.addStretch(1)
        v.addWidget(self.thanks_label)
        v.addWidget(self.thanks_detail)
        v.addStretch(1)
        self.stack.addWidget(page)

        self._back = QTimer(self, singleShot=True, interval=int(config.thanks_s * 1000))
        self._back.timeout.connect(self.reset)
        self._question_timeout = QTimer(self, singleShot=True, interval=question_timeout_ms)
        self._question_timeout.timeout.connect(lambda: self._finish(None))
        # English chosen, then nobody rated: the next citizen must not find the face in English.
        self._language_idle = QTimer(self, singleShot=True, interval=language_timeout_ms)
        self._language_idle.timeout.connect(self._language_left)
        self.retranslate()

    # --- state -------------------------------------------------------------------------------

    def page(self) -> str:
        return ("smileys", "question", "thanks")[self.stack.currentIndex()]

    def reset(self) -> None:
        """Back to the smileys in the default language, for the next citizen."""
        self._pressed = None
        self._language_idle.stop()
        self.stack.setCurrentIndex(0)
        if self.lang != DEFAULT_LANG:
            self.lang = DEFAULT_LANG
            self.retranslate()
        self.smileys[0].setFocus()

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "bg" else "bg"
        self.retranslate()
        self._watch_language()

    def _watch_language(self) -> None:
        """(Re)start the wait while the smileys page shows a language other than the default."""
        if self.page() == "smileys" and self.lang != DEFAULT_LANG:
            self._language_idle.start()
        else:
            self._language_idle.stop()

    def _language_left(self) -> None:
        """Nobody touched the smileys page for a while: back to the default language."""
        if self.page() != "smileys" or self.lang == DEFAULT_LANG:
            return
        if any(button.isDown() for button in (*self.smileys, self.language_button)):
            self._language_idle.start()  # a finger is on a button: its press is not disturbed
            return
        self.lang = DEFAULT_LANG
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._PRESENCE and self._language_idle.isActive():
            self._language_idle.start()
        return False  # only watched: the press goes on to its button, undelayed

    def retranslate(self) -> None:
        t = TEXTS[self.lang]
        self.title.setText(t["question"])
        for button in self.smileys:
            label = _score_label(button.score, self.config.scale, self.lang)
            button.setAccessibleName(label)
            button.setToolTip(label)
        self.language_button.setText(t["language"])
        self.language_button.setAccessibleName(t["language"])
        follow = self.config.follow_up
        if follow is not None:
            self.follow_label.setText(follow.question_bg if self.lang == "bg" else follow.question_en)
            for button, answer in zip(self.answer_buttons, follow.answers):
                text = answer.bg if self.lang == "bg" else answer.en
                button.setText(text)
                button.setAccessibleName(text)
        self.skip_button.setText(t["skip"])
        self.skip_button.setAccessibleName(t["skip"])
        if self.page() == "thanks" and self.thanks_label.property("error") is not True:
            self.thanks_label.setText(t["thanks"])
            self.thanks_detail.setText(t["thanks_detail"])

    def _chose(self, score: int) -> None:
        if self.page() != "smileys":
            return
        self._language_idle.stop()  # the citizen rated: the thank-you page resets the language
        outcome = self.terminal.press(score, source="touch")
        follow = self.config.follow_up
        if outcome.durable and follow is not None and score <= follow.ask_at_or_below:
            self._pressed = outcome
            self.stack.setCurrentIndex(1)
            self._question_timeout.start()
            if self.answer_buttons:
                self.answer_buttons[0].setFocus()
        else:
            self._thank(outcome, None)

    def _finish(self, reason: str | None) -> None:
        """The question answered, skipped or left: attach the answer to the press already stored."""
        self._question_timeout.stop()
        outcome, self._pressed = self._pressed, None
        if outcome is None:
            return
        if reason is not None:
            self.terminal.attach_reason(outcome, reason)
        self._thank(outcome, reason)

    def _thank(self, outcome: PressOutcome, reason: str | None) -> None:
        score = outcome.press.score
        t = TEXTS[self.lang]
        self.thanks_label.setProperty("error", not outcome.durable)
        if outcome.durable:
            self.thanks_label.setText(t["thanks"])
            self.thanks_detail.setText(t["thanks_detail"])
            self.answered.emit(score, reason or "")
        else:
            self.thanks_label.setText(t["error"])
            self.thanks_detail.setText("")
        self.stack.setCurrentIndex(2)
        self._back.start()


def run_face(config: FeedbackConfig, terminal: FeedbackTerminal, stop: threading.Event,
             *, windowed: bool = False, on_start: Callable[[FeedbackFace], None] | None = None,
             on_tick: Callable[[], None] | None = None) -> None:
    """Show the face full screen until `stop` is set (SIGTERM) or the window closes. `on_tick` runs
    on the GUI thread every 250 ms (the systemd watchdog: a hung event loop stops petting it)."""
    app = QApplication.instance() or QApplication([])
    pin_gc_to_gui_thread()  # GPIO callbacks run on gpiozero's threads: no collection there
    face = FeedbackFace(config, terminal)
    face.setWindowTitle("е-Община — оценка")
    face.show() if windowed else face.showFullScreen()
    face.reset()
    watcher = QTimer(interval=250)
    watcher.timeout.connect(lambda: app.quit() if stop.is_set() else None)
    if on_tick is not None:
        watcher.timeout.connect(on_tick)
    watcher.start()
    if on_start is not None:
        on_start(face)
    app.exec()
    stop.set()
