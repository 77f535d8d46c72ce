"""After every flow: the four smileys (how was it?), kept as this kiosk's feedback."""

from __future__ import annotations

from PySide6.QtCore import QSize

from kiosk.views.base import Screen
from kiosk.views.widgets import (
    ButtonGrid,
    big_button,
    heading,
    paragraph,
    smiley_icon,
)


class FeedbackScreen(Screen):
    """Four smileys after every flow; a press is stored as this kiosk's feedback."""

    SCORES = (1, 2, 3, 4)
    allow_back = False

    def __init__(self, state, service_id: str | None = None) -> None:
        super().__init__()
        self.state, self.service_id = state, service_id
        layout = self.frame((48, 32, 48, 32), 24)
        layout.addWidget(heading(self.tr("How was it?")))
        row = ButtonGrid(max_columns=4, spacing=16)
        names = [self.tr("Very bad"), self.tr("Bad"), self.tr("Good"), self.tr("Very good")]
        self.face_buttons = []
        for score, name in zip(self.SCORES, names):
            b = big_button(name, name, kind="smiley")
            b.setIcon(smiley_icon(score))
            b.setIconSize(QSize(96, 96))
            b.setMinimumHeight(150)
            b.clicked.connect(lambda _=False, s=score: self.press(s))
            self.face_buttons.append(b)
            row.add(b)
        layout.addWidget(row)
        self.thanks = paragraph("", "Notice")
        self.thanks.hide()
        layout.addWidget(self.thanks)
        layout.addStretch(1)
        # "Друго" beside "Край" reads plainly; heard alone it needs where it leads
        menu = big_button(self.tr("Something else"), self.tr("Something else: to the start screen"))
        menu.clicked.connect(lambda: self.navigate.emit("welcome", {}))
        finish = big_button(self.tr("Finish"), self.tr("Finish and clear my data"), kind="primary")
        finish.clicked.connect(state.session.end)
        self.add_footer(menu)
        self.add_footer(finish)

    def press(self, score: int) -> None:
        for b in self.face_buttons:
            b.setEnabled(False)
        self.state.record_press(score, self.service_id)
        self.thanks.setText(self.tr("Thank you for your opinion!"))
        self.thanks.show()
        self.announce.emit(self.thanks.text(), False)

    def title_text(self) -> str:
        return self.tr("Your opinion")

    def instructions_text(self) -> str:
        return self.tr("How was it? Touch one of the four faces, from very bad to very good.")
