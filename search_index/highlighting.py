"""Highlighting the text of a page of hits, read from the database, for every engine.

The matched words are found again by the shared analyzer (``search_index.analyzer``, index mode)
in the title and body of each hit: the engines keep no body text, and the words a query matched
are the terms of its expanded query (``positive_terms`` of each backend). Whoosh's highlighter
does the fragmenting (Whoosh is the design's library; it needs no index for this).

A body's passages come from ``context_fragments``, Whoosh's ``ContextFragmenter`` written over
the analysis's plain tuples (no token object per word, one loop instead of three generators):
the same fragments, scored, chosen and formatted by Whoosh (tests/search_index/test_highlighting.py
compares them on the 1,500 real articles). Highlighting 20 hits is most of a search page's time.
"""
from __future__ import annotations

import html
from collections import deque

from whoosh import highlight
from whoosh.analysis import Token

from search_index import persian

SNIPPET_CHARS = 240
SURROUND = 70  # characters of context around the matched words of a passage


class MarkFormatter(highlight.Formatter):
    """Escapes all text; only the <mark> around a matched word is markup."""

    between = " … "

    def _text(self, text):
        return html.escape(text)

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"


_FORMATTER = MarkFormatter()


def marked(text: str, terms, analyzer, whole: bool) -> str:
    """``text`` escaped, with the matched words in <mark>: the whole text (titles) or the best
    two passages (bodies); "" when nothing matches."""
    if not text or not terms:
        return ""
    if whole:
        return highlight.highlight(text, terms, analyzer, highlight.WholeFragmenter(), _FORMATTER, top=1, mode="index")
    fragments = context_fragments(text, frozenset(terms), SNIPPET_CHARS, SURROUND)
    return _FORMATTER(text, highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST))


def _matched(term: str, start: int, end: int) -> Token:
    """The token Whoosh's highlighter keeps for a matched word (its analyzer's token, copied)."""
    token = Token(False, True, removestops=False, mode="index")
    token.text, token.boost, token.stopped, token.matched = term, 1.0, False, True
    token.startchar, token.endchar = start, end
    return token


def context_fragments(text: str, terms: frozenset, maxchars: int, surround: int,
                      charlimit: int = highlight.DEFAULT_CHARLIMIT):
    """``highlight.ContextFragmenter(maxchars, surround, charlimit).fragment_tokens`` of ``text``
    analysed in index mode, with the tokens whose term is in ``terms`` matched: the same loop."""
    first = None  # startchar of the first token in the fragment
    firsts: deque = deque()  # startchars of the context before it
    countdown = -1  # < 0: not in a fragment; reset by every matched token
    tks: list = []
    endchar = None
    currentlen = 0
    for term, startchar, endchar, _pos, _kind in persian.token_tuples(text):
        tlength = endchar - startchar
        if charlimit and endchar > charlimit:
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
    if tks:
        yield highlight.mkfrag(text, tks, startchar=first, endchar=endchar)


def lead(body: str) -> str:
    """The escaped start of a text, for a hit whose body has no matched word."""
    text = " ".join(body.split())
    return html.escape(text[:SNIPPET_CHARS]) + (" …" if len(text) > SNIPPET_CHARS else "")


def highlight_hits(hits, terms, analyzer, fetch_text) -> None:
    """Set ``title_html`` and ``snippet_html`` of a page of hits (``SearchHit``) from their texts
    (``fetch_text(keys)``): the matched ``terms`` marked, else the escaped title and the lead."""
    terms = frozenset(terms)
    texts = fetch_text([hit.key for hit in hits])
    for hit in hits:
        text = texts.get(hit.key)
        if text is not None:
            hit.title_html = marked(text.title, terms, analyzer, whole=True) or html.escape(text.title)
            hit.snippet_html = marked(text.body, terms, analyzer, whole=False) or lead(text.body)
