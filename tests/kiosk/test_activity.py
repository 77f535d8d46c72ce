"""The kiosk tells the sync agent when it is in use: no software update switches while a citizen is
at the screen or a receipt is printing (server_sync.activity, server_sync.agent.updates)."""

from __future__ import annotations

from server_sync.activity import terminal_is_quiet
from tests.kiosk.test_signals_receipts import _open_signal, _printed, _tick


def test_a_citizen_session_and_a_print_are_not_quiet_moments(kiosk):
    data_dir = kiosk.store.data_dir
    kiosk.app.activity.poll()
    assert terminal_is_quiet(data_dir)  # the welcome screen, nobody there
    signal = _open_signal(kiosk)  # a citizen starts filing a signal
    kiosk.qtbot.waitUntil(lambda: not terminal_is_quiet(data_dir), timeout=3000)

    quiet_while_printing = []
    original = kiosk.printer.print_receipt

    def printing(*args, **kwargs):
        quiet_while_printing.append(terminal_is_quiet(data_dir))
        return original(*args, **kwargs)

    kiosk.printer.print_receipt = printing
    kiosk.type_into(signal.address, "ул. Ботев 12")
    _tick(kiosk, signal.anonymous)
    kiosk.tap("Продължи")
    kiosk.go("review")
    kiosk.tap("Потвърди и изпрати")
    kiosk.go("receipt")
    _printed(kiosk)
    assert quiet_while_printing == [False]
    assert not terminal_is_quiet(data_dir)  # the citizen is still at the receipt
    # The citizen walks away: the session times out and the kiosk is quiet again.
    session = kiosk.state.session
    kiosk.clock.advance(61)
    session.tick()
    kiosk.clock.advance(31)
    session.tick()
    assert not session.active
    kiosk.qtbot.waitUntil(lambda: terminal_is_quiet(data_dir), timeout=3000)


def test_a_print_still_running_after_the_session_keeps_the_kiosk_busy(qtbot, tmp_path):
    from types import SimpleNamespace

    from kiosk.activity import ActivityReporter

    state = SimpleNamespace(session=SimpleNamespace(active=False))
    reporter = ActivityReporter(state, tmp_path)
    assert terminal_is_quiet(tmp_path)
    seen = []
    printer = reporter.wrap_printer(lambda receipt: seen.append((receipt, terminal_is_quiet(tmp_path))))
    printer("receipt-1")  # e.g. the session timed out while the receipt was still printing
    assert seen == [("receipt-1", False)]
    reporter.poll()
    assert terminal_is_quiet(tmp_path)
    reporter.deleteLater()
