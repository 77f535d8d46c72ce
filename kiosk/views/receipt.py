"""After filing: the receipt (what was filed, the number, the code and QR, how it was printed)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel

from kiosk.state.tracking import tracking_qr_text
from kiosk.views.base import Screen
from kiosk.views.widgets import (
    after_style_change,
    big_button,
    heading,
    large_text,
    paragraph,
    qr_pixmap,
    vbox,
)

QR_SIZE_PX = 220
# the QR when nothing was printed: big enough for a phone's camera from a step back
QR_LARGE_PX = 320


class ReceiptScreen(Screen):
    """What was filed, the number (or provisional reference), the tracking code and QR, the place,
    the day the answer is due, where it was filed and whom to call — the printed receipt's content
    (`kiosk.state.paper.printable_receipt`). The state prints the receipt when the submission's outcome is
    known; this screen only shows how that went (it is rebuilt after a language switch, and must
    not print again). Without a printed receipt the number is shown large, with a large QR code
    to photograph, and "Read the number aloud" says it."""

    allow_back = False

    def __init__(self, state, receipt, service_id: str | None = None) -> None:
        super().__init__()
        self.state, self.receipt, self.service_id = state, receipt, service_id
        page = self.frame((32, 16, 32, 16), 10)
        self.printer_label = paragraph(self.tr("Printing your receipt…"), "Notice")
        # the QR beside the text; under it in large text, where a large number and a large QR
        # side by side are wider than the panel
        self.qr_row = row = QBoxLayout(QBoxLayout.LeftToRight)
        text = vbox(None, 8)
        if receipt.kind == "signal":
            text.addWidget(heading(self.tr("Your signal is registered") if receipt.official else self.tr("Your signal is saved")))
        elif receipt.official:
            text.addWidget(heading(self.tr("Your request is registered")))
        else:
            text.addWidget(heading(self.tr("Your request is saved")))
        if receipt.official:
            text.addWidget(paragraph(self.tr("Incoming number:"), "FieldLabel"))
        else:
            text.addWidget(paragraph(self.tr("There is no connection to the municipality right now. It will be sent automatically. "
                                             "Your reference number (valid for tracking):"), "Notice"))
        self.number_label = QLabel(receipt.reference)
        self.number_label.setObjectName("ReceiptNumber")
        self.number_label.setTextInteractionFlags(Qt.NoTextInteraction)
        self.number_label.setWordWrap(True)
        text.addWidget(self.number_label)
        self.code_label = None
        if receipt.tracking_code:
            self.code_label = paragraph(self.tr("Tracking code: {code}").format(code=receipt.tracking_code), "ReceiptCode")
            text.addWidget(self.code_label)
        text.addWidget(paragraph(receipt.title, "FieldLabel"))
        if receipt.kind == "signal":
            self.standing_label = paragraph(
                self.tr("Accepted as information: filed without an ID card, so no proceedings are opened and no answer "
                        "is sent (АПК, art. 111).") if receipt.information_only else
                self.tr("An official signal, filed with your ID card: the municipality answers it."), "Notice")
            text.addWidget(self.standing_label)
        if receipt.place:
            text.addWidget(paragraph(self.tr("Place: {place}").format(place=receipt.place)))
        local = receipt.created_at.astimezone()
        text.addWidget(paragraph(self.tr("Date and time: {when}").format(when=local.strftime("%d.%m.%Y %H:%M"))))
        if receipt.fee_eur:
            text.addWidget(paragraph(self.tr("Fee: {fee}").format(fee=receipt.fee_eur)))
        if receipt.deadline:
            text.addWidget(paragraph(self.tr("Deadline: {deadline}").format(deadline=receipt.deadline)))
        if receipt.due is not None:
            text.addWidget(paragraph(self.tr("Answer due by: {date}").format(date=receipt.due.strftime("%d.%m.%Y")), "FieldLabel"))
        if receipt.office:
            text.addWidget(paragraph(self.tr("Filed at: {office}").format(office=receipt.office)))
        text.addWidget(paragraph(self.tr("Track it with the number and the code on a kiosk, or with the QR code.")))
        if receipt.hotline:
            text.addWidget(paragraph(self.tr("Questions: {hotline}").format(hotline=receipt.hotline)))
        row.addLayout(text, 2)
        self.qr_label = QLabel()
        self.qr_label.setAccessibleName(self.tr("QR code for tracking this request"))
        self.qr_label.setPixmap(qr_pixmap(tracking_qr_text(state, receipt), QR_SIZE_PX))
        row.addWidget(self.qr_label, 1, Qt.AlignTop)
        self._arrange_qr()
        after_style_change(self, self._arrange_qr)
        page.addLayout(row)
        # how the printing went: under the number, where the citizen looks for the paper
        page.addWidget(self.printer_label)
        page.addStretch(1)
        done = big_button(self.tr("Done"), kind="primary")
        done.clicked.connect(lambda: self.navigate.emit("feedback", {"service_id": self.service_id}))
        self.add_footer(done)
        self.say_button = big_button(self.tr("Read the number aloud"))
        self.say_button.clicked.connect(self.read_number_aloud)
        self.add_footer(self.say_button)
        self.again_button = None
        if state.session.identity is not None:
            # the one way on with the same ID card: an explicit choice (the welcome screen and
            # "Something else" end the identity, for the next person may be someone else)
            self.again_button = big_button(self.tr("Another request for me"),
                                           self.tr("Another request for me, with the same ID card"))
            self.again_button.clicked.connect(lambda: self.navigate.emit("welcome", {"keep_identity": True}))
            self.add_footer(self.again_button)
        printed = state.print_outcome(receipt)
        if printed is not None:  # already known (the screen rebuilt in another language): shown, not announced again
            self._show_printer(printed)
        elif state.printer_ready is False:  # known before filing: no paper, the number is what counts
            self._show_large()
        state.printer_status.connect(self._on_printer)

    def _arrange_qr(self) -> None:
        large = large_text()
        self.qr_row.setDirection(QBoxLayout.TopToBottom if large else QBoxLayout.LeftToRight)
        self.qr_row.setAlignment(self.qr_label, Qt.AlignLeft if large else Qt.AlignTop)

    def _on_printer(self, _message: str, _ok: bool) -> None:
        ok = self.state.print_outcome(self.receipt)
        if ok is None:  # another print (a technician's test page), not this receipt
            return
        message = self._show_printer(ok)
        if not ok:
            self.announce.emit(message, False)

    def _show_printer(self, ok: bool) -> str:
        message = (self.tr("The receipt is printed — please take it.") if ok else
                   self.tr("The printer is not working right now. Please write down the number or photograph the QR code."))
        self.printer_label.setText(message)
        self.printer_label.setObjectName("Notice" if ok else "Error")
        self.printer_label.style().polish(self.printer_label)
        if not ok:
            self._show_large()
        return message

    def _show_large(self) -> None:
        """Nothing on paper: the number large and a QR code a phone can photograph."""
        if self.number_label.objectName() == "ReceiptNumberLarge":
            return
        self.number_label.setObjectName("ReceiptNumberLarge")
        self.number_label.style().polish(self.number_label)
        self.qr_label.setPixmap(qr_pixmap(tracking_qr_text(self.state, self.receipt), QR_LARGE_PX))

    def read_number_aloud(self) -> None:
        """Said even outside speech mode: the citizen asked for it (`Screen.read_aloud`)."""
        self.read_aloud.emit(self.spoken_summary())

    def spoken_summary(self) -> str:
        r = self.receipt
        from kiosk.a11y.spoken_numbers import reference

        lang = self.state.language
        # the number and the code character by character in their groups, not as amounts
        parts = [self.tr("Number {number}.").format(number=reference(r.reference, lang))]
        if r.tracking_code:
            parts.append(self.tr("Tracking code {code}.").format(code=reference(r.tracking_code, lang)))
        if r.fee_eur:
            parts.append(self.tr("Fee: {fee}").format(fee=r.fee_eur) + ".")
        if r.deadline:
            parts.append(self.tr("Deadline: {deadline}").format(deadline=r.deadline) + ".")
        if r.due is not None:
            parts.append(self.tr("Answer due by: {date}").format(date=r.due.strftime("%d.%m.%Y")) + ".")
        if self.state.print_outcome(r) is False:  # known before the screen showed: said with it
            parts.append(self.printer_label.text())
        return " ".join(parts)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.announce.emit(self.spoken_summary(), False)

    def wipe(self) -> None:
        try:
            self.state.printer_status.disconnect(self._on_printer)
        except (RuntimeError, TypeError):
            pass

    def title_text(self) -> str:
        return self.tr("Receipt")

    def instructions_text(self) -> str:
        return self.tr("Take your printed receipt. The number and the code are also on the screen.")
