"""An entry's and a feed's title and links as ``app.monitor.parse`` keeps them: plain text on one
line without the characters a reader does not see (or that turn the text around), and absolute
http(s) links without a user or password. Split from parse.py (the document's reading stays there).
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin, urlsplit, urlunsplit

from app.monitor.clean import bounded_html, html_to_text

__all__ = ["CONTROL", "bare_link", "content_kind", "plain_title", "safe_link"]

# C0 controls but tab, newline and carriage return, and DEL: XML forbids them, a broken feed still
# carries them through feedparser's loose parser, and PostgreSQL refuses to store a NUL. Also the
# C1 controls (no text means them), and the bidi embeddings, overrides and isolates: «\u202e» in a
# headline turns what follows around («gpj.exe» read «exe.jpg»), and a news text has no use for
# them (the marks RLM/LRM, which only hint a direction, are kept).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters a title shows as nothing and copies along (a zero-width space, a BOM, a word joiner, a
# soft hyphen, a grapheme joiner, the tag characters of «ASCII smuggling»); ZWNJ and ZWJ are Persian
# and emoji text and stay (a review of hostile feeds).
_UNSEEN_IN_TITLE = re.compile("[\u200b\ufeff\u2060\u00ad\u034f\U000e0000-\U000e007f]")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[\s/>]")
_URL_WHITESPACE = dict.fromkeys(map(ord, "\t\r\n"))
# Blanks and characters drawn as nothing around a link: the direction marks (RLM, LRM, ALM) a Persian CMS
# writes before it, a BOM, zero-width spaces and joiners, the embeddings and isolates (round 16).
_AROUND_LINK = re.compile("^[\\s\u061c\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]+|"
                          "[\\s\u061c\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]+$")


def bare_link(link: str) -> str:
    """``link`` without the blanks and unseen characters around it: «\u200fhttps://x.ir/1» was a relative path."""
    return _AROUND_LINK.sub("", link)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def content_kind(content_type: str | None) -> str | None:
    content_type = (content_type or "text/html").lower()
    if content_type in _HTML_TYPES:
        return "html"
    if content_type.startswith("text/"):
        return "text"
    return None  # base64 images and the like


def plain_title(detail: dict | None, value: str | None, atom: bool) -> str:
    """A one-line plain title. RSS does not say whether a title is HTML; feedparser's guess
    refuses to call markup with a <script> HTML, so tag-like titles are treated as HTML."""
    if not value:
        return ""
    value = CONTROL.sub("", value)
    if (detail is not None and content_kind(detail.get("type")) == "html") or (not atom and _TAG.search(value)):
        value = CONTROL.sub("", html_to_text(bounded_html(value)))  # a character reference («&#x202e;») decoded there
    return seen(value)


def seen(value: str) -> str:
    """A one-line value as a reader sees it: without the characters drawn as nothing that are no
    ZWNJ or direction mark, its blanks as single spaces, and "" when nothing of it shows (a title,
    an author, a category of ZWNJ and direction marks alone; a review of hostile feeds, rounds 4 and 9)."""
    value = " ".join(_UNSEEN_IN_TITLE.sub("", value).split())
    return value if any(_shows(ch) for ch in value) else ""


def shows(text: str) -> bool:
    """Whether a reader sees anything of ``text``."""
    return any(_shows(ch) for ch in text)


# Letters and signs that are drawn as nothing: Hangul fillers, the blank Braille pattern.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _shows(ch: str) -> bool:
    """Whether a reader sees ``ch``: not a blank, a format character (ZWNJ, the direction marks)
    or a blank letter. A title of only those was stored and shown as an empty, unclickable
    headline (a review of hostile feeds, round 4); it is no title (the item shows «(بی‌عنوان)»)."""
    return not ch.isspace() and ch not in _BLANK and unicodedata.category(ch) not in ("Cf", "Mn", "Me", "Zs")


def safe_link(link: str | None, base: str | None) -> str | None:
    """An absolute http(s) link (resolved against base if relative), or None. Tabs and line breaks
    inside it are dropped, as browsers (WHATWG URL) and ``urlsplit`` do: «h\r\nttp://…» was kept
    as written, a link beginning «h» (found by tests/monitor/test_parse_properties.py)."""
    if not link:
        return None
    link = bare_link(CONTROL.sub("", link)).translate(_URL_WHITESPACE)
    try:
        if base:
            link = urljoin(base, link)
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if "@" in parts.netloc:  # «user:secret@host», «www.irna.ir@evil.example»: a secret shown, a site feigned
        host = parts.netloc.rsplit("@", 1)[1]  # (a review of hostile feeds, round 4)
        if not host:
            return None
        link = urlunsplit(parts._replace(netloc=host))
    return link
