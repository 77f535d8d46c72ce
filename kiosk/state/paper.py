"""What the kiosk prints, as `hardware.printer.Receipt` blocks: the citizen's receipt (the one paper
layout; the receipt screen shows the same content) and maintenance mode's test page. No widgets:
the state prints once the outcome of a submission is known (`KioskState`), the app wires the printer."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.state.kiosk_state import KioskState, ReceiptData


def check_page_receipt(lines: list[tuple[str, str]], qr: str):
    """The maintenance test page on paper: the lines its screen shows (KioskState.check_page), the QR."""
    from hardware.printer import Receipt

    labels = {"code_page": "Кодова страница / Code page", "cyrillic": "Кирилица / Cyrillic",
              "euro": "Евро / Euro", "terminal": "Терминал / Terminal", "time": "Час / Time"}
    r = Receipt().title("Пробен печат / Test print").separator()
    for key, value in lines:
        r.kv(labels.get(key, key), value)
    return r.qr(qr, caption=qr).cut()


def printable_receipt(receipt: "ReceiptData", state: "KioskState"):
    """The receipt on paper, as `hardware.printer.Receipt` blocks: the one paper layout of the kiosk
    (the receipt screen shows the same content). What was filed, where, by when it is answered,
    how to track it (number, code, QR) and whom to call."""
    from hardware.printer import Receipt
    from kiosk.state.tracking import tracking_qr_text

    bg = state.language != "en"
    r = Receipt().title(state.municipality_name() or ("Община" if bg else "Municipality"))
    r.separator().bold(receipt.title)
    if receipt.kind == "signal":
        r.text(("Приет за информация: подаден без лична карта, по него не се образува производство "
                "и не се изпраща отговор (АПК, чл. 111)." if bg else
                "Accepted as information: filed without an ID card, no proceedings are opened and no "
                "answer is sent (Administrative Procedure Code, art. 111).") if receipt.information_only else
               ("Официален сигнал, подаден с лична карта." if bg else "Official signal, filed with an ID card."))
    if receipt.place:
        r.kv("Място" if bg else "Place", receipt.place)
    r.kv("Входящ номер" if bg and receipt.official else "Incoming number" if receipt.official
         else "Номер (временен)" if bg else "Reference (provisional)", receipt.reference, bold=True)
    if receipt.tracking_code:
        r.kv("Код за проследяване" if bg else "Tracking code", receipt.tracking_code, bold=True)
    r.kv("Дата и час" if bg else "Date and time", receipt.created_at.astimezone().strftime("%d.%m.%Y %H:%M"))
    if receipt.fee_eur:
        r.kv("Такса" if bg else "Fee", receipt.fee_eur)
    if receipt.deadline:
        r.kv("Срок" if bg else "Deadline", receipt.deadline)
    if receipt.due is not None:
        r.kv("Отговор до" if bg else "Answer due by", receipt.due.strftime("%d.%m.%Y"), bold=True)
    if receipt.office:
        r.kv("Подадено в" if bg else "Filed at", receipt.office)
    if not receipt.official:
        r.text("Заявлението е записано и ще бъде изпратено автоматично." if bg
               else "Your request is saved and will be sent automatically.")
    r.separator()
    if receipt.reference != "TEST":
        r.qr(tracking_qr_text(state, receipt), caption="Проследете заявлението си" if bg else "Track your request")
        r.text("Проследяване: с номера и кода на киоска или на адреса от QR кода." if bg
               else "Tracking: with the number and the code on a kiosk, or at the QR code's address.", align="center")
    if receipt.hotline:
        r.text(("Телефон за справки — " if bg else "Questions — ") + receipt.hotline, align="center")
    return r.blank().cut()
