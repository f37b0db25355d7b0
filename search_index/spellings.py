"""Search-time expansion of a query's words against an engine's index vocabulary: ``Spellings``,
the one query node every engine reads (``whoosh_backend``, ``tantivy_backend``), and the
two-part spellings of a joined word the index supports (``lexicon_splits``). Built by
``search_index.query`` from what the user typed.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Protocol

from whoosh import query as wq

from search_index.form_matching import (
    AnyOf,
    BoostedTerm,
    PhraseSet,
    stem_adds_documents,
)
from search_index.persian import is_stopword
from search_index.query_syntax import after_article, may_split, stopword_compound
from search_index.segment_cache import SegmentCache, segments_key

MAX_PHRASE_VARIANTS = 8
FORM_BOOST = 0.4  # weight of a match on another form of a word (its stem) against the exact form
# weight of a match on a word of another sense searched with it, an office's holder («فرمانداری»: «فرماندار»): a title
# naming the governor ranked above the governorate's own articles (round 45's dev, «فرمانداری» 0.666; session 46)
FAR_BOOST = FORM_BOOST * FORM_BOOST



def lexicon_splits(reader: Vocabulary, fieldname: str, word: str) -> list[tuple[str, str]]:
    """Two-part spellings of a joined word whose parts are each in at least as many documents.

    A real word («ایران») is far more frequent than the accidental halves it contains; a
    compound («روابطعمومی») is rarer than its parts, which also occur on their own. A stop word
    is no half («بر» + «اساس», «است» + «راحت», «یا» + «بند» would match other words' phrases),
    but before a half that begins with the Arabic article («بین» + «المللی», «غیر» + «الهی»):
    such a half stands after its first half only. A noun of hazm's lexicon with a stop-word half
    that is a word of it too (``stopword_compound``: «پیش» + «بینی», «خاطر» + «نشان») is a compound
    by the lexicon's word, whatever the counts: its halves need only be in the index («خاطر» alone
    is rarer than «خاطرنشان»).

    A name splits only as ``may_split`` lets it («زنجان» found «هزار زن جان خود را…»: a review of
    search, round 7). Other words of the lexicon still split by the counts («سرزمین» finds «بر سر
    زمین», ranked low): barred too, the compounds typed joined lost their spellings apart (variant
    recall 0.951 → 0.654).
    """
    if len(word) < 4 or not word.isalpha() or word.isascii():
        return []
    whole = reader.doc_frequency(fieldname, word)
    splits = []
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        if is_stopword(right) or (is_stopword(left) and not after_article(right)):
            if stopword_compound(left, right) and reader.doc_frequency(fieldname, left) \
                    and reader.doc_frequency(fieldname, right):
                splits.append((left, right))
            continue
        if not may_split(word, left, right):
            continue
        left_df = reader.doc_frequency(fieldname, left)
        if left_df and left_df >= whole and reader.doc_frequency(fieldname, right) >= max(whole, 1):
            splits.append((left, right))
    return splits


class Vocabulary(Protocol):
    """What expanding a query asks of an engine's index (``Spellings.alternatives``)."""

    def positional(self, fieldname: str) -> bool:
        """Whether the field keeps positions (phrases can match)."""

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """Documents holding ``term`` in the field."""

    def has_terms(self, fieldname: str, terms: Sequence[str]) -> bool:
        """True when every term is in the index (else the sequence cannot match anything)."""


class WhooshVocabulary:
    """``Vocabulary`` over a Whoosh reader."""

    def __init__(self, reader, whole=None):
        self.reader = reader
        self.whole = reader if whole is None else whole  # whose document counts choose the splits

    def positional(self, fieldname: str) -> bool:
        schema = self.reader.schema
        return fieldname in schema and schema[fieldname].format.supports("positions")

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return self.whole.doc_frequency(fieldname, term)

    def has_terms(self, fieldname: str, terms: Sequence[str]) -> bool:
        reader = self.reader
        if fieldname not in reader.schema:
            return False
        field = reader.schema[fieldname]
        try:
            return all((fieldname, field.to_bytes(term)) in reader for term in terms)
        except ValueError:
            return False


_EXPANSIONS = SegmentCache(4096)  # expanded spellings: (segments, prune, Spellings) → query


