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
from functools import partial
from itertools import accumulate

from search_index.normalization import (  # the text forms, imported from here by their callers
    INVISIBLE,
    ZWNJ,  # noqa: F401
    ZWSP,  # noqa: F401
    ascii_digits,  # noqa: F401
    fold_pasted,  # noqa: F401
    normalize,  # noqa: F401
    normalize_for_storage,  # noqa: F401
    to_persian_digits,  # noqa: F401
)
from search_index.stemmer import BOUNDARY_SUFFIXES, STEM_MARK  # noqa: F401
from search_index.stems import (  # the stems and the stop list, imported from here by their callers too
    agent_half_base,
    compound_stem,  # noqa: F401
    compound_whole,
    is_stopword,  # noqa: F401
    split_conjunctions,  # noqa: F401
    stem,  # noqa: F401
    stem_at_boundary,
    stem_parts,  # noqa: F401
    stopwords,  # noqa: F401
)
from search_index.word_parts import (  # what a word gives by itself; the names imported from here too
    CLITIC_PREFIXES,  # noqa: F401
    CLITIC_SUFFIXES,  # noqa: F401
    EZAFE,
    INDEFINITE,  # noqa: F401
    MARKS,
    NO_WORD,
    PLAIN,
    WORDS,
    Token,
    is_clitic_pair,
    pair_terms,  # noqa: F401
    read_word,
    word_info,  # noqa: F401
    word_term,  # noqa: F401
    word_terms,  # noqa: F401
)

# --- tokenizer -------------------------------------------------------------------------------

# A run of word characters (letters, digits, combining marks): one letter or mark at a time,
# «(?:[^\W_]|[marks])+», reads the same runs, ~30 % slower than runs of each class taken
# possessively (no class holds a joiner or a separator, so giving characters back never helped).
_WORD_RUN = rf"(?:[^\W_]++|[{MARKS}]++)++"
_JOINERS = "\u200c" + INVISIBLE
# What joins two runs into one word: joiners, or a decimal point or separator between digits. The
# lookahead fails at once on the character after most words (a space, a punctuation mark) before
# the alternatives are tried, and the repeat of links is possessive (a link given back never lets
# anything else match): ~25 % fewer instructions for the split of an article, the same cut.
_LINK = rf"(?=[{_JOINERS}.\u066b\u066c])(?:[{_JOINERS}]+|(?<=\d)[.\u066b\u066c](?=\d))"
WORD_RE = re.compile(rf"{_WORD_RUN}(?:{_LINK}{_WORD_RUN})*+")
_WORD_SPLIT = re.compile(f"({WORD_RE.pattern})").split  # gaps and words, in turn
# The same cut for a text without «_» (``\w`` is ``[^\W_]`` and «_»): one class per run, ~25 % faster;
# its first character a class of its own, so that the split's search skips a gap's characters by that
# class alone (``re`` finds no such class in a pattern that begins with a repeat).
_WORD_CHAR = rf"[\w{MARKS}]"
_SPLIT_NO_UNDERSCORE = re.compile(rf"({_WORD_CHAR}{_WORD_CHAR}*+(?:{_LINK}{_WORD_CHAR}++)*+)").split
GAP_CHARS = " \t\r\n\u00a0\u202f\u2009" + _JOINERS  # a gap of these alone lets two words join

_new = tuple.__new__  # builds a Token from a tuple without NamedTuple's argument handling (``tokenize``)


def tokenize(text: str, start_pos: int = 0) -> Iterator[Token]:
    """Index tokens of ``text``: words, ZWNJ parts and joins, joined clitic pairs (see module doc)."""
    return map(_as_token, token_tuples(text, start_pos))


_as_token = partial(_new, Token)


def token_tuples(text: str, start_pos: int = 0) -> Iterator[tuple[str, int, int, int, str]]:
    """``tokenize`` as plain tuples (text, start, end, pos, kind): for a caller that unpacks them.

    Hot (search indexing, routing, the detector, alerts and the classifier read every item
    through it): what a word gives by itself (its term, stem term, clitic flags, a compound's
    parts and joins) is worked out once per spelling (``search_index.word_parts.read_word``); the
    loop adds what depends on the word before it. tests/search_index/test_tokenize_equal.py compares it with the plain
    version of 2c57c0d."""
    return _token_tuples(text, split_words(text), 0, 0, start_pos)


def split_words(text: str) -> list[str]:
    """``text`` cut into its gaps and words, in turn (gap, word, gap, …, gap): word ``i`` is
    piece ``2 * i + 1``."""
    return _WORD_SPLIT(text) if "_" in text else _SPLIT_NO_UNDERSCORE(text)


def end_of_word_at(text: str, pos: int) -> int:
    """Where the word that holds or follows ``pos`` ends (``len(text)`` when none does)."""
    found = WORD_RE.search(text, pos)
    return found.end() if found else len(text)



def token_tuples_from(text: str, pieces: list[str], word: int, offset: int) -> Iterator[tuple[str, int, int, int, str]]:
    """``token_tuples(text)`` from word ``word`` of ``pieces`` (``split_words(text)``) on, as if
    the text began there (``offset``: where the gap before that word starts): the same tuples as
    the whole text's from that word's own tokens on, but no join with the word before it (the
    positions count from 0). Highlighting reads the few windows of a text that can hold a match."""
    return _token_tuples(text, pieces, 2 * word, offset, 0)


def _token_tuples(text: str, pieces: list[str], first: int, offset: int,
                  start_pos: int) -> Iterator[tuple[str, int, int, int, str]]:
    # ``pieces[first]`` is a gap, word i is ``pieces[first + 2 * i + 1]``; where each piece begins and
    # ends is summed in C (``accumulate``), not word by word here.
    bounds = accumulate(map(len, pieces[first:] if first else pieces), initial=offset)
    next(bounds)  # where the gap before the first word begins
    pos = start_pos
    prev, prev_pos, prev_start, prev_end = NO_WORD, 0, 0, -1  # the word before: what it gives, where
    prev_prefix = False
    get, gap_chars, plain = WORDS.get, GAP_CHARS, PLAIN
    for raw, start, end in zip(pieces[first + 1::2], bounds, bounds):
        info = get(raw)
        if info is None:
            info = read_word(raw)
        if info[plain] and not prev_prefix:  # its term alone, whatever the word before it: 9 words in 10
            yield (info[0], start, end, pos, "word")
            prev = info
            prev_pos = pos
            prev_start = start
            prev_end = end
            pos += 1
            continue
        term, base, stem_term, prefix, right, _left_ok, compound, _plain = info
        if not term:
            continue
        prev_term = prev[0]
        if term == EZAFE and prev_term[-1:] == "ه" and not text[prev_end:start].strip(gap_chars):
            continue  # «توسعه ی»: the ezafe written apart is no word either (schema 11)
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
        prev_left = prev[5]
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
            prev = info  # (one name at a time: no tuple built and unpacked per word)
            prev_pos = pos
            prev_start = start
            prev_end = end
            prev_prefix = prefix
            pos += 1
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
                if width > 1:  # (width 1: a word with a second stem, «همتایان»)
                    yield (stem_term, start, end, pos + width - 1, "stem")
        if last is not None:  # «مهارت‌آموختگان» (no listed compound): also «~آموخته»; «همتایان»: «~همتای»
            yield (last[0], start + last[1], start + last[2], pos + width - 1, "stem")
        prev = info
        prev_pos = pos
        prev_start = start
        prev_end = end
        prev_prefix = prefix
        pos += width
