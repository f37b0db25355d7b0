"""Query time in Whoosh: the query with its title bonus and selective filters, the collector
that filters on columns, counts and enforces the time limit, and highlighting of database text.

Four Whoosh methods are replaced at import (tested in ``tests/search_index/test_backend.py``):
three speed-ups with the same results (a leaf posting list's ``skip_to`` searches its block by
bisection and its block of document numbers is decoded in C; an exact phrase is checked with
sets of positions) and one bug fix (the score of a DisjunctionMax, see ``_dismax_score``).

Why not Whoosh's own ``filter=``: it first builds the set of every document the filter allows
(200,000 ids for "doc_type:item", at every search, ~0.4 s). Here outlets and agencies (a few
percent of the documents each) are required inside the query, and scope, dates and type are
checked per candidate against the segment's columns (a few microseconds each), inside the same
loop that enforces the time limit. Whoosh's ``TimeLimitCollector`` cannot do this: it calls the child's
``collect`` directly, skipping a wrapped filter, and its alarm signal works in the main thread
only. The collector visits every match once, so the count is exact and comes for free.
"""
from __future__ import annotations

import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from heapq import heappush, heapreplace, nsmallest
from itertools import accumulate, chain

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.collectors import TimeLimit, WrappingCollector
from whoosh.matching import (
    DisjunctionMaxMatcher,
    NullMatcher,
    ReadTooFar,
    WrappingMatcher,
)
from whoosh.util.times import datetime_to_long

from search_index import title_bonus
from search_index.backend import SearchRequest, naive_day_bounds
from search_index.form_matching import ExactPhraseMatcher
from search_index.highlighting import lead, marked  # noqa: F401 - the backend's
from search_index.persian import is_stopword
from search_index.phrase_marks import HighlightTerms, highlight_terms
from search_index.query import Spellings, parse_user_query
from search_index.spellings import far_terms

Predicate = Callable[[int], bool]


def _skip_to(self, targetid):
    """W3LeafMatcher.skip_to with a binary search inside the block (Whoosh steps one posting at
    a time: most of the cost of intersecting a rare word with a common one)."""
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():
        return
    if targetid > self._maxid:
        self._skip_to_block(lambda: targetid > self._maxid)
        if not self.is_active():
            return
    if self._ids is None:
        self._read_ids()
    i = bisect_left(self._ids, targetid, self._i)
    if i >= self._blocklength:  # cannot happen after the block skip; kept for safety
        self._i = self._blocklength - 1
        self.next()
    else:
        self._i = i


W3LeafMatcher.skip_to = _skip_to


def _read_ids(self):
    """W3LeafMatcher._read_ids with the document numbers summed up in C (Whoosh's
    ``delta_decode`` is a Python generator: one step per posting of every block read)."""
    if self._data is None:
        self._read_data()
    ids = self._data[0]
    self._ids = ids if self._byteids else tuple(accumulate(ids))


_whoosh_read_ids = W3LeafMatcher._read_ids
W3LeafMatcher._read_ids = _read_ids

# Posting blocks unpickled during the current search of this thread: (posting file, offset) →
# the block's data tuple. One search reads the same block several times when several of its
# matchers walk one term: the exact phrase and each sequence of word forms all walk «و» of
# «آموزش و پرورش», side by side (the union advances them together), and unpickling a block of
# a common word (with its positions) is the largest single cost of a phrase search. Kept for
# one search only (``block_cache``), and only the last BLOCK_CACHE_SIZE blocks.
BLOCK_CACHE_SIZE = 64
_blocks = threading.local()
_whoosh_read_data = W3LeafMatcher._read_data


def _read_data(self):
    """W3LeafMatcher._read_data through this thread's cache of the current search (if any)."""
    cache = getattr(_blocks, "cache", None)
    if cache is None:
        return _whoosh_read_data(self)
    key = (id(self._postfile), self._dataoffset)
    data = cache.get(key)
    if data is None:
        _whoosh_read_data(self)
        cache[key] = self._data
        if len(cache) > BLOCK_CACHE_SIZE:
            del cache[next(iter(cache))]  # the oldest block read
    else:
        self._data = data


