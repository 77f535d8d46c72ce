"""The Speech facade: a priority queue of utterances played one at a time by an engine, cut off at once on demand."""

from __future__ import annotations

import enum
import heapq
import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

from hardware.base import DeviceState, DeviceUnavailable, Health

__all__ = [
    "STEPS",
    "DEFAULT_STEP",
    "Priority",
    "Utterance",
    "Playback",
    "SpeechEngine",
    "UnavailableEngine",
    "Speech",
    "NEUTRAL_PHRASE",
    "OUTPUTS",
]

log = logging.getLogger(__name__)

STEPS = 7  # rate and volume steps 0..6, announced by the caller ("по-бързо, 5 от 7")
DEFAULT_STEP = 3
OUTPUTS = ("speaker", "headset")

# Said instead of private data when the sound goes to the loudspeaker (EN 301 549 5.1.3.9).
NEUTRAL_PHRASE = {
    "bg": "Личните данни се показват на екрана. Включете слушалки, за да ги чуете.",
    "en": "Personal details are shown on the screen. Plug in headphones to hear them.",
}


class Priority(enum.IntEnum):
    LOW = 0  # hints, explore-by-touch chatter
    NORMAL = 10  # focus, screen titles, values
    HIGH = 20  # errors, results (the receipt)
    URGENT = 30  # "your session ends in 20 seconds"


@dataclass
class Utterance:
    text: str
    lang: str = "bg"
    priority: int = Priority.NORMAL
    private: bool = False
    public_text: str | None = None
    seq: int = 0
    # Filled in when it starts: what was actually said, and where.
    spoken_text: str | None = None
    output: str | None = None
    started_at: float | None = None
    ended_at: float | None = None
    interrupted: bool = False


