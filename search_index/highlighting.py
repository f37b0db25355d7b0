"""Highlighting the text of a page of hits, read from the database, for every engine.

The matched words are found again by the shared analyzer (``search_index.analyzer``, index mode)
in the title and body of each hit: the engines keep no body text, and the words a query matched
are the terms of its expanded query (``positive_terms`` of each backend). Whoosh's highlighter
does the fragmenting (Whoosh is the design's library; it needs no index for this).
"""
from __future__ import annotations

import html

from whoosh import highlight

SNIPPET_CHARS = 240


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
        fragmenter, top = highlight.WholeFragmenter(), 1
    else:
        fragmenter, top = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70), 2
    return highlight.highlight(text, terms, analyzer, fragmenter, _FORMATTER, top=top, mode="index")


def lead(body: str) -> str:
    """The escaped start of a text, for a hit whose body has no matched word."""
    text = " ".join(body.split())
    return html.escape(text[:SNIPPET_CHARS]) + (" …" if len(text) > SNIPPET_CHARS else "")
