"""A stop word typed with a ZWNJ inside («آن‌ها», they, as it is often written; «ب‌ه», «م‌ا») is that stop word, in a routing rule and in the search box
alike (the review of session 46; found by test_query_properties' hypothesis case «م‌ٱ»): the rule compiled to no
word at all and so matched every item, and the search box searched nothing («no search text»), where «آنها», «به»
and «ما» typed plainly are looked for as typed."""
from __future__ import annotations

import pytest
from whoosh import query as wq

from app.rules.analysis import analyze_item
from app.rules.matcher import compile_rule, matches
from search_index.query import parse_user_query


@pytest.mark.parametrize("typed, plain", [("ب\u200cه", "به"), ("م\u200cا", "ما"), ("ا\u200cز", "از"), ("آن\u200cها", "آنها")])
def test_a_rule_of_a_stop_word_with_a_zwnj_matches_what_the_plain_word_matches(typed, plain):
    rule = compile_rule(typed)
    assert rule.slots
    assert not matches(rule, analyze_item("عنوان", "بارش باران در شهر"))
    assert matches(rule, analyze_item("عنوان", f"سخن {plain} مردم")) == matches(compile_rule(plain),
                                                                                 analyze_item("عنوان", f"سخن {plain} مردم"))


@pytest.mark.parametrize("typed", ["ب\u200cه", "م\u200cا", "آن\u200cها"])
def test_the_search_box_reads_it_as_the_stop_word(typed):
    query, _warnings = parse_user_query(typed, ["body"])
    assert query is not wq.NullQuery
