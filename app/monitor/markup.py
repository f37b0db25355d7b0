"""Hostile HTML read once, as an HTML parser (html5ever, the parser of nh3; the WHATWG tokenizer)
reads its tags — where a tag, a comment or a raw text ends — without building anything: what
``clean`` needs to bound an entry's nesting before nh3, and what ``page_text`` needs to hand
Python's HTMLParser only whole tags. Linear: every piece is read once, from where the last ended.

Reviews of hostile feeds, rounds 4 and 5, and the code reviews of those changes: each simpler
reading was beaten by a case the parser reads otherwise — a «<» inside a quoted value, a quote
that starts no value («<span ="…">»), a name with a dot («<x.>»), a comment hiding «</div>», a
«</div>» inside a script, an end tag the parser ignores («</span>» over an open «<div>»).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_WS = "\t\n\f\r "
# A tag from «<» to «>»: a name runs to white space, «/» or «>»; an attribute's name may begin with
# «=» or a quote (parse errors the parser reads as name characters); a quote begins a value only
# after «name =»; every character but «>» belongs to some state, so the possessive loop stops only
# at the tag's «>» — or at the end of the text, where the parser drops the tag.
_TAG = re.compile(
    rf"""<(/?)([A-Za-z][^{_WS}/>]*+)((?:[{_WS}/]++|[^{_WS}/>][^{_WS}/>=]*+"""
    rf"""(?:[{_WS}]*+=[{_WS}]*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^{_WS}>]*+))?)*+)(>?)""")
_COMMENT_END = re.compile(r"--!?>")
RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
_raw_ends: dict[str, re.Pattern] = {}


class Piece(NamedTuple):
    kind: str  # "text", "start", "end", "comment" (also a bogus one: «<!x>», «<?x>», «<![x>»), "raw" (a raw
    #            element's text), "dropped" (a tag the text ends inside: the parser keeps nothing of it)
    start: int
    end: int
    name: str = ""  # a tag's name, lower case
    self_closing: bool = False  # «/>» (which closes no element but a void one)


def _raw_end(name: str) -> re.Pattern:
    found = _raw_ends.get(name)
    if found is None:
        found = _raw_ends[name] = re.compile(rf"</{name}(?=[{_WS}/>])", re.IGNORECASE)
    return found


def pieces(html: str) -> Iterator[Piece]:
    """The text's pieces in order, as the parser's tokenizer cuts them."""
    i, n = 0, len(html)
    while i < n:
        j = html.find("<", i)
        if j < 0:
            yield Piece("text", i, n)
            return
        if j > i:
            yield Piece("text", i, j)
        if html.startswith("<!--", j):
            if html.startswith(("<!-->", "<!--->"), j):  # an empty comment, closed at once
                end = j + (5 if html.startswith("<!-->", j) else 6)
            else:
                closing = _COMMENT_END.search(html, j + 4)
                end = closing.end() if closing else n  # unclosed: a comment to the end
            yield Piece("comment", j, end)
            i = end
            continue
        following, after = html[j + 1:j + 2], html[j + 2:j + 3]
        if following == "/" and after == ">":  # «</>»: nothing
            i = j + 3
            continue
        if following in ("!", "?") or following == "/" and not (after.isascii() and after.isalpha()):
            close = html.find(">", j + 2)  # a bogus comment (a doctype too) ends at its first «>»
            end = n if close < 0 else close + 1
            yield Piece("comment", j, end)
            i = end
            continue
        if not (following == "/" or following.isascii() and following.isalpha()):
            yield Piece("text", j, j + 1)  # a «<» that begins no tag is text
            i = j + 1
            continue
        tag = _TAG.match(html, j)
        closing, name, attributes, gt = tag.groups()
        if not gt:  # the text ends inside the tag
            yield Piece("dropped", j, n)
            return
        name = name.lower()
        yield Piece("end" if closing else "start", j, tag.end(), name, attributes.endswith("/"))
        i = tag.end()
        if not closing and (name in RAW_TEXT or name == "plaintext"):
            end = _raw_end(name).search(html, i) if name != "plaintext" else None
            stop = end.start() if end else n
            if stop > i:
                yield Piece("raw", i, stop, name)
            i = stop
