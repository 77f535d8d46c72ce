"""Catalogue search: Latin↔Cyrillic per the Bulgarian Transliteration Act, Bulgarian word forms, tolerant of typos."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

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


# -- Bulgarian word forms ----------------------------------------------------------------------
# No maintained Bulgarian stemmer is on PyPI (BulStem's last release is from 2020), so this is a
# small suffix stripper over the folded (Latin) form, the same for the catalogue and the query:
# "данък", "данъка", "данъци", "данъчна", "данъчната" all become "danak". It only has to be
# consistent, not linguistically exact: both sides go through it.
_SUFFIXES = sorted({
    # articles and plurals of nouns: -ът/-ят, -а/-я, -та/-то/-те, -ите, -ове/-овете, -ища
    "at", "yat", "a", "ya", "i", "o", "e", "ta", "to", "te", "ite", "ata", "oto", "eto",
    "ove", "ovete", "eve", "evete", "ishta", "ishtata",
    # -ие/-ия: удостоверение, удостоверения, удостоверението, удостоверенията
    "ie", "ia", "iya", "ieto", "iyata", "iite", "iyat",
    # adjectives: -ен/-на/-но/-ни (+ articles), -ски/-ска/-ско (+ articles)
    "en", "na", "no", "ni", "niyat", "niya", "nata", "noto", "nite", "ski", "ska", "sko", "skiyat",
    "skata", "skoto", "skite",
}, key=len, reverse=True)
_MIN_STEM = 3
# the stem's last consonant alternates in inflection: данък/данъци/данъчна, книга/книжка
_ALTERNATION = (("ts", "k"), ("ch", "k"), ("zh", "g"))
# what citizens say and what the catalogue calls it ("боклук" is "смет", "сметосъбиране")
_SYNONYMS_BG = [
    ("боклук", "смет", "сметосъбиране", "отпадъци"),
    ("кола", "автомобил", "мпс"),
    ("къща", "жилище", "имот"),
    ("развод", "семейно положение"),
    ("пенсия", "осигурителен"),
    ("смяна", "промяна"),  # "смяна на адрес": the catalogue says "промяна"
    ("сменя", "променя"),
]


# Prepositions and conjunctions (folded, as the query's words are): every other word of a query must
# match, these need not ("удостоверение за наследници", "смяна на адрес", "certificate of heirs").
_FUNCTION_WORDS = frozenset(fold("на за и в във с със от по до при към или ли се да а но the of for a an to in on and or").split())


def stem(word: str) -> str:
    """The folded (Latin) word without its inflection (see above)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    for ending, replacement in _ALTERNATION:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + replacement
    return word


def _synonym_table() -> dict[str, list[list[str]]]:
    table: dict[str, list[list[str]]] = {}
    for group in _SYNONYMS_BG:
        forms = [[stem(w) for w in fold(phrase).split()] for phrase in group]
        for i, form in enumerate(forms):
            if len(form) == 1:
                table.setdefault(form[0], []).extend(f for j, f in enumerate(forms) if j != i)
    return table


_SYNONYMS = _synonym_table()

#: a hit in the item's title ranks above a hit elsewhere (description, keywords, unit)
TITLE_WEIGHT, OTHER_WEIGHT = 1.0, 0.8


@dataclass(frozen=True)
class SearchHit:
    item: object
    score: float


class SearchIndex:
    """An in-memory index over (item, texts) pairs; the catalogue is a few hundred items.

    The first `title_fields` texts of an entry are its title (Bulgarian and English names): a
    match there ranks above one in the other texts. Words match by their stem (word forms), by a
    prefix typed so far, and with one or two typos (rapidfuzz over the vocabulary's stems)."""

    def __init__(self, entries: Iterable[tuple[object, Sequence[str]]], threshold: float = 80.0,
                 title_fields: int = 2) -> None:
        self.threshold = threshold
        self._items: list[object] = []
        self._texts: list[str] = []
        # stem → {entry index: weight}: every entry a word form occurs in, at its best weight
        self._postings: dict[str, dict[int, float]] = {}
        for n, (item, texts) in enumerate(entries):
            self._items.append(item)
            folded = []
            for i, text in enumerate(texts):
                if not text:
                    continue
                f = fold(text)
                folded.append(f)
                weight = TITLE_WEIGHT if i < title_fields else OTHER_WEIGHT
                for word in f.split():
                    posting = self._postings.setdefault(stem(word), {})
                    if posting.get(n, 0.0) < weight:
                        posting[n] = weight
            self._texts.append(" ".join(folded))
        self._vocabulary = sorted(self._postings)

    def search(self, query: str, limit: int = 30) -> list[SearchHit]:
        terms = [t for t in fold(query).split() if t]
        # "смяна на адрес": a preposition or conjunction need not occur in the service's texts
        terms = [t for t in terms if t not in _FUNCTION_WORDS] or terms
        if not terms:
            return []
        totals: dict[int, float] | None = None
        for term in terms:
            scores = self._term_scores(term)
            if totals is None:
                totals = scores
            else:  # every word of the query must match
                totals = {n: totals[n] + s for n, s in scores.items() if n in totals}
            if not totals:
                return []
        hits = [SearchHit(self._items[n], score / len(terms)) for n, score in totals.items()]
        hits.sort(key=lambda h: -h.score)  # stable: equal scores keep the catalogue's order
        return hits[:limit]

    def _term_scores(self, term: str) -> dict[int, float]:
        """entry index → how well `term` matches it (0–100, weighted by the field)."""
        scores: dict[int, float] = {}

        def add(word_stem: str, score: float) -> None:
            for n, weight in self._postings[word_stem].items():
                value = score * weight
                if value > scores.get(n, 0.0):
                    scores[n] = value

        s = stem(term)
        cutoff = self.threshold + 10 if len(s) <= 5 else self.threshold  # "grao" is not "grad"
        for word_stem in self._vocabulary:
            if word_stem == s:
                add(word_stem, 100.0)
            elif len(term) >= 3 and word_stem.startswith(term):
                add(word_stem, 97.0)  # a prefix typed so far ("nasledn")
        if len(s) >= 4:
            for word_stem, score, _ in process.extract(s, self._vocabulary, scorer=fuzz.ratio,
                                                       score_cutoff=cutoff, limit=None):
                add(word_stem, score - 5)  # a typo ranks below the word itself
        for alternative in _SYNONYMS.get(s, []):
            # a single-word synonym ("боклук" → "смет"); a phrase needs all its words in one entry
            found: dict[int, float] | None = None
            for word in alternative:
                here = {n: w for n, w in self._postings.get(word, {}).items()}
                found = here if found is None else {n: min(found[n], w) for n, w in here.items() if n in found}
            for n, weight in (found or {}).items():
                scores[n] = max(scores.get(n, 0.0), 90.0 * weight)
        if term.isdigit() or len(term) >= 4:
            # codes and parts of words ("2013", "UP-2"): a plain substring still counts
            for n, text in enumerate(self._texts):
                if term in text and scores.get(n, 0.0) < 95.0 * OTHER_WEIGHT:
                    scores[n] = 95.0 * OTHER_WEIGHT
        return scores
