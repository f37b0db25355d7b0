"""The Whoosh analyzer for Persian text, built on ``search_index.persian``.

One analyzer serves indexing, querying and highlighting: no stemming, no stop words (stop words
are dropped from free-text queries by ``search_index.query`` only, so phrases keep working).

* ``mode="index"`` (and any mode other than "query") emits ``persian.tokenize``: words, ZWNJ
  parts and their joins, joined clitic pairs, with positions and offsets into the original text.
  Whoosh's highlighter re-tokenizes stored text in this mode; overlapping tokens are fine (it
  keeps the longest one at each start).
* ``mode="query"`` emits one term per query word (``query_terms.query_tokens``): the joined form,
  which every spelling of a ZWNJ word or a clitic pair has in the index.

The index stores the analyzer by import path (``search_index.analyzer.PersianTokenizer``):
renaming it makes existing indexes unreadable until ``flask search rebuild``.
"""
from __future__ import annotations

from whoosh.analysis import Token, Tokenizer

from search_index import persian, query_terms


class PersianTokenizer(Tokenizer):
    """Whoosh tokenizer yielding the Persian index or query terms of a text."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.text = persian.normalize(value)
            t.boost = 1.0
            if keeporiginal:
                t.original = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return

        source = query_terms.query_tokens(value) if mode == "query" else persian.token_tuples(value)
        for text, start, end, pos, _kind in source:  # Tokens or plain tuples, in the same order
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t

    def term_positions(self, value: str) -> dict[str, list[int]]:
        """Index mode in one pass: each term and its positions (``indexing.PersianPositions``)."""
        positions: dict[str, list[int]] = {}
        for text, _start, _end, pos, _kind in persian.token_tuples(value):
            found = positions.get(text)
            if found is None:
                positions[text] = [pos]
            else:
                found.append(pos)
        return positions


def PersianAnalyzer() -> PersianTokenizer:
    """The analyzer for every matching text field (title, body, …)."""
    return PersianTokenizer()
