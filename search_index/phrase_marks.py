"""Quoted phrases on the search page: which words of a query are marked only where its phrase
stands, and where that is in a text.

The query side (``highlight_terms``) reads the term sequences an engine searches for each
``query.Spellings``: a sequence of several terms of a quoted phrase is a phrase form (positions,
each a set of accepted terms), every other term is free (marked anywhere). The text side
(``Phrases``, ``phrase_marked``) is what ``highlighting`` runs over a window's tokens: a token whose
term belongs only to phrases keeps its term only inside an occurrence of a form (consecutive
positions of the analysis, each holding an accepted term), as Whoosh's own
``set_matched_filter_phrases`` does for its results.
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from whoosh import query as wq

from search_index.query import Spellings

# --- what to mark: the query side ----------------------------------------------------------------


class HighlightTerms(NamedTuple):
    """What the highlighter marks (``highlighting.highlight_hits``): ``free`` terms anywhere, and
    the words of the quoted phrases only where a phrase stands: each phrase form a sequence of
    positions, each position the set of terms accepted there."""

    free: frozenset[str]
    phrases: tuple[tuple[frozenset[str], ...], ...] = ()


def highlight_terms(tree: wq.Query, sequences: Callable[[Spellings], Iterable[Sequence[str]]]) -> HighlightTerms:
    """The terms that make a document match ``tree`` (exclusions left out), read as the engine
    runs them: ``sequences(spellings)`` gives the term sequences an engine searches for one
    ``Spellings`` (``Spellings.alternatives`` in its vocabulary). A sequence of several terms — a
    quoted phrase, or a free word's spelling in two words («مدیر عامل» of «مدیرعامل») — is a phrase
    form, marked only where it stands (each of its words was marked anywhere: «زنجان» marked every
    «زن» and «جان»; a review of search); every other term is free. Other leaves are left out:
    Whoosh's title bonus repeats terms of the ``Spellings`` (as a free term it would mark a
    phrase's words anywhere), a filter's terms (an outlet's number) are no words of the text."""
    free: set[str] = set()
    forms: dict[tuple[str, ...], None] = {}

    def walk(query) -> None:
        if isinstance(query, Spellings):
            for seq in sequences(query):
                if len(seq) > 1:  # a phrase, or a word's spelling in several words («زن جان» of
                    forms[tuple(seq)] = None  # «زنجان»): marked where it stands, not each word anywhere
                else:
                    free.update(seq)
        elif isinstance(query, wq.AndNot):
            walk(query.a)
        elif isinstance(query, wq.Not) or query.is_leaf():
            return
        else:
            for child in query.children():
                walk(child)

    walk(tree)
    return HighlightTerms(frozenset(free), _phrase_positions(forms))


def _phrase_positions(sequences: Iterable[tuple[str, ...]]) -> tuple[tuple[frozenset[str], ...], ...]:
    """The sequences as positions of term sets: the sequences of one length become one form when
    they are every combination of their terms at each position (a phrase's word forms), else
    each stays a form of its own."""
    by_length: dict[int, list[tuple[str, ...]]] = {}
    for seq in sequences:
        by_length.setdefault(len(seq), []).append(seq)
    found: list[tuple[frozenset[str], ...]] = []
    for group in by_length.values():
        merged = tuple(frozenset(column) for column in zip(*group))
        if math.prod(map(len, merged)) == len(group):
            found.append(merged)
        else:
            found += [tuple(frozenset((term,)) for term in seq) for seq in group]
    return tuple(found)


# --- where a phrase stands: the text side ---------------------------------------------------------


class Phrases:
    """The quoted phrases of a query, for marking (``query.HighlightTerms``): ``forms``, each a
    sequence of positions holding a set of accepted terms; ``only``: the terms of the phrases that
    are not ``free`` terms (those are marked only inside an occurrence); ``all``: every term to
    look for, free or in a phrase; ``leading``: the free terms and the terms a form begins with."""

    def __init__(self, free: frozenset, forms):
        self.forms = tuple(tuple(frozenset(position) for position in form) for form in forms if len(form) > 1)
        self.terms = frozenset(term for form in self.forms for position in form for term in position)
        self.free = free
        self.only = self.terms - free
        self.all = free | self.terms
        self.longest = max(map(len, self.forms), default=0)
        # where a passage may begin: a free term, or a term a form begins with (the rest of an
        # occurrence follows its first word: ``highlighting.Sites`` reads the words after it)
        self.leading = free | frozenset(term for form in self.forms for term in form[0])
        self.seconds = frozenset(term for form in self.forms for term in form[1])  # a form's second position
        self.starting: dict[str, list] = {}  # term → the forms it may begin
        for form in self.forms:
            for term in form[0]:
                self.starting.setdefault(term, []).append(form)


def phrase_marked(tokens, word_ends: list[int], word: int, phrases: Phrases):
    """``tokens`` (``persian.token_tuples`` from word ``word`` on; ``word_ends``: where each word
    of the text ends) in the same order, with the term of a token whose term is one of
    ``phrases.only`` replaced by "" unless the token is part of an occurrence of a phrase form:
    consecutive positions, each holding a token whose term the form accepts there.

    A position's tokens come with its word and the next one (a clitic pair, a spaced compound's
    stem: at the first word's position): once a token of a later word comes, the positions before
    the previous word's are complete, and the occurrences that can start there are looked for.
    A token waits while one before it waits or its term is one of ``phrases.only`` (until no
    occurrence still to be checked can hold it: a few words); the others pass at once."""
    only, wanted, starting, longest = phrases.only, phrases.terms, phrases.starting, phrases.longest
    waiting: deque = deque()  # tokens read and not passed on, in order
    at: dict[int, list[str]] = {}  # position → the phrase terms read there
    starts: list[int] = []  # heap of the positions not checked yet where a form may begin
    inside: set[tuple[int, str]] = set()  # (position, term) of the tokens of the occurrences found
    # While tokens wait: the end of the word being read, the highest position read, the first
    # position of the word being read and of the word before it (-1: not known, which only
    # holds tokens longer; known again two words on).
    word_end = top = first = previous_first = -1
    for token in tokens:
        if not waiting:  # most tokens: passed on at once
            term = token[0]
            if term not in wanted:
                yield token
                continue
            pos = token[3]
            _note(term, pos, at, starts, starting)
            if term not in only:
                yield token
                continue
            # it waits, and the words are followed from here
            word = bisect_left(word_ends, token[2], word)
            word_end, top, first, previous_first = word_ends[word], pos, -1, -1
            waiting.append(token)
            continue
        term, _start, endchar, pos, _kind = token
        if endchar > word_end:  # a token of a later word
            while word_ends[word] < endchar:
                word += 1
            word_end = word_ends[word]
            previous_first, first = first, top + 1
            ready = previous_first - longest + 1  # the occurrences starting before it are all read
            while starts and starts[0] < ready:
                _find_occurrences(heapq.heappop(starts), at, starting, inside)
            while waiting and waiting[0][3] < ready:
                item = waiting.popleft()
                yield item if item[0] not in only or (item[3], item[0]) in inside else ("", *item[1:])
        top = max(top, pos)
        if term in wanted:
            _note(term, pos, at, starts, starting)
        if waiting or term in only:
            waiting.append(token)
        else:
            yield token
    while starts:
        _find_occurrences(heapq.heappop(starts), at, starting, inside)
    for item in waiting:
        yield item if item[0] not in only or (item[3], item[0]) in inside else ("", *item[1:])


def _note(term: str, pos: int, at: dict[int, list[str]], starts: list[int], starting: dict[str, list]) -> None:
    """Remember a phrase's term read at ``pos``, and ``pos`` as a place where a form may begin."""
    found = at.get(pos)
    if found is None:
        at[pos] = [term]
    else:
        found.append(term)
    if term in starting:
        heapq.heappush(starts, pos)


def _find_occurrences(start: int, at: dict[int, list[str]], starting: dict[str, list],
                      inside: set[tuple[int, str]]) -> None:
    """Add to ``inside`` the tokens of every phrase form that occurs from position ``start``."""
    for term in at[start]:
        for form in starting.get(term, ()):
            found = [(start, term)]
            for i in range(1, len(form)):
                accepted = form[i]
                here = [(start + i, other) for other in at.get(start + i, ()) if other in accepted]
                if not here:
                    break
                found += here
            else:
                inside.update(found)
