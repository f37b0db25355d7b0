"""Word forms at query time for less than two posting lists per word.

A free-text word asks for its exact spellings OR its stem term «~stem» (``query.Spellings``,
weighted ``FORM_BOOST``): two posting lists per word, walked through Whoosh's union matcher, which
made issue 10's searches ~34 % slower at 200,000 items (bench/README.md). Here:

* ``stem_adds_documents``: the stem term is indexed only where an inflected form stands, not at
  the bare form (so its document frequency says nothing about it); when every document of a
  segment that holds «~X» also holds «X», the OR adds no document and the stem term is left out
  of that segment's query. Checked per segment at each search by walking «~X»'s postings
  (usually far shorter) against «X»'s, skipping, and stopping at the first document «X» lacks.
  The same documents match; a document that holds both loses ``max(exact, FORM_BOOST × stem)``
  for the exact form's score (on the bench's 392 searches at 40,000 items: the same top 20 and
  scores to 4 decimals).
* ``BoostedTerm``: a term's boost applied by its scorer instead of Whoosh's ``WrappingMatcher``
  (the same scores, one Python call less at every step of the stem term's matcher).
* ``ExactPhraseMatcher``: an exact phrase checked with sets of positions (moved here from
  ``whoosh_backend.searching``, which installs it for ``wq.Phrase``).
* ``AnyOf``: a word's spellings and stem term as one union that keeps its current document.
  Whoosh's ``UnionMatcher`` is a binary tree that asks both children at every ``id()`` and
  ``is_active()`` (its callers ask several times per document): those calls were most of the
  extra Python calls of word forms at search time (cProfile over the bench's 392 searches at
  40,000 items, against the code before word forms).
* ``PhraseSet``: the sequences of one quoted phrase's forms («آموزش و پرورش», «~آموزش و پرورش»)
  in one pass: one intersection of the slots (a slot of several terms is an ``AnyOf``), and each
  document's positions read once for every sequence, where one phrase per sequence walked the
  common word («و») and read its positions once per sequence. A first try of this idea with
  Whoosh's binary unions in the slots cost 1.3–1.9 times the Python calls of the phrase class;
  with ``AnyOf`` it costs fewer than the phrases one by one.

None of these changes a hit, an order or a score (``tests/search_index/test_form_matching.py``
compares them with Whoosh's own matchers on random words and on the 1,500 real articles).
"""
from __future__ import annotations

from collections.abc import Sequence

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher, NullMatcher, ReadTooFar, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2, SpanWrappingMatcher


class ExactPhraseMatcher(SpanNear2.SpanNear2Matcher):
    """An exact phrase checked with sets of positions instead of one Span object per position
    (Whoosh's way costs ~100 objects per «و» in every candidate document)."""

    def _get_spans(self):
        starts = None
        for offset, matcher in enumerate(self.ms):
            shifted = {p - offset for p in matcher.value_as("positions")}
            starts = shifted if starts is None else starts & shifted
            if not starts:
                return []
        return [Span(start, start + len(self.ms) - 1) for start in sorted(starts)]


def stem_adds_documents(reader, fieldname: str, stem_term: str, exact_terms: Sequence[str]) -> bool:
    """True when some document of ``reader`` holds ``stem_term`` but none of ``exact_terms``
    (every term given must be in the index). Walks the stem term's postings, skipping the exact
    terms' lists to each of its documents; stops at the first document they lack."""
    if not exact_terms:
        return True
    stem = reader.postings(fieldname, stem_term)
    exact = [reader.postings(fieldname, term) for term in exact_terms]
    while stem.is_active():
        doc = stem.id()
        covered = False
        for matcher in exact:
            if matcher.is_active():
                matcher.skip_to(doc)
                if matcher.is_active() and matcher.id() == doc:
                    covered = True
                    break
        if not covered:
            return True
        stem.next()
    return False


class _BoostedScorer:
    """A posting scorer times a constant: the boost of a term without Whoosh's WrappingMatcher,
    which adds a Python call to every step of the matcher (``is_active``, ``id``, ``next``…)."""

    def __init__(self, scorer, boost: float):
        self._scorer, self._boost = scorer, boost

    def supports_block_quality(self):
        return self._scorer.supports_block_quality()

    def score(self, matcher):
        return self._scorer.score(matcher) * self._boost

    def max_quality(self):
        return self._scorer.max_quality() * self._boost

    def block_quality(self, matcher):
        return self._scorer.block_quality(matcher) * self._boost


class BoostedTerm(wq.Term):
    """wq.Term whose boost is applied by its segment matcher's scorer (the same scores as
    Whoosh's wrapper, ``score × boost``); any other matcher keeps Whoosh's wrapper."""

    def matcher(self, searcher, context=None):
        boost = self.boost
        matcher = wq.Term(self.fieldname, self.text).matcher(searcher, context)  # unboosted
        if boost == 1.0 or matcher is NullMatcher:
            return matcher
        if isinstance(matcher, W3LeafMatcher) and matcher.scorer is not None:
            matcher.scorer = _BoostedScorer(matcher.scorer, boost)
            return matcher
        return WrappingMatcher(matcher, boost=boost)


