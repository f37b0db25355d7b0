"""A word repeated in a query costs no more than the word once (issue 14, item 4: 32 repeats of a
common word made a 3 s search). A repeated word, phrase or exclusion adds nothing to an AND, so
the parser keeps one; the timings before and after are in bench/README.md, not here."""
from __future__ import annotations

import pytest
from whoosh import query as wq

from app.rules.matcher import compile_rule
from search_index.query import Spellings, parse_user_query
from tests.search_index.test_query import DOCS, _index, search

WORD = "ایران"


@pytest.fixture(scope="module")
def ix():
    return _index(DOCS)


def spellings(query) -> list[Spellings]:
    """The Spellings leaves of a query (one per word, phrase or exclusion clause)."""
    if isinstance(query, Spellings):
        return [query]
    return [leaf for child in query.children() for leaf in spellings(child)] if not query.is_leaf() else []


def test_a_word_repeated_32_times_is_parsed_as_one_term(ix):
    repeated, warnings = parse_user_query(" ".join([WORD] * 32), {"body": 1.0})
    once, _ = parse_user_query(WORD, {"body": 1.0})
    assert warnings == []
    assert isinstance(repeated, Spellings) and repeated.variants == [(WORD,)]
    assert len(spellings(repeated)) == 1
    with ix.searcher() as searcher:  # what runs against the index: the same query as the word once
        assert repeated.expand(searcher.reader()) == once.expand(searcher.reader())
    assert search(ix, " ".join([WORD] * 32)) == search(ix, WORD)


@pytest.mark.parametrize("text, once", [
    ("قطعی آب قطعی آب قطعی آب", "قطعی آب"),
    ('"مسکن مهر" "مسکن مهر" "مسکن مهر"', '"مسکن مهر"'),
    ("قطعی -برق -برق -برق", "قطعی -برق"),
    ("آب یا گاز آب یا گاز", "آب یا گاز"),
    ("title:ایران title:ایران", "title:ایران"),
])
def test_repeated_clauses_are_kept_once(ix, text, once):
    repeated, _ = parse_user_query(text, {"body": 1.0})
    single, _ = parse_user_query(once, {"body": 1.0})
    assert len(spellings(repeated)) == len(spellings(single))
    assert search(ix, text) == search(ix, once)


def test_words_that_join_differently_are_not_merged():
    """«نمی دانم» and «می دانم» are two words: only identical words after clitics are joined count."""
    query, _ = parse_user_query("نمی دانم می دانم", {"body": 1.0})
    assert isinstance(query, wq.And) and len(spellings(query)) == 2


def test_a_rule_repeating_a_word_is_compiled_as_the_word_once():
    assert len(compile_rule(" ".join(["قطعی"] * 32)).slots) == 1
    assert len(compile_rule("قطعی آب قطعی آب -برق -برق").slots) == 2
    assert len(compile_rule("قطعی آب قطعی آب -برق -برق").negatives) == 1