class Spellings(wq.Query):
    """Alternative term sequences (a term or a phrase each) in one field; at search time each
    word may also take a two-part spelling found by ``lexicon_splits``; ``terms`` are more
    alternatives taken as they are (not split). Duplicates, and spellings with a term the index
    does not have, are dropped: a dead alternative costs a matcher call per match. ``quoted``: a
    «"…"» phrase of the query, whose words are marked only where the phrase stands
    (``phrase_marks.highlight_terms``)."""

    def __init__(self, fieldname: str, variants: Iterable[Sequence[str]], boost: float = 1.0,
                 terms: Iterable[str] = (), forms: Iterable[Sequence[str]] = (), quoted: bool = False,
                 far: Iterable[Sequence[str]] = ()):
        self.fieldname = fieldname
        self.quoted = quoted
        self.variants = list(dict.fromkeys(tuple(v) for v in variants if v))
        self.plain_terms = [t for t in dict.fromkeys(terms) if (t,) not in self.variants]
        self.forms = [f for f in dict.fromkeys(tuple(f) for f in forms if f)
                      if f not in self.variants and (len(f) > 1 or f[0] not in self.plain_terms)]
        self.far = frozenset(f for f in dict.fromkeys(tuple(f) for f in far if f)
                             if f not in self.variants and f not in self.forms and (len(f) > 1 or f[0] not in self.plain_terms))
        self.forms += [f for f in dict.fromkeys(tuple(f) for f in far if f) if f in self.far]  # weighed ``FAR_BOOST``
        self.boost = boost
        self._expanded: dict[bool, tuple[object, object, wq.Query]] = {}

    def __eq__(self, other):
        return (type(self) is type(other) and self.fieldname == other.fieldname
                and self.variants == other.variants and self.plain_terms == other.plain_terms
                and self.forms == other.forms and self.boost == other.boost and self.quoted == other.quoted
                and self.far == other.far)

    def __hash__(self):
        return hash((self.fieldname, tuple(self.variants), tuple(self.plain_terms), tuple(self.forms),
                     self.boost, self.quoted, self.far))

    def __repr__(self):
        return (f"Spellings({self.fieldname!r}, {self.variants!r}, boost={self.boost}, "
                f"terms={self.plain_terms!r}, forms={self.forms!r}, quoted={self.quoted}, far={sorted(self.far)!r})")

    def is_leaf(self):
        return True

    def field(self):
        return self.fieldname

    def has_terms(self):
        return True

    def terms(self, phrases=False):
        for variant in self.variants:
            if phrases or len(variant) == 1:
                for word in variant:
                    yield self.fieldname, word
        for term in self.plain_terms:
            yield self.fieldname, term
        for form in self.forms:
            if phrases or len(form) == 1:
                for word in form:
                    yield self.fieldname, word

    def expand(self, reader, prune: bool = False, whole=None) -> wq.Query:
        """The plain Whoosh query: an Or of the spellings, split by ``reader``'s vocabulary.

        With ``prune`` (the matcher's query, for one segment) a stem term that adds no document
        of ``reader`` to the exact term is left out (``form_matching.stem_adds_documents``): the
        same documents for one posting list. Without it (the terms to highlight and to look for
        in titles) every term that may match is there. ``whole``: the reader of the whole index
        when ``reader`` reads one segment of it — a word's two-part spellings are chosen by the
        whole index's document counts, as tantivy chooses them (by one segment's, a new segment
        of a few items split «بویراحمد» where the rest of the index did not: the engines gave other
        hits, and a search found an item only until the segments merged; a review of search, round 2)."""
        whole = reader if whole is None else whole
        cached = self._expanded.get(prune)
        if cached is None or cached[0] is not reader or cached[1] is not whole:
            key = segments_key(reader)
            whole_key = key if whole is reader else segments_key(whole)
            cache_key = (key, whole_key, prune, self)
            expanded = _EXPANSIONS.get(cache_key) if key is not None else None
            if expanded is None:
                expanded = self._expand(reader, prune, whole)
                if key is not None:
                    _EXPANSIONS.put(cache_key, expanded)
            cached = self._expanded[prune] = (reader, whole, expanded)
        return cached[2]

    def alternatives(self, vocabulary: Vocabulary) -> dict[tuple[str, ...], float]:
        """The term sequences that may match, each with its boost, in an engine's vocabulary:
        each word with its two-part spellings (``lexicon_splits``), the plain terms, and the word
        forms (``FORM_BOOST``); a sequence with a term the index lacks is left out. The one
        reading of a ``Spellings`` that every engine shares (``whoosh_backend``, ``tantivy_backend``)."""
        name = self.fieldname
        positional = vocabulary.positional(name)
        # A quoted single word asks for that form only: not «زن جان» for «"زنجان"» (a review of search).
        may_split = positional and not (self.quoted and all(len(v) == 1 for v in self.variants))
        splits: dict[str, list[tuple[str, ...]]] = {}
        sequences: dict[tuple[str, ...], None] = {}
        for variant in self.variants:
            options = []
            for word in variant:
                if word not in splits:
                    found = lexicon_splits(vocabulary, name, word) if may_split else []
                    splits[word] = [(word,), *found]
                options.append(splits[word])
            combos = itertools.product(*options)
            for combo in itertools.islice(combos, MAX_PHRASE_VARIANTS):
                sequences[tuple(t for option in combo for t in option)] = None
        for term in self.plain_terms:
            sequences.setdefault((term,), None)
        boosts = dict.fromkeys(sequences, self.boost)
        for form in self.forms:  # other word forms: lower weight, so exact forms rank first
            boosts.setdefault(form, self.boost * (FAR_BOOST if form in self.far else FORM_BOOST))
        return {seq: boost for seq, boost in boosts.items()
                if (len(seq) == 1 or positional) and vocabulary.has_terms(name, seq)}

    def _expand(self, reader, prune: bool = False, whole=None) -> wq.Query:
        name = self.fieldname
        present = self.alternatives(WhooshVocabulary(reader, whole))
        # the exact spellings (a word form that is also a spelling has the spelling's boost)
        sequences = {seq for seq, boost in present.items() if boost == self.boost}
        if prune:
            exact = [seq[0] for seq in sequences if len(seq) == 1 and seq in present]
            for form in self.forms:
                if len(form) == 1 and form in present and exact and form not in sequences \
                        and not stem_adds_documents(reader, name, form[0], exact):
                    del present[form]
        queries = [BoostedTerm(name, seq[0], boost=boost) for seq, boost in present.items() if len(seq) == 1]
        by_length: dict[int, dict[tuple[str, ...], float]] = {}
        for seq, boost in present.items():
            if len(seq) > 1:
                by_length.setdefault(len(seq), {})[seq] = boost
        for phrases in by_length.values():
            if prune and len(phrases) > 1:  # one pass for phrases that share their common words
                queries.append(PhraseSet(name, phrases))
            else:
                queries += [wq.Phrase(name, list(seq), boost=boost) for seq, boost in phrases.items()]
        if not queries:
            return wq.NullQuery
        # Spellings of one word are one concept: score by the best, not the sum.
        if len(queries) == 1:
            return queries[0]
        return AnyOf(queries) if prune else wq.DisjunctionMax(queries)

    def expanded_terms(self, ixreader, phrases=True):
        return self.expand(ixreader).iter_all_terms(phrases=phrases)

    def estimate_size(self, ixreader):
        return self.expand(ixreader).estimate_size(ixreader)

    def matcher(self, searcher, context=None):
        top = searcher.get_parent() if searcher.has_parent() else searcher  # a segment's searcher: the index's
        return self.expand(searcher.reader(), prune=True, whole=top.reader()).matcher(searcher, context)


def far_terms(query: wq.Query) -> frozenset[str]:
    """The terms of ``query`` that only a ``Spellings``' ``far`` forms ask (an office's holder, «فرماندار» for
    «فرمانداری»): the title bonus leaves them out, as it weighs every term alike: a title naming the governor
    ranked above the governorate's own articles (round 45's dev, «فرمانداری»; session 46)."""
    far: set[str] = set()
    near: set[str] = set()
    for leaf in (query,) if query.is_leaf() else query.leaves():
        if isinstance(leaf, Spellings):
            far |= {f[0] for f in leaf.far if len(f) == 1}
            near |= {t for v in leaf.variants for t in v} | set(leaf.plain_terms)
            near |= {t for f in leaf.forms if f not in leaf.far for t in f}
    return frozenset(far - near)
