"""Real engines: espeak-ng synthesises audible Bulgarian, is cut off at once; pyttsx3 in a killable worker; fallback."""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

from hardware.base import DeviceUnavailable
from hardware.config import SpeechConfig
from hardware.speech import EspeakEngine, Priority, Speech, open_speech, synthesize_to_wav
from hardware.speech.speechd_engine import SpeechdEngine

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")

NULL_SINK = [sys.executable, "-m", "hardware.speech.nullsink"]
LONG_TEXT = "Това е много дълго съобщение, което никой няма да изслуша докрай. " * 20


def _rms(path) -> float:
    result = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True)
    match = re.search(r"RMS\s+amplitude:\s+([0-9.]+)", result.stderr)
    assert match, result.stderr
    return float(match.group(1))


@pytest.mark.parametrize("lang, text", [("bg", "Добър ден. Моля, поставете личната си карта."),
                                         ("en", "Good morning. Please insert your identity card.")])
def test_synthesise_to_wav_is_audible_and_plausibly_long(tmp_path, lang, text):
    path = synthesize_to_wav(text, lang, tmp_path / "out.wav")
    with wave.open(str(path)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 1.5 < seconds < 8, seconds
    if shutil.which("sox"):
        assert _rms(path) > 0.01


def test_silence_check_can_fail(tmp_path):
    path = synthesize_to_wav(" ", "bg", tmp_path / "empty.wav")
    with wave.open(str(path)) as wav:
        frames = wav.readframes(wav.getnframes())
    assert not any(frames)  # nothing said, nothing heard: the audible check above means something


def test_espeak_utterance_is_cut_off_by_a_new_one():
    engine = EspeakEngine(player=NULL_SINK)
    started = threading.Event()
    playbacks = []

    def on_event(event, utterance):
        if event == "start":
            playbacks.append(engine.last_playback)
            started.set()

    with Speech(engine) as speech:
        speech.add_listener(on_event)
        first = speech.say(LONG_TEXT)
        assert started.wait(10)
        started.clear()
        speech.say("Услуги", priority=Priority.NORMAL)
        old = playbacks[0]
        assert old.done.wait(5), "the cut-off utterance's processes were not reaped"
        assert started.wait(10)
        assert speech.wait_until_idle(30)
    assert first.interrupted
    # Killed, not finished: both the synthesiser and the player died of SIGKILL.
    assert old.espeak.returncode == -signal.SIGKILL
    assert old.player.returncode == -signal.SIGKILL
    for pid in old.pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    new = playbacks[1]
    assert new.espeak.returncode == 0 and new.player.returncode == 0


def test_paused_espeak_can_still_be_stopped():
    engine = EspeakEngine(player=NULL_SINK)
    started = threading.Event()
    with Speech(engine) as speech:
        speech.add_listener(lambda event, u: event == "start" and started.set())
        speech.say(LONG_TEXT)
        assert started.wait(10)
        speech.pause()
        playback = engine.last_playback
        speech.stop()
        assert playback.done.wait(5)
        assert speech.wait_until_idle(5)
    assert playback.espeak.returncode == -signal.SIGKILL


def test_config_falls_back_with_a_warning_and_never_to_simulation(caplog):
    caplog.set_level(logging.WARNING)
    try:
        import speechd  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("speechd is importable here")
    speech = open_speech(SpeechConfig(engine="speechd", fallback=("speechd", "espeak"), player=tuple(NULL_SINK)))
    try:
        assert speech.engine.name == "espeak"
        assert any("speechd" in r.getMessage() and "unavailable" in r.getMessage() for r in caplog.records)
    finally:
        speech.close()
    with pytest.raises(DeviceUnavailable, match="no engine available"):
        open_speech(SpeechConfig(engine="speechd", fallback=("speechd",)))


class _FakeSpeechd:
    """Stands in for python3-speechd: records calls, answers END/CANCEL like the daemon."""

    class CallbackType:
        END, CANCEL = "end", "cancel"

    def __init__(self):
        self.calls = []
        fake = self

        class SSIPClient:
            def __init__(self, name):
                fake.calls.append(("connect", name))
                self._callback = None

            def set_language(self, lang):
                fake.calls.append(("language", lang))

            def set_rate(self, rate):
                fake.calls.append(("rate", rate))

            def set_volume(self, volume):
                fake.calls.append(("volume", volume))

            def speak(self, text, callback=None, event_types=()):
                fake.calls.append(("speak", text))
                self._callback = callback

            def cancel(self):
                fake.calls.append(("cancel",))
                self._callback and self._callback(fake.CallbackType.CANCEL)

            def pause(self):
                fake.calls.append(("pause",))

            def resume(self):
                fake.calls.append(("resume",))

            def close(self):
                fake.calls.append(("close",))

        self.SSIPClient = SSIPClient


def test_speechd_adapter_maps_steps_and_cancels():
    fake = _FakeSpeechd()
    engine = SpeechdEngine(module=fake)
    started = threading.Event()
    with Speech(engine, rate_step=6, volume_step=0) as speech:
        speech.add_listener(lambda event, u: event == "start" and started.set())
        speech.say("Hello", lang="en")
        assert started.wait(5)
        speech.stop()
        assert speech.wait_until_idle(5)
    assert ("language", "en") in fake.calls and ("rate", 100) in fake.calls and ("volume", -100) in fake.calls
    assert ("speak", "Hello") in fake.calls and ("cancel",) in fake.calls


def test_pyttsx3_worker_synthesises_and_is_killable(tmp_path):
    pytest.importorskip("pyttsx3")
    from hardware.speech.pyttsx3_engine import Pyttsx3Engine

    try:
        engine = Pyttsx3Engine()
    except DeviceUnavailable as exc:
        pytest.skip(f"pyttsx3 espeak driver unusable here: {exc}")
    try:
        path = engine.synthesize_to_wav("Добър ден", "bg", tmp_path / "p.wav")
        assert path.exists() and path.stat().st_size > 1000
        first_pid = engine.worker_pid
        with Speech(engine) as speech:
            started = threading.Event()
            speech.add_listener(lambda event, u: event == "start" and started.set())
            speech.say(LONG_TEXT)
            assert started.wait(10)
            speech.stop()
            assert speech.wait_until_idle(10)
            with pytest.raises(ProcessLookupError):
                os.kill(first_pid, 0)
    finally:
        engine.close()


def test_espeak_health_names_a_missing_player():
    assert EspeakEngine(player=NULL_SINK).health().state.value == "ok"
    health = EspeakEngine(player=["no-such-player-xyz"]).health()
    assert health.state.value == "offline" and "no-such-player-xyz" in health.reason


def test_an_utterance_nobody_heard_is_an_error_and_the_engine_goes_offline(caplog):
    failing_player = ["sh", "-c", "cat >/dev/null; echo 'aplay: main:831: audio open error: No such device' >&2; exit 1"]
    engine = EspeakEngine(player=failing_player)
    events = []
    with Speech(engine) as speech:
        speech.add_listener(lambda event, u: events.append(event))
        speech.say("Добър ден")
        assert speech.wait_until_idle(30)
        assert events == ["start", "error"]
        health = speech.health()
    assert health.state.value == "offline" and "audio open error" in health.reason
    assert any("not heard" in r.getMessage() for r in caplog.records)


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie may linger where PID 1 does not reap)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _pyttsx3_with_aplay(tmp_path, monkeypatch, script: str):
    """A pyttsx3 engine whose `aplay` is the given shell script (skips without pyttsx3's driver)."""
    pytest.importorskip("pyttsx3")
    from hardware.speech.pyttsx3_engine import Pyttsx3Engine

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aplay = bin_dir / "aplay"
    aplay.write_text(f"#!/bin/sh\n{script}\n")
    aplay.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    try:
        return Pyttsx3Engine()
    except DeviceUnavailable as exc:
        pytest.skip(f"pyttsx3 espeak driver unusable here: {exc}")