W3LeafMatcher._read_data = _read_data


@contextmanager
def block_cache():
    """Share unpickled posting blocks between the matchers of one search (this thread)."""
    _blocks.cache = {}
    try:
        yield
    finally:
        _blocks.cache = None


_whoosh_phrase_matcher = wq.Phrase.matcher


def _phrase_matcher(self, searcher, context=None):
    """wq.Phrase.matcher with ``ExactPhraseMatcher`` for exact phrases (slop 1), else Whoosh's."""
    if self.slop != 1 or len(self.words) < 2 or self.fieldname not in searcher.schema:
        return _whoosh_phrase_matcher(self, searcher, context)
    field = searcher.schema[self.fieldname]
    if not field.format or not field.format.supports("positions"):
        return _whoosh_phrase_matcher(self, searcher, context)
    reader = searcher.reader()
    matchers = []
    for word in self.words:
        try:
            word = field.to_bytes(word)
        except ValueError:
            return NullMatcher()
        if (self.fieldname, word) not in reader:
            return NullMatcher()
        matchers.append(wq.Term(self.fieldname, word).matcher(searcher, context))
    matcher = ExactPhraseMatcher(matchers, slop=1, ordered=True, mindist=1)
    return WrappingMatcher(matcher, boost=self.boost) if self.boost != 1.0 else matcher


wq.Phrase.matcher = _phrase_matcher


def _dismax_score(self):
    """DisjunctionMaxMatcher.score counting only the sub-matchers on the current document.

    Whoosh's takes ``max(a.score(), b.score())`` even when one of them already stands on a
    later document, so a document matched by one spelling borrowed the score another document
    got for the other spelling (every weak match of «روابط عمومی» scored like the best one).
    """
    a, b = self.a, self.b
    if not a.is_active():
        return b.score()
    if not b.is_active():
        return a.score()
    id_a, id_b = a.id(), b.id()
    if id_a < id_b:
        return a.score()
    if id_b < id_a:
        return b.score()
    return max(a.score(), b.score())


DisjunctionMaxMatcher.score = _dismax_score


def build_query(text: str, reader, request: SearchRequest | None = None) -> tuple[wq.Query, list]:
    """The required part on ``body`` (which holds the title too), plus a title bonus: documents
    whose title has the words rank higher (sorting by relevance only). Returns (query, warnings);
    NullQuery when empty.

    A selective filter (outlets, agencies, route statuses: a few percent of the documents each)
    is required inside the query, so the search walks that filter's short posting list instead of testing
    every match of a common word; the others are tested per candidate (``filter_factory``).
    """
    newest = request is not None and request.sort == "newest"
    query, warnings = parse_user_query(text, {"body": 1.0}, phrase_bonus_fields=() if newest else ("body",))
    if query is wq.NullQuery:
        return query, warnings
    tree, query = query, _exclusions_as_filters(query)
    far = far_terms(query)
    titled = [] if newest else sorted({term for _, term in positive_terms(query, reader)
                                       if not is_stopword(term) and term not in far and ("title", term) in reader})
    if titled:  # (newest first shows no scores: the bonus would cost a title lookup per match)
        query = wq.AndMaybe(query, title_bonus.whoosh_bonus(titled, title_bonus.word_groups(
            tree, lambda spellings: _sequences(spellings.expand(reader)))))
    for field, values in (("outlet", request.outlet_ids if request else ()),
                          ("agencies", request.agencies if request and not request.statuses else ()),
                          ("routes", route_terms(request, reader) if request and request.statuses else ())):
        terms = [wq.Term(field, str(v)) for v in dict.fromkeys(values)]
        if terms:  # (not wq.Require: its block-quality skipping trips an assertion in Whoosh)
            wanted = terms[0] if len(terms) == 1 else wq.Or(terms)
            query = wq.And([query, wq.ConstantScoreQuery(wanted, 0.0)])
    return query, warnings


