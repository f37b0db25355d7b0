"""The fast tokenizer and term index (issue 16, item 4) give exactly what the plain ones gave.

``plain_tokenize`` and ``plain_analyze_field`` are ``search_index.persian.tokenize`` and
``app.rules.analysis.analyze_field`` as they were before (main at 2c57c0d; only the per-spelling
cache and the hot loop's tuple shortcut left out), kept here as the reference, with the word
regex of that time. They call the same stemmer helpers as the fast code
(``stem``, ``stem_at_boundary``, ``stem_parts``, ``compound_stem``, ``free_half``), so a change to
the stemmer's rules or data changes both alike and only the tokenizer's own work is pinned: every
token (text, start, end, position, kind, in order, as a ``Token``), every term index (terms,
positions and values, in order) and every classifier feature must be the same — on constructed
texts (every string of tests/search_index/test_persian*.py and the cases below), on random text
(hypothesis) and on the 1,491 real articles of ../shared/data/persian-news (skipped when absent).
Recorded outputs of the old code were the other choice: ~600,000 tokens are tens of megabytes
(or an opaque digest that says nothing of what differs), and they would go stale with every
deliberate change to the stemmer's data.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.learning.features import item_features
from app.rules.analysis import AnalyzedItem, _lead, analyze_field, analyze_item
from search_index import persian, word_parts
from search_index.lexicon import lexicon
from search_index.persian import (
    BOUNDARY_SUFFIXES,
    CLITIC_PREFIXES,
    CLITIC_SUFFIXES,
    GAP_CHARS,
    INDEFINITE,
    INVISIBLE,
    STEM_MARK,
    Token,
    agent_half_base,
    compound_stem,
    is_clitic_pair,
    stem,
    stem_at_boundary,
    stem_parts,
    token_tuples,
    tokenize,
)
from search_index.stemmer import glide_stem
from search_index.stems import free_half
from search_index.word_parts import MARKS, MAX_SUBJOIN_PARTS, first_part_stem, has_boundary, split_parts
from tests.conftest import shared_data
from tests.strategies import FAST, JOINERS, PERSIAN_LETTERS, persian_text, persian_word

HERE = Path(__file__).resolve().parent

# --- the reference: the plain code of 2c57c0d -------------------------------------------------

_WORD_CHAR = rf"(?:[^\W_]|[{MARKS}])"
_PLAIN_WORD_RE = re.compile(
    rf"{_WORD_CHAR}+(?:(?:[{chr(0x200C) + INVISIBLE}]+|(?<=\d)[.\u066b\u066c](?=\d)){_WORD_CHAR}+)*"
)


def _plain_compound_tokens(parts, pos):
    n = len(parts)
    for i, (term, start, end) in enumerate(parts):
        yield Token(term, start, end, pos + i, "part")
        if n <= MAX_SUBJOIN_PARTS:
            stops = range(i + 2, n + 1)
        else:
            stops = sorted({j for j in (i + 2, n if i == 0 else 0) if 1 < j <= n})
        for j in stops:
            if parts[j - 1][0] == "و":  # schema 16: no join that ends at «و» (``_parts`` splits «وپرورش»)
                continue
            yield Token("".join(p[0] for p in parts[i:j]), start, parts[j - 1][2], pos + i, "joined")


def plain_tokenize(text: str, start_pos: int = 0):
    pos = start_pos
    prev_term, prev_pos, prev_start, prev_end = "", 0, 0, -1
    for m in _PLAIN_WORD_RE.finditer(text):
        raw = m.group()
        start, end = m.span()
        # most words: letters only; a deliberate change since 2c57c0d (schema 24): «وپرورش» written
        # apart is «و» + «پرورش» (split_parts)
        if (raw.isalpha() or not has_boundary(raw)) and not (raw[0] == "و" and len(raw) >= 4):
            term = persian.word_term(raw)
            word_base = stem(term) if term else None
            if not term:
                continue
            parts = None
        else:
            parts = split_parts(raw, start)
            if not parts:
                continue
            term = "".join(p[0] for p in parts)
            word_base = stem(term) if len(parts) == 1 else None
        if term == persian.EZAFE and prev_term.endswith("ه") and not text[prev_end:start].strip(GAP_CHARS):
            continue  # a deliberate change since 2c57c0d (schema 11): «توسعه ی» is no word «ی»
        if (
            (prev_term in CLITIC_PREFIXES or term in CLITIC_SUFFIXES or term == INDEFINITE)
            and prev_end >= 0
            and is_clitic_pair(prev_term, term)
            and not text[prev_end:start].strip(GAP_CHARS)
        ):
            yield Token(prev_term + term, prev_start, end, prev_pos, "joined")
            base = stem_at_boundary(prev_term, term)
            if base:
                yield Token(STEM_MARK + base, prev_start, end, prev_pos, "stem")
                yield Token(STEM_MARK + base, prev_start, end, pos, "stem")
        if parts is None or len(parts) == 1:
            yield Token(term, start, end, pos, "word")
            base = word_base
            width = 1
        else:
            yield from _plain_compound_tokens(parts, pos)
            width = len(parts)
            base = stem_parts([p[0] for p in parts])
            last_base = stem(parts[-1][0]) if parts[-1][0] not in BOUNDARY_SUFFIXES and not short_plural(parts[-1][0]) else None
            if last_base and base and not free_half(base, parts[-1][0]):
                last_base = None
            if first := first_part_stem(parts, base, last_base):  # a deliberate change (schema 29): «صنایع‌دستی»
                yield Token(STEM_MARK + first, parts[0][1], parts[0][2], pos, "stem")
        if base:
            whole = (compound_stem(prev_term, base, term)
                     if prev_end >= 0 and not text[prev_end:start].strip(GAP_CHARS) else None)
            if whole:
                yield Token(STEM_MARK + whole, prev_start, end, prev_pos, "stem")
                yield Token(STEM_MARK + whole, prev_start, end, pos + width - 1, "stem")
            else:
                yield Token(STEM_MARK + base, start, end, pos, "stem")
                if width > 1:
                    yield Token(STEM_MARK + base, start, end, pos + width - 1, "stem")
        elif width == 1 and prev_end >= 0 and not text[prev_end:start].strip(GAP_CHARS):  # schema 19
            half = agent_half_base(term)
            whole = compound_stem(prev_term, half, term) if half else None
            if whole:  # «دانش آموزان»
                yield Token(STEM_MARK + whole, prev_start, end, prev_pos, "stem")
                yield Token(STEM_MARK + whole, prev_start, end, pos, "stem")
        if width == 1 and (glide := glide_stem(term, base)):  # a deliberate change (schema 28): «همتایان»
            yield Token(STEM_MARK + glide, start, end, pos, "stem")
        if width > 1:
            last, last_start, last_end = parts[-1]
            last_base = stem(last) if last not in BOUNDARY_SUFFIXES and not short_plural(last) else None
            if last_base and base and not free_half(base, last):
                last_base = None
            if last_base and last_base != base:
                yield Token(STEM_MARK + last_base, last_start, last_end, pos + width - 1, "stem")
        prev_term, prev_pos, prev_start, prev_end = term, pos, start, end
        pos += width


def plain_analyze_field(text: str) -> dict:
    tokens = list(plain_tokenize(text))
    after = {end: pos + 1 for _, _, end, pos, kind in tokens if kind != "joined" and kind != "stem"}
    index: dict = {}
    for term, start, end, pos, kind in tokens:
        nxt = after.get(end, pos + 1) if kind == "joined" or kind == "stem" else pos + 1
        positions = index.get(term)
        if positions is None:
            index[term] = {pos: (nxt, start, end)}
        elif pos not in positions:
            positions[pos] = (nxt, start, end)
    return index


def short_plural(last: str) -> bool:
    """A deliberate change (schema 32): a listed plural of three letters as a last part is no plural
    («جهان‌آرا» gives no «~رای»)."""
    from search_index.lexicon import lexicon

    return len(last) == 3 and last in lexicon().broken_plurals


# --- the comparison ---------------------------------------------------------------------------

def same_tokens(text: str, start_pos: int = 0) -> None:
    plain = list(plain_tokenize(text, start_pos))
    fast = list(tokenize(text, start_pos))
    assert fast == plain, text
    assert all(type(t) is Token for t in fast)
    assert list(token_tuples(text, start_pos)) == [tuple(t) for t in plain]


def same_index(text: str) -> None:
    plain, fast = plain_analyze_field(text), analyze_field(text)
    assert list(fast) == list(plain), text
    assert all(list(fast[term].items()) == list(plain[term].items()) for term in plain), text


def same_features(title: str, body: str) -> None:
    item = analyze_item(title, body)
    plain = AnalyzedItem(dict(item.texts), {name: plain_analyze_field(text) for name, text in item.texts.items()})
    for ngrams in (True, False):
        fast, slow = item_features(item, ngrams=ngrams), item_features(plain, ngrams=ngrams)
        assert list(fast.counts.items()) == list(slow.counts.items())
        assert list(fast.words.items()) == list(slow.words.items())


def _test_file_strings() -> list[str]:
    """Every string literal of tests/search_index/test_persian*.py (their constructed cases)."""
    found = []
    for path in sorted(HERE.glob("test_persian*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
                found.append(node.value)
    return found


CASES = [
    "", " ", "،", "می شود", "می‌شود", "نمی شود", "میشود", "می  شود", "می، شود", "می\u200c\u200cشود",
    "کتاب ها", "کتاب‌ها", "کتابها", "کتاب های", "خانه ای", "خانه‌ای", "خانه ای ای", "ها ها", "می می",
    "دانش آموختگان", "دانش‌آموختگان", "مهارت‌آموختگان", "جنگ‌زدگان", "جنگ زدگان", "مصرف کنندگان",
    "کشته شدگان", "با آموختگان", "به کارگران", "روابط‌عمومی", "روابط عمومی استانداری",
    "الف‌ب‌پ‌ت‌ث‌ج", "الف‌ب‌پ‌ت", "الف‌ب‌پ‌ت‌ث", "مشاوره\u200eای", "مشاوره\u200fای\u061cها", "کتاب\u200bها",
    "\u200cکتاب", "کتاب\u064b\u200c\u064b", "\u064b\u200cکتاب‌ها", "ـــ", "\u064b\u064c", "می \u064b شود",
    "۱۴۰۳٫۵ درصد", "3.14 و ۲۰٬۰۰۰", "covid19 کرونا", "Tehran's TEHRAN", "ﷺ پیامبر", "ﷲ",
    "مهم‌ترین تانکرها و تانکر", "قطعی آب شرب روستاهای شهرستان", "انتخابات تهران", "نشسته‌ایم",
    "کارگران\nمی\tروند", "می\u00a0روند", "کتاب\u200d\u200cها", "x_y", "a\u0301b",
]


def test_constructed_texts():
    texts = CASES + _test_file_strings()
    assert len(texts) > 200
    for text in texts:
        same_tokens(text)
        same_tokens(text, start_pos=7)
        same_index(text)
    same_features("دانش آموختگان و کتاب‌ها", " ".join(CASES))


def test_when_the_word_cache_fills():
    """The per-spelling cache turns over when full (two generations): the same tokens before and
    after, both generations within ``WORDS_MAX``."""
    saved = word_parts.WORDS_MAX
    word_parts.forget_words()
    word_parts.WORDS_MAX = 3
    try:
        for text in CASES:
            same_tokens(text)
        assert len(word_parts.WORDS) + len(word_parts._OLDER) <= 3
    finally:
        word_parts.WORDS_MAX = saved
        word_parts.forget_words()


def test_forgetting_the_words_forgets_both_generations():
    """A test's or a bench's cold start (``forget_words``) reads every spelling anew: a spelling the
    cache turned over into its older generation is not handed back from there."""
    saved = word_parts.WORDS_MAX
    word_parts.forget_words()
    word_parts.WORDS_MAX = 4
    try:
        first = word_parts.word_info("آب")
        for word in ("کتاب", "سد", "برق"):  # «آب» turned over into the older generation
            word_parts.word_info(word)
        assert "آب" in word_parts._OLDER and "آب" not in word_parts.WORDS
        word_parts.forget_words()
        assert not word_parts.WORDS and not word_parts._OLDER
        again = word_parts.word_info("آب")
        assert again == first and again is not first
    finally:
        word_parts.WORDS_MAX = saved
        word_parts.forget_words()


def test_a_common_word_stays_read_when_the_cache_fills():
    """A text with more spellings than the cache holds (a long rebuild's archive): a word that
    keeps coming back is not read anew after the cache fills (the same tuple, not a new one: the
    cache once emptied whole re-read every word), both generations stay within ``WORDS_MAX`` and the
    tokens are those of a cache that never fills."""
    saved = word_parts.WORDS_MAX
    word_parts.forget_words()
    word_parts.WORDS_MAX = 40
    text = " ".join(f"آب {word}{n}" for n in range(200) for word in ("کتاب", "سد"))
    try:
        first = word_parts.word_info("آب")
        small = list(token_tuples(text))
        assert len(word_parts.WORDS) + len(word_parts._OLDER) <= 40
        assert word_parts.word_info("آب") is first
    finally:
        word_parts.WORDS_MAX = saved
        word_parts.forget_words()
    assert small == list(token_tuples(text))


separator = st.sampled_from([" ", "  ", "\u200c", "\u200b", "\u200e", "\u200f", "\u061c", "\u00a0", "،", ".",
                             "\n", " \u200c", "\u200d", "ـ"])
joined_words = st.lists(
    st.one_of(persian_word, st.sampled_from(sorted(CLITIC_PREFIXES | CLITIC_SUFFIXES | {INDEFINITE}
                                                   | {"دانش", "آموختگان", "جنگ", "زدگان", "کتاب", "خانه"})),
              st.text(alphabet=PERSIAN_LETTERS + JOINERS + "0123456789۰۱٫٬.", min_size=1, max_size=6)),
    max_size=12,
).flatmap(lambda words: st.lists(separator, min_size=len(words), max_size=len(words)).map(
    lambda seps: "".join(w + s for w, s in zip(words, seps))))


@FAST
@given(st.one_of(persian_text, joined_words))
def test_random_text(text):
    same_tokens(text)
    same_index(text)


def test_real_articles():
    folder = shared_data("persian-news")
    lexicon()  # loaded once, outside the loop
    n = 0
    for path in sorted(folder.glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            title = article.get("title") or ""
            body = "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])])
            same_tokens(title)
            same_tokens(body)  # what search indexes: the whole text
            same_index(title)
            same_index(_lead(body, 5000))  # what routing reads
            same_features(title, body)
            n += 1
    assert n > 1000


# Where words begin and end: any mix of letters, digits, marks, joiners, «_», decimal points and separators.
_CUT_ALPHABET = PERSIAN_LETTERS + JOINERS + "0123456789۰۱٫٬._ -،a\u064b\u0670\u200c\u200d\u200e\u061c\ufeff\n"


@FAST
@given(st.text(alphabet=_CUT_ALPHABET, max_size=40))
def test_the_word_cut_is_the_plain_regexs(text):
    """``split_words`` (its two patterns: with «_» in the text and without) and ``end_of_word_at``
    cut words where the plain regex of 2c57c0d does."""
    expected = [m.group() for m in _PLAIN_WORD_RE.finditer(text)]
    assert persian._WORD_SPLIT(text)[1::2] == expected
    assert persian._SPLIT_NO_UNDERSCORE(text.replace("_", " "))[1::2] == [
        m.group() for m in _PLAIN_WORD_RE.finditer(text.replace("_", " "))]
    assert persian.split_words(text)[1::2] == expected
    assert "".join(persian.split_words(text)) == text
    ends = [m.end() for m in _PLAIN_WORD_RE.finditer(text)]
    for pos in range(len(text) + 1):
        assert persian.end_of_word_at(text, pos) == next((end for end in ends if end > pos), len(text))
