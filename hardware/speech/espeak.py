"""espeak-ng as a subprocess (optionally piped into a player such as aplay): killable at once, mid-word."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Sequence

from hardware.base import DeviceState, DeviceUnavailable, Health
from hardware.speech.core import SpeechEngine, Utterance

__all__ = ["EspeakEngine", "EspeakPlayback", "synthesize_to_wav", "RATE_WPM", "AMPLITUDE", "find_player"]

log = logging.getLogger(__name__)

# Words per minute and espeak amplitude (0-200) for the seven steps; step 3 is espeak's own default.
RATE_WPM = (110, 130, 150, 175, 205, 240, 280)
AMPLITUDE = (25, 45, 70, 100, 130, 160, 190)

# Players tried in order when the config names none; "{device}" is the output's device name.
_PLAYERS = (
    ("aplay", "-q", "-D", "{device}"),
    ("paplay", "--device={device}"),
    ("pw-play", "--target={device}", "-"),
)


def find_player(which=shutil.which) -> tuple[str, ...] | None:
    for candidate in _PLAYERS:
        if which(candidate[0]):
            return candidate
    return None


def _player_command(template: Sequence[str], device: str | None) -> list[str]:
    """Fill in {device}; without a device, drop the argument (and a bare flag before it)."""
    out: list[str] = []
    for arg in template:
        if "{device}" in arg:
            if device:
                out.append(arg.replace("{device}", device))
            elif out and out[-1].startswith("-") and "=" not in out[-1] and arg == "{device}":
                out.pop()
            continue
        out.append(arg)
    return out


def _audio_error(espeak_rc: int | None, player: subprocess.Popen | None, stderr: bytes) -> str | None:
    """espeak-ng exits 0 even when it found no sound card; its (and the player's) stderr tells."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    failed = [line for line in lines if "error" in line.lower()]
    if espeak_rc not in (0, None):
        return f"espeak-ng exited with {espeak_rc}: {(failed or lines or [''])[-1]}".strip(": ")
    if player is not None and player.returncode not in (0, None):
        return f"audio player exited with {player.returncode}: {(failed or lines or [''])[-1]}".strip(": ")
    if failed:
        return failed[-1]
    return None


class EspeakPlayback:
    """One espeak-ng process (plus the player it feeds), in a process group of its own."""

    def __init__(self, espeak: subprocess.Popen, player: subprocess.Popen | None, text: str,
                 stderr_fd: int | None = None) -> None:
        self.espeak = espeak
        self.player = player
        self.done = threading.Event()
        self.cancelled_at: float | None = None
        self.ended_at: float | None = None
        self.error: str | None = None  # set when the utterance ended by itself but was not heard
        self._pgid = espeak.pid
        self._lock = threading.Lock()
        threading.Thread(target=self._feed_and_wait, args=(text, stderr_fd), name="espeak-wait", daemon=True).start()

    def _feed_and_wait(self, text: str, stderr_fd: int | None) -> None:
        try:
            assert self.espeak.stdin is not None
            self.espeak.stdin.write(text.encode("utf-8"))
            self.espeak.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # cut off before it read everything
        errors = b""
        if stderr_fd is not None:
            # Both processes share this pipe; EOF means both have exited.
            with os.fdopen(stderr_fd, "rb") as stderr:
                for chunk in iter(lambda: stderr.read(4096), b""):
                    errors = (errors + chunk)[-2048:]
        self.espeak.wait()
        if self.player is not None:
            self.player.wait()
        if self.cancelled_at is None:
            self.error = _audio_error(self.espeak.returncode, self.player, errors)
        self.ended_at = time.monotonic()
        self.done.set()

    def _signal(self, sig: int) -> None:
        with self._lock:
            if self.done.is_set():
                return
            try:
                os.killpg(self._pgid, sig)
            except ProcessLookupError:
                pass

    def cancel(self) -> None:
        self.cancelled_at = time.monotonic()
        # SIGKILL, not SIGTERM: the sound must stop now, and a stopped (paused) group dies too.
        self._signal(signal.SIGKILL)
        if self.player is not None and not self.done.is_set():
            try:
                self.player.kill()  # in case it never made it into the group (espeak already gone)
            except ProcessLookupError:
                pass

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in (self.espeak, self.player) if p is not None]


