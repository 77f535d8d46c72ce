"""The header's accessibility marks: the speech-mode indicator (EN 301 549 5.6) and the
high-contrast and large-text switches a low-vision citizen uses by touch (5.2).

The window puts them in its header; the accessibility controller connects the switches to its
own toggles and tells them what to show (`show_state`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QWidget

from kiosk.a11y.describe import PROP_SKIP
from kiosk.a11y.strings import phrase

__all__ = ["A11ySwitches"]


class A11ySwitches(QObject):
    """The indicator and the two switches. Without a header (`floating`) the indicator sits in
    the window's top-left corner and contrast and large text are shown in it as words."""

    contrast_pressed = Signal()
    large_text_pressed = Signal()

    def __init__(self, window: QWidget, layout: QBoxLayout | None = None, at: int = 0) -> None:
        super().__init__(window)
        self.indicator = QLabel(objectName="a11yIndicator")
        self.indicator.setProperty(PROP_SKIP, True)  # it shows what speech mode says anyway
        self.indicator.hide()  # everything here waits for the controller's first show_state
        self.contrast_button: QPushButton | None = None
        self.large_text_button: QPushButton | None = None
        if layout is None:
            self.indicator.setParent(window)
            self.indicator.move(8, 8)
            self.indicator.raise_()
            return
        self.contrast_button = QPushButton(objectName="a11yContrastButton")
        self.large_text_button = QPushButton(objectName="a11yLargeTextButton")
        for button, pressed in ((self.contrast_button, self.contrast_pressed),
                                (self.large_text_button, self.large_text_pressed)):
            button.setCheckable(True)
            button.hide()
            button.clicked.connect(lambda _=False, s=pressed: s.emit())
        layout.insertWidget(at, self.indicator)
        layout.insertWidget(at + 1, self.contrast_button)
        layout.insertWidget(at + 2, self.large_text_button)

    def show_state(self, lang: str, speech_mode: bool, headset: bool, high_contrast: bool,
                   large_text: bool) -> None:
        marks = []
        if speech_mode:
            marks.append(phrase(lang, "ind_speech") + (" 🎧" if headset else ""))
        # contrast and large text show on their own (checked) switches when those exist
        if high_contrast and self.contrast_button is None:
            marks.append(phrase(lang, "ind_contrast"))
        if large_text and self.large_text_button is None:
            marks.append(phrase(lang, "ind_large"))
        self.indicator.setText(" · ".join(marks))
        self.indicator.setAccessibleName(phrase(lang, "ind_name"))
        self.indicator.setVisible(bool(marks))
        for button, key, on in ((self.contrast_button, "btn_contrast", high_contrast),
                                (self.large_text_button, "btn_large", large_text)):
            if button is not None:
                # in large text the header has no room for words; the name stays spoken
                button.setText(phrase(lang, key).split()[0] if large_text else phrase(lang, key))
                button.setAccessibleName(phrase(lang, f"{key}_name"))
                button.blockSignals(True)
                button.setChecked(on)
                button.blockSignals(False)
                button.show()
