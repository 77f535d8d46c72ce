"""After filing: the receipt (what was filed, the number, the code and QR, how it was printed)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

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
from server_sync.protocol.qr import screen_qr

QR_SIZE_PX = 220
# the QR when nothing was printed: big enough for a phone's camera from a step back
QR_LARGE_PX = 320
# the smallest QR put beside the number (still ≈ 4 cm on a 10" panel): narrower room puts it under
QR_MIN_PX = 160
# room between the text and the QR beside it
QR_GAP_PX = 24


class ReceiptScreen(Screen):
    """What was filed, the number (or provisional reference), the tracking code and QR, the place,
    the day the answer is due, where it was filed and whom to call — the printed receipt's content
    (`kiosk.state.paper.printable_receipt`). The state prints the receipt when the submission's outcome is
    known; this screen only shows how that went (it is rebuilt after a language switch, and must
    not print again). Without a printed receipt the number is shown large, with a large QR code
    to photograph, and "Read the number aloud" says it.

    The number, the code and the QR are on screen as it opens, on every panel, in large text too
    (`_arrange`): the heading and the caption stand above the number only where they leave room
    for it; the QR shrinks (not below QR_MIN_PX) to stand beside the number; all else follows."""

    allow_back = False

    def __init__(self, state, receipt, service_id: str | None = None) -> None:
        super().__init__()
        # `receipt` is the one printed (the printer's outcome is looked up by it); the screen says it in
        # the kiosk's language now — rebuilt after a language switch, it is all in the new language
        self.state, self.receipt, self.service_id = state, receipt, service_id
        self.shown = receipt = state.receipt_in_language(receipt)
        self.page = page = self.frame((32, 16, 32, 16), 10)
        self.printer_label = paragraph(self.tr("Printing your receipt…"), "Notice")
        if receipt.kind == "signal":
            self.heading_label = heading(self.tr("Your signal is registered") if receipt.official else self.tr("Your signal is saved"))
        elif receipt.official:
            self.heading_label = heading(self.tr("Your request is registered"))
        else:
            self.heading_label = heading(self.tr("Your request is saved"))
        if receipt.official:
            self._caption = self.tr("Incoming number:")
            self.caption_label = paragraph(self._caption, "FieldLabel")
        else:
            self._caption = self.tr("There is no connection to the municipality right now. It will be sent automatically. "
                                    "Your reference number (valid for tracking):")
            self.caption_label = paragraph(self._caption, "Notice")
        self.number_label = QLabel(receipt.reference)
        self.number_label.setObjectName("ReceiptNumber")
        self.number_label.setTextInteractionFlags(Qt.NoTextInteraction)
        self.number_label.setWordWrap(True)
        self.code_label = None
        if receipt.tracking_code:
            self.code_label = paragraph(self.tr("Tracking code: {code}").format(code=receipt.tracking_code), "ReceiptCode")
            # reached by keypad, the code is spelled as the screen's opening announcement spells it
            from kiosk.a11y.spoken_numbers import reference

            self.code_label.setProperty("spoken_text", self.tr("Tracking code {code}.").format(
                code=reference(receipt.tracking_code, state.language)))  # kiosk.a11y.describe.PROP_SPOKEN_TEXT
        # what the paper says besides: under the number and the code
        details = [paragraph(receipt.title, "FieldLabel")]
        if receipt.kind == "signal":
            self.standing_label = paragraph(
                self.tr("Accepted as information: filed without an ID card, so no proceedings are opened and no answer "
                        "is sent (АПК, art. 111).") if receipt.information_only else
                self.tr("An official signal, filed with your ID card: the municipality answers it."), "Notice")
            details.append(self.standing_label)
        if receipt.place:
            details.append(paragraph(self.tr("Place: {place}").format(place=receipt.place)))
        local = receipt.created_at.astimezone()
        details.append(paragraph(self.tr("Date and time: {when}").format(when=local.strftime("%d.%m.%Y %H:%M"))))
        if receipt.fee_eur:
            details.append(paragraph(self.tr("Fee: {fee}").format(fee=receipt.fee_eur)))
        if receipt.deadline:
            details.append(paragraph(self.tr("Deadline: {deadline}").format(deadline=receipt.deadline)))
        if receipt.due is not None:
            details.append(paragraph(self.tr("Answer due by: {date}").format(date=receipt.due.strftime("%d.%m.%Y")), "FieldLabel"))
        if receipt.office:
            details.append(paragraph(self.tr("Filed at: {office}").format(office=receipt.office)))
        details.append(paragraph(self.tr("Track it with the number and the code on a kiosk, or with the QR code.")))
        if receipt.hotline:
            details.append(paragraph(self.tr("Questions: {hotline}").format(hotline=receipt.hotline)))
        self.details = details
        self.qr_label = QLabel()
        self.qr_label.setAccessibleName(self.tr("QR code for tracking this request"))
        self._qr_text = tracking_qr_text(state, receipt)
        self._qr_modules = len(screen_qr(self._qr_text).get_matrix())
        self._qr_nominal, self._qr_px = QR_SIZE_PX, 0
        # the top: a text column (the number first of all) with the QR beside it; then, in large
        # text or where the QR is under the number, the rest at the body's full width
        self.top_row = QHBoxLayout()
        self.top_row.setSpacing(QR_GAP_PX)
        self.column = vbox(None, 8)
        self.top_row.addLayout(self.column, 1)
        self.below = vbox(None, 8)
        page.addLayout(self.top_row)
        page.addLayout(self.below)
        page.addStretch(1)
        for widget in (self.heading_label, self.caption_label, self.number_label, self.code_label,
                       self.printer_label, *details, self.qr_label):
            if widget is not None:
                widget.setParent(self.body)
        self._plan = None
        self._arrange()
        after_style_change(self, self._arrange)
        self.body_scroll.installEventFilter(self)  # a taller footer (large text) leaves less room
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
        printed = state.print_outcome(self.receipt)
        if printed is not None:  # already known (the screen rebuilt in another language): shown, not announced again
            self._show_printer(printed)
        elif state.printer_ready is False:  # known before filing: no paper, the number is what counts
            self._show_large()
        state.printer_status.connect(self._on_printer)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.body_scroll and event.type() == QEvent.Resize:
            self._arrange()
        return False

    @staticmethod
    def _height(widgets: list[QWidget], width: int, spacing: int) -> int:
        """How tall `widgets` stand one under the other in a column `width` wide."""
        heights = [w.heightForWidth(width) if w.hasHeightForWidth() else w.sizeHint().height() for w in widgets]
        return sum(heights) + spacing * max(0, len(widgets) - 1)

    def _qr_sizes(self, largest: int) -> list[int]:
        """The QR's sizes to try beside the number, largest first: its own size if there is room,
        else whole pixels per module (a sharp code), not below QR_MIN_PX."""
        if largest >= self._qr_nominal:
            return [self._qr_nominal]
        m = self._qr_modules
        sizes = [k * m for k in range(largest // m, 0, -1) if k * m >= QR_MIN_PX]
        return sizes or ([largest] if largest >= QR_MIN_PX else [])

    def _arrange(self) -> None:
        """Lay the body out for the room its scroll area has now, the number and the code first:
        the QR beside them (as large as the width beside the number allows, else under them), the
        heading and the caption above them where all of it fits the visible height — else under
        the code (an offline reference's long caption then ends with the number) — and the QR
        made smaller, not below QR_MIN_PX, rather than either goes under."""
        if not self.number_label.text():  # blanked as the screen goes (clear_all_text): it stays blank
            return
        scroll, margins = self.body_scroll, self.page.contentsMargins()
        self.caption_label.setText(self._caption)  # measured as it stands above the number
        for widget in (self.heading_label, self.caption_label, self.number_label, self.code_label):
            if widget is not None:
                widget.ensurePolished()
        # the width beside a scroll bar (shown or not: the plan must not flip as it comes and goes)
        width = scroll.width() - scroll.verticalScrollBar().sizeHint().width() - margins.left() - margins.right()
        room = scroll.height() - margins.top()
        number = self.number_label
        number_width = (number.fontMetrics().horizontalAdvance(number.text())
                        + number.contentsMargins().left() + number.contentsMargins().right() + 2)
        key = [w for w in (self.number_label, self.code_label) if w is not None]
        spacing = self.column.spacing()
        heading_, caption = self.heading_label, self.caption_label
        # the official number's caption ("Incoming number:") always stands above it
        choices = ([[heading_, caption], [caption]] if self.receipt.official else
                   [[heading_, caption], [heading_], []])
        sizes = self._qr_sizes(min(width - number_width - QR_GAP_PX, room))
        beside = bool(sizes)
        plans = [(c, q) for c in choices for q in sizes] or [(c, 0) for c in choices]

        def fits(choice, qr):
            column_width = width - qr - QR_GAP_PX if qr else width
            return self._height(choice + key, column_width, spacing) <= room

        above, qr = next((p for p in plans if fits(*p)), plans[-1])
        if not beside:
            qr = max(QR_MIN_PX, min(self._qr_nominal, width))
        under = [w for w in (heading_, caption) if w not in above]
        rest = under + [self.printer_label] + self.details
        if not beside:
            lead, below = above + key, [self.qr_label] + rest
        elif large_text():
            lead, below = above + key, rest
        else:
            lead, below = above + key + rest, []
        if caption not in above:  # its colon is not over the number: the caption says it
            self.caption_label.setText(f"{self._caption} {self.receipt.reference}")
        if qr != self._qr_px:
            self._qr_px = qr
            self.qr_label.setPixmap(qr_pixmap(self._qr_text, qr))
            self.qr_label.setFixedSize(qr, qr)
        plan = (tuple(map(id, lead)), tuple(map(id, below)), beside)
        if plan == self._plan:
            return
        self._plan = plan
        # removeWidget deletes each widget's layout item: a live one (takeAt's) would keep the
        # new item from learning that the widget's height changed (a label cut off)
        for layout in (self.column, self.below):
            for widget in [layout.itemAt(i).widget() for i in range(layout.count())]:
                layout.removeWidget(widget)
        self.top_row.removeWidget(self.qr_label)
        for widget in lead:
            self.column.addWidget(widget)
        if beside:
            self.top_row.addWidget(self.qr_label, 0, Qt.AlignTop)
        for widget in below:
            if widget is self.qr_label:
                self.below.addWidget(widget, 0, Qt.AlignLeft)
            else:
                self.below.addWidget(widget)

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
        self._qr_nominal = QR_LARGE_PX
        self._arrange()

    def read_number_aloud(self) -> None:
        """Said even outside speech mode: the citizen asked for it (`Screen.read_aloud`)."""
        self.read_aloud.emit(self.spoken_summary())

    def spoken_summary(self) -> str:
        r = self.shown
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
        if self.state.print_outcome(self.receipt) is False:  # known before the screen showed: said with it
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
