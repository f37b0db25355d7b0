"""Highlighting the text of a page of hits, read from the database, for every engine.

The matched words are found again by the shared analyzer (``search_index.analyzer``, index mode)
in the title and body of each hit: the engines keep no body text, and the words a query matched
are the terms of its expanded query (``phrase_marks.highlight_terms``, as each backend expands it). Whoosh's highlighter
does the fragmenting (Whoosh is the design's library; it needs no index for this).

A body's passages come from ``context_fragments``, Whoosh's ``ContextFragmenter`` written over
the analysis's plain tuples (no token object per word, one loop instead of three generators):
the same fragments, scored, chosen and formatted by Whoosh (tests/search_index/test_highlighting.py
compares them on the 1,500 real articles). Highlighting 20 hits is most of a search page's time,
so only the windows of a body around the words that can hold a match are analysed (``Sites``):
the word split of the whole body and one look-up per distinct spelling, then the analysis of a
few dozen words per match instead of every word.

A quoted phrase's words are marked only where the phrase stands (``phrase_marks``, as Whoosh's
``set_matched_filter_phrases`` does for its own results): the token stream of a window goes
through ``phrase_marks.phrase_marked``, a look-ahead of a few words that blanks the term of a token whose
term belongs only to phrases unless the token is part of an occurrence of one. A query without
phrases reads the stream as before.
"""
from __future__ import annotations

import html
from bisect import bisect_right
from collections import deque
from itertools import accumulate, compress

from whoosh import highlight
from whoosh.analysis import Token

from search_index import persian, word_parts
from search_index.phrase_marks import Phrases, phrase_marked
from search_index.stemmer import STEM_MARK

SNIPPET_CHARS = 240
SURROUND = 70  # characters of context around the matched words of a passage
# A body's passages are looked for in its first 10,000 characters (Whoosh's ``charlimit``;
# its default is 32,768), then in the rest only when none matched there: at 1,000,000 items the
# best hits of a common query are the longest articles, and their analysis made the page slow.
SNIPPET_CHARLIMIT = 10_000


class MarkFormatter(highlight.Formatter):
    """Escapes all text; only the <mark> around a matched word is markup."""

    between = " … "

    def _text(self, text):
        return html.escape(text)

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"


_FORMATTER = MarkFormatter()


def marked(text: str, terms, analyzer, whole: bool, sites: Sites | None = None,
           phrases: Phrases | None = None) -> str:
    """``text`` escaped, with the matched words in <mark>: the whole text (titles) or the best
    two passages (bodies); "" when nothing matches. ``sites``: the page's word cache (optional);
    ``phrases``: words marked only where a phrase stands (built for these ``terms``, the words
    marked anywhere)."""
    terms = frozenset(terms)
    if phrases is not None and not phrases.only:
        phrases = None  # every word of the phrases is free anyway
    if phrases is not None:
        terms = phrases.all
    if not text or not terms:
        return ""
    if whole:
        if phrases is not None:
            return _marked_whole(text, terms, phrases)
        return highlight.highlight(text, terms, analyzer, highlight.WholeFragmenter(), _FORMATTER, top=1, mode="index")
    for charlimit in (SNIPPET_CHARLIMIT, highlight.DEFAULT_CHARLIMIT):
        fragments = context_fragments(text, terms, SNIPPET_CHARS, SURROUND, charlimit, sites=sites, phrases=phrases)
        found = _FORMATTER(text, highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST))
        if found or len(text) <= charlimit:
            return found
    return found


def _marked_whole(text: str, terms: frozenset, phrases: Phrases) -> str:
    """``highlight.highlight`` with the ``WholeFragmenter`` (a title) over the index analysis of
    ``text`` (``persian.token_tuples``, the analyzer's index mode), a phrase's words marked only
    where it stands."""
    pieces = persian.split_words(text)
    word_ends = list(accumulate(map(len, pieces)))[1::2]
    tks = []
    for term, startchar, endchar, _pos, _kind in phrase_marked(persian.token_tuples(text), word_ends, 0, phrases):
        if endchar > highlight.DEFAULT_CHARLIMIT:
            break
        if term in terms:
            tks.append(_matched(term, startchar, endchar))
    fragments = [highlight.Fragment(text, tks)]
    return _FORMATTER(text, highlight.top_fragments(fragments, 1, highlight.BasicFragmentScorer(), highlight.FIRST))


