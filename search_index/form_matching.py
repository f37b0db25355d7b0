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

Tried and dropped: one phrase matcher whose slots are the union of each word's exact and stem
terms, instead of one phrase per sequence of forms: the same hits, but 1.3–1.9 times the Python
calls of the phrase class (every candidate of the union checks positions).
"""
from __future__ import annotations

from collections.abc import Sequence

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2


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
