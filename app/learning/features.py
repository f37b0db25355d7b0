"""What the classifier reads of an item: features over the shared Persian analysis.

The item is the one ``app.rules.analysis.AnalyzedItem`` that routing, the question detector and
the alerts already made (the title and the lead of the body, tokenized by the search index's
analyzer), so learning costs no second tokenizing and sees every spelling as search does:

- ``s:`` a word's stem (``«تانکرها»`` and ``«تانکر»`` are one feature), ``w:`` the word itself
  (normalized) where it has no stem;
- ``p:`` two neighbouring words, each by its stem («قطعی آب», «آب شرب»);
- ``c:`` character 3- and 4-grams of each word with its edges marked («<تان», «کرها>»): the
  words the stemmer does not know, misspellings and compounds written apart still share some.

Title words count ``TITLE_WEIGHT`` times. Stop words («از», «که», «این» …) give no feature.
``Features.words`` keeps, for each feature, the word as the item writes it: the explanation
shown to staff («پیشنهاد سامانه: قطعی، آب شرب») is made of those words, never of n-grams.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.rules.analysis import AnalyzedItem
from search_index.persian import is_stopword
from search_index.stemmer import STEM_MARK

TITLE_WEIGHT = 2
NGRAMS = (3, 4)


class Features:
    """Feature counts of one item and, for each feature, the words of the item that gave it."""

    __slots__ = ("counts", "words")

    def __init__(self) -> None:
        self.counts: dict[str, float] = {}
        self.words: dict[str, str] = {}

    def add(self, feature: str, weight: float, word: str) -> None:
        counts = self.counts
        counts[feature] = counts.get(feature, 0.0) + weight
        if feature not in self.words:
            self.words[feature] = word


@dataclass
class Example:
    """One labelled item: its features and, per label it carries, True (belongs) or False."""
    features: Features
    labels: dict[str, bool]
    key: str = ""  # where it came from (an item id, an article link)


@lru_cache(maxsize=100_000)
def char_ngrams(term: str) -> tuple[str, ...]:
    """``c:`` features of one normalized word: its 3- and 4-grams with the word's edges marked."""
    marked = f"<{term}>"
    return tuple(f"c:{marked[i:i + n]}" for n in NGRAMS for i in range(len(marked) - n + 1))


def _wordish(term: str) -> bool:
    return term[:1].isalpha() and not is_stopword(term)


def item_features(item: AnalyzedItem) -> Features:
    """The features of an analyzed item (title counted ``TITLE_WEIGHT`` times)."""
    features = Features()
    for name, weight in (("title", TITLE_WEIGHT), ("body", 1)):
        _field_features(features, item.fields[name], item.texts[name], weight)
    return features


def _field_features(features: Features, index: dict, text: str, weight: float) -> None:
    words: dict[int, tuple[str, str]] = {}  # position → (normalized word, as written)
    stems: dict[int, str] = {}
    for term, positions in index.items():
        if term.startswith(STEM_MARK):
            base = term[len(STEM_MARK):]
            for pos, (nxt, _start, _end) in positions.items():
                if nxt == pos + 1:
                    stems[pos] = base
            continue
        for pos, (nxt, start, end) in positions.items():
            if nxt == pos + 1:  # one word (joined clitic pairs and compound joins span more)
                words[pos] = (term, text[start:end])
    base_at: dict[int, tuple[str, str]] = {}
    add = features.add
    for pos, (term, written) in words.items():
        if not _wordish(term):
            continue
        base = stems.get(pos)
        if base is not None and not is_stopword(base):
            add("s:" + base, weight, written)
            base_at[pos] = (base, written)
        else:
            add("w:" + term, weight, written)
            base_at[pos] = (term, written)
        for gram in char_ngrams(term):
            add(gram, weight, written)
    for pos, (base, written) in base_at.items():
        following = base_at.get(pos + 1)
        if following is not None:
            add(f"p:{base} {following[0]}", weight, f"{written} {following[1]}")
