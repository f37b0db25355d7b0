"""Properties of the Persian normalizer, tokenizer and stemmer (issue 14, item 8): on any text they
never raise, the folds are idempotent (normalizing twice is normalizing once: search, routing
and dedup compare normalized text with normalized text), and the stemmer's answer is stable."""
from __future__ import annotations

import unicodedata
from itertools import pairwise

from hypothesis import assume, example, given
from hypothesis import strategies as st

from search_index.lexicon import lexicon
from search_index.persian import (
    ZWNJ,
    ascii_digits,
    is_stopword,
    normalize,
    normalize_for_storage,
    tokenize,
)
from search_index.query_terms import query_words, word_forms, word_stem
from search_index.stemmer import STEM_MARK
from tests.strategies import DIGITS, FAST, MARKS, VARIANTS, persian_text, persian_word

FOLDED_AWAY = set(VARIANTS + MARKS + DIGITS[10:]) | set("\u200b\u200d\u200e\u200f\u202a\u202e\u2066\ufeff\u061c")


@FAST
@given(persian_text)
@example("e\u200b\u0301")  # found: a removed ZWSP let a Latin accent compose on the second pass
def test_normalize_is_idempotent_and_folds_every_variant(text):
    once = normalize(text)
    assert normalize(once) == once
    assert not FOLDED_AWAY & set(once), [hex(ord(c)) for c in FOLDED_AWAY & set(once)]
    assert once == once.lower()


@FAST
@given(persian_text)
def test_storage_fold_is_idempotent_and_keeps_zwnj(text):
    once = normalize_for_storage(text)
    assert normalize_for_storage(once) == once
    assert once.count(ZWNJ) == text.count(ZWNJ)
    assert "\u064a" not in once and "\u0643" not in once


@FAST
@given(persian_text)
def test_ascii_digits_is_idempotent(text):
    once = ascii_digits(text)
    assert ascii_digits(once) == once and not set(DIGITS[10:]) & set(once)


@FAST
@given(persian_text)
def test_tokens_point_into_the_text_and_are_normalized(text):
    for token in tokenize(text):
        assert 0 <= token.start <= token.end <= len(text), token
        if not token.text.startswith(STEM_MARK):
            assert normalize(token.text) == token.text, token


def _nfkc_keeps_words_whole(ch: str) -> bool:
    """False for compatibility characters that NFKC turns into something the tokenizer reads as
    other words («¼» → «1⁄4», «ﷺ» → four words, Thai «ำ» → a mark and a letter): written down,
    not changed (see test_query_words_read_their_own_output)."""
    folded = unicodedata.normalize("NFKC", ch)
    return folded == ch or query_words(folded) in ([], [normalize(folded)])


@FAST
@given(persian_text)
@example("\ufe70")  # found by Hypothesis outside CI: the isolated fathatan alone was a word that is a space
@example("آب\ufe72 ها")
@example("آب\ufe70ها")  # the code review: a space inside the term («اب ها»)
def test_query_words_read_their_own_output(text):
    """The words of a query, joined with spaces, are the same words. Found and NOT changed: a
    compatibility character that NFKC expands into several words (¼, ﷺ) is one word of the
    query and one term of the index (they agree), while its expansion typed out is several;
    changing it would change the index terms (a `search rebuild`) for marks news never use."""
    assume(all(_nfkc_keeps_words_whole(ch) for ch in text))
    words = query_words(text)
    assert all(words)
    # Also NOT changed (schema 11): a «ی» after a word ending in «ه» is that word's ezafe when only
    # a space or a ZWNJ stands between («توسعه ی»), and a word of its own after other marks
    # («ه/ی», found by this test): the space that joins the words makes it the ezafe.
    assume(not any(left.endswith("ه") and right == "ی" for left, right in pairwise(words)))
    assert query_words(" ".join(words)) == words


@FAST
@given(st.one_of(persian_word, persian_text))
@example("حوآدث")  # found by Hypothesis in a CI-like run: a broken plural whose singular is no shorter
@example("جآھٱ")  # found by Hypothesis (session 27): «جاها» → «جا», a stop word that is a content word
def test_the_stemmer_never_raises_and_cuts_to_a_shorter_word(text):
    """On any text, normalized or not: a stem is a shorter word, never a stop word that is no content
    word, and the same
    however often it is asked for; word_forms gives at most one stem term (and, after a broken
    plural, its bare singular: «مدارس» → «~مدرسه», «مدرسه», index schema 31).

    Not a property, on purpose: the stem of a stem. The stemmer cuts once (its first rule that
    applies wins): Hypothesis found «ءءهاها» → «ءءها» → «ءء», and on the 1,500 articles of
    ../shared/data/persian-news 85 of 40,499 stem tokens have a stem that could be cut again —
    «عملیات» (of «عملیات‌ها») would become «عمله», «مجازات» «مجاز», «ملاقات» «ملاقه», «ارگان»
    «ارگ», «فیلتر» «فیل». Cutting to a fixed point would make those false matches."""
    singulars = set(lexicon().broken_plurals.values())
    for word in query_words(text) + [text]:
        base = word_stem(word)
        if base is not None:
            # A broken plural's singular (rule 00) may be as long or longer: «حوادث» → «حادثه», «وزرا» → «وزیر».
            shorter = len(base) < len(word.replace(ZWNJ, "")) or base in singulars
            assert base and base.isalpha() and shorter, (word, base)
            # a stop word only when it is a content word (stemmer.usable: «اثر» of «اثرات», «جا» of
            # «جاها», which Hypothesis found from «جآھٱ»)
            assert (not is_stopword(base) or lexicon().content_word(base)) and STEM_MARK not in base
            assert word_stem(word) == base
        forms = word_forms(word)
        assert len(forms) <= 2 and all(len(f) > 1 for f in forms) and forms[:1] == [f for f in forms if f.startswith(STEM_MARK)]
        # the second, if any, is the bare singular of a broken plural
        assert len(forms) < 2 or forms[1] == forms[0][len(STEM_MARK):] and forms[1] in singulars


def test_an_isolated_marks_form_is_no_word_and_leaves_no_space_in_one():
    """«ﹰ» (NFKC: a space and the fathatan, which the fold removes) alone is no word, and after a
    word it is dropped as its mark is: «آبﹰ» is «آب» in the index and in a query."""
    assert query_words("\ufe70") == []
    assert [t.text for t in tokenize("آب\ufe70")] == ["اب"] == query_words("آب\ufe70")
    assert query_words("آب\ufe70ها") == ["ابها"] and query_words("آ\ufe70ب") == ["اب"]
