"""The state does a citizen's request once; screens only show it (a language switch rebuilds
them): a consultation's support, a tracking look-up."""

from __future__ import annotations

from sqlalchemy import select

from server_sync.hub.models import ConsultationSupport


def _supports(hub) -> int:
    with hub.session() as s:
        return len(list(s.scalars(select(ConsultationSupport))))


def test_a_language_switch_after_identifying_sends_no_second_support(kiosk):
    kiosk.hub.add_consultation("budget-2027")
    kiosk.tap("Обществени консултации")
    kiosk.go("consultations")
    kiosk.qtbot.waitUntil(lambda: "budget-2027" in kiosk.screen().support_buttons)
    kiosk.tap(kiosk.screen().support_buttons["budget-2027"])
    kiosk.go("identify")
    kiosk.insert_card("valid")
    kiosk.go("consultations")
    kiosk.qtbot.waitUntil(lambda: kiosk.sees("подкрепата Ви е записана"))
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)
    assert _supports(kiosk.hub) == 1
    kiosk.tap(kiosk.window.language_button)  # the header's "English", as the citizen touches it
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "en" and kiosk.screen_name() == "consultations")
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)  # a second support would be on its way now
    assert not kiosk.sees("You have already supported"), "the support was sent again after the language switch"
    assert kiosk.sees("Thank you, your support is recorded")
    assert _supports(kiosk.hub) == 1
    kiosk.tap(kiosk.window.language_button)  # and back to Bulgarian
    kiosk.qtbot.waitUntil(lambda: kiosk.state.language == "bg")
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)
    assert kiosk.sees("подкрепата Ви е записана") and not kiosk.sees("Вече сте подкрепили")
    assert _supports(kiosk.hub) == 1


def test_a_support_asked_without_a_card_is_not_sent_by_a_card_read_later_elsewhere(kiosk):
    kiosk.hub.add_consultation("budget-2027")
    kiosk.tap("Обществени консултации")
    kiosk.go("consultations")
    kiosk.qtbot.waitUntil(lambda: "budget-2027" in kiosk.screen().support_buttons)
    kiosk.tap(kiosk.screen().support_buttons["budget-2027"])
    kiosk.go("identify")
    kiosk.tap("Отказ")  # changed their mind
    kiosk.go("consultations")
    kiosk.tap(kiosk.window.back_button)
    kiosk.go("welcome")
    kiosk.tap("Моите заявления (карта и код)")
    kiosk.go("dossier")
    kiosk.insert_card("valid")
    kiosk.qtbot.waitUntil(lambda: kiosk.state.session.identity is not None)
    kiosk.qtbot.waitUntil(lambda: not kiosk.state.tasks.busy)
    assert _supports(kiosk.hub) == 0
