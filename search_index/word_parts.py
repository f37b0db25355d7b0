"""What one word as written gives by itself, worked out once per spelling: its index term, its
parts (ZWNJ, ZWSP and bidi marks are part boundaries; a number written onto a Persian word is a part
of its own; a last «ی» after «ه» is the ezafe, no part; the agentive «گر» after a ZWNJ is one part
with the part before it), whether it is a clitic (``CLITIC_PREFIXES``, ``CLITIC_SUFFIXES``, the
indefinite «ای»), whether it may begin a spaced compound, its stem term, and a word of several
parts' part and join tokens. ``search_index.persian``'s tokenizer reads text
word by word through ``WORDS`` / ``read_word`` and adds what depends on the word before; the query
side (``search_index.query_terms``) cuts a query word into parts with ``split_parts``; highlighting
asks ``word_terms`` and ``pair_terms`` which terms a word may give. The design of parts, joins and
clitics is in ``search_index.persian``'s module doc.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from search_index.lexicon import lexicon
from search_index.normalization import INVISIBLE, PART_BOUNDARIES, hamza_folded, normalize
from search_index.stemmer import BOUNDARY_SUFFIXES, STEM_MARK, glide_stem
from search_index.stems import (
    CONJUNCTION,
    agent_half_base,
    compound_left,
    conjunction_part,
    free_half,
    stem,
    stem_at_boundary,
    stem_parts,
)

# Combining marks: inside a word, never a boundary (the tokenizer's word runs hold them too).
MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u08d3-\u08ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)

_PART_RE = re.compile(f"[^{PART_BOUNDARIES}]+")
_BOUNDARY_SEARCH = re.compile(f"[{PART_BOUNDARIES}]").search
# Between a digit and an Arabic-script letter (either way round); a Latin word keeps its digits («G20»).
_ARABIC_LETTERS = "\u0622-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc"
# The cut is before the invisible characters (and a letter's marks) that stand between, which the
# part's normalization drops: «0\ufeffآ» is cut as «0آ» is.
_DIGIT_LETTER = re.compile(rf"(?<=\d)[{MARKS}{INVISIBLE}]*(?=[{_ARABIC_LETTERS}])"
                           rf"|(?<=[{_ARABIC_LETTERS}])[{MARKS}{INVISIBLE}]*(?=\d)")
MAX_SUBJOIN_PARTS = 4

CLITIC_PREFIXES = frozenset({"می", "نمی"})
CLITIC_SUFFIXES = frozenset(
    {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "تر", "ترین"}
)
INDEFINITE = "ای"  # a suffix only after a word ending in ه («خانه ای» = «خانه‌ای»)


class Token(NamedTuple):
    """An index term; start/end index the original text; kind is word, part or joined."""

    text: str
    start: int
    end: int
    pos: int
    kind: str = "word"


@lru_cache(maxsize=200_000)
def _term(raw: str) -> str:
    term = hamza_folded(normalize(raw))
    if " " in term and _MARK_FORMS.search(raw):
        # NFKC writes an isolated mark's form with a space before it («ﹰ» → « ً») and the mark is
        # then removed: «ﹰ» alone was a word that is a space, «آبﹰها» the term «اب ها» (found by
        # tests/search_index/test_persian_properties.py). The forms are marks: left out, as the fold
        # leaves out the marks themselves.
        term = hamza_folded(normalize(_MARK_FORMS.sub("", raw)))
    return term


# The isolated and medial forms of the Arabic marks (tanwin, harakat, shadda, sukun) and the
# ligatures of shadda with a mark: NFKC gives each a space before its mark.
_MARK_FORMS = re.compile("[\ufe70-\ufe7f\ufc5e-\ufc63]")


def word_term(raw: str) -> str:
    """The index term of one word part as written (``normalize``, then the hamza spellings folded)."""
    return _term(raw)


EZAFE = "ی"  # the ezafe written after a word ending in «ه», with a ZWNJ or a space: «توسعه‌ی» and
#              «توسعه ی» are «توسعهٔ», «توسعه» (no part, no word, no position of its own)
# The agentive suffix «گر» (its plural, «ی» noun, adverb and plural clitics) written after a ZWNJ:
# «تحلیل‌گران», «اصلاح‌گری», «فتنه‌گر» are one word each, no «گران» (expensive) or «گری» of their own.
AGENT_SUFFIXES = frozenset({"گر", "گران", "گرانی", "گرانه", "گری", "گرها", "گرهای", "گرهایی", "گریها", "گریهای"})


def split_parts(raw: str, start: int) -> list[tuple[str, int, int]]:
    """Normalized parts of one word (separated by ZWNJ, ZWSP, LRM, RLM or ALM), with their offsets.

    A last part «ی» after a part ending in «ه» is the ezafe (or the indefinite «ی») and no part:
    «توسعه‌ی» gives the parts of «توسعه», as «توسعهٔ» (whose «ٔ» ``normalize`` removes) and the
    unwritten ezafe do, so «توسعه‌ی پایدار» is the phrase «توسعه پایدار» (index schema 10).

    «و» written onto a word after a space, «آموزش وپرورش», is a part of its own, as after a ZWNJ
    (``conjunction_part``): the word is «و» and «پرورش» («آموزش وپرورش» found 3 of the 57 test
    articles of the agency, and they write it so 33 times; a review of search, round 9; schema 24).

    A part after the first that is the agentive suffix (``AGENT_SUFFIXES``) is one part with the
    part before it: «تحلیل‌گران» is «تحلیلگران», as written joined, and gives no part «گران»
    («گران» had 4 of its top 10 hits holding only «تیشه‌گران», «نجات‌گران», «معامله‌گران»,
    «تحلیل‌گران»; a review of search; schema 25). A first part stays a word: «گران‌فروشی»."""
    if not has_boundary(raw):
        term = _term(raw)
        if term and raw[0] == CONJUNCTION and conjunction_part(term) is not None:
            return [(CONJUNCTION, start, start + 1), (term[1:], start + 1, start + len(raw))]
        return [(term, start, start + len(raw))] if term else []
    parts = []
    for first, last in _part_spans(raw):
        term = _term(raw[first:last])
        if not term:
            continue
        if term in AGENT_SUFFIXES and parts and parts[-1][0].isalpha() and parts[-1][0] != CONJUNCTION:
            parts[-1] = (parts[-1][0] + term, parts[-1][1], start + last)
            continue
        rest = conjunction_part(term) if parts or raw[first] == CONJUNCTION else None
        if rest is None:
            parts.append((term, start + first, start + last))
        else:  # «آموزش‌وپرورش»: «آموزش»، «و»، «پرورش», as «آموزش و پرورش» is written
            parts += [(CONJUNCTION, start + first, start + first + 1), (rest, start + first + 1, start + last)]
    if len(parts) > 1 and parts[-1][0] == EZAFE and parts[-2][0][-1] == "ه":
        parts.pop()
    return parts


def _part_spans(raw: str) -> Iterator[tuple[int, int]]:
    """Where the parts of a word are: between its boundary characters, and a number written onto a
    Persian word is a part of its own («1385به», «سال99», «۲۰ساله»: 187 of the 1,500 articles
    write one, and «1385» found none of them; a review of search, round 3; index schema 21)."""
    for m in _PART_RE.finditer(raw):
        first = m.start()
        for cut in _DIGIT_LETTER.finditer(raw, m.start(), m.end()):
            if first < cut.start() < m.end():
                yield first, cut.start()
                first = cut.start()
        yield first, m.end()


def has_boundary(raw: str) -> bool:
    """Whether a word holds a part boundary (most words are letters only: one quick test)."""
    return not raw.isalpha() and (_BOUNDARY_SEARCH(raw) is not None or _DIGIT_LETTER.search(raw) is not None)


def _is_word(term: str) -> bool:
    return term[:1].isalpha()


def is_clitic_pair(left: str, right: str) -> bool:
    """True when two normalized, ZWNJ-free words are one word split by a clitic boundary."""
    if not (_is_word(left) and _is_word(right)):
        return False
    if left in CLITIC_PREFIXES:
        return right not in CLITIC_PREFIXES and right not in CLITIC_SUFFIXES
    if right in CLITIC_SUFFIXES:
        return left not in CLITIC_PREFIXES and left not in CLITIC_SUFFIXES
    return right == INDEFINITE and left.endswith("ه")


def word_info(raw: str) -> tuple:
    """What a word as written gives by itself (``read_word``, cached): (term, stem, stem term,
    clitic prefix, clitic suffix, first half of a spaced compound, parts or None, plain)."""
    info = WORDS.get(raw)
    return info if info is not None else read_word(raw)


def word_terms(raw: str) -> tuple[frozenset, str | None, bool, bool]:
    """What ``token_tuples`` gives for a word as written by itself, for a caller that looks for
    given terms (highlighting): the terms of its own tokens, its term (None: no term, no tokens),
    whether it may give a term with the word after it (a clitic prefix or the first half of a
    spaced compound) and whether with the word before it (a clitic suffix): ``pair_terms``."""
    term, _base, stem_term, prefix, right, left_ok, compound, _plain = word_info(raw)
    if not term:
        return frozenset(), None, False, False
    if compound is None:
        own = {term, stem_term}
    else:
        _width, parts, last = compound
        own = {stem_term, *(part[0] for part in parts), last[0] if last is not None else None}
    own.discard(None)
    return frozenset(own), term, bool(prefix or left_ok), bool(right)


def pair_terms(left_raw: str, right_raw: str) -> set[str]:
    """The terms ``token_tuples`` may give for two words written one after the other beyond their
    own: the joined clitic pair and its stem, a spaced compound's stem — all beginning with the
    left word's term. A superset: the spacing between the two is not checked."""
    left, right = word_info(left_raw), word_info(right_raw)
    found = set()
    if left[3] or right[4]:  # a clitic prefix before, or a clitic suffix after
        found.add(left[0] + right[0])
        joined_base = stem_at_boundary(left[0], right[0])
        if joined_base:
            found.add(STEM_MARK + joined_base)
    if left[5] and right[1]:  # «دانش» + «آموختگان»: the compound's stem
        found.add(STEM_MARK + left[0] + right[1])
    elif left[5] and (half := agent_half_base(right[0])):  # «دانش» + «آموزان»
        found.add(STEM_MARK + left[0] + half)
    return found


