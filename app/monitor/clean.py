"""HTML of feed entries made safe to show (nh3 allow-list) and reduced to plain text.

Both functions run on every fetched item, so they are built for speed: each is one pass of
nh3 (Rust, html5ever) with a cached ``nh3.Cleaner`` plus a few regular expressions; no Python
HTML parser. Relative links are resolved by nh3 itself (``url_relative=("rewrite_with_base",
base)``) during the same pass. Without a usable absolute http(s) base, relative ``href``/``src``
values are dropped: on our pages they would point at our own site.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from app.monitor import markup

__all__ = ["ALLOWED_TAGS", "LINK_REL", "URL_SCHEMES", "bounded_html", "clean_html", "html_to_text"]

LINK_REL = "noopener noreferrer nofollow"
URL_SCHEMES = frozenset({"http", "https", "mailto"})

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "div", "span", "a", "strong", "em", "b", "i", "u", "s", "sub", "sup",
        "small", "mark", "q", "cite", "abbr", "code", "pre", "kbd",
        "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
        "h2", "h3", "h4", "h5", "h6",
        "img", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)
_ATTRIBUTES = {
    "*": {"dir", "lang"},  # Persian items mix RTL and LTR runs; both values are inert text
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# Removed together with their content: code, and elements whose content html5ever parses as
# raw text (noscript too, since nh3 parses with scripting on), which would otherwise come out
# as escaped markup. Other unknown tags (object, applet, font…) are dropped but keep their
# children, which is the fallback content meant for readers.
_DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "noframes", "noscript", "noembed",
        "template", "textarea", "select", "xmp", "plaintext", "svg", "math", "title", "head",
    }
)
# Tags kept only to mark line breaks in html_to_text.
_BLOCK_TAGS = frozenset(
    {
        "p", "br", "hr", "div", "li", "dt", "dd", "blockquote", "pre", "ul", "ol", "dl",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "caption", "figure", "figcaption",
        "section", "article", "header", "footer", "aside",
    }
)

_TEXT_CLEANER = nh3.Cleaner(
    tags=set(_BLOCK_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes={"*": set()},  # an empty dict would keep ammonia's default lang/title
    link_rel=None,
    url_relative="deny",
)
# After _TEXT_CLEANER every "<" starts one of the bare block tags (text "<" is escaped).
_ANY_TAG = re.compile(r"<[^>]*>")
_NEWLINES = re.compile(r"\n\n+")


def usable_base(base_url: str | None) -> str | None:
    """The base URL if it is absolute http(s) (the only bases links are resolved against)."""
    if not base_url:
        return None
    try:
        parts = urlsplit(base_url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return base_url.strip()


@lru_cache(maxsize=256)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    url_relative: str | tuple[str, str] = "deny"
    if base_url:
        url_relative = ("rewrite_with_base", base_url)
    try:
        return nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(_DROP_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
            link_rel=LINK_REL,
            url_schemes=set(URL_SCHEMES),
            url_relative=url_relative,
            strip_comments=True,
        )
    except ValueError:  # a base the url crate rejects (e.g. a bad host): treat as no base
        return _cleaner(None)


# One entry's HTML, before cleaning: at most this many characters (a news article is a few tens of
# thousands; one entry stored 62 MB and made a 14 MB page), and its elements nested at most this
# deep, else its text alone is kept (nh3's cost grows with the square of the depth: «<div>» 40,000
# times took 6 s, a 15 MB body hours, the worker stalled; a review of hostile feeds). At 2,000 deep
# nh3 takes ~10 ms, and an entry of fewer tags than that (nearly every real one) is not scanned.
MAX_ENTRY_HTML = 1_000_000
MAX_DEPTH = 2_000
_VOID = frozenset({"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
                   "keygen", "link", "meta", "param", "source", "track", "wbr"})
# Past this many tags an entry is kept as its text, however it nests: the depth check follows the
# HTML standard's main rules, not all of them (formatting elements the parser opens again, foreign
# content: a review of this change found seven shapes it counts too shallow, 5–17 s of nh3 an entry).
# This bounds what such a gap costs: nh3 nests 10,000 tags in ~0.4 s, and a document holds at most
# feed_guards.MAX_TAGS (500,000) tags. The real entries of ../shared/data/feeds hold at most 9,521.
MAX_ENTRY_TAGS = 10_000
_TAG_START = re.compile(r"<[A-Za-z]")
# What the depth check takes from the HTML standard's tree builder, the parser of nh3 (html5ever),
# so as never to count an entry shallower than it nests (deeper is safe: its text alone is kept).
# An end tag closes its element only where the parser's does: a "special" element's only when no
# scope boundary stands above it (a list item's: nor «ol»/«ul»; a paragraph's: nor «button»); another
# element's only when no special element stands above it; «</form>», «</body>», «</html>», «</br>»
# never (the parser keeps the elements above open); «option»/«optgroup» only when innermost.


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SPECIAL = _names(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup "
    "dd details dialog dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 "
    "head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes "
    "noscript object ol p param plaintext pre script search section select source style summary table tbody td "
    "template textarea tfoot th thead title tr track ul wbr xmp")
_SCOPE = _names("applet caption html table td th marquee object template")
_NEVER_CLOSED = frozenset({"form", "body", "html", "br"})
_INNERMOST_ONLY = frozenset({"option", "optgroup"})
_EXTRA_SCOPE = {"li": ("ol", "ul"), "p": ("button",)}
# A start tag that closes the element it follows (the parser's implied end tags), where it is innermost.
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_CLOSES = {"li": _names("li"), "dd": _names("dd dt"), "dt": _names("dd dt"), "option": _names("option"),
           "optgroup": _names("option optgroup"), **dict.fromkeys(_HEADINGS, _HEADINGS | {"p"}),
           **dict.fromkeys(_names("address article aside blockquote center details dialog dir div dl fieldset "
                                  "figcaption figure footer header hgroup main menu nav ol p pre listing search "
                                  "section summary ul"), _names("p"))}


class _OpenElements:
    """The parser's stack of open elements, by name, with where its special elements and scope
    boundaries stand: each question in constant time, each element pushed and popped once."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.at: dict[str, list[int]] = {}  # name → its positions, innermost last
        self.special: list[int] = []
        self.scope: list[int] = []

    def push(self, name: str) -> None:
        position = len(self.names)
        self.names.append(name)
        self.at.setdefault(name, []).append(position)
        if name in _SPECIAL:
            self.special.append(position)
        if name in _SCOPE:
            self.scope.append(position)

    def _last(self, name: str) -> int:
        positions = self.at.get(name)
        return positions[-1] if positions else -1

    def close(self, name: str) -> None:
        """An end tag, as the tree builder reads it (see above)."""
        position = self._last(name)
        if position < 0 or name in _NEVER_CLOSED:
            return
        if name in _INNERMOST_ONLY:
            blocked = position != len(self.names) - 1
        elif name in _SPECIAL:
            blocked = max([self.scope[-1] if self.scope else -1, *map(self._last, _EXTRA_SCOPE.get(name, ()))]) > position
        else:
            blocked = bool(self.special) and self.special[-1] > position
        if not blocked:
            self.pop_to(position)

    def pop_to(self, position: int) -> None:
        while len(self.names) > position:
            name = self.names.pop()
            self.at[name].pop()
            if self.special and self.special[-1] == len(self.names):
                self.special.pop()
            if self.scope and self.scope[-1] == len(self.names):
                self.scope.pop()


