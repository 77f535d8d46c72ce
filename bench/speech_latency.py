"""Speech latency with the real espeak-ng engine: say() → first audio byte, and stop() → processes gone.

Floors measured in the same run: spawning and reaping `true` (what any subprocess engine
pays to start), and killing and reaping an idle `sleep` (what any cut-off pays). The sink is
a shell pipeline standing in for aplay: it reads the WAV header and one audio byte, reports
through a FIFO, then holds the pipe open without reading, so espeak-ng is still mid-utterance
when it is stopped. Targets: say → audio < 150 ms, stop → gone < 100 ms.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.speech import EspeakEngine, Speech

ROUNDS = 15
TEXT = "Добре дошли в електронната община. Изберете услуга от списъка или кажете какво търсите. " * 8


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def floor_spawn() -> float:
    samples = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        subprocess.Popen(["true"]).wait()
        samples.append(time.perf_counter() - t0)
    return _median_ms(samples)


def floor_kill() -> float:
    samples = []
    for _ in range(ROUNDS):
        p = subprocess.Popen(["sleep", "30"])
        time.sleep(0.02)
        t0 = time.perf_counter()
        p.kill()
        p.wait()
        samples.append(time.perf_counter() - t0)
    return _median_ms(samples)


def measure_speech() -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "audio-started")
        os.mkfifo(fifo)
        sink = f"dd bs=1 count=45 of=/dev/null status=none; echo x > {fifo}; exec sleep 60"
        engine = EspeakEngine(player=["sh", "-c", sink])
        speech = Speech(engine)
        to_audio: list[float] = []
        to_gone: list[float] = []
        try:
            for _ in range(ROUNDS):
                heard: dict[str, float] = {}

                def wait_for_audio() -> None:
                    with open(fifo, "rb") as f:
                        f.read(1)
                    heard["at"] = time.monotonic()

                waiter = threading.Thread(target=wait_for_audio)
                waiter.start()
                t0 = time.monotonic()
                speech.say(TEXT)
                waiter.join(timeout=30)
                if "at" not in heard:
                    raise SystemExit("espeak-ng produced no audio within 30 s")
                to_audio.append(heard["at"] - t0)
                playback = engine.last_playback
                t1 = time.monotonic()
                speech.stop()
                if not playback.done.wait(10):
                    raise SystemExit("espeak-ng was not stopped within 10 s")
                to_gone.append(playback.ended_at - t1)
                speech.wait_until_idle(10)
        finally:
            speech.close()
    return _median_ms(to_audio), _median_ms(to_gone), max(to_gone) * 1000.0


def main() -> int:
    spawn = floor_spawn()
    kill = floor_kill()
    say_ms, stop_ms, stop_worst_ms = measure_speech()
    print(f"# say->audio median over {ROUNDS}: {say_ms:.1f} ms (target < 150 ms)")
    print(f"# stop->gone median over {ROUNDS}: {stop_ms:.1f} ms, worst {stop_worst_ms:.1f} ms "
          "(target: every cut-off < 100 ms)")
    print(f"RESULT speech_say_to_audio value={say_ms:.1f}ms floor={spawn:.1f}ms ratio={say_ms / spawn:.2f}")
    print(f"RESULT speech_stop_to_silence value={stop_ms:.1f}ms floor={kill:.1f}ms ratio={stop_ms / kill:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