def _matched(term: str, start: int, end: int) -> Token:
    """The token Whoosh's highlighter keeps for a matched word (its analyzer's token, copied)."""
    token = Token(False, True, removestops=False, mode="index")
    token.text, token.boost, token.stopped, token.matched = term, 1.0, False, True
    token.startchar, token.endchar = start, end
    return token


# What a word as written can do for a set of terms (``Sites``): one of its own tokens is a term;
# it may give a term with the word after it (a clitic prefix or the first half of a spaced
# compound, whose term begins a term) or with the word before it (a clitic suffix); its term
# begins a term; it has no term (no tokens: the pairs skip it).
# For phrases, one more: one of its own tokens is a term marked anywhere (else a site only where the
# phrase may go on after it).
_OWN, _JOINS_NEXT, _JOINS_PREV, _BEGINS, _EMPTY, _FREE = 1, 2, 4, 8, 16, 32
_LOOK = _OWN | _JOINS_NEXT | _JOINS_PREV


class Sites:
    """The words of a text that can hold a match for ``terms``: the words one of whose own tokens
    is a term, and the words whose pair with the word before them gives a term — a superset —
    and after each, the ``follow`` next words that have a term (for phrases: ``terms`` are then
    the terms a passage may begin with, ``Phrases.leading``, and the rest of an occurrence is in
    the words after its first: every word with a term has a position of its own). A word whose
    own term only begins a phrase is a site only when the word after it may hold the phrase's
    second term (``_goes_on``): most «شورای» of a text are «شورای اسلامی», not «شورای شهر».

    ``persian.token_tuples`` forms three terms from a pair of words, all beginning with the first
    word's term: the joined clitic pair (left + right), its stem (``stem_at_boundary``: the left
    word) and a spaced compound's stem (left + the right word's stem); the pair's spacing is not
    checked here. What each spelling can do is worked out once for a page of hits."""

    def __init__(self, terms: frozenset, follow: int = 0, free: frozenset | None = None,
                 seconds: frozenset = frozenset()):
        self.terms = terms
        self.follow = follow
        self.free = free  # the terms marked anywhere (None: all of ``terms``)
        self.seconds = seconds  # the terms a phrase may have at its second position
        self.codes: dict[str, int] = {}  # spelling → what it can do (_OWN, …), for the spellings read
        self._look: set[str] = set()  # the spellings with a code in _LOOK
        self._pairs: dict[tuple[str, str], bool] = {}
        bare = {term.removeprefix(STEM_MARK) for term in terms}
        self._beginnings = {term[:n] for term in bare for n in range(1, len(term) + 1)}

    def _code(self, raw: str) -> int:
        own_terms, term, leads, right = _word_terms(raw)
        if term is None:
            return _EMPTY
        begins = term in self._beginnings
        own = 0 if own_terms.isdisjoint(self.terms) else _OWN
        free = own and (self.free is None or not own_terms.isdisjoint(self.free))
        return (own | (_FREE if free else 0) | (_BEGINS if begins else 0)
                | (_JOINS_NEXT if begins and leads else 0) | (_JOINS_PREV if right else 0))

    def _pair(self, left_raw: str, right_raw: str) -> bool:
        """Whether the two words, one after the other, may give a term of their own."""
        key = (left_raw, right_raw)
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = not word_parts.pair_terms(left_raw, right_raw).isdisjoint(self.terms)
        return found

    def of(self, words: list[str]) -> list[int]:
        """The indices of ``words`` (a text's words as written) that may hold a match, ascending."""
        codes, look = self.codes, self._look
        for raw in set(words).difference(codes):
            code = codes[raw] = self._code(raw)
            if code & _LOOK:
                look.add(raw)
        found = set()
        for i in compress(range(len(words)), map(look.__contains__, words)):
            code = codes[words[i]]
            if code & _FREE or code & _OWN and self._goes_on(words, i):
                found.add(i)
            if code & _JOINS_PREV:
                j = _neighbour(words, codes, i, -1)
                if j is not None and codes[words[j]] & _BEGINS and self._pair(words[j], words[i]):
                    found.add(i)
            if code & _JOINS_NEXT:
                j = _neighbour(words, codes, i, 1)
                if j is not None and self._pair(words[i], words[j]):
                    found.add(j)
        for i in sorted(found) if self.follow else ():
            for _ in range(self.follow):
                i = _neighbour(words, codes, i, 1)
                if i is None:
                    break
                found.add(i)
        return sorted(found)

    def _goes_on(self, words: list[str], i: int) -> bool:
        """Whether a phrase begun by word ``i``'s own term may go on after it: the next word with a
        term may hold a phrase's second term by itself, with word ``i`` (a compound's or a joined
        pair's stem stands at its position too) or with the word after it. A word of several
        parts, or no next word (the end of the text read), is not looked into: kept."""
        left = words[i]
        if _has_parts(left):
            return True
        j = _neighbour(words, self.codes, i, 1)
        if j is None:
            return True
        right, seconds = words[j], self.seconds
        if _has_parts(right) or not _word_terms(right)[0].isdisjoint(seconds):
            return True
        if not word_parts.pair_terms(left, right).isdisjoint(seconds):
            return True
        k = _neighbour(words, self.codes, j, 1)
        return k is not None and not word_parts.pair_terms(right, words[k]).isdisjoint(seconds)

    @classmethod
    def of_query(cls, terms: frozenset, phrases: Phrases | None) -> Sites:
        """The sites of the words ``terms`` marked anywhere, or of ``phrases`` (built for them)."""
        if phrases is None:
            return cls(terms)
        return cls(phrases.leading, follow=phrases.longest - 1, free=phrases.free, seconds=phrases.seconds)

    def serves(self, terms: frozenset, phrases: Phrases | None) -> bool:
        """Whether these are the sites ``of_query`` gives for ``terms`` and ``phrases``."""
        if phrases is None:
            return self.terms == terms and not self.follow
        return (self.terms == phrases.leading and self.follow == phrases.longest - 1 and self.free == phrases.free
                and self.seconds == phrases.seconds)