def _exclusions_as_filters(query: wq.Query) -> wq.Query:
    """``AndNot(a, b)`` as ``a`` and a zero-score ``Not(b)``: Whoosh's ``AndNotMatcher`` lets the
    first match of ``a`` in a segment through when ``b`` has an earlier posting there
    (``_find_first`` moves ``b`` only when the two stand on the same document), so «قطعی آب -برق»
    found 12 documents with «برق» among 1,000,000 (bench/README.md, session 11)."""
    if isinstance(query, wq.AndNot):  # (``parse_user_query`` puts it only at the top)
        return wq.And([query.a, wq.ConstantScoreQuery(wq.Not(query.b), 0.0)])
    return query


def route_terms(request: SearchRequest, reader) -> list[str]:
    """The ``routes`` terms of a status filter: "slug:status" of the wanted agencies, or of every
    agency the index knows when none is asked for (a few dozen terms at most)."""
    statuses = set(request.statuses)
    if request.agencies:
        return [f"{slug}:{status}" for slug in request.agencies for status in request.statuses]
    known = reader.field_terms("routes") if "routes" in reader.schema else ()
    terms = [term for term in known if term.rpartition(":")[2] in statuses]
    return terms or [f"-:{next(iter(statuses))}"]  # nothing has that status: a term that matches nothing


def positive_terms(query, reader) -> Iterable[tuple[str, str]]:
    """(field, text) of the terms that make a document match (exclusions left out)."""
    if isinstance(query, Spellings):
        query = query.expand(reader)
    if isinstance(query, wq.AndNot):
        yield from positive_terms(query.a, reader)
    elif isinstance(query, wq.Not):
        return
    elif query.is_leaf():
        yield from query.terms(phrases=True)
    else:
        for child in query.children():
            yield from positive_terms(child, reader)


def terms_to_mark(query, reader) -> HighlightTerms:
    """The terms to mark in a hit's text (``query.highlight_terms``): each ``Spellings`` read as
    its expanded query (``Spellings.expand``, the sequences its matcher looks for)."""
    return highlight_terms(query, lambda spellings: _sequences(spellings.expand(reader)))


def _sequences(expanded: wq.Query) -> Iterable[tuple[str, ...]]:
    for leaf in (expanded,) if expanded.is_leaf() else expanded.leaves():
        if isinstance(leaf, wq.Phrase):
            yield tuple(leaf.words)
        else:
            yield from ((text,) for _, text in leaf.terms(phrases=True))


def filter_factory(request: SearchRequest) -> Callable[[object], Predicate | None]:
    """A function giving, for one segment reader, a test of a segment docnum (None: no filter)."""
    wanted = {  # outlets and agencies are required inside the query (build_query)
        "doc_type": {t.encode() for t in request.doc_types},
        "scope": {s.encode() for s in request.scopes},
    }
    low, high = naive_day_bounds(request.date_from, request.date_to)
    low = datetime_to_long(low) if low else None
    high = datetime_to_long(high) if high else None

    def for_reader(reader) -> Predicate | None:
        checks: list[Predicate] = []
        for name, values in wanted.items():
            if not values:
                continue
            if name == "doc_type" and set(reader.field_terms("doc_type")) <= {v.decode() for v in values}:
                continue  # every document of this segment has a wanted type
            if not reader.has_column(name):
                return lambda docnum: False
            column = reader.column_reader(name, translate=False)
            checks.append(lambda docnum, c=column, v=values: c[docnum] in v)
        if low is not None or high is not None:
            column = reader.column_reader("published", translate=False)
            lo, hi = low if low is not None else -2**63, high if high is not None else 2**63
            checks.append(lambda docnum, c=column: lo <= c[docnum] <= hi)
        if not checks:
            return None
        if len(checks) == 1:
            return checks[0]
        return lambda docnum: all(check(docnum) for check in checks)

    return for_reader