class PhraseSet(wq.Query):
    """Exact phrases of one length in one field, each with its boost, matched in one pass: the
    documents that hold, in every slot, one of the terms some phrase has there, checked once per
    document for each phrase's positions. Scored like ``DisjunctionMax`` of the phrases (the best
    phrase on the document: its boost × the sum of its terms' scores, as ``wq.Phrase`` scores).

    The word forms of a quoted phrase («"آموزش و پرورش"» and «~آموزش و پرورش») share most of
    their terms; as separate phrases each walked the common word («و») and checked positions on
    its own. Only the query of one segment's matcher (``Spellings.expand`` with ``prune``) uses
    it; highlighting and title terms read the plain phrases."""

    def __init__(self, fieldname: str, phrases: dict[tuple[str, ...], float]):
        self.fieldname = fieldname
        self.phrases = dict(phrases)
        if len({len(p) for p in self.phrases}) != 1 or min(map(len, self.phrases)) < 2:
            raise ValueError("PhraseSet takes phrases of one length, two words or more")

    def __eq__(self, other):
        return type(self) is type(other) and (self.fieldname, self.phrases) == (other.fieldname, other.phrases)

    def __hash__(self):
        return hash((self.fieldname, tuple(self.phrases.items())))

    def __repr__(self):
        return f"PhraseSet({self.fieldname!r}, {self.phrases!r})"

    def is_leaf(self):
        return True

    def has_terms(self):
        return True

    def terms(self, phrases=False):
        if phrases:
            for phrase in self.phrases:
                for word in phrase:
                    yield self.fieldname, word

    def estimate_size(self, ixreader):
        return min(ixreader.doc_frequency(self.fieldname, w) for p in self.phrases for w in p)

    def matcher(self, searcher, context=None):
        from whoosh.matching import IntersectionMatcher
        from whoosh.util import make_binary_tree

        field = searcher.schema[self.fieldname]
        width = len(next(iter(self.phrases)))
        slots: list[dict[str, object]] = [{} for _ in range(width)]
        phrases = []
        for phrase, boost in self.phrases.items():
            leaves = []
            for i, word in enumerate(phrase):
                if word not in slots[i]:
                    matcher = wq.Term(self.fieldname, field.to_bytes(word)).matcher(searcher, context)
                    if matcher is NullMatcher or not matcher.is_active():
                        break
                    slots[i][word] = matcher
                leaves.append(slots[i][word])
            else:
                phrases.append((leaves, boost))
        if not phrases:
            return NullMatcher()
        used = [{id(leaves[i]) for leaves, _ in phrases} for i in range(width)]
        slot_matchers = []
        for i, slot in enumerate(slots):
            live = [m for m in slot.values() if id(m) in used[i]]
            slot_matchers.append(live[0] if len(live) == 1 else AnyOfMatcher(live))
        return PhraseSetMatcher(make_binary_tree(IntersectionMatcher, slot_matchers), phrases,
                                rebuild=lambda: self.matcher(searcher, context))


class PhraseSetMatcher(SpanWrappingMatcher):
    """The matcher of ``PhraseSet``: a document of the slots' intersection matches when one of
    the phrases has its words at consecutive positions there."""

    def __init__(self, child, phrases, rebuild):
        self.phrases = phrases  # [(leaf matchers in slot order, boost)]
        self._rebuild = rebuild  # a new matcher of the same query, at its start
        self.width = len(phrases[0][0])
        # Each leaf numbered once (a leaf stands in one slot): [(leaf numbers, leaves, boost)].
        self.leaves: list = []
        numbers: dict[int, int] = {}
        self._numbered = []
        for leaves, boost in phrases:
            for offset, leaf in enumerate(leaves):
                if id(leaf) not in numbers:
                    numbers[id(leaf)] = len(self.leaves)
                    self.leaves.append((leaf, offset))
            self._numbered.append((tuple(numbers[id(leaf)] for leaf in leaves), leaves, boost))
        self._matched: list = []
        self._starts: set = set()
        super().__init__(child)

    def copy(self):
        """A new matcher at this one's document (its leaves are shared with the slots' unions,
        so a copy is built again rather than copied piece by piece)."""
        matcher = self._rebuild()
        if self.is_active() and matcher.is_active():
            matcher.skip_to(self.id())
        return matcher

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def supports_block_quality(self):
        return False

    def _get_spans(self):
        """The start positions of the phrases found on the current document (a set: what
        ``SpanWrappingMatcher`` tests for truth); ``spans()`` makes Span objects of them."""
        doc = self.child.id()
        shifted = [None] * len(self.leaves)  # a leaf's positions less its slot, read once
        matched, found_starts = [], set()
        for numbers, leaves, boost in self._numbered:
            starts = None
            for n in numbers:
                found = shifted[n]
                if found is None:
                    leaf, offset = self.leaves[n]
                    if leaf.is_active() and leaf.id() == doc:
                        found = {p - offset for p in leaf.value_as("positions")}
                    else:
                        found = _NOWHERE
                    shifted[n] = found
                starts = found if starts is None else starts & found
                if not starts:
                    break
            if starts:
                matched.append((leaves, boost))
                found_starts |= starts
        self._matched = matched
        self._starts = found_starts
        return found_starts

    def spans(self):
        return [Span(start, start + self.width - 1) for start in sorted(self._starts)]

    def score(self):
        return max(boost * sum(leaf.score() for leaf in leaves) for leaves, boost in self._matched)


