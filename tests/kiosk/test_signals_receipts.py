"""Signals a clerk can act on, receipts that say what happened: where, contact,
official or information; what the receipt says on paper and on screen; the printer's paper known
before filing; the number large, with a QR, read aloud on request."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea
from sqlalchemy import select

from hardware.printer import PaperState
from kiosk.state.backend import Draft
from server_sync.hub.models import ServiceRequest
from tests.hardware.escpos_decoder import decode
from tests.kiosk.test_a11y_eyes_closed import blind  # noqa: F401 (fixture)
from tests.kiosk.test_flows import _file_current_address_request


def _rows(hub):
    with hub.session() as s:
        return list(s.scalars(select(ServiceRequest).order_by(ServiceRequest.id)))


def _printed(kiosk, count: int = 1):
    """The receipt as the paper has it: the ESC/POS bytes decoded, and its QR codes."""
    kiosk.qtbot.waitUntil(lambda: len(kiosk.printer.jobs) >= count, timeout=10000)
    decoded = decode(kiosk.printer.jobs[count - 1])
    return _flat(" ".join(decoded.lines)), [e[1] for e in decoded.of("qr")]


def _flat(text: str) -> str:
    """Text as the printer's code page and line wrapping leave it: plain quotes and dashes, one space."""
    return " ".join(text.translate(str.maketrans({"„": '"', "“": '"', "—": "-", "–": "-"})).split())


