"""A speech engine that records instead of speaking, for tests and the demo: `.spoken` with what, how and where."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from hardware.speech.core import DEFAULT_STEP, Speech, SpeechEngine, Utterance

__all__ = ["SpokenEntry", "RecordingEngine", "RecordingSpeech"]


@dataclass
class SpokenEntry:
    text: str  # what was said (the public text if a private utterance went to the speaker)
    lang: str
    private: bool
    output: str
    priority: int
    rate_step: int
    volume_step: int
    original_text: str
    started_at: float
    ended_at: float | None = None
    interrupted: bool = False


class _RecordingPlayback:
    def __init__(self, entry: SpokenEntry, hold: bool) -> None:
        self.entry = entry
        self.done = threading.Event()
        self.paused = False
        if not hold:
            self._end(interrupted=False)

    def _end(self, interrupted: bool) -> None:
        if not self.done.is_set():
            self.entry.interrupted = interrupted
            self.entry.ended_at = time.monotonic()
            self.done.set()

    def cancel(self) -> None:
        self._end(interrupted=True)

    def finish(self) -> None:
        self._end(interrupted=False)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False


class RecordingEngine(SpeechEngine):
    """Records every utterance it is given. With `hold=True` an utterance stays "being spoken"
    until `finish()` (or until it is cut off), so tests can interrupt it deterministically."""

    name = "recording"

    def __init__(self, hold: bool = False) -> None:
        self.hold = hold
        self.spoken: list[SpokenEntry] = []
        self._current: _RecordingPlayback | None = None
        self._started = threading.Condition()

    def start(self, utterance: Utterance, *, rate_step: int, volume_step: int, output: str) -> _RecordingPlayback:
        entry = SpokenEntry(
            text=utterance.spoken_text or utterance.text,
            lang=utterance.lang,
            private=utterance.private,
            output=output,
            priority=utterance.priority,
            rate_step=rate_step,
            volume_step=volume_step,
            original_text=utterance.text,
            started_at=time.monotonic(),
        )
        playback = _RecordingPlayback(entry, self.hold)
        with self._started:
            self.spoken.append(entry)
            self._current = playback
            self._started.notify_all()
        return playback

    def finish(self) -> None:
        """Let the utterance being "spoken" end normally."""
        if self._current is not None:
            self._current.finish()

    @property
    def paused(self) -> bool:
        return bool(self._current and self._current.paused and not self._current.done.is_set())

    def wait_for_spoken(self, count: int, timeout: float = 5.0) -> bool:
        with self._started:
            return self._started.wait_for(lambda: len(self.spoken) >= count, timeout)


class RecordingSpeech(Speech):
    """A `Speech` over a RecordingEngine: `speech.spoken` lists SpokenEntry objects in order."""

    def __init__(self, *, hold: bool = False, output: str = "speaker", rate_step: int = DEFAULT_STEP,
                 volume_step: int = DEFAULT_STEP) -> None:
        super().__init__(RecordingEngine(hold=hold), output=output, rate_step=rate_step, volume_step=volume_step)

    @property
    def spoken(self) -> list[SpokenEntry]:
        return self.engine.spoken  # type: ignore[attr-defined]

    def finish(self) -> None:
        self.engine.finish()  # type: ignore[attr-defined]

    def wait_for_spoken(self, count: int, timeout: float = 5.0) -> bool:
        return self.engine.wait_for_spoken(count, timeout)  # type: ignore[attr-defined]
