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

from app.rules.analysis import AnalyzedItem, one_position
from search_index.persian import is_stopword, stopwords

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
    """One labelled item: its features and, per label it carries, True (belongs) or False.

    ``features``: a ``Features``, or a ``training.FeatureTable`` row when the caller interned the
    items as it read them (then ``train`` is given the table): 20,000 items as ``Features`` take
    ~2.8 GB, as rows ~0.2 GB."""
    features: Features  # or training.Row
    labels: dict[str, bool]
    key: str = ""  # where it came from (an item id, an article link)


@lru_cache(maxsize=100_000)
def char_ngrams(term: str) -> tuple[str, ...]:
    """``c:`` features of one normalized word: its 3- and 4-grams with the word's edges marked."""
    marked = f"<{term}>"
    return tuple(f"c:{marked[i:i + n]}" for n in NGRAMS for i in range(len(marked) - n + 1))


@lru_cache(maxsize=100_000)
def _word_grams(term: str) -> tuple[str, ...] | None:
    """``char_ngrams`` of a term that gives features, None for one that gives none (a stop word,
    a number): one cached lookup per word in the hot loop."""
    if not term[:1].isalpha() or is_stopword(term):
        return None
    return char_ngrams(term)


@lru_cache(maxsize=100_000)
def _gives_features(term: str) -> bool:
    """``_word_grams(term) is not None`` without making the n-grams (a model without them)."""
    return term[:1].isalpha() and not is_stopword(term)


class Keep:
    """The word and pair features a model knows: ``item_features(item, keep=…)`` adds no other
    (the model would ignore them), and forms a pair's name only after its first word.

    For the reading without n-grams (``_known_features``): ``pairs``, first word → second word →
    the pair's feature name (a pair is looked up, never spelt, and only after a first word the
    model knows one for); ``terms`` and ``bases``, what a term and a stem base give, worked out
    once per spelling and model (``CACHED`` of each at most: a running worker's caches stay
    bounded)."""

    __slots__ = ("bases", "names", "pair_heads", "pairs", "terms")

    def __init__(self, names) -> None:
        self.names = frozenset(name for name in names if not name.startswith("c:"))
        self.pair_heads = frozenset(name[2:].split(" ", 1)[0] for name in self.names if name.startswith("p:"))
        self.pairs: dict[str, dict[str, str]] = {}
        for name in self.names:
            if name.startswith("p:"):
                head, _, tail = name[2:].partition(" ")
                self.pairs.setdefault(head, {})[tail] = name
        self.terms: dict[str, str | None] = {}
        self.bases: dict[str, str | None] = {}

    def term(self, term: str) -> str | None:
        """What a word term gives: None, no feature (a stop word, a number, a stem term); else its
        ``w:`` feature's name when the model knows it, "" when not (``terms``)."""
        terms = self.terms
        if len(terms) >= CACHED:
            terms.clear()
        if not _gives_features(term):
            given = terms[term] = None
            return given
        feature = "w:" + term
        given = terms[term] = feature if feature in self.names else ""
        return given

    def base(self, base: str) -> str | None:
        """What a stem base gives: None, none (a stop word: the word's own ``w:`` feature then);
        else its ``s:`` feature's name when the model knows it, "" when not (``bases``)."""
        bases = self.bases
        if len(bases) >= CACHED:
            bases.clear()
        if base in stopwords():
            given = bases[base] = None
            return given
        feature = "s:" + base
        given = bases[base] = feature if feature in self.names else ""
        return given


CACHED = 100_000


def item_features(item: AnalyzedItem, *, ngrams: bool = True, keep: Keep | None = None) -> Features:
    """The features of an analyzed item (title counted ``TITLE_WEIGHT`` times); ``ngrams=False``:
    without the ``c:`` features (the same others), for a model that has none
    (``TextModel.uses_ngrams``), at about two thirds of the cost; ``keep``: only the word and
    pair features a model knows (the same counts and words for those: classifying at ingest)."""
    features = Features()
    for name, weight in (("title", TITLE_WEIGHT), ("body", 1)):
        index, stems = item.fields[name], item.stems_at(name)
        if stems is None:  # read from the index alone: each one-position word is a group of its own
            words, stems = one_position(index)
            groups = [(term, {pos: (pos + 1, start, end)}) for pos, (term, start, end) in words.items()]
        else:
            groups = index.items()
        if keep is not None and not ngrams:
            _known_features(features, groups, stems, item.texts[name], float(weight), keep)
        else:
            _field_features(features, groups, stems, item.texts[name], float(weight), ngrams, keep)
    return features