def test_pyttsx3_cut_off_silences_the_player_its_driver_started(tmp_path, monkeypatch):
    """The worker's player must die with the cut-off (pyttsx3's own driver would have played through
    `os.system("aplay …")`, out of reach). A stand-in aplay records its pid and plays 'for ever'."""
    pids = tmp_path / "aplay.pids"
    engine = _pyttsx3_with_aplay(tmp_path, monkeypatch, f"echo $$ >> {pids}\nexec sleep 60")
    try:
        with Speech(engine) as speech:
            speech.say("Добър ден")
            deadline = time.monotonic() + 20
            while not (pids.exists() and pids.read_text().strip()) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert pids.exists(), "the pyttsx3 worker never started aplay"
            player = int(pids.read_text().split()[0])
            assert _running(player)
            assert any(Path(engine.scratch_dir).iterdir())  # the WAV of the spoken text
            t0 = time.monotonic()
            speech.stop()
            while _running(player) and time.monotonic() - t0 < 5:
                time.sleep(0.005)
            # how fast is bench/speech_latency.py's figure (contract: 100 ms); here: that it stops at all
            assert not _running(player), "aplay outlived the cut-off"
            assert speech.wait_until_idle(10)
            assert not any(Path(engine.scratch_dir).iterdir()), "the spoken text was left on disk"
    finally:
        engine.close()
    assert not Path(engine.scratch_dir).exists()


def test_pyttsx3_utterance_nobody_heard_is_an_error_and_the_engine_goes_offline(tmp_path, monkeypatch, caplog):
    engine = _pyttsx3_with_aplay(tmp_path, monkeypatch,
                                 "cat >/dev/null\necho 'aplay: main:831: audio open error: No such device' >&2\nexit 1")
    events = []
    try:
        with Speech(engine) as speech:
            assert speech.health().state.value == "ok"
            speech.add_listener(lambda event, u: events.append(event))
            speech.say("Добър ден")
            assert speech.wait_until_idle(30)
            health = speech.health()
    finally:
        engine.close()
    assert events == ["start", "error"]
    assert health.state.value == "offline" and "audio open error" in health.reason
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert "no audio player" in engine.health().reason