_NOWHERE: frozenset = frozenset()


class AnyOf(wq.Query):
    """Alternatives walked by ``AnyOfMatcher``, scored by the best one on the document (as
    ``wq.DisjunctionMax`` with its score counting only the sub-matchers on the document) or, with
    ``total``, by the sum of those on it (as ``wq.Or``; Whoosh adds them up in the order of its
    tree of unions, so a total may differ in the last bit of the float). Used for the query of one segment's matcher (``Spellings.expand`` with
    ``prune``) and the title bonus (``whoosh_backend.searching.build_query``)."""

    def __init__(self, subqueries, total: bool = False):
        self.subqueries = list(subqueries)
        self.total = total

    def __eq__(self, other):
        return type(self) is type(other) and (self.subqueries, self.total) == (other.subqueries, other.total)

    def __hash__(self):
        return hash((tuple(self.subqueries), self.total))

    def __repr__(self):
        return f"AnyOf({self.subqueries!r}, total={self.total})"

    def children(self):
        return iter(self.subqueries)

    def is_leaf(self):
        return False

    def estimate_size(self, ixreader):
        return sum(q.estimate_size(ixreader) for q in self.subqueries)

    def matcher(self, searcher, context=None):
        matchers = [q.matcher(searcher, context) for q in self.subqueries]
        matchers = [m for m in matchers if m.is_active()]
        if not matchers:
            return NullMatcher()
        return matchers[0] if len(matchers) == 1 else AnyOfMatcher(matchers, total=self.total)


class AnyOfMatcher(Matcher):
    """The union of a few matchers (a word's spellings and its stem term), keeping the current
    document instead of asking every child at each ``id``/``is_active`` as Whoosh's binary
    ``UnionMatcher`` tree does (measured: unions of a word and its stem term were most of the
    extra Python calls of word forms at search time, bench/README.md)."""

    def __init__(self, matchers, total: bool = False):
        self.matchers = [m for m in matchers if m.is_active()]  # kept so: every child is active
        self._id = min(m.id() for m in self.matchers) if self.matchers else None
        self.total = total

    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def next(self):
        current = self._id
        if current is None:
            raise ReadTooFar
        found, ended = None, False
        for m in self.matchers:
            doc = m.id()
            if doc == current:
                m.next()
                if not m.is_active():
                    ended = True
                    continue
                doc = m.id()
            if found is None or doc < found:
                found = doc
        if ended:  # only active children are kept: none is asked whether it is
            self.matchers = [m for m in self.matchers if m.is_active()]
        self._id = found

    def skip_to(self, id):
        current = self._id
        if current is None:
            raise ReadTooFar
        if id <= current:
            return
        found, ended = None, False
        for m in self.matchers:
            doc = m.id()
            if doc < id:
                m.skip_to(id)
                if not m.is_active():
                    ended = True
                    continue
                doc = m.id()
            if found is None or doc < found:
                found = doc
        if ended:
            self.matchers = [m for m in self.matchers if m.is_active()]
        self._id = found

    def score(self):
        current = self._id
        if not self.total:
            return max(m.score() for m in self.matchers if m.id() == current)
        return sum(m.score() for m in self.matchers if m.id() == current)

    def weight(self):
        current = self._id
        return max(m.weight() for m in self.matchers if m.id() == current)

    def children(self):
        return list(self.matchers)

    def depth(self):
        return 1 + max(m.depth() for m in self.matchers)

    def term_matchers(self):
        for m in self.matchers:
            yield from m.term_matchers()

    def matching_terms(self, id=None):
        current = self._id if id is None else id
        for m in self.matchers:
            if m.id() == current:
                yield from m.matching_terms(current)

    def copy(self):
        return AnyOfMatcher([m.copy() for m in self.matchers], total=self.total)

    def replace(self, minquality=0):
        return self if self._id is not None else NullMatcher()

    def supports_block_quality(self):
        return False

    def max_quality(self):
        return max(m.max_quality() for m in self.matchers)

    def supports(self, astype):
        return False

