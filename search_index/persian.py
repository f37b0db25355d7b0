"""Persian text rules of DESIGN.md: one normalization and one tokenizer for search, routing and dedup.

Pure Python (no Flask, no Whoosh). The three forms of text (``normalize``,
``normalize_for_storage``, ``to_persian_digits``) are ``search_index.normalization``'s,
importable from here as before; this module is the tokenizer.

Tokens and the ZWNJ / clitic / compound design
-----------------------------------------------
``tokenize`` finds words in the *original* text (diacritics, tatweel and ZWNJ stay inside a word,
so offsets index the original string) and emits normalized terms with positions:

* a plain word occupies one position;
* a word written with ZWNJ («روابط‌عمومی», «می‌شود») emits each part at consecutive positions
  (p, p+1, …) **and** every contiguous join of parts («روابطعمومی») at the position of its
  first part. The next word follows the last part. So the ZWNJ spelling indexes exactly like
  the spaced spelling (a phrase query of the parts matches both) and also holds the joined term;
* two words separated only by space that form a clitic pair (می/نمی + verb; word + ها/های/
  هایی/تر/ترین…; a word ending in ه + ای) additionally emit the joined term at the first
  word's position: «می شود» indexes like «می‌شود».

Consequently the joined spelling of a query word («میشود», «روابطعمومی») finds ZWNJ and joined
documents by one term lookup, and the clitic pairs also find spaced documents. A spaced
compound that is not a clitic pair («روابط عمومی») gets no joined term in the index: joining
every adjacent pair would double the postings and multiply the vocabulary. The query side
(``search_index.query``) covers it instead: adjacent query words also try their joined term,
and a joined query word tries the phrase of two parts that the index's own vocabulary offers.
Positions follow the parts, so a joined word in the middle of a quoted phrase is matched
through those query-side variants, not through the joined term.

Word forms (``search_index.stemmer``, rules and sources in its module doc): an inflected word
(«تانکرها», «خاموشی‌های», «کارگران», «مهم‌ترین») also emits its stem marked with ``STEM_MARK``
(«~تانکر») — beside the surface terms, never instead of them — at the position of its first
part and, for a word of several parts or a spaced clitic pair, also at that of its last part
(so a two-word phrase finds it with the next or the previous word); the last part of a word
of several parts also gives its own stem there when it is inflected by itself and the compound is
no word of hazm's lexicon («مهارت‌آموختگان»: «~مهارت‌آموخته» and «~آموخته»). A word that is not
inflected emits no stem term: its surface term is its stem. The query side
(``search_index.query_terms.word_forms``) asks for the exact term first and the stem term with a lower weight.

Compound halves: ``search_index.stems`` (its module doc).

Bidi marks: LRM, RLM and ALM inside a word are part boundaries like ZWNJ (some editors type
them where ZWNJ belongs: «مشاوره<LRM>ای» is «مشاوره‌ای», not «مشاور» + «های»); ``normalize``
removes them, as it removes ZWSP, and the tokenizer splits a word's parts at them.

The query side of the same rules (a query's words, clitic joins and splits, word forms, the
query analyzer's one term per word) is ``search_index.query_terms``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache, partial
from itertools import islice
from typing import NamedTuple

from search_index.normalization import (  # the text forms, imported from here by their callers
    INVISIBLE,
    PART_BOUNDARIES,
    ZWNJ,  # noqa: F401
    ZWSP,  # noqa: F401
    ascii_digits,  # noqa: F401
    fold_pasted,  # noqa: F401
    hamza_folded,
    normalize,
    normalize_for_storage,  # noqa: F401
    to_persian_digits,  # noqa: F401
)
from search_index.stemmer import BOUNDARY_SUFFIXES, STEM_MARK
from search_index.stems import (  # the stems and the stop list, imported from here by their callers too
    CONJUNCTION,
    agent_half_base,
    compound_left,
    compound_stem,  # noqa: F401
    compound_whole,
    conjunction_part,
    free_half,
    is_stopword,  # noqa: F401
    split_conjunctions,  # noqa: F401
    stem,
    stem_at_boundary,
    stem_parts,
    stopwords,  # noqa: F401
)

# --- tokenizer -------------------------------------------------------------------------------

_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u08d3-\u08ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# A run of word characters (letters, digits, combining marks): one letter or mark at a time,
# «(?:[^\W_]|[marks])+», reads the same runs, ~30 % slower than runs of each class taken
# possessively (no class holds a joiner or a separator, so giving characters back never helped).
_WORD_RUN = rf"(?:[^\W_]++|[{_MARKS}]++)++"
_JOINERS = "\u200c" + INVISIBLE
_WORD_RE = re.compile(
    rf"{_WORD_RUN}(?:(?:[{_JOINERS}]+|(?<=\d)[.\u066b\u066c](?=\d)){_WORD_RUN})*"
)
_WORD_SPLIT = re.compile(f"({_WORD_RE.pattern})").split  # gaps and words, in turn
# The same cut for a text without «_» (``\w`` is ``[^\W_]`` and «_»): one class per run, ~25 % faster.
_RUN_NO_UNDERSCORE = rf"[\w{_MARKS}]++"
_SPLIT_NO_UNDERSCORE = re.compile(
    rf"({_RUN_NO_UNDERSCORE}(?:(?:[{_JOINERS}]+|(?<=\d)[.\u066b\u066c](?=\d)){_RUN_NO_UNDERSCORE})*)"
).split
_PART_RE = re.compile(f"[^{PART_BOUNDARIES}]+")
_BOUNDARY_SEARCH = re.compile(f"[{PART_BOUNDARIES}]").search
# Between a digit and an Arabic-script letter (either way round); a Latin word keeps its digits («G20»).
_ARABIC_LETTERS = "\u0622-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc"
# The cut is before the invisible characters (and a letter's marks) that stand between, which the
# part's normalization drops: «0\ufeffآ» is cut as «0آ» is.
_DIGIT_LETTER = re.compile(rf"(?<=\d)[{_MARKS}{INVISIBLE}]*(?=[{_ARABIC_LETTERS}])"
                           rf"|(?<=[{_ARABIC_LETTERS}])[{_MARKS}{INVISIBLE}]*(?=\d)")
_GAP_CHARS = " \t\r\n\u00a0\u202f\u2009" + _JOINERS
_MAX_SUBJOIN_PARTS = 4

CLITIC_PREFIXES = frozenset({"می", "نمی"})
CLITIC_SUFFIXES = frozenset(
    {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "تر", "ترین"}
)
INDEFINITE = "ای"  # a suffix only after a word ending in ه («خانه ای» = «خانه‌ای»)


_new = tuple.__new__  # builds a Token from a tuple without NamedTuple's argument handling (``tokenize``)


class Token(NamedTuple):
    """An index term; start/end index the original text; kind is word, part or joined."""

    text: str
    start: int
    end: int
    pos: int
    kind: str = "word"


@lru_cache(maxsize=200_000)
def _term(raw: str) -> str:
    return hamza_folded(normalize(raw))


def word_term(raw: str) -> str:
    """The index term of one word part as written (``normalize``, then the hamza spellings folded)."""
    return _term(raw)


EZAFE = "ی"  # the ezafe written after a word ending in «ه», with a ZWNJ or a space: «توسعه‌ی» and
#              «توسعه ی» are «توسعهٔ», «توسعه» (no part, no word, no position of its own)


def _parts(raw: str, start: int) -> list[tuple[str, int, int]]:
    """Normalized parts of one word (separated by ZWNJ, ZWSP, LRM, RLM or ALM), with their offsets.

    A last part «ی» after a part ending in «ه» is the ezafe (or the indefinite «ی») and no part:
    «توسعه‌ی» gives the parts of «توسعه», as «توسعهٔ» (whose «ٔ» ``normalize`` removes) and the
    unwritten ezafe do, so «توسعه‌ی پایدار» is the phrase «توسعه پایدار» (index schema 10)."""
    if not _has_boundary(raw):
        term = _term(raw)
        return [(term, start, start + len(raw))] if term else []
    parts = []
    for first, last in _part_spans(raw):
        term = _term(raw[first:last])
        if not term:
            continue
        rest = conjunction_part(term) if parts else None
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


def _has_boundary(raw: str) -> bool:
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


def tokenize(text: str, start_pos: int = 0) -> Iterator[Token]:
    """Index tokens of ``text``: words, ZWNJ parts and joins, joined clitic pairs (see module doc)."""
    return map(_as_token, token_tuples(text, start_pos))


_as_token = partial(_new, Token)


def token_tuples(text: str, start_pos: int = 0) -> Iterator[tuple[str, int, int, int, str]]:
    """``tokenize`` as plain tuples (text, start, end, pos, kind): for a caller that unpacks them.

    Hot (search indexing, routing, the detector, alerts and the classifier read every item
    through it): what a word gives by itself (its term, stem term, clitic flags, a compound's
    parts and joins) is worked out once per spelling (``_word_info``); the loop adds what depends
    on the word before it. tests/search_index/test_tokenize_equal.py compares it with the plain
    version of 2c57c0d."""
    return _token_tuples(text, iter(split_words(text)), 0, start_pos)


def split_words(text: str) -> list[str]:
    """``text`` cut into its gaps and words, in turn (gap, word, gap, …, gap): word ``i`` is
    piece ``2 * i + 1``."""
    return _WORD_SPLIT(text) if "_" in text else _SPLIT_NO_UNDERSCORE(text)


def end_of_word_at(text: str, pos: int) -> int:
    """Where the word that holds or follows ``pos`` ends (``len(text)`` when none does)."""
    found = _WORD_RE.search(text, pos)
    return found.end() if found else len(text)


def word_info(raw: str) -> tuple:
    """What a word as written gives by itself (``_word_info``, cached): (term, stem, stem term,
    clitic prefix, clitic suffix, first half of a spaced compound, parts or None)."""
    info = _WORDS.get(raw)
    return info if info is not None else _word_info(raw)


def word_terms(raw: str) -> tuple[frozenset, str | None, bool, bool]:
    """What ``token_tuples`` gives for a word as written by itself, for a caller that looks for
    given terms (highlighting): the terms of its own tokens, its term (None: no term, no tokens),
    whether it may give a term with the word after it (a clitic prefix or the first half of a
    spaced compound) and whether with the word before it (a clitic suffix): ``pair_terms``."""
    term, _base, stem_term, prefix, right, left_ok, compound = word_info(raw)
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


def token_tuples_from(text: str, pieces: list[str], word: int, offset: int) -> Iterator[tuple[str, int, int, int, str]]:
    """``token_tuples(text)`` from word ``word`` of ``pieces`` (``split_words(text)``) on, as if
    the text began there (``offset``: where the gap before that word starts): the same tuples as
    the whole text's from that word's own tokens on, but no join with the word before it (the
    positions count from 0). Highlighting reads the few windows of a text that can hold a match."""
    return _token_tuples(text, islice(pieces, 2 * word, None), offset, 0)


def _token_tuples(text: str, pieces: Iterator[str], offset: int, start_pos: int) -> Iterator[tuple[str, int, int, int, str]]:
    pos = start_pos
    prev_term, prev_pos, prev_start, prev_end = "", 0, 0, -1
    prev_prefix = prev_left = False
    words, gap_chars = _WORDS, _GAP_CHARS
    end = offset + len(next(pieces))  # pieces: gap, word, gap, word, …, gap
    for raw, gap in zip(pieces, pieces):
        start = end
        end = start + len(raw)
        info = words.get(raw)
        if info is None:
            info = _word_info(raw)
        term, base, stem_term, prefix, right, left_ok, compound = info
        if not term:
            end += len(gap)
            continue
        if term == EZAFE and prev_term[-1:] == "ه" and not text[prev_end:start].strip(gap_chars):
            end += len(gap)  # «توسعه ی»: the ezafe written apart is no word either (schema 11)
            continue
        if (
            (prev_prefix or right)
            and prev_end >= 0
            and is_clitic_pair(prev_term, term)
            and not text[prev_end:start].strip(gap_chars)
        ):
            yield (prev_term + term, prev_start, end, prev_pos, "joined")
            joined_base = stem_at_boundary(prev_term, term)
            if joined_base:
                yield (STEM_MARK + joined_base, prev_start, end, prev_pos, "stem")
                yield (STEM_MARK + joined_base, prev_start, end, pos, "stem")
        if compound is None:  # one part: most words
            yield (term, start, end, pos, "word")
            if base:
                whole = (compound_whole(prev_term, base, term)
                         if prev_left and not text[prev_end:start].strip(gap_chars) else None)
                if whole:  # «دانش آموختگان»: the second half of a spaced compound gives the compound's stem
                    yield (STEM_MARK + whole, prev_start, end, prev_pos, "stem")
                    yield (STEM_MARK + whole, prev_start, end, pos, "stem")
                else:
                    yield (stem_term, start, end, pos, "stem")
            elif prev_left and term[-2:] == "ان" and not text[prev_end:start].strip(gap_chars):
                # «دانش آموزان»: an agent noun's plural, no stem of its own, after its compound's first
                # half gives the compound's stem, as «دانش‌آموزان» does (schema 19; a review of search,
                # round 2: «دانش‌آموز» found none of the 8 articles writing it spaced)
                half = agent_half_base(term)
                whole = compound_whole(prev_term, half, term) if half else None
                if whole:
                    yield (STEM_MARK + whole, prev_start, end, prev_pos, "stem")
                    yield (STEM_MARK + whole, prev_start, end, pos, "stem")
            prev_term = term  # (one name at a time: no tuple built and unpacked per word)
            prev_pos = pos
            prev_start = start
            prev_end = end
            prev_prefix = prefix
            prev_left = left_ok
            pos += 1
            end += len(gap)
            continue
        width, parts, last = compound
        for t_text, t_start, t_end, t_pos, kind in parts:
            yield (t_text, start + t_start, start + t_end, pos + t_pos, kind)
        if base:
            whole = (compound_whole(prev_term, base, term)
                     if prev_left and not text[prev_end:start].strip(gap_chars) else None)
            if whole:
                yield (STEM_MARK + whole, prev_start, end, prev_pos, "stem")
                yield (STEM_MARK + whole, prev_start, end, pos + width - 1, "stem")
            else:
                yield (stem_term, start, end, pos, "stem")
                yield (stem_term, start, end, pos + width - 1, "stem")
        if last is not None:  # «مهارت‌آموختگان» (no listed compound): also «~آموخته»
            yield (last[0], start + last[1], start + last[2], pos + width - 1, "stem")
        prev_term = term
        prev_pos = pos
        prev_start = start
        prev_end = end
        prev_prefix = prefix
        prev_left = left_ok
        pos += width
        end += len(gap)


# What tokenize needs of a word by itself, per spelling as written (``_word_info``); emptied when full.
_WORDS: dict[str, tuple] = {}
_WORDS_MAX = 200_000
_NO_WORD = ("", None, None, False, False, False, None)


def _word_info(raw: str) -> tuple:
    """What a word gives by itself, as tokenize reads it: (term, stem, stem term, whether the
    term is a clitic prefix, whether it is a clitic suffix or «ای», whether it may be the first
    half of a spaced compound, and for a word of several parts (width, its part and join tokens
    relative to the word's offset and position, its last part's own stem token or None)); the
    stem is that of ``stem_parts``, a cut across a written boundary excluded."""
    if raw.isalpha() or not _has_boundary(raw):
        parts = None
        term = _term(raw)
    else:
        parts = _parts(raw, 0)
        term = "".join(p[0] for p in parts)
        if len(parts) == 1:
            parts = None
    if not term:
        info = _NO_WORD
    else:
        base = stem(term) if parts is None else stem_parts([p[0] for p in parts])
        compound = None
        if parts is not None:
            width = len(parts)
            last, last_start, last_end = parts[-1]
            last_base = stem(last) if last not in BOUNDARY_SUFFIXES else None
            if last_base and base and not free_half(base, last):
                last_base = None  # «دانش‌آموختگان»: «آموختگان» is the half of a listed compound
            own = ((STEM_MARK + last_base, last_start, last_end)
                   if last_base and last_base != base else None)
            compound = (width, tuple(_compound_tokens(parts, 0)), own)
        info = (term, base, STEM_MARK + base if base else None,
                term in CLITIC_PREFIXES, term in CLITIC_SUFFIXES or term == INDEFINITE,
                compound_left(term), compound)
    if len(_WORDS) >= _WORDS_MAX:
        _WORDS.clear()
    _WORDS[raw] = info
    return info


def _compound_tokens(parts: list[tuple[str, int, int]], pos: int) -> Iterator[Token]:
    """Parts at consecutive positions, each contiguous join at the position of its first part."""
    n = len(parts)
    for i, (term, start, end) in enumerate(parts):
        yield Token(term, start, end, pos + i, "part")
        if n <= _MAX_SUBJOIN_PARTS:
            stops = range(i + 2, n + 1)
        else:  # long chains: neighbouring pairs and the whole word only
            stops = sorted({j for j in (i + 2, n if i == 0 else 0) if 1 < j <= n})
        for j in stops:
            if parts[j - 1][0] == CONJUNCTION:  # «ابو» of «آب‌وفاضلاب» is no spelling of it
                continue
            yield Token("".join(p[0] for p in parts[i:j]), start, parts[j - 1][2], pos + i, "joined")