# What tokenize needs of a word by itself, per spelling as written (``read_word``), in two
# generations of at most ``WORDS_MAX // 2`` spellings each: when ``WORDS`` is full its spellings
# become the older generation (the one before is dropped) and ``WORDS`` starts empty; a spelling
# found in the older one moves back at the cost of a lookup. An archive with more spellings than
# this holds (a rebuild of years of news) keeps its common words, where emptying all at once read
# them all anew after every emptying (bench/README.md, session 47).
WORDS: dict[str, tuple] = {}
WORDS_MAX = 200_000  # both generations together
_OLDER: dict[str, tuple] = {}
NO_WORD = ("", None, None, False, False, False, None, False)
PLAIN = 7  # ``read_word``'s last field (see there)


def read_word(raw: str) -> tuple:
    """What a word gives by itself, as tokenize reads it: (term, stem, stem term, whether the
    term is a clitic prefix, whether it is a clitic suffix or «ای», whether it may be the first
    half of a spaced compound, and for a word of several parts (width, its part and join tokens
    relative to the word's offset and position, its last part's own stem token or None; a word of
    one part with a second stem, «همتایان», is given the same way, width 1: ``glide_stem``), and
    whether it is *plain*: a word that gives its term alone at its position whatever word stands
    before it, unless that is a clitic prefix (one part, no stem, not the ezafe, no clitic and no
    agent noun's plural that a spaced compound's first half makes a compound of: «دانش آموزان»);
    the tokenizer's loop gives such a word its token and goes on. The stem is that of
    ``stem_parts``, a cut across a written boundary excluded."""
    kept = _OLDER.get(raw)
    if kept is not None:  # read before the last emptying of ``WORDS``: the same tuple again
        return _cached(raw, kept)
    if (raw.isalpha() or not has_boundary(raw)) and not (raw[0] == CONJUNCTION and len(raw) >= 4):
        parts = None
        term = _term(raw)
    else:
        parts = split_parts(raw, 0)
        term = "".join(p[0] for p in parts)
        if len(parts) == 1:
            parts = None
    if not term:
        info = NO_WORD
    else:
        base = stem(term) if parts is None else stem_parts([p[0] for p in parts])
        compound = None
        glide = glide_stem(term, base) if parts is None else None
        if glide is not None:  # «همتایان»: also «~همتای», as a word of one part with its own second stem
            compound = (1, (Token(term, 0, len(raw), 0, "word"),), (STEM_MARK + glide, 0, len(raw)))
        elif parts is not None:
            width = len(parts)
            last, last_start, last_end = parts[-1]
            # a listed plural of three letters is no plural as a last part: «جهان‌آرا», «فرمان‌آرا» end in
            # the stem of «آراستن», not in «آرا» (votes); «اغرقوا» is Arabic (index schema 32)
            short_plural = len(last) == 3 and last in lexicon().broken_plurals
            last_base = stem(last) if last not in BOUNDARY_SUFFIXES and not short_plural else None
            if last_base and base and not free_half(base, last):
                last_base = None  # «دانش‌آموختگان»: «آموختگان» is the half of a listed compound
            own = ((STEM_MARK + last_base, last_start, last_end)
                   if last_base and last_base != base else None)
            first = first_part_stem(parts, base, last_base)
            tokens = tuple(_compound_tokens(parts, 0))
            if first is not None:  # «صنایع‌دستی»: also «~صنعت» (index schema 29)
                tokens += (Token(STEM_MARK + first, parts[0][1], parts[0][2], 0, "stem"),)
            compound = (width, tokens, own)
        prefix, right = term in CLITIC_PREFIXES, term in CLITIC_SUFFIXES or term == INDEFINITE
        plain = (compound is None and not base and not prefix and not right and term != EZAFE
                 and not (term[-2:] == "ان" and agent_half_base(term)))
        info = (term, base, STEM_MARK + base if base else None, prefix, right, compound_left(term), compound, plain)
    return _cached(raw, info)


