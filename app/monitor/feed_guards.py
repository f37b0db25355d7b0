"""Feed bytes that feedparser must not read as they are, before it reads them; and the error of a
document that is no feed we can read (``FeedParseError``, raised here and in ``app.monitor.parse``).

* Documents that declare entities (``<!ENTITY``: billion laughs, XXE) are refused
  (``refuse_entity_declarations``). The whole body is scanned (a prolog can be padded with
  comments), in every encoding feedparser might decode it with (NUL bytes stripped covers
  UTF-16/32; exotic declared codecs such as UTF-7 or EBCDIC are decoded and scanned too); a
  match is confirmed by expat reading the whole document (a quoted «<!ENTITY» in CDATA is text).
* A tag of more attributes than a feed's tags hold is refused (``refuse_crowded_tags``): feedparser's
  strict parser reads a tag's attributes in time that grows with the square of their number.
* A reference to a lone surrogate reads as U+FFFD (``without_surrogate_references``).
* A body read in an encoding of our choice (a feed's override, or what its bytes really are) is
  handed to feedparser as UTF-8 with a matching declaration (``transcode``).
* The first processing instruction («<?xml … ?>») ends its line (``declaration_on_its_own_line``).
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from html.entities import name2codepoint
from xml.parsers import expat

from feedparser.encodings import parse_content_type

from app.monitor.feed_encoding import BOM_NAMES, BOMS, XML_DECL_ENCODING, text_codec
from app.monitor.messages import Message

__all__ = ["FeedParseError", "charset", "declaration_on_its_own_line", "html_references_as_numbers", "named_references_as_numbers",
           "refuse_crowded_tags", "refuse_entity_declarations", "transcode", "without_surrogate_references"]


class FeedParseError(ValueError):
    """The document is not a feed we can read; ``message_fa`` is shown on the feed's page
    (``detail`` is the same message in any language: app/monitor/messages.py)."""

    def __init__(self, code: str, *, said_as: str | None = None, **values):
        self.detail = Message(f"parse.{said_as or code}", values)  # said_as: the same refusal said with more
        self.message_fa = self.detail.persian()
        super().__init__(self.message_fa)
        self.code = code


_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_ENTITY_DECL_TEXT = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_XML_DECL = re.compile(r"<\?xml[^>]*?\?>")
_EBCDIC_MARKER = b"\x4c\x6f\xa7\x94"
# Codecs in which "<!ENTITY" can only be written as those ASCII bytes (or, for UTF-16/32,
# those bytes with NULs in between, which the NUL-stripped view catches).
_TRANSPARENT = re.compile(r"^(?:utf[-_]?8.*|ascii|us-ascii|latin[-_]?1|iso8859[-_].*|cp125\d|utf[-_]?(?:16|32).*)$")


# «&#xD800;» … «&#xDFFF;» (and in decimal, 55296–57343): a reference to half of a UTF-16 pair,
# no character. feedparser decoded one and then failed to encode it, and the whole feed was lost.
# «&#…;» of every form: one that names a lone surrogate (or, past U+10FFFF, no character at all:
# «&#x110000;» made feedparser's chr() raise ValueError and lose the whole feed as malformed,
# «&#99999999999;» OverflowError, a 500 on the preview; a review of hostile feeds).
_NUMERIC_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")


def without_surrogate_references(body: bytes) -> bytes:
    """``body`` with each reference to a lone surrogate, or past U+10FFFF, made «&#xFFFD;» (U+FFFD,
    as an HTML parser reads it), so the feed's other entries and text are kept. An ASCII-compatible
    body only (a UTF-16 one writes its references with NULs between the bytes)."""
    if b"&#" not in body:
        return body

    def replacement(match: re.Match) -> bytes:
        digits = match.group(1)
        hexadecimal = digits[:1] in b"xX"
        significant = (digits[1:] if hexadecimal else digits).lstrip(b"0") or b"0"
        if len(significant) > 8:  # far past the last code point (and no int() of a million digits)
            return b"&#xFFFD;"
        number = int(significant, 16 if hexadecimal else 10)
        return b"&#xFFFD;" if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF else match.group(0)

    return _NUMERIC_REFERENCE.sub(replacement, body)


# Bounds on what feedparser is given, counted in C before it parses: it builds every entry and
# element before FEED_MAX_ENTRIES keeps the newest, and 15 MB of tiny items took 31 s and 560 MB,
# 5 million unclosed elements 210 s and 4 GB (a review of hostile feeds). The largest real feed of
# the team's corpus (2,330 files) holds 1,046 entries and 87,000 tags.
MAX_TAGS = 500_000
ENTRIES_PER_KEPT = 10  # at most this many times FEED_MAX_ENTRIES entries


def refuse_overgrown(view: bytes, max_entries: int | None) -> None:
    """Raises FeedParseError("overgrown") for a document of more tags, or entries, than a feed of
    news holds (``view``: the body's ASCII view). Only for a fetched feed (``max_entries`` given):
    an administrator's own file (`feeds import-file`) may be an archive of any size."""
    if not max_entries:
        return
    tags = view.count(b"<")
    if tags > MAX_TAGS:
        raise FeedParseError("overgrown", count=tags, limit=MAX_TAGS)
    entries = view.count(b"<item") + view.count(b"<entry")
    if entries > max_entries * ENTRIES_PER_KEPT:
        raise FeedParseError("too_many_entries", count=entries, limit=max_entries * ENTRIES_PER_KEPT)
    elements = _elements(view)
    if elements > MAX_ELEMENTS:
        raise FeedParseError("overgrown", said_as="too_many_elements", count=elements, limit=MAX_ELEMENTS)


# The elements feedparser may be handed: its cost is per element, nested or not (~20 µs of CPU, its stack and
# handlers in Python; twice that in an ill-formed document, read twice). Under MAX_TAGS alone a document could hold
# 500,000 «<x/>» (2 MB: 16 s of CPU, 23 s ill-formed); 200,000 nested in one item (1.4 MB) took 4.5 s (hostile feeds,
# round 20's note). The largest feed of ../shared/data/feeds reads 4,192; a podcast of 2,000 episodes of 25 elements
# would read this many. Markup in CDATA, comments and processing instructions is text to the XML parser: not counted.
MAX_ELEMENTS = 50_000
_SECTION = re.compile(rb"<!\[CDATA\[|<!--|<\?")


def _elements(view: bytes) -> int:
    """The start tags of ``view`` (its «<» less its «</»), less those in CDATA, comments and processing instructions
    when that matters (over MAX_ELEMENTS): one pass, in C but for a step per section."""
    count = view.count(b"<") - view.count(b"</")
    start = 0
    while count > MAX_ELEMENTS and (found := _SECTION.search(view, start)) is not None:
        closed = _UNPARSED[found.group()].search(view, found.end())
        end = len(view) if closed is None else closed.end()
        count -= view.count(b"<", found.start(), end) - view.count(b"</", found.start(), end)
        start = end
    return count


# The most attributes a tag may carry. feedparser's strict parser looks each attribute up by its
# name in a list of them all (``AttributesNSImpl.getValueByQName``): a tag of 60,000 attributes
# (650 KB) took 58 s, holding the GIL (a review of hostile feeds). A document of tags of 256
# attributes costs 0.9 µs a byte to parse, as one of ordinary tags does (1.0 µs at 16); at 512,
# 1.5 µs, and twice that at each doubling. The real feeds of ../shared/data/feeds carry 11 at most
# (the namespace declarations of an «<rss>»).
MAX_ATTRIBUTES = 256
# An attribute as expat reads one (blanks, a name, «=», a quoted value, which holds no «<») and a
# start tag of more than MAX_ATTRIBUTES of them. Possessive: a try at a «<» reads on to the next
# «<» at most and never back, so the scan is linear.
_ATTRIBUTE = rb"""[ \t\r\n]++[^\s<>/="']++[ \t\r\n]*+=[ \t\r\n]*+(?:"[^"<]*+"|'[^'<]*+')"""
_CROWDED_TAG = re.compile(rb"<[^\s<>/!?=\"']++(?:%s){%d}" % (_ATTRIBUTE, MAX_ATTRIBUTES + 1))
_ATTRIBUTE_ROW = re.compile(rb"(?:%s)*+" % _ATTRIBUTE)
_ONE_ATTRIBUTE = re.compile(_ATTRIBUTE)
# Where the text is no markup: a «<» there opens no tag (an article's HTML in CDATA). Each to the first end either
# parser sees: feedparser's loose parser, which reads an ill-formed document again, ends a processing instruction at
# its first «>» and a comment at «-- >»; «<?x> <x/>… ?>» and «<!-- -- > <x/>… -->» hid 120,000 elements from
# ``_elements`` (6.5 s of CPU each: review of round 21).
_UNPARSED = {b"<![CDATA[": re.compile(rb"]]>"), b"<!--": re.compile(rb"--\s*>"), b"<?": re.compile(rb">")}
_UNPARSED_OR_CROWDED = re.compile(rb"<!\[CDATA\[|<!--|<\?|" + _CROWDED_TAG.pattern)


def refuse_crowded_tags(body: bytes, view: bytes, headers: dict | None, override: str | None) -> None:
    """Raises FeedParseError("crowded_tag") when a tag carries more than MAX_ATTRIBUTES attributes,
    in any encoding the body may be read in. Every document, an administrator's own file too: no
    archive holds such a tag, and one froze the worker for a minute. Markup in CDATA, a comment or
    a processing instruction is text, and is read (an article's «<img>» of many attributes)."""
    for reading in (view, *(text.encode("utf-8", "replace") for text in _other_readings(body, view, headers, override))):
        count = _crowded_tag(reading)
        if count:
            raise FeedParseError("crowded_tag", count=count, limit=MAX_ATTRIBUTES)


def _crowded_tag(view: bytes) -> int:
    """The attributes of the first tag of more than MAX_ATTRIBUTES of them, outside CDATA, comments
    and processing instructions; 0 when there is none (then only the one C scan is made)."""
    if _CROWDED_TAG.search(view) is None:
        return 0
    start = 0
    while (found := _UNPARSED_OR_CROWDED.search(view, start)) is not None:
        closing = _UNPARSED.get(found.group())
        if closing is None:  # a tag: the attributes after its first MAX_ATTRIBUTES + 1 counted too
            end = _ATTRIBUTE_ROW.match(view, found.end()).end()
            return MAX_ATTRIBUTES + 1 + sum(1 for _ in _ONE_ATTRIBUTE.finditer(view, found.end(), end))
        closed = closing.search(view, found.end())
        if closed is None:  # text to the end of the document
            return 0
        start = closed.end()
    return 0


def refuse_entity_declarations(body: bytes, view: bytes, headers: dict | None, override: str | None) -> None:
    """Raises FeedParseError("entities") when the body declares an entity in any encoding it may be read in.

    «<!ENTITY» found anywhere is confirmed by expat reading the whole document: a well-formed one
    that declares no entity (an article quoting «<!ENTITY» in CDATA or a comment) is read; a
    declaration, or a document expat cannot read to its end, is refused as before (a review of
    hostile feeds: one entry quoting the text silenced its whole outlet, on every poll)."""
    if _ENTITY_DECL.search(view) and _declares_entities(body):
        raise FeedParseError("entities")
    for text in _other_readings(body, view, headers, override):
        if _ENTITY_DECL_TEXT.search(text) and _declares_entities(body):
            raise FeedParseError("entities")


def _other_readings(body: bytes, view: bytes, headers: dict | None, override: str | None) -> Iterator[str]:
    """The body as text in each encoding it may be read in (the override, the Content-Type's, the
    declared one, EBCDIC's) that writes markup in other bytes than ASCII's (EBCDIC, UTF-7): what a
    scan of ``view`` does not see."""
    candidates = {override, charset(headers)}
    head = view.lstrip(b"".join(BOMS))[:1024]
    if body.startswith(_EBCDIC_MARKER):
        candidates.add("cp037")
        head = body[:1024].decode("cp037", "replace").encode("ascii", "replace")
    match = XML_DECL_ENCODING.match(head)
    if match:
        candidates.add(match.group(1).decode("ascii"))
    for name in candidates - {None, ""}:
        codec = text_codec(name)  # «base64», «rot13», «zlib»: no text encoding (decoding with one
        if codec is None:  # raised; the feed is read as any with an unknown encoding)
            continue
        if _TRANSPARENT.match(codec):
            continue
        try:
            text = body.decode(codec, "ignore")
        except (UnicodeError, ValueError, TypeError):  # «idna» takes no "ignore": it cannot read the body either
            continue
        yield text


_EXTERNAL_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[\w:.-]+\s+(?:PUBLIC|SYSTEM)\b", re.IGNORECASE)
_NAMED_REFERENCE = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_NAMED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def named_references_as_numbers(body: bytes) -> bytes:
    """In a document whose DOCTYPE names an external DTD (RSS 0.91's Netscape DTD), HTML's named
    references written as numbers: expat skips a reference it cannot resolve there, silently, so
    «می&zwnj;شود» was stored «میشود» and «caf&eacute;» «caf» (a review of hostile feeds). Other
    documents are left as they are (an unknown reference sends them to the lenient parser, which
    decodes it)."""
    if b"\x00" in body or not _EXTERNAL_DOCTYPE.search(body[:4096]):
        return body
    return html_references_as_numbers(body)


def html_references_as_numbers(body: bytes) -> bytes:
    """HTML's named references in ``body`` (ASCII-compatible) written as numbers; XML's five as they are."""

    def number(match: re.Match) -> bytes:
        name = match.group(1)
        if name in _XML_NAMED:
            return match.group(0)
        code = name2codepoint.get(name.decode("ascii"))
        return b"&#%d;" % code if code is not None else match.group(0)

    return _NAMED_REFERENCE.sub(number, body)


class _Declared(Exception):
    """Raised by expat's handler at an entity declaration: the parse stops there."""


def _declared(*_args) -> None:
    raise _Declared  # at the declaration: nothing is expanded


def _declares_entities(body: bytes) -> bool:
    """Whether expat, reading ``body`` whole, meets an entity declaration, or cannot read it to its
    end (then it may hold one a lenient parser would honour: assumed so)."""
    parser = expat.ParserCreate()
    parser.EntityDeclHandler = _declared
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(body, True)
    except (_Declared, expat.ExpatError, ValueError, LookupError):  # LookupError: an encoding expat has not
        return True  # («so-8859-2», found by Hypothesis from a real feed)
    return False


def charset(headers: dict | None) -> str | None:
    """The charset of the headers' Content-Type, if any."""
    for key, value in (headers or {}).items():
        if str(key).lower() == "content-type":
            return parse_content_type(str(value))[1] or None
    return None


# The longest first processing instruction a document may open with: «<?xml version="1.0"
# encoding="windows-1256" standalone="yes"?>» takes 62 bytes.
MAX_DECLARATION_BYTES = 1024


# What feedparser reads as a document in UTF-16, UTF-32 or EBCDIC without a byte-order mark: «<?»
# («<?xm» in EBCDIC, whose line end 0x15 is U+0085, which the pattern's «.» reads on: the line break
# put in is 0x25, U+000A; a review of hostile feeds, round 5).
_MARKED_WITHOUT_BOM = (("utf-32-be", b"\x00\x00\x00<"), ("utf-32-le", b"<\x00\x00\x00"),
                       ("utf-16-be", b"\x00<\x00?"), ("utf-16-le", b"<\x00?\x00"), ("cp037", b"\x4c\x6f\xa7\x94"))


def declaration_on_its_own_line(body: bytes) -> bytes:
    """``body`` with a line break after its opening «<?…?>» (XML allows blanks there), or refused
    when that does not close within ``MAX_DECLARATION_BYTES``. feedparser finds the declared
    encoding with ``^<\\?.*encoding=['"](.*?)['"].*\\?>`` over the first line, whose cost grows with
    the cube of that line's length when it fails: «<?» and 1,200 times «encoding='a' » (16 KB, no
    «?>» after them) took 18 s, and feeds are often written on one line (a review of hostile
    feeds, round 4). In UTF-16 and UTF-32 too, with a byte-order mark or without, and in EBCDIC (as
    feedparser reads them); a «\\r» alone ends no line for the pattern's «.» (the review of this change)."""
    start, codec = 0, "utf-8"
    for bom, name in BOM_NAMES:
        if body.startswith(bom):
            start, codec = len(bom), name
            break
    else:
        codec = next((name for name, marker in _MARKED_WITHOUT_BOM if body.startswith(marker)), codec)
    opening, closing, newline = ("<?".encode(codec), "?>".encode(codec), "\n".encode(codec))
    if not body.startswith(opening, start):
        return body
    width, limit = len(newline), start + MAX_DECLARATION_BYTES * len(newline)
    found = body.find(closing, start, limit)
    while found >= 0 and (found - start) % width:  # within a character of UTF-16/32: not «?>»
        found = body.find(closing, found + 1, limit)
    if found < 0:
        raise FeedParseError("declaration_unclosed", limit=MAX_DECLARATION_BYTES)
    end = found + len(closing)
    if body.startswith(newline, end):
        return body
    return body[:end] + newline + body[end:]


def transcode(body: bytes, encoding: str) -> bytes:
    """``body`` read in ``encoding``, as UTF-8 with a declaration that says so."""
    codec = text_codec(encoding)
    if codec is None:  # unknown, or a bytes codec («bz2_codec» would inflate the body without bound)
        raise FeedParseError("bad_override", name=encoding)
    if body.startswith(codecs.BOM_UTF8) and not codec.startswith("utf"):  # a UTF-8 mark before no UTF-8: no text
        body = body[len(codecs.BOM_UTF8):]
    # Without final=True an incomplete last character (a cut document) is dropped, not replaced.
    try:
        text = codecs.getincrementaldecoder(codec)("replace").decode(body).lstrip("\ufeff \t\r\n")
    except UnicodeError as exc:  # "utf-16" or "utf-32" asked for a body without a byte-order mark
        raise FeedParseError("override_failed", name=encoding, detail=str(exc)) from None
    declaration = '<?xml version="1.0" encoding="utf-8"?>'
    if _XML_DECL.match(text):
        text = _XML_DECL.sub(declaration, text, count=1)
    else:
        text = declaration + "\n" + text
    return text.encode("utf-8")