# ``word_parts.word_terms`` of the spellings seen, for every page; emptied when full.
_WORD_TERMS: dict[str, tuple] = {}
_WORD_TERMS_MAX = 200_000


def _word_terms(raw: str) -> tuple:
    found = _WORD_TERMS.get(raw)
    if found is None:
        if len(_WORD_TERMS) >= _WORD_TERMS_MAX:
            _WORD_TERMS.clear()
        found = _WORD_TERMS[raw] = word_parts.word_terms(raw)
    return found


def _has_parts(raw: str) -> bool:
    """Whether the word is one of several parts (``word_parts.word_info``'s seventh field)."""
    return word_parts.word_info(raw)[6] is not None


def _neighbour(words: list[str], codes: dict[str, int], i: int, step: int) -> int | None:
    """The nearest word before (``step`` -1) or after (1) word ``i`` that has a term."""
    i += step
    while 0 <= i < len(words):
        if not codes[words[i]] & _EMPTY:
            return i
        i += step
    return None


def context_fragments(text: str, terms: frozenset, maxchars: int, surround: int,
                      charlimit: int = highlight.DEFAULT_CHARLIMIT, sites: Sites | None = None,
                      phrases: Phrases | None = None):
    """``highlight.ContextFragmenter(maxchars, surround, charlimit).fragment_tokens`` of ``text``
    analysed in index mode, with the tokens whose term is in ``terms`` matched: the same loop,
    run only over the windows of the text around the words that can hold a match (``Sites``).

    The fragmenter does nothing between passages but remember the tokens of the last
    ``surround`` characters (``firsts``), so a window starts far enough before its first match
    for those (``_window_start``) and the analysis jumps to the next window once no passage is
    open. Every body of the real articles gives Whoosh's own snippets
    (tests/search_index/test_highlighting.py).

    With ``phrases`` (``terms`` then holds their terms too), the tokens go through
    ``phrase_marks.phrase_marked``, and only the words where a passage may begin are sites (a
    free term, or a term a phrase begins with: not every «و» of «"آموزش و پرورش"»), each with the
    words after it that an occurrence from there may reach. A window never starts inside an
    occurrence of a phrase after its first word: every word of an occurrence is a site (the
    first by its own term or its pair with the word before it, the others as followers), and a
    site's window holds the word with a term before it, so the reading goes on from one word of
    an occurrence to the next without a new window."""
    # The first token ending past ``charlimit`` ends the loop (and the last passage there): the
    # text is read up to the end of the word at ``charlimit`` — and, with phrases, a few words more,
    # where the rest of an occurrence that begins before the limit stands (its first word is marked).
    analysed = text[:_analysed_end(text, charlimit, phrases)] if charlimit and len(text) > charlimit else text
    pieces = persian.split_words(analysed)
    words = pieces[1::2]
    sites = sites if sites is not None and sites.serves(terms, phrases) else Sites.of_query(terms, phrases)
    found = sites.of(words)
    if not found:
        return
    ends = list(accumulate(map(len, pieces)))  # word i spans ends[2i] to ends[2i + 1]
    word_ends = ends[1::2]
    first = None  # startchar of the first token in the fragment
    countdown = -1  # < 0: not in a fragment; reset by every matched token
    tks: list = []
    endchar = None
    currentlen = 0
    site = 0  # the next word in ``found`` not read yet
    word = _window_start(found[site], words, sites.codes, ends, word_ends, surround)
    while site < len(found):
        site_end = word_ends[found[site]]
        firsts: deque = deque()  # startchars of the context before it
        tokens = persian.token_tuples_from(analysed, pieces, word, ends[2 * word - 1] if word else 0)
        if phrases is not None:
            tokens = phrase_marked(tokens, word_ends, word, phrases)
        for term, startchar, endchar, _pos, _kind in tokens:
            tlength = endchar - startchar
            if charlimit and endchar > charlimit:
                site = len(found)
                break
            matched = term in terms
            if countdown < 0 and not matched:
                firsts.append(startchar)
                while firsts and endchar - firsts[0] > surround:
                    firsts.popleft()
            elif currentlen + tlength > maxchars:
                countdown = 0
            elif matched:
                countdown = surround
                if first is None:
                    if firsts:
                        first = firsts[0]
                    else:
                        first = startchar
                        countdown += surround
                tks.append(_matched(term, startchar, endchar))
            if countdown >= 0:
                currentlen += tlength
                countdown -= tlength
                if countdown <= 0:
                    yield highlight.mkfrag(text, tks, startchar=first, endchar=endchar)
                    tks, firsts, first, currentlen = [], deque(), None, 0
            if startchar >= site_end:  # a token of a later word: the site is read
                while site < len(found) and startchar >= word_ends[found[site]]:
                    site += 1
                if site == len(found):
                    site_end = len(text) + 1
                else:
                    site_end = word_ends[found[site]]
                    word = _window_start(found[site], words, sites.codes, ends, word_ends, surround)
            if countdown < 0:  # no passage open
                if site == len(found):
                    return
                if endchar < ends[2 * word]:
                    break  # on to the next window
        else:
            break  # the end of the text
    if tks:
        yield highlight.mkfrag(text, tks, startchar=first, endchar=endchar)


