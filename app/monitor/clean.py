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
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")  # the fallback's tags, removed
# What the depth check reads: each tag's start and, possessively, its attributes up to its «>» when
# there is one — a value quoted after «=» whole, as the HTML parser reads it («<div title="<">»,
# «title="/>"» neither end nor hide a tag; a quote elsewhere is a character). Possessive, every tag
# start is read once and no read is retried: «[^>]*?» read on to the text's end from every «<a» no
# «>» closed («<a » 20,000 times: 12 s). The depth is counted as HTML nests: «/>» closes no element
# but a void one, and a closing tag closes the elements up to its own, none when none of its name is
# open («<div/>», «<div></x>» or one stray quote let 40,000 «<div>» nest past the check: 6–7 s in
# nh3). Reviews of hostile feeds, rounds 4 and 5.
_TAG_START = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:=\s*"[^"]*+"|=\s*'[^']*+'|[^<>])*+)(>?)""")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


def _nested_too_deep(html_text: str) -> bool:
    if html_text.count("<") <= MAX_DEPTH:
        return False
    stack: list[str] = []  # the elements open, innermost last
    names: dict[str, int] = {}  # how many of each name are open: a closing tag's search only when one is
    for tag in _TAG_START.finditer(html_text):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _VOID:
            continue
        if not closing:
            stack.append(name)
            names[name] = names.get(name, 0) + 1
            if len(stack) > MAX_DEPTH:
                return True
        elif names.get(name):
            while True:  # each element is popped once: linear in the tags
                popped = stack.pop()
                names[popped] -= 1
                if popped == name:
                    break
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
    if _nested_too_deep(html_text):
        return html.escape(html.unescape(" ".join(_TAG.sub(" ", html_text).split())), quote=False)
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