def _nested_too_deep(html_text: str) -> bool:
    """Whether the parser would nest ``html_text``'s elements more than MAX_DEPTH deep: its tags read
    as the parser's tokenizer reads them (``app.monitor.markup``: comments, raw text, quoted values,
    names), its elements opened and closed as its tree builder does (above), never shallower."""
    if html_text.count("<") <= MAX_DEPTH:
        return False
    stack = _OpenElements()
    for piece in markup.pieces(html_text):
        if piece.kind == "start" and piece.name not in _VOID:
            names = stack.names
            if names and names[-1] in _CLOSES.get(piece.name, ()):
                stack.pop_to(len(names) - 1)
            stack.push(piece.name)
            if len(stack.names) > MAX_DEPTH:
                return True
        elif piece.kind == "end":
            stack.close(piece.name)
    return False


# A tag's attributes at most this many characters, else the tag is kept bare: nh3's cost grows with
# the square of one element's distinct attributes (40,000 took 1.3 s, 80,000 7 s; an entry under
# MAX_ENTRY_HTML held ~90,000: a feed of 14 such entries cost 110 s of CPU on every poll, the
# worker's other jobs waiting; a review of hostile feeds, round 3). A real tag's attributes are a
# few hundred characters; a link of 2,000 fits.
MAX_TAG_ATTRIBUTES = 8_000
# Counted in characters outside quotes and whole quoted values, as the HTML parser reads a tag: a «>»
# inside a quoted value («q=">"») does not end it (it cut the count short and let the tag through).
_LONG_TAG = re.compile(rf"""<([A-Za-z][A-Za-z0-9:-]*)\s(?:[^<>"']|"[^"]*"|'[^']*'){{{MAX_TAG_ATTRIBUTES},}}+>?""")


