"""A silent audio sink that consumes a WAV stream at real-time pace (headless terminals, tests, benches).

Usage: espeak-ng --stdout ... | python -m hardware.speech.nullsink
It behaves like `aplay` with no sound card: the pipeline lasts as long as the speech would.
"""

from __future__ import annotations

import struct
import sys
import time


def main() -> int:
    stdin = sys.stdin.buffer
    header = stdin.read(44)
    if len(header) < 44 or header[:4] != b"RIFF":
        return 0
    channels, rate = struct.unpack_from("<HI", header, 22)
    bits = struct.unpack_from("<H", header, 34)[0]
    bytes_per_second = max(1, channels * rate * bits // 8)
    started = time.monotonic()
    consumed = 0
    while True:
        chunk = stdin.read1(4096) if hasattr(stdin, "read1") else stdin.read(4096)
        if not chunk:
            break
        consumed += len(chunk)
        ahead = consumed / bytes_per_second - (time.monotonic() - started)
        if ahead > 0:
            time.sleep(ahead)
    return 0


if __name__ == "__main__":
    sys.exit(main())