def forget_words() -> None:
    """Both generations of the per-spelling cache emptied (a cold start for a test or a bench):
    ``WORDS.clear()`` alone leaves the older one to hand its spellings back."""
    WORDS.clear()
    _OLDER.clear()


def _cached(raw: str, info: tuple) -> tuple:
    """``info`` kept in ``WORDS`` (full: its spellings become the older generation first)."""
    if len(WORDS) >= WORDS_MAX // 2:
        _OLDER.clear()
        _OLDER.update(WORDS)
        WORDS.clear()
    WORDS[raw] = info
    return info


def first_part_stem(parts: list[tuple[str, int, int]], base: str | None, last_base: str | None) -> str | None:
    """The own stem of the first part of a word of several parts that is no base before a suffix
    («صنایع‌دستی»: «صنعت», as «صنایع» alone gives; «کتاب‌ها» gives the whole word's «کتاب»), when it
    is neither the whole word's stem nor the last part's; else None. The index gives it at the
    first part's position (index schema 29; the tenth set's dev half: «صنعت» missed the 5 articles
    writing only «صنایع‌دستی»)."""
    first, second = parts[0][0], parts[1][0]
    if second in BOUNDARY_SUFFIXES or first == CONJUNCTION or second == CONJUNCTION:
        return None
    first_base = stem(first)
    return first_base if first_base and first_base != base and first_base != last_base else None


def _compound_tokens(parts: list[tuple[str, int, int]], pos: int) -> Iterator[Token]:
    """Parts at consecutive positions, each contiguous join at the position of its first part."""
    n = len(parts)
    for i, (term, start, end) in enumerate(parts):
        yield Token(term, start, end, pos + i, "part")
        if n <= MAX_SUBJOIN_PARTS:
            stops = range(i + 2, n + 1)
        else:  # long chains: neighbouring pairs and the whole word only
            stops = sorted({j for j in (i + 2, n if i == 0 else 0) if 1 < j <= n})
        for j in stops:
            if parts[j - 1][0] == CONJUNCTION:  # «ابو» of «آب‌وفاضلاب» is no spelling of it
                continue
            yield Token("".join(p[0] for p in parts[i:j]), start, parts[j - 1][2], pos + i, "joined")
