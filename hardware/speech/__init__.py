"""Speech: a non-blocking, interruptible `Speech` facade over speech-dispatcher, espeak-ng or pyttsx3 engines."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from hardware.base import DeviceUnavailable
from hardware.speech.core import (  # noqa: F401
    DEFAULT_STEP,
    NEUTRAL_PHRASE,
    OUTPUTS,
    STEPS,
    Playback,
    Priority,
    Speech,
    SpeechEngine,
    UnavailableEngine,
    Utterance,
)
from hardware.speech.espeak import EspeakEngine, synthesize_to_wav  # noqa: F401
from hardware.speech.recording import RecordingEngine, RecordingSpeech, SpokenEntry  # noqa: F401

if TYPE_CHECKING:
    from hardware.config import SpeechConfig

log = logging.getLogger(__name__)


def make_engine(name: str, config: "SpeechConfig") -> SpeechEngine:
    if name == "speechd":
        from hardware.speech.speechd_engine import SpeechdEngine

        return SpeechdEngine(voices=config.voices)
    if name == "espeak":
        return EspeakEngine(voices=config.voices, player=config.player, devices=config.devices)
    if name == "pyttsx3":
        from hardware.speech.pyttsx3_engine import Pyttsx3Engine

        return Pyttsx3Engine(voices=config.voices)
    if name == "simulated":
        return RecordingEngine()
    raise DeviceUnavailable(f"hardware.speech.engine: unknown engine {name!r}")


def open_speech(config: "SpeechConfig") -> Speech:
    """The configured engine, else the next in `fallback` with a logged warning at each step.

    The recording (simulated) engine is used only when the config names it, never as a fallback:
    a terminal that cannot speak says so in its health instead of pretending.
    """
    if config.engine == "simulated":
        return RecordingSpeech(output=config.output, rate_step=config.rate_step, volume_step=config.volume_step)
    order = list(config.fallback) if config.engine == "auto" else [config.engine] + [
        e for e in config.fallback if e != config.engine
    ]
    failures: list[str] = []
    for name in order:
        try:
            engine = make_engine(name, config)
        except DeviceUnavailable as exc:
            failures.append(f"{name}: {exc}")
            log.warning("speech engine %s unavailable (%s); trying the next one", name, exc)
            continue
        if failures:
            log.warning("speech: using %s after %d fallback(s)", name, len(failures))
        return Speech(engine, output=config.output, rate_step=config.rate_step, volume_step=config.volume_step)
    raise DeviceUnavailable("speech: no engine available (" + "; ".join(failures) + ")")
