"""pyttsx3 (espeak driver) in a worker process: its runAndWait() blocks, so a cut-off kills the process."""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from hardware.base import DeviceState, DeviceUnavailable, Health
from hardware.speech.core import SpeechEngine, Utterance
from hardware.speech.espeak import RATE_WPM, _player_command, find_player

__all__ = ["Pyttsx3Engine"]

log = logging.getLogger(__name__)

_SYNTH_TIMEOUT_S = 60.0


def _worker(requests: Any, replies: Any, voices: dict[str, str], scratch_dir: str) -> None:
    """Runs in the child: one pyttsx3 engine, one utterance at a time.

    pyttsx3 2.99's espeak driver cannot be trusted with the audio: runAndWait() returns before the
    synthesis has finished, and it plays through `os.system("aplay …")`, a shell and a player that
    would outlive a killed worker and speak on. So the worker has the driver write a WAV into a
    scratch directory, waits for the driver's own "finished-utterance", and plays the file itself
    with a player in its process group; the worker leads that group, so a cut-off kills it all.
    The parent empties the scratch directory (the spoken text, maybe personal) after each kill.
    """
    os.setpgrp()
    tempfile.tempdir = scratch_dir
    sys.stdout = open(os.devnull, "w")  # the driver prints "Audio saved to …" for every utterance
    import pyttsx3

    engine = pyttsx3.init("espeak")
    finished = threading.Event()
    engine.connect("finished-utterance", lambda **_: finished.set())
    player = find_player()
    replies.put(("ready", None))
    while True:
        request = requests.get()
        if request is None:
            return
        text, lang, wpm, volume, wav_path = request
        target = wav_path or os.path.join(scratch_dir, "utterance.wav")
        try:
            engine.setProperty("voice", voices.get(lang, lang))
            engine.setProperty("rate", wpm)
            engine.setProperty("volume", volume)
            finished.clear()
            engine.save_to_file(text, target)
            engine.runAndWait()
            if not finished.wait(_SYNTH_TIMEOUT_S):
                replies.put(("error", "pyttsx3 did not finish synthesising"))
                continue
            if not wav_path:
                if player is None:
                    replies.put(("error", "no audio player (aplay, paplay, pw-play) found"))
                    continue
                with open(target, "rb") as audio:
                    result = subprocess.run(_player_command(player, None), stdin=audio,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                os.unlink(target)
                if result.returncode != 0:
                    reason = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
                    replies.put(("error", f"audio player exited with {result.returncode}: {reason[0]}"))
                    continue
            replies.put(("done", None))
        except Exception as exc:
            replies.put(("error", repr(exc)))


class _WorkerPlayback:
    def __init__(self, engine: "Pyttsx3Engine") -> None:
        self._engine = engine
        self.done = threading.Event()
        self.error: str | None = None
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
        self._engine._kill_worker()
        self.done.set()

    def pause(self) -> None:  # pyttsx3 has no pause; stopping the process would hold the sound card
        pass

    def resume(self) -> None:
        pass


class Pyttsx3Engine(SpeechEngine):
    name = "pyttsx3"

    def __init__(self, *, voices: dict[str, str] | None = None, start_timeout: float = 20.0) -> None:
        try:
            import pyttsx3  # noqa: F401
        except ImportError as exc:
            raise DeviceUnavailable(f"speech: pyttsx3 is not importable: {exc}") from exc
        self.voices = dict(voices or {"bg": "bg", "en": "en"})
        self._ctx = mp.get_context("spawn")  # no fork of a threaded (Qt) process
        self.scratch_dir = tempfile.mkdtemp(prefix="pyttsx3-")
        self._start_timeout = start_timeout
        self._process: Any = None
        self._requests: Any = None
        self._replies: Any = None
        self._lock = threading.Lock()
        self.last_playback: _WorkerPlayback | None = None
        try:
            self._ensure_worker()
        except BaseException:
            shutil.rmtree(self.scratch_dir, ignore_errors=True)
            raise

    def _ensure_worker(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._requests, self._replies = self._ctx.Queue(), self._ctx.Queue()
        self._process = self._ctx.Process(
            target=_worker, args=(self._requests, self._replies, self.voices, self.scratch_dir),
            name="pyttsx3-worker", daemon=True,
        )
        self._process.start()
        try:
            kind, detail = self._replies.get(timeout=self._start_timeout)
        except Exception as exc:
            self._kill_worker()
            raise DeviceUnavailable("speech: pyttsx3 worker did not start") from exc
        if kind != "ready":
            raise DeviceUnavailable(f"speech: pyttsx3 worker failed: {detail}")

    def _kill_worker(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.exitcode is None:  # not reaped, so its pid (and group id) is still ours
            try:
                # The worker's group: the worker and the player it is feeding.
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass  # it was killed before it could lead a group of its own
            if process.is_alive():
                process.kill()
        process.join(timeout=2)
        for leftover in Path(self.scratch_dir).glob("*"):
            leftover.unlink(missing_ok=True)

    @property
    def worker_pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _submit(self, text: str, lang: str, rate_step: int, volume_step: int, wav_path: str | None) -> _WorkerPlayback:
        with self._lock:
            self._ensure_worker()
            playback = _WorkerPlayback(self)
            replies = self._replies
            process = self._process
            self._requests.put((text, lang, RATE_WPM[rate_step], (volume_step + 1) / 7, wav_path))

        def wait() -> None:
            while not playback.done.is_set():
                try:
                    kind, detail = replies.get(timeout=0.2)
                except Exception:
                    if not process.is_alive():
                        if not playback.cancelled:
                            playback.error = f"the pyttsx3 worker died (exit code {process.exitcode})"
                        break
                    continue
                if kind == "error":
                    playback.error = detail  # heard by nobody: Speech reports it and the engine's health
                break
            playback.done.set()

        threading.Thread(target=wait, name="pyttsx3-wait", daemon=True).start()
        return playback

    def start(self, utterance: Utterance, *, rate_step: int, volume_step: int, output: str) -> _WorkerPlayback:
        playback = self._submit(utterance.spoken_text or utterance.text, utterance.lang, rate_step, volume_step, None)
        self.last_playback = playback
        return playback

    def health(self) -> Health:
        detail = {"engine": self.name}
        if find_player() is None:
            return Health(DeviceState.OFFLINE, "no audio player (aplay, paplay, pw-play) is installed", detail)
        last = self.last_playback
        if last is not None and last.done.is_set() and last.error:
            return Health(DeviceState.OFFLINE, f"no sound: {last.error}", detail)
        return Health(DeviceState.OK, None, detail)

    def synthesize_to_wav(self, text: str, lang: str, path: str | Path, timeout: float = 60.0) -> Path:
        playback = self._submit(text, lang, 3, 3, str(path))
        if not playback.done.wait(timeout):
            playback.cancel()
            raise DeviceUnavailable("speech: pyttsx3 took too long")
        if playback.error:
            raise DeviceUnavailable(f"speech: pyttsx3 failed: {playback.error}")
        return Path(path)

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.is_alive():
                self._requests.put(None)
                self._process.join(timeout=2)
            self._kill_worker()
        shutil.rmtree(self.scratch_dir, ignore_errors=True)
