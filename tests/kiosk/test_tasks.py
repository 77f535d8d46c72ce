"""TaskRunner: results come back on the GUI thread, and a runner or owner that is gone gets none."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject, QThread, QThreadPool

from kiosk.state.tasks import TaskRunner


def test_results_and_errors_arrive_on_the_gui_thread(qtbot):
    runner, seen = TaskRunner(), []
    gui = QThread.currentThread()
    runner.run(lambda: 41 + 1, lambda v: seen.append(("done", v, QThread.currentThread() == gui)), seen.append)
    runner.run(lambda: 1 / 0, seen.append, lambda e: seen.append(("error", type(e).__name__, QThread.currentThread() == gui)))
    qtbot.waitUntil(lambda: len(seen) == 2 and not runner.busy)
    assert sorted(seen) == [("done", 42, True), ("error", "ZeroDivisionError", True)]


def test_a_runner_deleted_while_its_jobs_run_gets_nothing_and_nothing_breaks(qtbot, capfd):
    gate, seen = threading.Event(), []
    runners = [TaskRunner() for _ in range(10)]
    for runner in runners:
        runner.run(lambda: gate.wait(5) and "late", seen.append, seen.append)
    for runner in runners:
        shiboken6.delete(runner)  # the kiosk closed while its hub calls were still waiting
    gate.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)
    assert seen == []
    assert "Error calling Python override" not in capfd.readouterr().err


def test_a_result_for_a_deleted_owner_is_dropped_and_counted(qtbot):
    runner, owner, seen, gate = TaskRunner(), QObject(), [], threading.Event()
    runner.run(lambda: gate.wait(5), seen.append, seen.append, owner=owner)
    shiboken6.delete(owner)
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert seen == [] and runner.dropped == 1
