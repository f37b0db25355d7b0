"""What a document that gave no feed is, said (``parse_feed``'s refusals): a web page, JSON, a broken document, or
none of these; and expat's message with its line as the document's.

A web page in place of the feed (a CMS redesigned, the feed moved, the home page given) was said as one and no
more; most news sites name their feed in the page's head («<link rel="alternate" type="application/rss+xml">»).
That address is now said with it, to be given instead (hostile feeds, round 18). It is not followed: the person
decides, and a page may name another site's feed; spaces, «» and quotes in its href are percent-encoded, so that the
page's author writes no words into the sentence (a review of round 18)."""
from __future__ import annotations

import html
import re
import xml.sax
from urllib.parse import quote

from app.monitor.cdn_challenge import CHALLENGE_READ, challenge
from app.monitor.entry_fields import safe_link
from app.monitor.feed_encoding import BOMS
from app.monitor.feed_guards import FeedParseError

# The comments before the page taken whole («*+»: joined every way they took twice the time for each one more)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*+<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE | re.DOTALL)
_LINK_TAG = re.compile(rb"<link\b([^<>]{0,2000})>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_FEED_TYPES = (b"application/rss+xml", b"application/atom+xml")
# A root «<CHANNEL>» after the declaration and comments: Microsoft's Channel Definition Format (IE 4's), or an RSS
# channel without its «<rss>» (hostile feeds, round 20: «not an RSS or Atom feed» said nothing of it)
_CHANNEL_ROOT = re.compile(rb"(?:<\?xml[^<>]{0,300}\?>\s*)?(?:<!--.*?-->\s*)*+<channel[\s>]", re.IGNORECASE | re.DOTALL)
# A form's password field: a login page (hostile feeds, round 20: said as «an HTML page» and no more)
_PASSWORD_FIELD = re.compile(rb"""<input\b[^<>]{0,500}?\btype\s*=\s*["']?password\b""", re.IGNORECASE)
PAGE_HEAD_BYTES = 256 * 1024  # where a page's head, and its links, are
# No URL has these: in a page's href, the author's words in the sentence that says it (a review of round 18)
_NOT_IN_A_URL = re.compile(r"[\s«»‹›\"'<>`\\^{|}]")


def sax_detail(problem: Exception, added_lines: int = 0) -> dict | str:
    """expat's message, its line less the line breaks ``declaration_on_its_own_line`` put in
    (``added_lines``; blank lines dropped before a declaration and one ``transcode`` writes are not
    counted)."""
    if isinstance(problem, xml.sax.SAXParseException):
        line = problem.getLineNumber()
        return {"line": line - added_lines if line > added_lines else line, "text": problem.getMessage()}
    return str(problem)


def not_a_feed(view: bytes, problem: Exception | None, added_lines: int = 0, base: str | None = None) -> FeedParseError:
    """The refusal of a document of no entry and no feed version: ``view`` its bytes (ASCII-readable), ``base`` its
    address (a page's feed link is resolved against it)."""
    page = web_page(view, base)
    if page is not None:
        return page
    head = view.lstrip(b"".join(BOMS) + b" \t\r\n")[:4096]
    if head[:1] in (b"{", b"["):
        return FeedParseError("json")
    if isinstance(problem, xml.sax.SAXException) and head[:1] == b"<":
        return FeedParseError("malformed", detail=sax_detail(problem, added_lines))
    if _CHANNEL_ROOT.match(head):  # CDF's, or RSS's without its «<rss>»: items would have been read
        return FeedParseError("not_a_feed", said_as="channel_no_items")
    if head[:1] != b"<" and len(_CONTROL.findall(head[:_BINARY_HEAD])) >= _BINARY_CONTROLS:
        start = view.lstrip(b" \t\r\n")  # not ``head``: JPEG's «\xff» is a byte-order mark's byte
        kind = next((name for magic, name in _MAGIC if start.startswith(magic)), None)
        return FeedParseError("binary", said_as="binary_named", kind=kind) if kind else FeedParseError("binary")
    return FeedParseError("not_a_feed")


def web_page(view: bytes, base: str | None = None) -> FeedParseError | None:
    """The refusal of a web page (``view`` begins as HTML): its feed link said when its head names one, a CDN's check or
    a login page named; None for a document that does not begin as a page. Also before the bounds on a feed's size
    (``parse_feed``): a news site's home page of more elements than a feed may hold was «too many elements, ask the
    site to shorten its feed», which no site can do (hostile feeds, round 22)."""
    head = view.lstrip(b"".join(BOMS) + b" \t\r\n")[:4096]
    if not _HTML_START.match(head):
        return None
    feed = page_feed_link(view[:PAGE_HEAD_BYTES], base)  # first: a check page names no feed, a page about one may
    if feed:
        return FeedParseError("html", said_as="html_feed", feed=feed)
    if (cdn := challenge(view[:CHALLENGE_READ])) is not None:  # a CDN's browser check (round 19)
        return FeedParseError("html", said_as="html_challenge" if cdn else "html_challenge_unnamed", cdn=cdn)
    if _PASSWORD_FIELD.search(view[:CHALLENGE_READ]):  # a login page, after a redirect or in the feed's place
        return FeedParseError("html", said_as="html_login")
    return FeedParseError("html")


# Bytes no text has (C0 controls but tab, line feed and carriage return; NUL is not in the view): a body whose head holds
# many is binary data, not a document in some encoding. A feed brotli-compressed without «Content-Encoding: br», a
# picture or an archive in the feed's place was «no RSS or Atom feed», nothing to pass on to the site (round 20's note).
_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BINARY_HEAD, _BINARY_CONTROLS = 512, 16  # random bytes hold ~54 in 512, brotli's ~50; text in any encoding none or one
# What the first bytes tell (brotli's tell nothing); the view has no NUL (xz's magic ends with one)
_MAGIC = ((b"\x28\xb5\x2f\xfd", "zstd"), (b"BZh", "bzip2"), (b"\xfd7zXZ", "xz"), (b"\x1f\x8b", "gzip"),
          (b"\x78\x01", "zlib"), (b"\x78\x5e", "zlib"), (b"\x78\x9c", "zlib"), (b"\x78\xda", "zlib"),
          (b"PK\x03\x04", "zip"), (b"Rar!", "rar"), (b"7z\xbc\xaf", "7z"), (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"),
          (b"GIF8", "GIF"), (b"RIFF", "WebP"), (b"%PDF", "PDF"))


def page_feed_link(page: bytes, base: str | None) -> str | None:
    """The first RSS or Atom feed a web page names as its alternate, as an absolute http(s) address; None for none."""
    for tag in _LINK_TAG.finditer(page):
        attributes = {name.lower(): value.strip(b"\"'") for name, value in _ATTRIBUTE.findall(tag[1])}
        if b"alternate" in attributes.get(b"rel", b"").lower().split() and \
                attributes.get(b"type", b"").lower().strip() in _FEED_TYPES and attributes.get(b"href"):
            href = html.unescape(attributes[b"href"].decode("utf-8", "replace")).strip()
            link = safe_link(href, base)
            if link:
                return _NOT_IN_A_URL.sub(lambda found: quote(found[0]), link)
    return None