def _tick(kiosk, box) -> None:
    """A finger on a check box's box (it reacts on its box and words, not on the row beside them),
    scrolled into view first, as a citizen would."""
    parent = box.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    parent.ensureWidgetVisible(box)
    kiosk.qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(12, box.height() // 2))


def _open_signal(kiosk, category: str = "Улично осветление"):
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    kiosk.tap(category)
    kiosk.type_into(kiosk.screen().description, "Не свети лампата пред блок 5")
    return kiosk.screen()


def test_a_lighting_signal_needs_a_place_and_carries_it_with_a_landmark_and_a_phone(kiosk):
    signal = _open_signal(kiosk)
    assert kiosk.sees("Къде? *")  # the category needs a location: said before it is missed
    kiosk.tap("Продължи")
    assert kiosk.screen_name() == "signal"
    assert kiosk.sees("Къде: изберете място или напишете улицата")
    park = next(p for p in kiosk.state.catalogue.places if p.id == "city-park")
    kiosk.tap(park.name.bg)
    kiosk.type_into(signal.landmark, "до детската площадка")
    kiosk.type_into(signal.phone, "0888 123 456")
    kiosk.tap("Продължи")
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("review")
    assert kiosk.sees("Подава се като: официален сигнал (с лична карта)")
    assert kiosk.sees("Телефон: 0888 123 456")
    assert kiosk.sees(f"Място: {park.name.bg}, до детската площадка")
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    [row] = _rows(kiosk.hub)
    assert row.location == {"place_id": "city-park", "address_text": "до детската площадка", "lat": None, "lon": None} \
        or (row.location["place_id"], row.location["address_text"]) == ("city-park", "до детската площадка")
    assert row.contact == {"phone": "0888 123 456"} and not row.anonymous
    receipt = kiosk.screen().receipt
    due = (row.deadline_at.date() if row.deadline_at else None)
    assert receipt.due is not None and due is not None and abs((receipt.due - due).days) <= 1
    assert date.today() + timedelta(days=58) <= receipt.due <= date.today() + timedelta(days=66)
    paper, qrs = _printed(kiosk)
    office = kiosk.state.office_name()
    for expected in ("Сигнал: Улично осветление", "Официален сигнал, подаден с лична карта",
                     park.name.bg, "до детската площадка", receipt.reference, receipt.tracking_code,
                     "Отговор до", receipt.due.strftime("%d.%m.%Y"), "Подадено в", office,
                     "Телефон за справки", "0700 10 104"):
        assert _flat(expected) in paper, f"{expected!r} not on the receipt:\n{paper}"
    assert qrs and receipt.tracking_code in qrs[0]
    # the screen says the same
    for expected in ("Официален сигнал, подаден с лична карта", f"Място: {park.name.bg}",
                     f"Отговор до: {receipt.due:%d.%m.%Y}", f"Подадено в: {office}", "0700 10 104"):
        assert kiosk.sees(expected), expected


def test_a_signal_without_the_id_card_is_information_on_screen_and_paper(kiosk):
    signal = _open_signal(kiosk)
    kiosk.type_into(signal.address, "ул. Ботев 12")
    _tick(kiosk, signal.anonymous)
    assert signal.anonymous.isChecked()
    assert kiosk.sees("по анонимни сигнали не се образува производство")
    assert not signal.phone.isVisibleTo(kiosk.window)  # nothing personal goes without the card
    kiosk.tap("Продължи")
    kiosk.go("review")
    assert kiosk.sees("Подава се като: само за информация (без лична карта)")
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    assert kiosk.sees("Приет за информация")
    paper, _ = _printed(kiosk)
    assert "Приет за информация" in paper and "Отговор до" not in paper
    [row] = _rows(kiosk.hub)
    assert row.anonymous and row.location["address_text"] == "ул. Ботев 12" and row.contact is None


def test_a_wrong_phone_is_said_before_filing(kiosk):
    signal = _open_signal(kiosk, "Обществен транспорт")  # no location needed here
    kiosk.type_into(signal.phone, "call me")
    kiosk.tap("Продължи")
    assert kiosk.screen_name() == "signal" and kiosk.sees("Телефон: само цифри")


def test_a_service_receipt_says_what_was_filed_when_it_is_due_and_where(kiosk):
    receipt = _file_current_address_request(kiosk)
    assert receipt.title.startswith("Заявление за удостоверение за настоящ адрес"), receipt.title
    assert receipt.due is not None and receipt.due >= date.today()
    paper, qrs = _printed(kiosk)
    assert "Заявление за удостоверение за настоящ адрес" in paper
    assert "Подадено в" in paper and kiosk.state.office_name() in paper
    assert receipt.due.strftime("%d.%m.%Y") in paper and "Телефон за справки" in paper
    assert qrs == [receipt.tracking_url]
    assert kiosk.sees(f"Подадено в: {kiosk.state.office_name()}")


def test_out_of_paper_is_said_before_filing_and_the_number_shows_large_with_a_qr(kiosk):
    kiosk.printer.set_paper(PaperState.OUT)
    kiosk.tap("Сигнал за проблем")
    kiosk.go("signal")
    kiosk.tap("Обществен транспорт")
    kiosk.type_into(kiosk.screen().description, "Автобус 12 не спря на спирката")
    kiosk.tap("Продължи")
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("review")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("В принтера няма хартия"), timeout=5000)
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    screen = kiosk.screen()
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("Принтерът не работи в момента"), timeout=5000)
    assert screen.number_label.objectName() == "ReceiptNumberLarge"
    assert screen.number_label.font().pixelSize() > screen.code_label.font().pixelSize()
    assert screen.qr_label.pixmap().width() >= 300
    assert kiosk.button("Прочети номера на глас").isEnabled()
    assert kiosk.printer.receipts == []


def test_the_number_is_read_aloud_on_request_without_speech_mode(blind):
    c = blind
    c.printer.set_paper(PaperState.OUT)
    state = c.app.state
    c.place_card("valid")
    c.qtbot.waitUntil(lambda: state.session.identity is not None, timeout=5000)
    # the review of a signal, as the signal screen leaves it (its touch path is tested above)
    c.window.show_screen("review", draft=Draft(kind="signal", signal_type="problem", signal_category_id="public-transport",
                                               description="Автобус 12 не спря"))
    review = c.window.current_screen()
    c.qtbot.waitUntil(lambda: not review.printer_warning.isHidden(), timeout=5000)
    assert not c.a11y.speech_mode
    c.qtbot.mouseClick(review.confirm_button, Qt.LeftButton)
    c.wait_screen("receipt")
    screen = c.window.current_screen()
    c.qtbot.waitUntil(lambda: state.print_outcome(screen.receipt) is False, timeout=5000)
    mark = c.mark()
    c.qtbot.mouseClick(screen.say_button, Qt.LeftButton)
    said = c.heard_since(mark)
    assert "Номер" in said and "Код за проследяване" in said, said
    assert not c.a11y.speech_mode  # asked once: speech mode stays off
