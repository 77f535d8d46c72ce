"""speech-dispatcher through its Python client (`speechd`, Debian's python3-speechd; not on PyPI)."""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

from hardware.base import DeviceUnavailable
from hardware.speech.core import STEPS, SpeechEngine, Utterance

__all__ = ["SpeechdEngine", "import_speechd"]

log = logging.getLogger(__name__)


def import_speechd() -> Any:
    try:
        return importlib.import_module("speechd")
    except ImportError as exc:
        raise DeviceUnavailable("speech: the speechd client is not importable (apt install python3-speechd)") from exc


def _scale(step: int) -> int:
    """Step 0..6 → speech-dispatcher's -100..100, step 3 being 0."""
    return round((step - (STEPS - 1) / 2) * 200 / (STEPS - 1))


class _SpeechdPlayback:
    def __init__(self, client: Any) -> None:
        self._client = client
        self.done = threading.Event()

    def on_event(self, event_type: Any, **_: Any) -> None:
        self.done.set()

    def cancel(self) -> None:
        try:
            self._client.cancel()
        finally:
            # speech-dispatcher confirms with a CANCEL callback; do not wait on it to move on.
            self.done.set()

    def pause(self) -> None:
        self._client.pause()

    def resume(self) -> None:
        self._client.resume()


class SpeechdEngine(SpeechEngine):
    name = "speechd"

    def __init__(self, *, voices: dict[str, str] | None = None, module: Any = None, client_name: str = "eobshtina") -> None:
        self._speechd = module or import_speechd()
        try:
            self._client = self._speechd.SSIPClient(client_name)
        except Exception as exc:
            raise DeviceUnavailable(f"speech: cannot connect to speech-dispatcher: {exc}") from exc
        self.voices = dict(voices or {"bg": "bg", "en": "en"})

    def start(self, utterance: Utterance, *, rate_step: int, volume_step: int, output: str) -> _SpeechdPlayback:
        c = self._client
        c.set_language(self.voices.get(utterance.lang, utterance.lang))
        c.set_rate(_scale(rate_step))
        c.set_volume(_scale(volume_step))
        playback = _SpeechdPlayback(c)
        callback_type = self._speechd.CallbackType
        c.speak(
            utterance.spoken_text or utterance.text,
            callback=playback.on_event,
            event_types=(callback_type.END, callback_type.CANCEL),
        )
        return playback

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:
            pass
