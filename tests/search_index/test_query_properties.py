"""Properties of the search syntax and the rule parser (issue 14, item 8): on any text, `lex` and
`group_alternatives` raise nothing but QuerySyntaxError, whose position points at the character
it names; the search box never raises (it falls back to plain words and says so);
`compile_rule` raises nothing but RuleSyntaxError, with a position and a Persian message."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as wq

from app.rules.matcher import RuleSyntaxError, compile_rule
from search_index.query import parse_user_query
from search_index.query_syntax import (
    MESSAGES,
    QuerySyntaxError,
    QueryWarning,
    group_alternatives,
    lex,
)
from tests.strategies import FAST, persian_text, query_text

# What the character at an error's position must be, by error code.
POINTED_AT = {"unbalanced_quote": ('"', "«", "»", "“", "”", "„"), "dangling_or": ("or", "یا", "|"),
              "empty_field": ("title:", "عنوان:")}
any_query = st.one_of(query_text, persian_text)


def assert_points_at_the_problem(text: str, error: QuerySyntaxError) -> None:
    assert isinstance(error.position, int) and 0 <= error.position <= len(text), (text, error.position)
    if error.code in POINTED_AT:
        assert text[error.position:].lower().startswith(POINTED_AT[error.code]), (text, error.code, error.position)


@FAST
@given(any_query)
def test_lexing_raises_only_syntax_errors_with_a_position(text):
    try:
        slots = group_alternatives(lex(text))
    except QuerySyntaxError as error:
        assert error.code in MESSAGES
        assert_points_at_the_problem(text, error)
        return
    for slot in slots:
        for clause in slot:
            assert 0 <= clause.position < len(text) and clause.kind in ("word", "phrase")


@FAST
@given(any_query)
def test_the_search_box_never_raises(text):
    for fields, bonus in (({"body": 1.0}, ()), ({"body": 1.0, "title": 2.0}, ("title",))):
        query, warnings = parse_user_query(text, fields, phrase_bonus_fields=bonus)
        assert isinstance(query, wq.Query)
        assert all(isinstance(w, QueryWarning) and w.message for w in warnings)
        if query is wq.NullQuery:
            assert warnings  # an empty search says why


@FAST
@given(any_query)
def test_a_rule_compiles_or_says_where_it_is_wrong(text):
    try:
        rule = compile_rule(text)
    except RuleSyntaxError as error:
        assert_points_at_the_problem(text, error)
        assert any("\u0600" <= ch <= "\u06ff" for ch in error.message), error.message
        return
    assert rule.slots  # a compiled rule has something to match
