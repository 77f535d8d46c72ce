"""Catalogue search time on the full shipped catalogue (issue 11 §8: answer within 50 ms).

Figures (over a table of real queries — word forms, Latin, typos, two-word queries, codes —
each query timed as the kiosk runs it, p95 and max over ROUNDS passes):
- kiosk_search_p95: `SearchIndex.search()` (stems, prefixes, rapidfuzz over the vocabulary,
  synonyms, title weighting); target < 50 ms.
  floor: a plain case-insensitive substring scan of the same texts of the same services for the
  same queries, measured in the same run — what any search at all costs.
- kiosk_search_build: building the index (done once per catalogue version), against folding
  the same texts once (the floor).
Also prints the catalogue size, and the catalogue multiplied ×10 (a large municipality with
its mayoralties' services) as `kiosk_search_p95_x10`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.state.search import SearchIndex, fold
from server_sync.hub.catalogue_store import SHIPPED_CATALOGUE, load_catalogue_path

ROUNDS = 30
QUERIES = [
    "данък", "данъци", "данъчна", "данак", "удостоверение", "удостоверения", "удостоверние",
    "адрес", "адресна", "боклук", "наследници", "nasledn", "skica", "grao", "2013",
    "настоящ адрес", "nastoyasht adres", "семейно положение", "раждане дубликат", "паркиране",
    "у", "уд", "удо", "удос", "удост",  # typed letter by letter
]


def entries(cat, copies: int = 1):
    units = {u.id: u.name.bg for u in cat.units}
    out = []
    for copy in range(copies):
        for s in cat.services:
            out.append((f"{s.id}#{copy}", [s.name.bg, s.name.en, s.description.bg, s.description.en, *s.keywords,
                                          s.iisda_code or "", units.get(s.unit_id, "")]))
    return out


def substring_scan(rows, query: str) -> list:
    q = query.lower()
    return [item for item, texts in rows if any(q in t.lower() for t in texts if t)]


def p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]


def measure(rows) -> tuple[float, float, float, float, float]:
    t0 = time.perf_counter()
    index = SearchIndex(rows)
    build = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    for _, texts in rows:
        for text in texts:
            if text:
                fold(text)
    fold_floor = (time.perf_counter() - t0) * 1000
    ours, floor = [], []
    for _ in range(ROUNDS):
        for q in QUERIES:
            t0 = time.perf_counter()
            index.search(q)
            ours.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            substring_scan(rows, q)
            floor.append((time.perf_counter() - t0) * 1000)
    return p95(ours), max(ours), p95(floor), build, fold_floor


def main() -> None:
    cat = load_catalogue_path(SHIPPED_CATALOGUE)
    rows = entries(cat)
    print(f"catalogue: {len(rows)} services, {len(QUERIES)} queries × {ROUNDS} rounds")
    ours, worst, floor, build, fold_floor = measure(rows)
    print(f"max {worst:.2f}ms; target p95 < 50 ms: {'met' if ours < 50 else 'MISSED'}")
    print(f"RESULT kiosk_search_p95 value={ours:.3f}ms floor={floor:.3f}ms ratio={ours / floor:.1f}")
    print(f"RESULT kiosk_search_build value={build:.2f}ms floor={fold_floor:.2f}ms ratio={build / fold_floor:.1f}")
    rows10 = entries(cat, 10)
    ours10, worst10, floor10, _, _ = measure(rows10)
    print(f"×10 catalogue ({len(rows10)} services): max {worst10:.2f}ms")
    print(f"RESULT kiosk_search_p95_x10 value={ours10:.3f}ms floor={floor10:.3f}ms ratio={ours10 / floor10:.1f}")


if __name__ == "__main__":
    main()
