"""Python's cyclic GC must never run on a worker thread once the kiosk is up (kiosk/gui_gc.py)."""

from __future__ import annotations

import gc
import threading

from kiosk.gui_gc import collect_if_due, pin_gc_to_gui_thread


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_workers_never_collect_and_the_gui_thread_does(qapp):
    collector = pin_gc_to_gui_thread()
    assert collector is not None and pin_gc_to_gui_thread() is collector  # once per process
    assert not gc.isenabled()
    gc.collect()
    runs: list[int] = []

    def watch(phase, info):
        if phase == "start":
            runs.append(threading.get_ident())

    gc.callbacks.append(watch)
    try:
        def allocate():  # far past every generation's threshold, as a busy worker would
            for _ in range(20 * collector.threshold[0] * collector.threshold[1]):
                _Cycle()

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert worker.ident not in runs and runs == []
        freed = collect_if_due()
        assert freed > 0 and runs == [threading.get_ident()]
    finally:
        gc.callbacks.remove(watch)


def test_the_timer_collects_while_the_event_loop_runs(qapp, qtbot):
    collector = pin_gc_to_gui_thread()
    gc.collect()
    for _ in range(collector.threshold[0] * 3):
        _Cycle()
    assert gc.get_count()[0] > collector.threshold[0]
    qtbot.waitUntil(lambda: gc.get_count()[0] <= collector.threshold[0], timeout=3000)
