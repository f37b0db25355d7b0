"""The main text of a web page and its hash: how a portal without a feed is seen to change.

A portal page changes its markup, its scripts, its tracking and CSRF tokens, its clock and its
visitor counter on every load; none of that is an update. What counts is the text a reader reads:
everything inside ``<main>`` (or ``role="main"``, else every ``<article>``, else ``<body>``),
without scripts, styles, forms, navigation, header, footer and side bars, without ``<time>``
elements' text and times of day (a clock), with the digits folded to ASCII, Persian letter
variants folded and the white space collapsed. Pure: no Flask, no database, no network.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from app.monitor import markup
from search_index.persian import normalize

# Elements whose text is never the page's content.
SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "head",
                     "nav", "header", "footer", "aside", "select", "button", "time", "menu", "dialog"})
# Elements that hold a page's content whatever their class says: an ASP.NET or DNN page wraps its body
# in one «<form>» (its text was none: no change of such a portal was ever seen), and WordPress gives
# «<body>» classes such as «has-sidebar» (a review of hostile feeds, round 5).
CONTAINERS = frozenset({"html", "body", "main", "article"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr"})
BLOCK_CLASS = re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumb|footer|header|sidebar|cookie|banner|clock|"
                         r"visitor|counter|date-?time|today)([\s_-]|$)", re.IGNORECASE)
CLOCK = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\s*(am|pm|ق\.?ظ|ب\.?ظ)?", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
EXCERPT_CHARS = 300


@dataclass(frozen=True)
class PageText:
    text: str  # the normalized main text (what is hashed)
    digest: str  # sha256 hex of ``text``
    excerpt: str  # the start of the main text as written (EXCERPT_CHARS), to show


class _Extractor(HTMLParser):
    """Linear in the page: the regions open and the tags open are counted as tags open and close (a
    set over the whole stack at every piece of text, and a search of the stack at every closing tag,
    made 50,000 nested «<div>» cost minutes of the worker: a review of hostile input, round 3)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str]] = []  # (tag, skipped here, region: "main" | "article" | "")
        self.skip_depth = 0
        self.open_tags: dict[str, int] = {}  # tag -> how many of it are on the stack
        self.regions = {"main": 0, "article": 0, "": 0}  # region -> open elements that begin it
        self.parts: dict[str, list[str]] = {"main": [], "article": [], "body": []}

    def _region(self) -> str:
        return "main" if self.regions["main"] else "article" if self.regions["article"] else ""

    def handle_starttag(self, tag, attrs) -> None:
        if tag in VOID:
            return
        values = {name: (value or "") for name, value in attrs}
        skipped = (tag in SKIPPED or "hidden" in values or values.get("aria-hidden") == "true" or values.get("role") in ("navigation", "banner",
                                                                                   "contentinfo", "complementary")
                   or tag not in CONTAINERS and bool(BLOCK_CLASS.search(values.get("class", "") + " " + values.get("id", ""))))
        region = "main" if tag == "main" or values.get("role") == "main" else "article" if tag == "article" else ""
        self.stack.append((tag, skipped, region))
        self.open_tags[tag] = self.open_tags.get(tag, 0) + 1
        self.regions[region] += 1
        if skipped:
            self.skip_depth += 1

    def handle_endtag(self, tag) -> None:
        # Close up to the matching open tag (HTML in the wild leaves <p> and <li> open); a closing
        # tag with none open is passed over without a search.
        if not self.open_tags.get(tag):
            return
        while True:
            open_tag, skipped, region = self.stack.pop()
            self.open_tags[open_tag] -= 1
            self.regions[region] -= 1
            if skipped:
                self.skip_depth -= 1
            if open_tag == tag:
                return

    def handle_data(self, data) -> None:
        if self.skip_depth or not data.strip():
            return
        region = self._region()
        self.parts["body"].append(data)
        if region:
            self.parts[region].append(data)


def decode(body: bytes, content_type: str = "") -> str:
    """The page's text: the charset of the Content-Type header, else of a <meta>, else UTF-8."""
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.IGNORECASE)
    found = match.group(1) if match else None
    if found is None:
        meta = _CHARSET.search(body[:4096])
        found = meta.group(1).decode("ascii", "replace") if meta else None
    for encoding in (found, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding, errors="replace")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace")


def complete_markup(html: str) -> str:
    """``html`` as whole tags and text only (``app.monitor.markup``, one pass): a «<» that begins no
    tag written «&lt;» (text, as a browser shows it), comments and bogus comments («<!…>», «<?…>»,
    «<![…]>») empty (they show nothing), a raw element's text («<script>», «<title>») with its
    «<» written «&lt;», a tag the page ends inside left out (the parser keeps nothing of it).
    Python's HTMLParser read an unclosed «<a» again from each next character (its cost grows with
    the square: «<a» 40,000 times, 80 KB, took 3.5 s, and a watched portal of 160 KB held the worker
    20 s), and «<![x» stopped it with an AssertionError that ended every portal's check (a review of
    hostile feeds, round 5); a «<» inside a quoted value stays in its tag (the review of that fix)."""
    out: list[str] = []
    for piece in markup.pieces(html):
        text = html[piece.start:piece.end]
        if piece.kind == "end":
            out.append(f"</{piece.name}>")  # HTMLParser leaves a script only at a bare «</script>»
        elif piece.kind == "start":
            # «<script … />» opens a script as a browser reads it (HTMLParser read it closed, and the
            # script's text after it as the page's)
            out.append(text[:-2] + ">" if piece.self_closing and piece.name in markup.RAW_TEXT else text)
        elif piece.kind in ("text", "raw"):
            out.append(text.replace("<", "&lt;"))
        elif piece.kind == "comment":
            out.append("<!---->")  # an empty one: the texts on either side stay apart, as they were
    return "".join(out)


def _written_text(html: str) -> str:
    parser = _Extractor()
    parser.feed(complete_markup(html))
    parser.close()
    parts = parser.parts["main"] or parser.parts["article"] or parser.parts["body"]
    return " ".join(" ".join(parts).split())


def main_text(html: str) -> str:
    """The normalized main text of an HTML page (see the module's docstring)."""
    return " ".join(CLOCK.sub(" ", normalize(_written_text(html))).split())


def page_text(body: bytes, content_type: str = "") -> PageText:
    """The main text of a fetched page, its sha256 and its start as written."""
    written = _written_text(decode(body, content_type))
    text = " ".join(CLOCK.sub(" ", normalize(written)).split())
    return PageText(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), written[:EXCERPT_CHARS])
