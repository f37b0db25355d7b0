"""Prototype (session 48, helper native; not wired into the app, not landed: bench/README.md, session
48): ``read_field`` fused with the tokenizer's loop in C (``_fused.c``): a plain word's index entry is
written by the C loop, the other words' tokens come from ``other_word`` (the non-plain branch of
``persian._token_tuples`` as a function returning a word's tokens: a COPY, to follow it by hand if this
is ever revived); ``known_features`` (``features._known_features`` in C) and ``token_list``
(``list(token_tuples(text))``, the plain words' tuples made in C). Built by ``build.sh``; compared
with the Python readings by ``compare.py``, ``compare_rebuild.py`` and ``random_text.py``."""
from __future__ import annotations

import _fused  # noqa: E402  (built beside this file)

from app.rules.analysis import Reading
from search_index.persian import GAP_CHARS, split_words
from search_index.stemmer import STEM_MARK
from search_index.stems import agent_half_base, compound_whole, stem_at_boundary
from search_index.word_parts import EZAFE, NO_WORD, WORDS, is_clitic_pair, read_word


def other_word(text, info, start, end, pos, prev, prev_pos, prev_start, prev_end, prev_prefix):
    """The tokens of a word that is not plain (or follows a clitic prefix), None when it gives no word."""
    term, base, stem_term, _prefix, right, _left_ok, compound, _plain = info
    if not term:
        return None
    gap_chars = GAP_CHARS
    prev_term = prev[0]
    if term == EZAFE and prev_term[-1:] == "ه" and not text[prev_end:start].strip(gap_chars):
        return None
    out = []
    add = out.append
    if (
        (prev_prefix or right)
        and prev_end >= 0
        and is_clitic_pair(prev_term, term)
        and not text[prev_end:start].strip(gap_chars)
    ):
        add((prev_term + term, prev_start, end, prev_pos, "joined"))
        joined_base = stem_at_boundary(prev_term, term)
        if joined_base:
            add((STEM_MARK + joined_base, prev_start, end, prev_pos, "stem"))
            add((STEM_MARK + joined_base, prev_start, end, pos, "stem"))
    prev_left = prev[5]
    if compound is None:
        add((term, start, end, pos, "word"))
        if base:
            whole = (compound_whole(prev_term, base, term)
                     if prev_left and not text[prev_end:start].strip(gap_chars) else None)
            if whole:
                add((STEM_MARK + whole, prev_start, end, prev_pos, "stem"))
                add((STEM_MARK + whole, prev_start, end, pos, "stem"))
            else:
                add((stem_term, start, end, pos, "stem"))
        elif prev_left and term[-2:] == "ان" and not text[prev_end:start].strip(gap_chars):
            half = agent_half_base(term)
            whole = compound_whole(prev_term, half, term) if half else None
            if whole:
                add((STEM_MARK + whole, prev_start, end, prev_pos, "stem"))
                add((STEM_MARK + whole, prev_start, end, pos, "stem"))
        return out
    width, parts, last = compound
    for t_text, t_start, t_end, t_pos, kind in parts:
        add((t_text, start + t_start, start + t_end, pos + t_pos, kind))
    if base:
        whole = (compound_whole(prev_term, base, term)
                 if prev_left and not text[prev_end:start].strip(gap_chars) else None)
        if whole:
            add((STEM_MARK + whole, prev_start, end, prev_pos, "stem"))
            add((STEM_MARK + whole, prev_start, end, pos + width - 1, "stem"))
        else:
            add((stem_term, start, end, pos, "stem"))
            if width > 1:
                add((stem_term, start, end, pos + width - 1, "stem"))
    if last is not None:
        add((last[0], start + last[1], start + last[2], pos + width - 1, "stem"))
    return out


_fused.setup(WORDS, read_word, other_word, NO_WORD)


def read_field(text: str, lead_chars: int = -1) -> Reading:
    index, joins, stems, lead = _fused.read(text, split_words(text), lead_chars)
    return Reading(index, joins, stems, lead)


def known_features(features, groups, stems, text, weight, keep) -> None:
    """``app.learning.features._known_features`` in C (the same features, counts, words and order)."""
    _fused.known_features(features.counts, features.words, groups, stems, text, weight,
                          keep.terms, keep.bases, keep.pairs, keep.term, keep.base)


def token_list(text: str) -> list:
    """``list(persian.token_tuples(text))`` (the plain words' tuples made in C)."""
    return _fused.tokens(text, split_words(text))
