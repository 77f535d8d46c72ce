"""What the software-update offer adds to a heartbeat on the hub: `releases.service.offer_for` with
its per-process cache warm (the newest release per channel, the pilot terminals), against a plain
dict lookup measured in the same run. No database: the cache is what the hot path touches.

    .venv/bin/python bench/release_offer.py
    RESULT release_offer_per_heartbeat value=<us>us floor=<us>us ratio=<value/floor>
"""

from __future__ import annotations

import time

from server_sync.hub.releases import service
from server_sync.protocol.releases import ReleaseOffer

N = 200_000


def per_call(fn) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for i in range(N):
            fn(i)
        best = min(best, (time.perf_counter() - start) / N)
    return best * 1e6


def main() -> None:
    offer = ReleaseOffer(version="1.4.0", url="/api/v1/releases/1.4.0/bundle", sha256="0" * 64,
                         signature="A" * 88, size=1, filename="eobshtina_terminals-1.4.0-py3-none-any.whl")
    pilots = frozenset(f"K{i:02d}" for i in range(50))
    service._cache[0] = service._Offers(time.monotonic() + 1e9, {"all": offer, "pilot": offer}, pilots)
    versions = ["1.3.0", "1.4.0", "1.2.1"]
    terminals = [f"K{i:04d}" for i in range(10_000)]
    value = per_call(lambda i: service.offer_for(None, 0, terminals[i % 10_000], versions[i % 3]))
    table = {t: "1.3.0" for t in terminals}
    floor = per_call(lambda i: table.get(terminals[i % 10_000]))
    service.forget_offers()
    print(f"RESULT release_offer_per_heartbeat value={value:.2f}us floor={floor:.2f}us ratio={value / floor:.1f}")


if __name__ == "__main__":
    main()
