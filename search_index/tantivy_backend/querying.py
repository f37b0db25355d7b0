"""Query time in tantivy: the user's query, parsed once by ``search_index.query`` (the same tree
Whoosh runs), translated into tantivy queries, with the title bonus and the filters.

``parse_user_query`` gives a tree of ``And``, ``Or``, ``AndMaybe``, ``AndNot`` and ``Spellings``
(a word or phrase with its spellings and forms). Each ``Spellings`` is expanded against tantivy's
vocabulary by ``Spellings.alternatives`` — the same two-part spellings, the same sequences, the
same weights as in Whoosh — and becomes a disjunction-max of term and phrase queries. Scores
come from tantivy's BM25 (Whoosh's BM25F gives other numbers; the order is compared on the judged
set in tests/search_index/test_backends_agree.py). Filters are required clauses that score 0.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import tantivy
from whoosh import query as wq

from search_index import title_bonus
from search_index.backend import SearchRequest, naive_day_bounds
from search_index.persian import is_stopword
from search_index.phrase_marks import HighlightTerms, highlight_terms
from search_index.query import Spellings, parse_user_query
from search_index.schema import FIELDS
from search_index.spellings import far_terms

TITLE_BOOST = next(spec.boost for spec in FIELDS if spec.name == "title")
# Free words that stand together in the body rank higher (``parse_user_query``'s phrase bonus).
# Whoosh scores a phrase as the sum of its words' scores in the document; tantivy scores it by the
# phrase's own frequency, about a third of that on the articles («شورای شهر»: 6.3 against Whoosh's
# 10.2 for a body holding it seven times), so the bonus weighs the title's weight here. On the
# judged set (bench/relevance) tantivy's nDCG@10 went 0.924 → 0.927 with the bonus as it came
# (1), 0.927 at 2 and 0.934 at 3, against Whoosh's 0.943.
PHRASE_BONUS_BOOST = TITLE_BOOST
POSITIONAL = frozenset(spec.name for spec in FIELDS if spec.kind == "text")
Occur = tantivy.Occur


class TantivyVocabulary:
    """``query.Vocabulary`` over a tantivy searcher."""

    def __init__(self, searcher: tantivy.Searcher):
        self.searcher = searcher
        self._df: dict[tuple[str, str], int] = {}

    def positional(self, fieldname: str) -> bool:
        return fieldname in POSITIONAL

    def doc_frequency(self, fieldname: str, term: str) -> int:
        key = (fieldname, term)
        found = self._df.get(key)
        if found is None:
            found = self._df[key] = self.searcher.doc_freq(fieldname, term)
        return found

    def has_terms(self, fieldname: str, terms: Sequence[str]) -> bool:
        return all(self.doc_frequency(fieldname, term) > 0 for term in terms)


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


class Translator:
    """Whoosh query tree (``parse_user_query``) → tantivy query; None stands for "matches nothing"."""

    def __init__(self, schema: tantivy.Schema, vocabulary: TantivyVocabulary):
        self.schema = schema
        self.vocabulary = vocabulary
        self._alternatives: dict[Spellings, dict[tuple[str, ...], float]] = {}

    def alternatives(self, spellings: Spellings) -> dict[tuple[str, ...], float]:
        found = self._alternatives.get(spellings)
        if found is None:
            found = self._alternatives[spellings] = spellings.alternatives(self.vocabulary)
        return found

    def sequence(self, fieldname: str, seq: tuple[str, ...], boost: float) -> tantivy.Query:
        if len(seq) == 1:
            query = tantivy.Query.term_query(self.schema, fieldname, seq[0])
        else:
            query = tantivy.Query.phrase_query(self.schema, fieldname, list(seq))
        return _boosted(query, boost)

    def __call__(self, query) -> tantivy.Query | None:
        if isinstance(query, Spellings):
            subs = [self.sequence(query.fieldname, seq, boost) for seq, boost in self.alternatives(query).items()]
            if not subs:
                return None
            # Spellings of one word are one concept: score by the best, not the sum (as Whoosh).
            return subs[0] if len(subs) == 1 else tantivy.Query.disjunction_max_query(subs)
        if query is wq.NullQuery or isinstance(query, wq.NullQuery.__class__):
            return None
        if isinstance(query, wq.AndMaybe):
            required, optional = self(query.a), self(query.b)
            if required is None or optional is None:
                return required
            # (``parse_user_query`` makes an AndMaybe only for the bonus of words standing together)
            return tantivy.Query.boolean_query([(Occur.Must, required),
                                                (Occur.Should, _boosted(optional, PHRASE_BONUS_BOOST))])
        if isinstance(query, wq.AndNot):
            required, excluded = self(query.a), self(query.b)
            if required is None or excluded is None:
                return required
            return tantivy.Query.boolean_query([(Occur.Must, required), (Occur.MustNot, excluded)])
        if isinstance(query, wq.And):
            subs = [self(child) for child in query.children()]
            if any(sub is None for sub in subs):
                return None
            return subs[0] if len(subs) == 1 else tantivy.Query.boolean_query([(Occur.Must, s) for s in subs])
        if isinstance(query, (wq.Or, wq.DisjunctionMax)):
            subs = [sub for sub in map(self, query.children()) if sub is not None]
            if not subs:
                return None
            if len(subs) == 1:
                return subs[0]
            if isinstance(query, wq.DisjunctionMax):
                return tantivy.Query.disjunction_max_query(subs)
            return tantivy.Query.boolean_query([(Occur.Should, s) for s in subs])
        raise TypeError(f"no tantivy translation for {query!r}")


def _title_bonus(schema: tantivy.Schema, titled: list[str], groups: list[frozenset[str]]) -> tantivy.Query:
    """The title bonus as Whoosh's (``whoosh_backend.searching._title_bonus``): every title term alike, or a title
    holding only some of the search's words gets ``title_bonus.PARTIAL_SHARE`` of it."""
    share = title_bonus.PARTIAL_SHARE
    groups = [g.intersection(titled) for g in groups]
    terms = lambda boost, words: [(Occur.Should, _boosted(tantivy.Query.term_query(schema, "title", t), boost))  # noqa: E731
                                  for t in words]
    if share >= 1.0 or len(groups) < 2 or not all(groups):
        bonus = terms(1.0, titled)
        return bonus[0][1] if len(bonus) == 1 else tantivy.Query.boolean_query(bonus)
    every = tantivy.Query.boolean_query([(Occur.Must, tantivy.Query.boolean_query(terms(1.0 - share, sorted(g))))
                                         for g in groups])
    return tantivy.Query.boolean_query([*terms(share, titled), (Occur.Should, every)])