class EspeakEngine(SpeechEngine):
    """Speaks through `espeak-ng`. Audio goes to `player` (a command reading WAV on stdin, e.g.
    aplay), found automatically when not given; with no player espeak-ng plays it itself."""

    name = "espeak"

    def __init__(
        self,
        *,
        voices: dict[str, str] | None = None,
        player: Sequence[str] | None = None,
        devices: dict[str, str] | None = None,
        executable: str = "espeak-ng",
        auto_player: bool = True,
    ) -> None:
        path = shutil.which(executable)
        if path is None:
            raise DeviceUnavailable(f"speech: {executable} is not installed")
        self.executable = path
        self.voices = dict(voices or {"bg": "bg", "en": "en"})
        self.player = tuple(player) if player else (find_player() if auto_player else None)
        self.devices = dict(devices or {})
        self.last_playback: EspeakPlayback | None = None

    def command(self, lang: str, rate_step: int, volume_step: int, *, wav_path: str | None = None,
                to_stdout: bool = False) -> list[str]:
        cmd = [self.executable, "-v", self.voices.get(lang, lang), "-s", str(RATE_WPM[rate_step]),
               "-a", str(AMPLITUDE[volume_step]), "--stdin"]
        if wav_path:
            cmd += ["-w", wav_path]
        elif to_stdout:
            cmd.append("--stdout")
        return cmd

    def start(self, utterance: Utterance, *, rate_step: int, volume_step: int, output: str) -> EspeakPlayback:
        text = utterance.spoken_text or utterance.text
        cmd = self.command(utterance.lang, rate_step, volume_step, to_stdout=self.player is not None)
        err_read, err_write = os.pipe()
        try:
            espeak = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE if self.player else subprocess.DEVNULL,
                stderr=err_write,
                process_group=0,  # a group of its own (same session, so the player can join it)
            )
            player = None
            if self.player:
                try:
                    player = subprocess.Popen(
                        _player_command(self.player, self.devices.get(output)),
                        stdin=espeak.stdout,
                        stdout=subprocess.DEVNULL,
                        stderr=err_write,
                        process_group=espeak.pid,  # one killpg silences both
                    )
                except OSError as exc:
                    os.killpg(espeak.pid, signal.SIGKILL)
                    espeak.wait()
                    os.close(err_read)
                    raise DeviceUnavailable(f"speech: cannot start player {self.player[0]}: {exc}") from exc
                finally:
                    assert espeak.stdout is not None
                    espeak.stdout.close()  # the player owns the pipe now
        finally:
            os.close(err_write)
        playback = EspeakPlayback(espeak, player, text, err_read)
        self.last_playback = playback
        return playback

    def health(self) -> Health:
        detail = {"engine": self.name, "player": self.player[0] if self.player else "espeak-ng"}
        if not os.access(self.executable, os.X_OK):
            return Health(DeviceState.OFFLINE, f"{self.executable} is gone", detail)
        if self.player and shutil.which(self.player[0]) is None:
            return Health(DeviceState.OFFLINE, f"audio player {self.player[0]} is not installed", detail)
        last = self.last_playback
        if last is not None and last.done.is_set() and last.error:
            return Health(DeviceState.OFFLINE, f"no sound: {last.error}", detail)
        return Health(DeviceState.OK, None, detail)

    def synthesize_to_wav(self, text: str, lang: str, path: str | Path, *, rate_step: int = 3,
                          volume_step: int = 3, timeout: float = 60.0) -> Path:
        path = Path(path)
        result = subprocess.run(
            self.command(lang, rate_step, volume_step, wav_path=str(path)),
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
        )
        if result.returncode != 0 or not path.exists():
            raise DeviceUnavailable(f"speech: espeak-ng failed: {result.stderr.decode(errors='replace').strip()}")
        return path


def synthesize_to_wav(text: str, lang: str, path: str | Path, *, voices: dict[str, str] | None = None,
                      rate_step: int = 3, volume_step: int = 3) -> Path:
    """Write `text` spoken in `lang` to a WAV file with espeak-ng (`espeak-ng -v bg -w out.wav`)."""
    engine = EspeakEngine(voices=voices, auto_player=False)
    return engine.synthesize_to_wav(text, lang, path, rate_step=rate_step, volume_step=volume_step)
