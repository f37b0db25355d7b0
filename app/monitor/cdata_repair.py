"""A CDATA section cut before its «]]>», closed where its element ends before feedparser reads it.

A CMS that shortens an entry's lead after wrapping it in CDATA («<![CDATA[<p>…» cut at N
characters) loses the «]]>» with the cut. The section then runs on into the next entry, to that
entry's own «]]>»: the document is still well formed, so nothing said it, and the next entry was
its text (its headline, address and lead in the first one's words) and never an item of its own;
the last cut entry's section, with no «]]>» after it, ran to the end and lost every entry after it
(a review of hostile feeds, round 12).

Only a document ill-formed as served is repaired (``read_repairing_cdata``): the last cut entry's
section ran to the end. A cut in a middle entry leaves the document well formed, and looks exactly
like an entry's own text quoting the feed's markup, which XML says is text (closing it there made a
fake item with the writer's headline, or hid every item after it: the code review of session 38);
such a document is read as written and the feed's page says what its sections hold.

A section is closed early only when it holds, in order, the end tag of the element it was opened
in («</description>») and an entry's end tag («</item>», «</entry>»): the shape of the feed's own
markup, which an article's HTML does not write (it quotes an «</item>» as «&lt;/item&gt;», and
never closes a «<description>»). None of the 146 corpus feeds of ../shared/data/feeds that use
CDATA has such a section. Byte patterns are ASCII: a body in UTF-16 or EBCDIC is left as it is.
"""
from __future__ import annotations

import re
import xml.sax
from collections.abc import Callable

_OPEN, _CLOSE = b"<![CDATA[", b"]]>"
_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)[ \t\r\n]*>")
# The start tag a section opens in («<description>», «<content:encoded …>»), and the element's text before it.
_START_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)(?:[ \t\r\n][^<>]*)?>[^<]*")
_LOOK_BACK = 4096  # bytes before a section searched for its element's start tag


def closed_cdata(body: bytes) -> tuple[bytes, int]:
    """``body`` with each CDATA section that runs past its element's end and its entry's end closed
    before its element's end tag; and how many were. Linear: each search starts past the last."""
    if _OPEN not in body:
        return body, 0
    parts, kept_from, repaired, pos = [], 0, 0, 0
    closing, entry_end = -2, None  # the searches' last answers, still good while they lie ahead
    while (opened := body.find(_OPEN, pos)) >= 0:
        content = opened + len(_OPEN)
        if closing != -1 and closing < content:
            closing = body.find(_CLOSE, content)
        stop = len(body) if closing < 0 else closing
        if entry_end is not None and entry_end.start() < content:
            entry_end = None
        if entry_end is None:
            entry_end = _ENTRY_END.search(body, content) or _NOWHERE
        cut = _element_end(body, opened, content, entry_end.start()) if entry_end.start() < stop else -1
        if cut < 0:
            if closing < 0:
                break
            pos = closing + len(_CLOSE)
            continue
        parts += [body[kept_from:cut], _CLOSE]
        kept_from = pos = cut
        repaired += 1
    if not repaired:
        return body, 0
    parts.append(body[kept_from:])
    return b"".join(parts), repaired


class _Nowhere:
    """No entry's end ahead (a search that found none need not be made again)."""

    @staticmethod
    def start() -> int:
        return 1 << 62


_NOWHERE = _Nowhere()


def _element_end(body: bytes, opened: int, content: int, entry_end: int) -> int:
    """Where the end tag of the element the section at ``opened`` was opened in stands between
    ``content`` and ``entry_end``; -1 when no start tag (then the element's text alone) comes right
    before the section, or the section holds no such end tag."""
    start = body.rfind(b"<", max(0, opened - _LOOK_BACK), opened)
    tag = _START_TAG.fullmatch(body, start, opened) if start >= 0 else None
    if tag is None:
        return -1
    end_tag = re.compile(rb"</%s[ \t\r\n]*>" % re.escape(tag.group(1)))
    found = end_tag.search(body, content, entry_end)
    return found.start() if found else -1


def _ill_formed(result) -> bool:
    return bool(result.get("bozo")) and isinstance(result.get("bozo_exception"), xml.sax.SAXException)


def read_repairing_cdata(body: bytes, read: Callable[[bytes], dict]) -> tuple[dict, int, int]:
    """``read(body)`` (feedparser's reading); (result, sections closed, sections holding the feed's markup
    left as written). A CDATA section cut before its «]]>» is closed only in a
    document that is ill-formed as served (the last entry's lead cut: the section ran to the end) and
    only when that makes it well formed. A well-formed document is read as XML says, whatever its
    sections hold: an entry's own text quoting the feed's markup («</description></item><item><title>…»)
    made a fake item, or hid every item after it (the code review of session 38); a cut in a middle
    entry that leaves the document well formed is said (its next entry is lost), not guessed at."""
    result = read(body)
    repaired, sections = closed_cdata(body)
    if not sections:
        return result, 0, 0
    if not _ill_formed(result):
        return result, 0, sections
    fixed = read(repaired)
    return (result, 0, sections) if _ill_formed(fixed) else (fixed, sections, 0)
