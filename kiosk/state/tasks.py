"""Run blocking calls (network, printing) on a thread pool and report back by Qt signals."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

#: a QObject carrying this dynamic property (set true) takes no more task results: a screen
#: the window has replaced is only deleted later, and must not fill or announce in the meantime
RETIRED_PROPERTY = "kiosk_retired"


class _Relay(QObject):
    # lives in the GUI thread; a signal emitted from the worker is delivered queued
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # every failure reaches the screen, none kills a worker
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def _owner_of(callback: Callable) -> QObject | None:
    """The QObject a bound-method callback belongs to (a screen's `self._show`), if any."""
    owner = getattr(callback, "__self__", None)
    return owner if isinstance(owner, QObject) else None


def owner_gone(owner: QObject | None) -> bool:
    """True when the result's receiver was deleted or retired, so the result must be dropped."""
    if owner is None:
        return False
    from shiboken6 import isValid

    return not isValid(owner) or bool(owner.property(RETIRED_PROPERTY))


class TaskRunner(QObject):
    """`run(fn, on_done, on_error)`: fn runs on a worker, the callbacks on the GUI thread.

    The callbacks' owner (given, or the QObject behind a bound-method `on_done`) may go
    away while fn runs — a citizen leaves a screen that is still loading. Its result is
    then dropped instead of touching a deleted widget.
    """

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._live: set[_Relay] = set()
        #: results that arrived for an owner already gone (for tests and the log)
        self.dropped = 0

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None],
            *, owner: QObject | None = None) -> None:
        relay = _Relay(self)
        self._live.add(relay)
        owner = owner if owner is not None else (_owner_of(on_done) or _owner_of(on_error))

        def finish(cb, value):
            self._live.discard(relay)
            relay.deleteLater()
            if owner_gone(owner):
                self.dropped += 1
                return
            cb(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda exc: finish(on_error, exc))
        self.pool.start(_Job(fn, relay))
