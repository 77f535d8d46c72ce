"""Run blocking calls (network, printing) on a thread pool and report back by Qt signals."""

from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, Signal

#: a QObject carrying this dynamic property (set true) takes no more task results: a screen
#: the window has replaced is only deleted later, and must not fill or announce in the meantime
RETIRED_PROPERTY = "kiosk_retired"


class _Dispatcher(QObject):
    """One process-wide relay that lives in the GUI thread for as long as the process.

    Workers emit `result` on it (delivered queued to the GUI thread). Workers never hold a
    QObject that could be deleted under them — a kiosk closed, a runner gone — so a late
    result can never race a destructor; it is simply routed to nobody.
    """

    result = Signal(object, bool, object)  # (job key, succeeded, value or exception)

    def __init__(self) -> None:
        super().__init__()
        self.jobs: dict[int, tuple[weakref.ReferenceType, Callable, Callable, Any]] = {}
        self.result.connect(self._deliver)

    def _deliver(self, key: int, ok: bool, value: Any) -> None:
        entry = self.jobs.pop(key, None)
        if entry is None:
            return
        runner_ref, on_done, on_error, owner = entry
        runner = runner_ref()
        if runner is None or not _alive(runner):
            return
        runner._finish(key, on_done if ok else on_error, value, owner)


_dispatcher: _Dispatcher | None = None
_dispatcher_lock = threading.Lock()
_keys = itertools.count(1)


def _gui_dispatcher() -> _Dispatcher:
    global _dispatcher
    with _dispatcher_lock:
        if _dispatcher is None:
            app = QCoreApplication.instance()
            if app is not None and QThread.currentThread() != app.thread():
                raise RuntimeError("the first TaskRunner must be made on the GUI thread")
            _dispatcher = _Dispatcher()
        return _dispatcher


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], key: int, dispatcher: _Dispatcher) -> None:
        super().__init__()
        self.fn, self.key, self.dispatcher = fn, key, dispatcher

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # every failure reaches the screen, none kills a worker
            self.dispatcher.result.emit(self.key, False, exc)
        else:
            self.dispatcher.result.emit(self.key, True, result)


def _owner_of(callback: Callable) -> QObject | None:
    """The QObject a bound-method callback belongs to (a screen's `self._show`), if any."""
    owner = getattr(callback, "__self__", None)
    return owner if isinstance(owner, QObject) else None


def _alive(obj: QObject) -> bool:
    from shiboken6 import isValid

    return isValid(obj)


def owner_gone(owner: QObject | None) -> bool:
    """True when the result's receiver was deleted or retired, so the result must be dropped."""
    if owner is None:
        return False
    return not _alive(owner) or bool(owner.property(RETIRED_PROPERTY))


class TaskRunner(QObject):
    """`run(fn, on_done, on_error)`: fn runs on a worker, the callbacks on the GUI thread.

    The callbacks' owner (given, or the QObject behind a bound-method `on_done`) may go
    away while fn runs — a citizen leaves a screen that is still loading. Its result is
    then dropped instead of touching a deleted widget. The runner itself may go away too
    (a kiosk closed while a hub call is still waiting): its late results go nowhere.
    """

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._dispatcher = _gui_dispatcher()
        self._live: set[int] = set()
        #: results that arrived for an owner already gone (for tests and the log)
        self.dropped = 0

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None],
            *, owner: QObject | None = None) -> None:
        key = next(_keys)
        owner = owner if owner is not None else (_owner_of(on_done) or _owner_of(on_error))
        self._live.add(key)
        self._dispatcher.jobs[key] = (weakref.ref(self), on_done, on_error, owner)
        self.pool.start(_Job(fn, key, self._dispatcher))

    def _finish(self, key: int, callback: Callable[[Any], None], value: Any, owner: QObject | None) -> None:
        self._live.discard(key)
        if owner_gone(owner):
            self.dropped += 1
            return
        callback(value)