def _any_of(schema: tantivy.Schema, fieldname: str, values: Iterable[str]) -> tantivy.Query:
    values = list(dict.fromkeys(values))
    if len(values) == 1:
        return tantivy.Query.term_query(schema, fieldname, values[0], index_option="basic")
    return tantivy.Query.term_set_query(schema, fieldname, values)


def route_terms(request: SearchRequest, searcher: tantivy.Searcher) -> list[str]:
    """The ``routes`` terms of a status filter: "slug:status" of the wanted agencies, or of every
    agency the index knows when none is asked for (a few dozen terms at most)."""
    statuses = set(request.statuses)
    if request.agencies:
        return [f"{slug}:{status}" for slug in request.agencies for status in request.statuses]
    known = [term for term, _count in searcher.terms_with_prefix("routes", "")]
    terms = [term for term in known if term.rpartition(":")[2] in statuses]
    return terms or [f"-:{next(iter(statuses))}"]  # nothing has that status: a term that matches nothing


def filters(request: SearchRequest, schema: tantivy.Schema, searcher: tantivy.Searcher) -> list[tantivy.Query]:
    """The request's filters, each a query every result must match."""
    wanted: list[tantivy.Query] = []
    for fieldname, values in (("doc_type", request.doc_types), ("scope", request.scopes),
                              ("outlet", [str(v) for v in request.outlet_ids]),
                              ("agencies", request.agencies if not request.statuses else ()),
                              ("routes", route_terms(request, searcher) if request.statuses else ())):
        if values:
            wanted.append(_any_of(schema, fieldname, values))
    low, high = naive_day_bounds(request.date_from, request.date_to)
    if low is not None or high is not None:
        wanted.append(tantivy.Query.range_query(schema, "published", tantivy.FieldType.Date, low, high))
    return wanted


def build_query(text: str, schema: tantivy.Schema, searcher: tantivy.Searcher,
                request: SearchRequest | None = None) -> tuple[tantivy.Query | None, list, HighlightTerms]:
    """(query or None when nothing can match, warnings, terms to highlight): the required part on
    ``body`` (which holds the title too), a title bonus when sorting by relevance (documents whose
    title has the words rank higher, as in Whoosh), and the filters (score 0)."""
    newest = request is not None and request.sort == "newest"
    tree, warnings = parse_user_query(text, {"body": 1.0}, phrase_bonus_fields=() if newest else ("body",))
    if tree is wq.NullQuery:
        return None, warnings, HighlightTerms(frozenset())
    translate = Translator(schema, TantivyVocabulary(searcher))
    query = translate(tree)
    marked = highlight_terms(tree, translate.alternatives)
    if query is None:
        return None, warnings, marked
    terms = sorted(marked.free.union(*(position for form in marked.phrases for position in form)))
    clauses = [(Occur.Must, query)]
    if not newest:
        far = far_terms(tree)
        titled = [term for term in terms if not is_stopword(term) and term not in far
                  and translate.vocabulary.doc_frequency("title", term)]
        if titled:
            groups = title_bonus.word_groups(tree, lambda spellings: translate.alternatives(spellings))
            clauses.append((Occur.Should, _boosted(_title_bonus(schema, titled, groups), TITLE_BOOST)))
    if request is not None:
        clauses += [(Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters(request, schema, searcher)]
    return (query if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)), warnings, marked
