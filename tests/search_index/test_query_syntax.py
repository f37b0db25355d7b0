"""The shared syntax reports where the text breaks it (routing rules show the position)."""
from __future__ import annotations

import pytest

from search_index.query_syntax import QuerySyntaxError, free_word_units, group_alternatives, lex


def _error(text: str) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as excinfo:
        group_alternatives(lex(text))
    return excinfo.value


def test_unbalanced_quote_points_at_the_quote():
    error = _error('قطعی "آب شرب')
    assert error.code == "unbalanced_quote" and error.position == 5
    assert "گیومه" in error.message


def test_dangling_or_points_at_the_or():
    error = _error("برق یا")
    assert error.code == "dangling_or" and error.position == 4
    assert _error("یا برق").position == 0


def test_clauses_keep_their_positions():
    clauses = lex('قطعی «آب شرب» -تهران')
    assert [(c.kind, c.negated, c.position) for c in clauses] == [
        ("word", False, 0), ("phrase", False, 5), ("word", True, 14)]


def test_or_groups_alternatives():
    slots = group_alternatives(lex("برق OR گاز آب"))
    assert [[c.words for c in slot] for slot in slots] == [[["برق"], ["گاز"]], [["اب"]]]  # words come normalized (آ→ا)


def test_title_prefix_restricts_a_word_or_phrase_to_the_title():
    clauses = lex('title:تانکر عنوان:«قطعی آب» -TITLE:برق آب')
    assert [(c.kind, c.words, c.negated, c.field) for c in clauses] == [
        ("word", ["تانکر"], False, "title"), ("phrase", ["قطعی", "اب"], False, "title"),
        ("word", ["برق"], True, "title"), ("word", ["اب"], False, None)]


def test_a_bare_title_prefix_is_refused_at_its_position():
    error = _error("آب عنوان: تانکر")
    assert error.code == "empty_field" and error.position == 3
    assert "عنوان:" in error.message and "title:" in error.message
    assert _error("title:").position == 0


def test_a_repeated_title_prefix_is_one_prefix():
    """«عنوان:» typed 300 times without a space was the title word «عنوان» 299 times, and the box
    said «more than 32 words» (session 41's walk): prefixes alone are a bare prefix, and prefixes
    before a word are one."""
    error = _error("آب " + "عنوان:" * 300)
    assert error.code == "empty_field" and error.position == 3
    assert [(c.words, c.field) for c in lex("عنوان:title:عنوان:تانکر")] == [(["تانکر"], "title")]


def test_a_repeated_title_prefix_before_a_quoted_phrase_is_one_prefix():
    """Before a word the repeated prefix was one; before a quote it was refused as a prefix with
    nothing after it (empty_field), though a phrase followed (a review of session 42's work)."""
    assert [(c.kind, c.words, c.field, c.negated) for c in lex("-عنوان:title:«تانکر آب» برق")] == [
        ("phrase", ["تانکر", "اب"], "title", True), ("word", ["برق"], None, False)]


def test_and_is_the_default_and_is_dropped():
    assert [(c.kind, c.words) for c in lex("قطعی AND آب && برق")] == [
        ("word", ["قطعی"]), ("word", ["اب"]), ("word", ["برق"])]
    assert [c.words for c in lex("-AND")] == [["and"]]  # an exclusion stays a word


@pytest.mark.parametrize("words, units", [
    ("تصمیم گیری شورا", ["تصمیم\u200cگیری", "شورا"]),  # a verbal noun's compound: one unit
    ("اطلاع رسانی", ["اطلاع\u200cرسانی"]),
    ("بهره برداری", ["بهره\u200cبرداری"]),  # a prefixed verb's stem (the second review)
    ("قطع اب سه روز", ["قطع", "اب", "سه", "روز"]),  # not «ابسه» (abscess)
    ("نام شخص", ["نام", "شخص"]),  # not «نامشخص» (unknown)
    ("حقوق زن جان باخته", ["حقوق", "زن", "جان", "باخته"]),  # not «زنجان»
    ("اب جو", ["اب", "جو"]),  # not «ابجو» (beer)
])
def test_two_content_words_are_one_unit_only_as_a_verbal_nouns_compound(words, units):
    """The review of this session's change: any noun of the lexicon the two words made joined was
    taken as the compound, and «آب سه» searched «آبسه»."""
    assert [unit for unit, _pairs in free_word_units(words.split(), True)] == units