class Playback(Protocol):
    """A handle on one utterance being spoken. `done` is set when it ended, however it ended;
    an engine may set `error` (a string) when it ended by itself without being heard."""

    done: threading.Event

    def cancel(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...


class SpeechEngine:
    """Contract of a speech engine.

    Must: `start(utterance, rate_step, volume_step, output) -> Playback` without blocking on the
    audio (return once the utterance is under way), a Playback whose `cancel()` silences it
    within 100 ms and sets `done`; `close()`. May: support `pause()`/`resume()` on the Playback
    (a no-op otherwise), and `synthesize_to_wav(text, lang, path)`.
    """

    name = "engine"

    def start(self, utterance: Utterance, *, rate_step: int, volume_step: int, output: str) -> Playback:
        raise NotImplementedError

    def health(self) -> "Health":
        return Health(DeviceState.OK, None, {"engine": self.name})

    def close(self) -> None:
        pass


class UnavailableEngine(SpeechEngine):
    """Stands in when no engine could be opened: every utterance fails loudly in the log, health is OFFLINE."""

    name = "unavailable"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def start(self, utterance: Utterance, *, rate_step: int, volume_step: int, output: str) -> Playback:
        raise DeviceUnavailable(self.reason)

    def health(self) -> "Health":
        return Health(DeviceState.OFFLINE, self.reason, {"engine": self.name})


Listener = Callable[[str, Utterance], None]  # event in {"start", "end", "interrupted", "error"}


@dataclass(order=True)
class _Queued:
    key: tuple[int, int]
    utterance: Utterance = field(compare=False)


class Speech:
    """Non-blocking speech with a priority queue.

    `say()` returns at once. With ``interrupt=True`` (the default) a new utterance whose priority
    is equal to or higher than the one being spoken cuts it off, and queued utterances of equal
    or lower priority are dropped (the newest focus wins); with ``interrupt=False`` it waits its
    turn (highest priority first, then first come). `stop()`/`user_action()` silence everything.
    Private utterances are spoken only when the output is the headset; otherwise `public_text`
    (or a neutral phrase) is said instead.
    """

    def __init__(
        self,
        engine: SpeechEngine,
        *,
        output: str = "speaker",
        rate_step: int = DEFAULT_STEP,
        volume_step: int = DEFAULT_STEP,
    ) -> None:
        self.engine = engine
        self._default_rate = rate_step
        self._default_volume = volume_step
        self._rate = rate_step
        self._volume = volume_step
        self._output = self._check_output(output)
        self._queue: list[_Queued] = []
        self._seq = itertools.count(1)
        self._current: tuple[Utterance, Playback] | None = None
        self._last: Utterance | None = None
        self._paused = False
        self._closed = False
        self._listeners: list[Listener] = []
        self._cond = threading.Condition()
        self._worker = threading.Thread(target=self._run, name=f"speech-{engine.name}", daemon=True)
        self._worker.start()

    # --- speaking -------------------------------------------------------------------------
    def say(
        self,
        text: str,
        lang: str = "bg",
        priority: int = Priority.NORMAL,
        private: bool = False,
        *,
        public_text: str | None = None,
        interrupt: bool = True,
    ) -> Utterance:
        utterance = Utterance(text, lang, int(priority), private, public_text, next(self._seq))
        if not text.strip():
            return utterance
        with self._cond:
            if self._closed:
                return utterance
            if interrupt:
                self._paused = False  # new speech supersedes a pause, as any user action does
                self._queue = [q for q in self._queue if q.utterance.priority > utterance.priority]
                heapq.heapify(self._queue)
                if self._current is not None and utterance.priority >= self._current[0].priority:
                    self._cut_current()
            heapq.heappush(self._queue, _Queued((-utterance.priority, utterance.seq), utterance))
            self._cond.notify_all()
        return utterance

    def stop(self) -> None:
        """Silence now and forget what was queued."""
        with self._cond:
            self._queue.clear()
            self._cut_current()
            self._paused = False
            self._cond.notify_all()

    user_action = stop  # any key press or touch cuts speech off (EN 301 549 5.1.3.5)

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            if self._current is not None:
                self._current[1].pause()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            if self._current is not None:
                self._current[1].resume()
            self._cond.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    def repeat(self) -> Utterance | None:
        """Say the last utterance again (privacy re-checked against the current output)."""
        last = self._last
        if last is None:
            return None
        return self.say(last.text, last.lang, last.priority, last.private, public_text=last.public_text)

    @property
    def is_speaking(self) -> bool:
        with self._cond:
            return self._current is not None

    @property
    def current(self) -> Utterance | None:
        with self._cond:
            return self._current[0] if self._current else None

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is spoken or queued (tools and tests; never call it on the GUI thread)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._current is None and not self._queue, timeout)

    # --- settings -------------------------------------------------------------------------
    @property
    def rate_step(self) -> int:
        return self._rate

    @property
    def volume_step(self) -> int:
        return self._volume

    def set_rate_step(self, step: int) -> int:
        self._rate = max(0, min(STEPS - 1, int(step)))
        return self._rate

    def set_volume_step(self, step: int) -> int:
        self._volume = max(0, min(STEPS - 1, int(step)))
        return self._volume

    def faster(self) -> int:
        return self.set_rate_step(self._rate + 1)

    def slower(self) -> int:
        return self.set_rate_step(self._rate - 1)

    def louder(self) -> int:
        return self.set_volume_step(self._volume + 1)

    def quieter(self) -> int:
        return self.set_volume_step(self._volume - 1)

    @property
    def output(self) -> str:
        return self._output

    def set_output(self, output: str) -> None:
        """"speaker" or "headset". Pulling the headset out cuts off a private utterance at once:
        the sound card may carry on through the loudspeaker."""
        output = self._check_output(output)
        with self._cond:
            self._output = output
            current = self._current[0] if self._current else None
            if output != "headset" and current is not None and current.private and current.output == "headset":
                self._cut_current()

    def reset(self) -> None:
        """Session end: silence, default rate and volume, and nothing left for the next person to repeat."""
        self.stop()
        self._rate, self._volume = self._default_rate, self._default_volume
        self._last = None

    # --- listeners ------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        """`listener(event, utterance)` is called on the speech thread for start/end/interrupted/error."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, event: str, utterance: Utterance) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, utterance)
            except Exception:
                log.exception("speech listener failed")

    # --- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._queue.clear()
            self._cut_current()
            self._cond.notify_all()
        self._worker.join(timeout=5)
        self.engine.close()

    def __enter__(self) -> "Speech":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def health(self) -> Health:
        health = self.engine.health()
        return Health(health.state, health.reason, {**health.detail, "output": self._output})

    # --- internals ------------------------------------------------------------------------
    @staticmethod
    def _check_output(output: str) -> str:
        if output not in OUTPUTS:
            raise ValueError(f"speech output must be one of {OUTPUTS}, got {output!r}")
        return output

    def _cut_current(self) -> None:
        if self._current is not None:
            utterance, playback = self._current
            utterance.interrupted = True
            playback.cancel()

    def _resolve(self, utterance: Utterance) -> None:
        utterance.output = self._output
        if utterance.private and self._output != "headset":
            utterance.spoken_text = utterance.public_text or NEUTRAL_PHRASE.get(utterance.lang, NEUTRAL_PHRASE["bg"])
        else:
            utterance.spoken_text = utterance.text

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or (self._queue and not self._paused))
                if self._closed:
                    return
                utterance = heapq.heappop(self._queue).utterance
                self._resolve(utterance)
                try:
                    playback = self.engine.start(
                        utterance, rate_step=self._rate, volume_step=self._volume, output=self._output
                    )
                except Exception as exc:
                    log.error("speech engine %s failed to start: %s", self.engine.name, exc)
                    self._emit("error", utterance)
                    # a failed start ends the utterance as much as a finished one does: whoever
                    # waits for the queue to empty (wait_until_idle) must be woken now
                    self._cond.notify_all()
                    continue
                utterance.started_at = time.monotonic()
                self._current = (utterance, playback)
                self._last = utterance
            self._emit("start", utterance)
            playback.done.wait()
            utterance.ended_at = time.monotonic()
            error = getattr(playback, "error", None)
            if error and not utterance.interrupted:
                log.warning("speech (%s): utterance not heard: %s", self.engine.name, error)
            # Listeners hear "end" before wait_until_idle() returns.
            event = "interrupted" if utterance.interrupted else ("error" if error else "end")
            self._emit(event, utterance)
            with self._cond:
                self._current = None
                self._cond.notify_all()