def bounded_html(html_text: str) -> str:
    """An entry's HTML as it may be cleaned: cut at MAX_ENTRY_HTML characters, a tag whose
    attributes pass MAX_TAG_ATTRIBUTES without them, and, nested deeper than MAX_DEPTH, its text
    without the tags (escaped: shown as text)."""
    html_text = html_text[:MAX_ENTRY_HTML]
    if len(html_text) > MAX_TAG_ATTRIBUTES:
        html_text = _LONG_TAG.sub(r"<\1>", html_text)
    if html_text.count("<") > MAX_ENTRY_TAGS and len(_TAG_START.findall(html_text)) > MAX_ENTRY_TAGS or \
            _nested_too_deep(html_text):
        text = " ".join(html_text[p.start:p.end] for p in markup.pieces(html_text) if p.kind == "text")
        return html.escape(html.unescape(" ".join(text.split())), quote=False)
    return html_text


def clean_html(html_text: str | None, base_url: str | None = None) -> str:
    """Allow-listed HTML of a feed entry: no scripts, styles, frames, event handlers or
    non-http(s)/mailto URLs; links get ``rel="noopener noreferrer nofollow"``; relative
    ``href``/``src`` resolved against ``base_url`` (dropped when there is no usable base).
    Bounded first (``bounded_html``)."""
    if not html_text:
        return ""
    return _cleaner(usable_base(base_url)).clean(bounded_html(html_text)).strip()


def html_to_text(html_text: str | None) -> str:
    """Plain text of an HTML fragment for search and routing: tags and the content of
    scripts/styles/frames dropped, entities decoded, whitespace collapsed as a browser would,
    one line per paragraph, list item or ``<br>``. Other Unicode spaces become plain spaces;
    ZWNJ and NBSP are content and kept. Not bounded here: it reads cleaned HTML (routing reads
    every item's); raw feed HTML goes through ``bounded_html`` first (app/monitor/parse.py)."""
    if not html_text:
        return ""
    if "<" not in html_text and "&" not in html_text:  # titles, mostly: no nh3 pass needed
        return " ".join(html_text.replace("\xa0", "&nbsp;").split()).replace("&nbsp;", "\xa0")
    # str.split/join and literal-prefixed patterns: a third of the time of whitespace regexes
    out = " ".join(_TEXT_CLEANER.clean(html_text).split())  # nh3 writes NBSP as &nbsp;
    out = _ANY_TAG.sub("\n", out).replace(" \n", "\n").replace("\n ", "\n")
    return html.unescape(_NEWLINES.sub("\n", out)).strip()


# HTML tags a news text is written in; two or more of them in an entry's text, read, are its HTML escaped once more
# than written («&amp;lt;p&amp;gt;», «&lt;p&gt;» inside CDATA): the text showed the tags (hostile feeds, round 17).
_ESCAPED_TAG = re.compile(r"</?(?:p|br|div|span|b|strong|i|em|u|a|img|ul|ol|li|h[1-6]|table|tr|td|blockquote|figure)"
                          r"(?:\s[^<>]*)?/?>", re.IGNORECASE)
_TAG_NAME = re.compile(r"</?([a-z0-9]+)", re.IGNORECASE)


def escaped_markup(text: str, cleaned: str) -> bool:
    """Whether a text read from the HTML ``cleaned`` is itself HTML (``_ESCAPED_TAG``) while ``cleaned`` has one
    element at most (a wrapper, «<div>&lt;p&gt;…»): an article that quotes markup in its code (a tech blog's
    «<p>» between its own paragraphs) is HTML written once and keeps its reading."""
    if "<" not in text or cleaned.count("<") > 2:
        return False
    tags = list(_ESCAPED_TAG.finditer(text, 0, 100_000))
    if len(tags) < 2:
        return False
    # HTML escaped once more opens with a tag or closes one it opened; words that name two tags («تگ <p> بند و
    # تگ <br> شکست خط می‌سازد», «Use <b> for bold and <i> for italics») do neither (a review, session 43)
    opened = set()
    for tag in tags:
        name = _TAG_NAME.match(tag[0])[1].lower()
        if tag[0].startswith("</") and name in opened:
            return True
        opened.add(name)
    return not text[:tags[0].start()].strip()

