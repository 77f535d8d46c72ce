"""Catalogue search: Latin↔Cyrillic per the Bulgarian Transliteration Act, tolerant of typos."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz import fuzz

# Закон за транслитерацията (2009), чл. 1: the official Cyrillic → Latin table.
_BG_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}
# The act's one exception: "ия" at the end of a word is "ia" (София → Sofia).
_WORD_FINAL_IA = re.compile(r"ия\b")


def transliterate(text: str) -> str:
    """Cyrillic → Latin as the Transliteration Act prescribes (lower case)."""
    text = _WORD_FINAL_IA.sub("ia", text.lower())
    return "".join(_BG_TO_LATIN.get(ch, ch) for ch in text)


def fold(text: str) -> str:
    """The form both query and catalogue are compared in: Latin, lower case, no accents."""
    text = unicodedata.normalize("NFKD", transliterate(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # people type phonetically: "c" for "ц", "w" for "в", "x" for "х", "j" for "ж"
    text = text.replace("w", "v").replace("x", "h").replace("j", "zh").replace("q", "ya")
    text = re.sub(r"c(?!h)", "ts", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass(frozen=True)
class SearchHit:
    item: object
    score: float


class SearchIndex:
    """A small in-memory index over (item, texts) pairs; the catalogue is a few hundred items."""

    def __init__(self, entries: Iterable[tuple[object, Sequence[str]]], threshold: float = 75.0) -> None:
        self.threshold = threshold
        self._entries = []
        for item, texts in entries:
            words: set[str] = set()
            folded = []
            for text in texts:
                if text:
                    f = fold(text)
                    folded.append(f)
                    words.update(f.split())
            self._entries.append((item, " ".join(folded), sorted(words)))

    def search(self, query: str, limit: int = 30) -> list[SearchHit]:
        terms = [t for t in fold(query).split() if t]
        if not terms:
            return []
        hits = []
        for item, text, words in self._entries:
            total = 0.0
            for term in terms:
                best = self._term_score(term, text, words)
                # one typo in a four-letter word is a different word ("grao" is not "grad")
                if best < (self.threshold + 10 if len(term) <= 5 else self.threshold):
                    break
                total += best
            else:
                hits.append(SearchHit(item, total / len(terms)))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    @staticmethod
    def _term_score(term: str, text: str, words: list[str]) -> float:
        if term in text:
            return 100.0
        best = 0.0
        for word in words:
            # a prefix typed so far ("nasledn") counts; so do one or two typos
            if len(term) >= 3 and word.startswith(term):
                return 99.0
            score = fuzz.ratio(term, word) if len(term) >= 4 else 0.0
            if len(term) >= 4 and len(word) > len(term):
                score = max(score, fuzz.ratio(term, word[: len(term)]) - 2)
            best = max(best, score)
        return best
