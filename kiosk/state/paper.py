"""What the kiosk prints, as `hardware.printer.Receipt` blocks: the citizen's receipt (the one paper
layout; the receipt screen shows the same content) and maintenance mode's test page. No widgets:
the state prints once the outcome of a submission is known (`KioskState`), the app wires the printer."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.state.kiosk_state import KioskState, ReceiptData


def check_page_receipt(lines: list[tuple[str, str]], qr: str):
    """The maintenance test page on paper: the lines its screen shows (KioskState.check_page), the QR."""
    from PySide6.QtCore import QCoreApplication

    from hardware.printer import Receipt

    # in the kiosk's language, like the maintenance screen that shows the same lines
    labels = {"code_page": QCoreApplication.translate("TestPage", "Code page"),
              "cyrillic": QCoreApplication.translate("TestPage", "Cyrillic"),
              "euro": QCoreApplication.translate("TestPage", "Euro"),
              "terminal": QCoreApplication.translate("TestPage", "Terminal"),
              "time": QCoreApplication.translate("TestPage", "Time")}
    r = Receipt().title(QCoreApplication.translate("TestPage", "Test print")).separator()
    for key, value in lines:
        r.kv(labels.get(key, key), value)
    return r.qr(qr, caption=qr).cut()


def printable_receipt(receipt: "ReceiptData", state: "KioskState"):
    """The receipt on paper, as `hardware.printer.Receipt` blocks: the one paper layout of the kiosk
    (the receipt screen shows the same content). What was filed, where, by when it is answered,
    how to track it (number, code, QR) and whom to call."""
    from PySide6.QtCore import QCoreApplication

    from hardware.printer import Receipt
    from kiosk.state.tracking import tracking_qr_text

    # In the kiosk's language: the Qt catalogue (context "Receipt") is installed for Bulgarian.
    r = Receipt().title(state.municipality_name() or QCoreApplication.translate("Receipt", "Municipality"))
    r.separator().bold(receipt.title)
    if receipt.kind == "signal":
        r.text(QCoreApplication.translate(
            "Receipt", "Accepted as information: filed without an ID card, no proceedings are opened and no "
                       "answer is sent (Administrative Procedure Code, art. 111).") if receipt.information_only else
               QCoreApplication.translate("Receipt", "Official signal, filed with an ID card."))
    if receipt.place:
        r.kv(QCoreApplication.translate("Receipt", "Place"), receipt.place)
    r.kv(QCoreApplication.translate("Receipt", "Incoming number") if receipt.official
         else QCoreApplication.translate("Receipt", "Reference (provisional)"), receipt.reference, bold=True)
    if receipt.tracking_code:
        r.kv(QCoreApplication.translate("Receipt", "Tracking code"), receipt.tracking_code, bold=True)
    r.kv(QCoreApplication.translate("Receipt", "Date and time"),
         receipt.created_at.astimezone().strftime("%d.%m.%Y %H:%M"))
    if receipt.fee_eur:
        r.kv(QCoreApplication.translate("Receipt", "Fee"), receipt.fee_eur)
    if receipt.deadline:
        r.kv(QCoreApplication.translate("Receipt", "Deadline"), receipt.deadline)
    if receipt.due is not None:
        r.kv(QCoreApplication.translate("Receipt", "Answer due by"), receipt.due.strftime("%d.%m.%Y"), bold=True)
    if receipt.office:
        r.kv(QCoreApplication.translate("Receipt", "Filed at"), receipt.office)
    if not receipt.official:
        r.text(QCoreApplication.translate("Receipt", "Your request is saved and will be sent automatically."))
    r.separator()
    if receipt.reference != "TEST":
        r.qr(tracking_qr_text(state, receipt), caption=QCoreApplication.translate("Receipt", "Track your request"))
        r.text(QCoreApplication.translate(
            "Receipt", "Tracking: with the number and the code on a kiosk, or at the QR code's address."),
            align="center")
    if receipt.hotline:
        r.text(QCoreApplication.translate("Receipt", "Questions — ") + receipt.hotline, align="center")
    return r.blank().cut()