def _known_features(features: Features, groups, stems: dict[int, str], text: str, weight: float,
                    keep: Keep) -> None:
    """``_field_features(…, ngrams=False, keep=keep)``, the reading at ingest, cheaper: what a term or
    a stem base gives (its feature's name, whether the model knows it) is looked up, not worked out
    at each occurrence (``Keep.term``, ``Keep.base``), and a pair is looked up by its two words
    (``Keep.pairs``), not spelt after every first word the model knows a pair for. The same
    features, counts, words and order: tests/learning/test_features.py compares the two."""
    counts, first_word = features.counts, features.words
    get = counts.get
    terms, bases, pairs = keep.terms, keep.bases, keep.pairs
    base_at: dict[int, tuple[str, int, int]] = {}  # position → (stem or word, offsets as written)
    for term, positions in groups:
        given = terms.get(term, False)
        if given is False:
            given = keep.term(term)
        if given is None:
            continue  # a stop word, a number, a stem term: no feature
        for pos, (nxt, start, end) in positions.items():
            if nxt != pos + 1:
                continue  # joined clitic pairs and compound joins span more than one word
            base = stems.get(pos)
            if base is not None:
                feature = bases.get(base, False)
                if feature is False:
                    feature = keep.base(base)
                if feature is not None:
                    base_at[pos] = (base, start, end)
                else:  # a stop word's stem: the word itself
                    base_at[pos] = (term, start, end)
                    feature = given
            else:
                base_at[pos] = (term, start, end)
                feature = given
            if feature:
                count = get(feature)
                if count is None:
                    counts[feature] = weight
                    first_word[feature] = text[start:end]  # the word as written, sliced only when kept
                else:
                    counts[feature] = count + weight
    for pos, (base, start, end) in base_at.items():
        tails = pairs.get(base)
        if tails is None:
            continue
        following = base_at.get(pos + 1)
        if following is None:
            continue
        feature = tails.get(following[0])
        if feature is None:
            continue
        count = get(feature)
        if count is None:
            counts[feature] = weight
            first_word[feature] = f"{text[start:end]} {text[following[1]:following[2]]}"
        else:
            counts[feature] = count + weight


def _field_features(features: Features, groups, stems: dict[int, str], text: str, weight: float,
                    ngrams: bool = True, keep: Keep | None = None) -> None:
    """Add one field's features, in the order and with the counts the plain reading gives: word by
    word, its stem or word, its character n-grams, then the pairs. ``groups``: (term, position →
    (next, start, end)) in the term index's order (the index's items), of which the one-position
    entries of word terms are read; ``stems``: position → stem base (``AnalyzedItem.stems_at``).

    Hot (it runs on every routed item): what depends on the word alone is decided once per term;
    a word's n-grams are added once per distinct word with its first spelling, and counted again
    for its other occurrences at the end (same insertion order and same sums as adding them at
    every occurrence, the counts being small integers); no method call per feature.
    tests/learning/test_features.py compares it with the plain reading on the real articles.
    """
    counts, first_word = features.counts, features.words
    get = counts.get
    stop, word_grams = stopwords(), _word_grams
    known, heads = (keep.names, keep.pair_heads) if keep is not None else (None, None)
    gives = _gives_features  # for a model without n-grams: none made
    base_at: dict[int, tuple[str, int, int]] = {}  # position → (stem or word, offsets as written)
    again: dict[str, int] = {}  # word → occurrences after its first (its n-grams counted at the end)
    for term, positions in groups:
        if ngrams:  # a stop word, a number, a stem term («~…»: STEM_MARK is no letter): no feature
            grams = word_grams(term)
            if grams is None:
                continue
        elif not gives(term):
            continue
        for pos, (nxt, start, end) in positions.items():
            if nxt != pos + 1:
                continue  # joined clitic pairs and compound joins span more than one word
            base = stems.get(pos)
            if base is not None and base not in stop:
                feature = "s:" + base
                base_at[pos] = (base, start, end)
            else:
                feature = "w:" + term
                base_at[pos] = (term, start, end)
            if known is None or feature in known:
                count = get(feature)
                if count is None:
                    counts[feature] = weight
                    first_word[feature] = text[start:end]  # the word as written, sliced only when kept
                else:
                    counts[feature] = count + weight
            if not ngrams:
                continue
            written = text[start:end]
            seen = again.get(term)
            if seen is not None:
                again[term] = seen + 1
                continue
            again[term] = 0
            for gram in grams:
                count = get(gram)
                if count is None:
                    counts[gram] = weight
                    first_word[gram] = written
                else:
                    counts[gram] = count + weight
    for term, extra in again.items():
        if extra:
            more = weight * extra
            for gram in word_grams(term):
                counts[gram] += more
    for pos, (base, start, end) in base_at.items():
        following = base_at.get(pos + 1)
        if following is not None:
            if heads is not None and base not in heads:
                continue
            feature = f"p:{base} {following[0]}"
            if known is not None and feature not in known:
                continue
            count = get(feature)
            if count is None:
                counts[feature] = weight
                first_word[feature] = f"{text[start:end]} {text[following[1]:following[2]]}"
            else:
                counts[feature] = count + weight
