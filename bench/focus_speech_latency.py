"""Keypad → speech latency through the accessibility layer, with the real espeak-ng engine.

Figures (medians over ROUNDS, on the kiosk's real welcome screen, offscreen Qt):
- focus_to_speech: a Down key press → the focus announcer's first audio byte (target < 150 ms);
  floor: `Speech.say()` of the same text straight to the engine, measured in the same run, so
  the ratio is what the accessibility layer adds.
- key_to_silence: a key press while a long text is spoken → espeak-ng gone (target < 100 ms);
  floor: `Speech.stop()` called directly.
The sink stands in for aplay (as in bench/speech_latency.py): it reads the WAV header and one
audio byte, reports through a FIFO, then holds the pipe so espeak-ng stays mid-utterance.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from hardware.speech import EspeakEngine, Speech
from kiosk.a11y import A11yConfig, AccessibilityController
from kiosk.app import KioskApp
from kiosk.demo_catalogue import demo_catalogue
from kiosk.simulated_backend import SimulatedBackend

ROUNDS = 15
LONG = "Добре дошли в електронната община. Изберете услуга от списъка. " * 10


class AudioProbe:
    """The FIFO the sink writes to when the first audio byte arrives."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.at: float | None = None
        self._thread: threading.Thread | None = None

    def arm(self) -> None:
        self.at = None

        def wait() -> None:
            with open(self.path, "rb") as f:
                f.read(1)
            self.at = time.monotonic()

        self._thread = threading.Thread(target=wait, daemon=True)
        self._thread.start()

    def wait(self, app: QApplication, timeout: float = 30.0) -> float:
        deadline = time.monotonic() + timeout
        while self._thread.is_alive():
            app.processEvents()
            self._thread.join(0.001)
            if time.monotonic() > deadline:
                raise SystemExit("espeak-ng produced no audio within 30 s")
        return self.at


def key(widget, k=Qt.Key.Key_Down) -> None:
    for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, k, Qt.KeyboardModifier.NoModifier))


def stop_everything(speech: Speech, engine: EspeakEngine) -> None:
    playback = getattr(engine, "last_playback", None)
    speech.stop()
    if playback is not None:
        playback.done.wait(10)
    speech.wait_until_idle(10)


def main() -> int:
    app = QApplication.instance() or QApplication([])
    kiosk = KioskApp(app, SimulatedBackend(demo_catalogue()), accessibility=False)
    window = kiosk.window
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    QCoreApplication.processEvents()
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "audio-started")
        os.mkfifo(fifo)
        sink = f"dd bs=1 count=45 of=/dev/null status=none; echo x > {fifo}; exec sleep 60"
        engine = EspeakEngine(player=["sh", "-c", sink])
        speech = Speech(engine)
        probe = AudioProbe(fifo)
        ctl = AccessibilityController(window, speech, A11yConfig(manage_theme=False))
        focus_ms, direct_ms, key_stop_ms, direct_stop_ms = [], [], [], []
        try:
            ctl.start_speech_mode()
            probe.arm()
            probe.wait(app)
            stop_everything(speech, engine)
            for _ in range(ROUNDS):
                # the floor: the same kind of text said straight to the engine
                probe.arm()
                t0 = time.monotonic()
                speech.say("Телефони, бутон, 5 от 8")
                direct_ms.append(probe.wait(app) - t0)
                stop_everything(speech, engine)
                # through the layer: a Down key → focus change → description spoken
                probe.arm()
                t0 = time.monotonic()
                key(app.focusWidget() or window)
                focus_ms.append(probe.wait(app) - t0)
                stop_everything(speech, engine)
                # cutting off: direct stop() vs a key press
                for sample, act in ((direct_stop_ms, speech.stop), (key_stop_ms, lambda: key(app.focusWidget() or window, Qt.Key.Key_F7))):
                    probe.arm()
                    speech.say(LONG)
                    probe.wait(app)
                    playback = engine.last_playback
                    t1 = time.monotonic()
                    act()
                    if not playback.done.wait(10):
                        raise SystemExit("espeak-ng was not stopped within 10 s")
                    sample.append(playback.ended_at - t1)
                    stop_everything(speech, engine)
        finally:
            ctl.close()
            speech.close()
            kiosk.close()
    med = lambda xs: statistics.median(xs) * 1000.0
    f, fd, k, kd = med(focus_ms), med(direct_ms), med(key_stop_ms), med(direct_stop_ms)
    print(f"# focus change -> first audio, median over {ROUNDS}: {f:.1f} ms (target < 150 ms)")
    print(f"# key press -> speech gone, median over {ROUNDS}: {k:.1f} ms (target < 100 ms)")
    print(f"RESULT focus_to_speech value={f:.1f}ms floor={fd:.1f}ms ratio={f / fd:.2f}")
    print(f"RESULT key_to_silence value={k:.1f}ms floor={kd:.1f}ms ratio={k / kd:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