class FilteredCollector(WrappingCollector):
    """Passes only the candidates the segment predicate accepts; stops at the deadline.

    ``accepted`` counts what passed: the exact total when the child sees every match. The
    search runs its top-N collector without Whoosh's block-quality skipping and without
    ``replace`` (which drops sub-queries that can no longer reach the top, so the documents
    only they match are never visited): at 200,000 items one exact pass measured faster than
    a skipping pass plus a second pass to count (``bench/bench_search.py``).

    With ``collapse`` the collector ranks stories instead of documents (see ``StoryRanking``);
    the child then only walks the matches.
    """

    def __init__(self, child, make_predicate, seconds: float, collapse: StoryRanking | None = None):
        super().__init__(child)
        self.make_predicate = make_predicate
        self.seconds = seconds
        self.accepted = 0
        self.collapse = collapse

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.deadline = time.monotonic() + self.seconds

    def set_subsearcher(self, subsearcher, offset):
        super().set_subsearcher(subsearcher, offset)
        self.accept = self.make_predicate(subsearcher.reader())
        if self.collapse is not None:
            self.collapse.set_reader(subsearcher.reader(), offset)

    def collect_matches(self):
        child, accept = self.child, self.accept
        collect = child.collect if self.collapse is None else self.collapse.collector(child.matcher)
        accepted = 0
        try:
            for n, sub_docnum in enumerate(child.matches(), 1):
                if not n & 255 and time.monotonic() > self.deadline:
                    raise TimeLimit
                if accept is None or accept(sub_docnum):
                    accepted += 1
                    collect(sub_docnum)
        finally:
            self.accepted += accepted


class StoryRanking:
    """Top-N of stories instead of documents: copies of one story (the same ``story`` column
    value) count once, ranked by their best copy; a document with no story is a story alone.

    Why not Whoosh's ``CollapseCollector``: it removes a replaced copy from the child's list by
    a linear scan (all matches long when sorting by date), and its count subtracts only what it
    collapsed after the child had counted. Here each match costs one column read: documents
    without a story go to a bounded heap, clustered ones to a dict of their story's best copy
    (one entry per matched story). The rank is (−score or −published, docnum): a smaller rank is
    better and equal ranks keep index order, so pages are stable and do not overlap.
    """

    def __init__(self, newest: bool, limit: int):
        self.newest = newest
        self.limit = max(1, limit)
        self.alone: list[tuple] = []   # max-heap (negated ranks) of the best stand-alone documents
        self.alone_count = 0
        self.best: dict[bytes, tuple] = {}  # story → best rank (with its global docnum)

    def set_reader(self, reader, offset: int) -> None:
        self.offset = offset
        self.story = reader.column_reader("story", translate=False) if reader.has_column("story") else None
        self.published = None
        if self.newest:
            self.published = (reader.column_reader("published", translate=False)
                              if reader.has_column("published") else None)

    def collector(self, matcher) -> Callable[[int], None]:
        offset, story, published, best, alone, limit, newest = (
            self.offset, self.story, self.published, self.best, self.alone, self.limit, self.newest)

        def collect(sub_docnum: int) -> None:
            if newest:  # newest first, and at equal times the later document (as Whoosh sorts)
                rank = (-(published[sub_docnum] or 0) if published is not None else 0, -(offset + sub_docnum))
            else:       # best score first, and at equal scores the earlier document
                rank = (-matcher.score(), offset + sub_docnum)
            key = story[sub_docnum] if story is not None else None
            if key:
                known = best.get(key)
                if known is None or rank < known:
                    best[key] = rank
                return
            self.alone_count += 1
            negated = (-rank[0], -rank[1])
            if len(alone) < limit:
                heappush(alone, negated)
            elif negated > alone[0]:
                heapreplace(alone, negated)

        return collect

    @property
    def stories(self) -> int:
        """Matched stories (a story alone counts one)."""
        return self.alone_count + len(self.best)

    def top(self) -> list[tuple[float, int]]:
        """The best ``limit`` stories as (score, global docnum), best first (score 0 for newest)."""
        ranks = [(-a, -b) for a, b in self.alone]
        ranks = nsmallest(self.limit, chain(ranks, self.best.values()))
        return [(0.0 if self.newest else -first, abs(docnum)) for first, docnum in ranks]