def _analysed_end(text: str, charlimit: int, phrases: Phrases | None) -> int:
    """Where the analysis of a text cut at ``charlimit`` stops: the end of the word at the limit,
    then twice a phrase's length in words more (a word without a term takes no position)."""
    end = persian.end_of_word_at(text, charlimit)
    for _ in range(2 * phrases.longest if phrases is not None else 0):
        end = persian.end_of_word_at(text, end)
    return end


def _window_start(site: int, words: list[str], codes: dict[str, int], ends: list[int], word_ends: list[int],
                  surround: int) -> int:
    """The first word to analyse for a window whose first match is in word ``site``: every word
    that ends past ``surround`` characters (and one) before the start of the word with a term
    before the site. The tokens before it are out of the fragmenter's context when the match comes
    (the word before the site's tokens push them out) and hold no match."""
    before = _neighbour(words, codes, site, -1)
    if before is None:
        return 0
    return bisect_right(word_ends, ends[2 * before] - surround - 1)


def lead(body: str) -> str:
    """The escaped start of a text, for a hit whose body has no matched word."""
    text = " ".join(body.split())
    return html.escape(text[:SNIPPET_CHARS]) + (" …" if len(text) > SNIPPET_CHARS else "")


def highlight_hits(hits, terms, analyzer, fetch_text, phrases=()) -> None:
    """Set ``title_html`` and ``snippet_html`` of a page of hits (``SearchHit``) from their texts
    (``fetch_text(keys)``): the matched ``terms`` marked anywhere and the words of ``phrases``
    (forms: sequences of positions, each a set of terms; ``phrase_marks.HighlightTerms``) where a phrase
    stands, else the escaped title and the lead."""
    terms = frozenset(terms)
    found = Phrases(terms, phrases) if phrases else None
    if found is not None and not found.only:
        found = None
    sites = Sites.of_query(terms, found)
    texts = fetch_text([hit.key for hit in hits])
    for hit in hits:
        text = texts.get(hit.key)
        if text is not None:
            hit.title_html = marked(text.title, terms, analyzer, whole=True, phrases=found) or html.escape(text.title)
            if " ".join(text.body.split()) == " ".join(text.title.split()):
                continue  # a body that is the title again (many feeds' description): no excerpt repeating it
            hit.snippet_html = (marked(text.body, terms, analyzer, whole=False, sites=sites, phrases=found)
                                or lead(text.body))
