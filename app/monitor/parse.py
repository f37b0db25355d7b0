"""Feed bytes → ParsedFeed: feedparser on the bytes and response headers, our own guards and nh3.

* feedparser never opens anything (``feedparser_read.read`` hands its parsers the bytes) and reads an
  ill-formed document once (not strictly, then leniently).
* Documents that declare entities (``<!ENTITY``: billion laughs, XXE), or hold a tag of thousands
  of attributes, are refused before parsing, and references to lone surrogates read as U+FFFD
  (``app.monitor.feed_guards``).
* feedparser's sanitizer and URI resolver are off (they are most of its time); ``clean.py``
  does both with nh3, against the base feedparser tracked per element (xml:base, then
  ``Content-Location``/``base_url``).
* A per-feed ``encoding_override`` decodes the bytes ourselves and hands feedparser UTF-8 with a
  matching XML declaration and Content-Type.
* The bytes are read in the encoding they are really in (``app.monitor.feed_encoding``: a
  document cut inside a character, UTF-8 and windows-1256 declared as each other), with a warning
  on the feed's page; Jalali, misread ISO-like and impossible dates: ``app.monitor.feed_dates``; titles and links
  as kept: ``app.monitor.entry_fields``.
"""
from __future__ import annotations

import codecs
import html
import re
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from feedparser.encodings import parse_content_type
from feedparser.exceptions import CharacterEncodingOverride, NonXMLContentType

from app.monitor.cdata_repair import read_repairing_cdata
from app.monitor.clean import bounded_html, clean_html, escaped_markup, html_to_text, usable_base
from app.monitor.double_encoded import twice_encoded
from app.monitor.entity_subset import harmless_subset_removed
from app.monitor.entry_fields import CONTROL, content_kind, plain_title, safe_link, seen, shows
from app.monitor.excerpts import is_excerpt
from app.monitor.feed_dates import entry_date
from app.monitor.feed_encoding import (
    agreeing_mark,
    declared_label,
    misdeclared,
    mixed_utf8_and_windows_1256,
    text_codec,
    whatwg_codec,
    without_cesu8,
    without_partial_character,
    without_unusable_encoding_name,
)
from app.monitor.feed_guards import (
    FeedParseError,
    declaration_on_its_own_line,
    named_references_as_numbers,
    refuse_crowded_tags,
    refuse_entity_declarations,
    refuse_overgrown,
    transcode,
    without_surrogate_references,
)
from app.monitor.feedparser_bounds import BASE_MAX_CHARS, BASE_MAX_SLASHES, MAX_CATEGORIES, RESOLVED_GUID
from app.monitor.feedparser_read import read as read_once
from app.monitor.left_out import left_out
from app.monitor.messages import Message, said_together
from app.monitor.not_a_feed import not_a_feed, sax_detail, web_page
from app.monitor.prefixed import unprefixed

__all__ = ["MAX_CATEGORIES", "FeedParseError", "ParsedEntry", "ParsedFeed", "parse_feed"]


@dataclass(slots=True)
class ParsedEntry:
    guid: str | None
    link: str | None
    title: str
    summary_html: str  # cleaned, safe to render
    text: str  # plain text of the same content, for search and routing
    author: str | None
    categories: list[str]
    published: datetime | None  # aware UTC; falls back to `updated`; None when the feed has no date
    updated: datetime | None
    # The GUID as feedparser read it, an address relative to the feed's («http://host/old/55501» for
    # «55501»), when that differs: the key of the items stored before the GUID was kept as written.
    former_guid: str | None = None


@dataclass(slots=True)
class ParsedFeed:
    title: str
    link: str | None
    language: str | None
    entries: list[ParsedEntry] = field(default_factory=list)
    bozo: bool = False
    warning: str | None = None  # Persian; set when feedparser complained but entries were read
    warning_detail: dict | None = None  # the same warning in any language (app/monitor/messages.py)
    encoding: str | None = None
    version: str = ""


_ROOT_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF|channel)\s*>")
_ENTRY_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")

_FEEDPARSER_FALLBACK = re.compile(r"document declared as (\S+), but parsed as (\S+)")
# A guid is the entry's dedupe key and never shown: it loses only what it lost before ``entry_fields.CONTROL``
# grew, so an entry stored before then keeps its key (else a re-read feed stored it again).
_GUID_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_feed(
    body: bytes,
    *,
    headers: dict | None = None,
    base_url: str | None = None,
    encoding_override: str | None = None,
    max_entries: int | None = None,
) -> ParsedFeed:
    """Parse feed bytes into cleaned entries. Raises FeedParseError when the document is empty,
    declares entities, is HTML/JSON/not a feed, or is broken (or cut off) with no entry read.
    ``max_entries``: at most that many entries, the newest (``_newest``), with a warning."""
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError("parse_feed takes the response body as bytes")
    body = bytes(body)
    if not body.strip(b" \t\r\n\x00"):
        raise FeedParseError("empty")
    body = harmless_subset_removed(body) or body  # Drupal's «<!ENTITY % HTMLlat1 PUBLIC …>»: app/monitor/entity_subset.py
    view = body.replace(b"\x00", b"") if b"\x00" in body else body  # ASCII view of UTF-16/32 too
    refuse_entity_declarations(body, view, headers, encoding_override)
    try:
        refuse_overgrown(view, max_entries)
    except FeedParseError as overgrown:  # a web page over the bounds is a page, not a feed to shorten (round 22)
        raise web_page(view, usable_base(_response_headers(headers, base_url, None).get("content-location"))) \
            or overgrown from None
    refuse_crowded_tags(body, view, headers, encoding_override)
    encoding_override = encoding_override or agreeing_mark(body, view, _response_headers(headers, base_url, None))
    response_headers = _response_headers(headers, base_url, encoding_override)
    wrong = mixed = twice = None  # (declared, actual): the bytes are in another encoding than declared
    halves = False  # a UTF-16 half without its pair was replaced (``without_cesu8``)
    added_lines = 0  # line breaks put after the declaration
    if encoding_override:
        body = transcode(body, encoding_override)
    else:
        if body[:1] in b" \t\r\n" and body.lstrip(b" \t\r\n").startswith(b"<?xml"):
            body = body.lstrip(b" \t\r\n")  # PHP sites emit blank lines before the declaration
        served, body = body, declaration_on_its_own_line(body)
        added_lines += body is not served
        label = declared_label(view, response_headers)
        named = whatwg_codec(label)
        if named:  # «x-cp1256»: feedparser knows no such name; the HTTP charset it follows says the codec's
            mime = parse_content_type(response_headers["content-type"])[0] or "application/xml"
            response_headers["content-type"] = f"{mime}; charset={named}"
        if not _ROOT_CLOSE.search(view[-4096:]):
            body = without_partial_character(body, view, response_headers)
        body = without_unusable_encoding_name(body)
        cesu8 = without_cesu8(body)  # (UTF-8 body, a half alone): emoji in CESU-8 made it no UTF-8
        body, halves = cesu8 if cesu8 else (body, False)
        mixed = mixed_utf8_and_windows_1256(body)  # (UTF-8 body, entries in windows-1256): each run as it is
        if mixed is not None:
            body, response_headers, encoding_override = mixed[0], _response_headers(headers, base_url, "utf-8"), "utf-8"
            body = transcode(body, "utf-8")
        twice = None if mixed else twice_encoded(body)  # Persian encoded twice, read back (app/monitor/double_encoded.py)
        body = twice or body
        wrong = misdeclared(body, view, response_headers) if mixed is None else None
        if wrong is not None and named:  # said as the server wrote it («x-cp1256»), not as its codec
            wrong = (label, wrong[1])
        if wrong is not None:  # read as what its bytes are, with the override's path
            body = transcode(body, wrong[1])
            response_headers = _response_headers(headers, base_url, wrong[1])
            encoding_override = wrong[1]
    served, body = body, declaration_on_its_own_line(body)
    added_lines += body is not served  # the line numbers of expat's messages are the document's
    body = named_references_as_numbers(without_surrogate_references(body))
    try:
        result, cut_sections, held_markup = read_repairing_cdata(body, lambda text: read_once(text, response_headers))
        if not result.get("entries") and (bare := unprefixed(body)) is not None:  # «<n:rss><n:item>»: app/monitor/prefixed.py
            again = read_repairing_cdata(bare, lambda text: read_once(text, response_headers))
            result, cut_sections, held_markup = again if again[0].get("entries") else (result, cut_sections, held_markup)
    except (UnicodeError, LookupError, ValueError, OverflowError) as exc:  # feedparser's encoding detection gave up
        raise FeedParseError("malformed", detail=f"{type(exc).__name__}: {exc}") from None
    version = result.get("version") or ""
    fp_entries = result.get("entries") or []
    problem = result.get("bozo_exception") if result.get("bozo") else None
    warnings: list[Message] = []  # every flaw said, the gravest first (one hid the others: round 16)
    if isinstance(problem, xml.sax.SAXException) and (version or fp_entries):
        if not _ROOT_CLOSE.search(view[-4096:]):  # cut off: the last entry may be half of one
            fp_entries = fp_entries[: len(_ENTRY_CLOSE.findall(view))]
            if not fp_entries:
                raise FeedParseError("truncated")
            warnings.append(Message("warning.truncated", {"count": len(fp_entries)}))
        elif not fp_entries and _ENTRY_CLOSE.search(view):
            raise FeedParseError("malformed", detail=sax_detail(problem, added_lines))
        elif not fp_entries:  # whole, no item in it («&nbsp;» in an emptied channel: it was refused as broken)
            warnings.append(Message("warning.malformed_no_entries", {"detail": sax_detail(problem, added_lines)}))
        else:
            warnings.append(Message("warning.malformed", {"detail": sax_detail(problem, added_lines)}))
    elif problem is not None and fp_entries and not isinstance(problem, NonXMLContentType):
        fallback = _FEEDPARSER_FALLBACK.fullmatch(str(problem)) if isinstance(problem, CharacterEncodingOverride) else None
        if fallback:  # feedparser's English sentence, said in Persian (a review of hostile feeds)
            warnings.append(Message("warning.encoding_fallback", {"declared": fallback[1], "actual": fallback[2]}))
        else:
            kind = "encoding" if isinstance(problem, CharacterEncodingOverride) else "other"
            warnings.append(Message(f"warning.{kind}", {"detail": str(problem)}))
    if not fp_entries and not version:
        raise not_a_feed(view, problem, added_lines, usable_base(response_headers.get("content-location")))
    if cut_sections:  # closed where their element ended: said, as the CMS's fault
        warnings.append(Message("warning.cut_cdata", {"count": cut_sections}))
    elif held_markup:  # read as written: a cut, or an entry's text quoting the markup
        warnings.append(Message("warning.cdata_holds_markup", {"count": held_markup}))
    if max_entries is not None and len(fp_entries) > max_entries:
        warnings.append(Message("warning.too_many_entries", {"count": len(fp_entries), "kept": max_entries}))
        fp_entries = _newest(fp_entries, max_entries)
    if not fp_entries and not warnings:  # a valid feed of no entries: said, or it stopped in silence
        warnings.append(Message("warning.no_entries"))  # (a CMS emptied it; a review of hostile feeds, round 8)
    if mixed is not None:
        # no item's text in windows-1256: the channel's own was (it said «the text of 0 items»)
        warnings.append(Message("warning.mixed_encoding", {"count": mixed[1]}) if mixed[1] else Message("warning.mixed_encoding_feed"))
    warnings += [Message(key) for key, said in (("warning.damaged_utf8", halves), ("warning.double_encoded", twice)) if said]
    if wrong is not None:
        declared, actual = wrong
        same = text_codec(declared) == text_codec(actual)  # a name no encoding has («windows1256»): not
        warnings.append(Message("warning.damaged_utf8") if same
                        else Message("warning.misdeclared", {"declared": declared, "actual": actual}))
    feed = result.get("feed") or {}
    feed_base = usable_base(response_headers.get("content-location"))
    feed_link = safe_link(feed.get("link"), feed_base)
    atom = version.startswith("atom")
    entries = [_entry(entry, feed_base, feed_link, atom) for entry in fp_entries]
    shared = _guids_of_several_links(entries)
    if shared:
        told_apart = [entry for entry in entries if entry.guid in shared]
        for entry in told_apart:
            entry.guid = None  # known by its link
        warnings.append(Message("warning.shared_guid", {"count": len(told_apart)}))
    warnings += left_out(entries)  # entries the store will not keep, said (hostile feeds, round 15)
    warning, warning_detail = said_together(warnings)
    return ParsedFeed(
        title=plain_title(feed.get("title_detail"), feed.get("title"), atom),
        link=feed_link,
        language=CONTROL.sub("", feed.get("language") or response_headers.get("content-language") or "") or None,
        entries=entries,
        bozo=bool(result.get("bozo")),
        warning=warning,
        warning_detail=warning_detail,
        encoding=(codecs.lookup(encoding_override).name if encoding_override else result.get("encoding")) or None,
        version=version,
    )


def _guids_of_several_links(entries: list[ParsedEntry]) -> set[str]:
    """The GUIDs that entries with different links share in one document: no entry's identity (a
    CMS that writes its site's address, or «0», as every entry's GUID kept the first entry and
    dropped the others, unsaid; a review of hostile feeds, round 4). Those entries are known by
    their links, on every read of the document alike."""
    links: dict[str, set] = {}
    for entry in entries:
        if entry.guid:
            links.setdefault(entry.guid, set()).add(entry.link)
    return {guid for guid, found in links.items() if len(found) > 1}


def _response_headers(headers: dict | None, base_url: str | None, override: str | None) -> dict[str, str]:
    """Lower-cased headers for feedparser; the base goes into Content-Location. A Content-Type
    that is missing, or text/* without a charset, becomes application/xml: feedparser follows
    RFC 3023 (ISO-8859-1, resp. US-ASCII, over the XML declaration); RFC 7303, which replaced
    it, and every browser read the declaration, then UTF-8."""
    result = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    mime, charset = parse_content_type(result.get("content-type", ""))
    if not mime or (mime.lower().startswith("text/") and not charset):
        result["content-type"] = "application/xml"
    if override:
        result["content-type"] = f"{mime or 'application/xml'}; charset=utf-8"
    location = result.get("content-location")
    if location and base_url:
        try:
            location = urljoin(base_url, location)
        except ValueError:  # «http://[x/»: the header unread, as an unusable base is (hostile feeds, round 11:
            location = None  # every poll of the feed failed, and its preview was a 500)
    if location and (len(location) > BASE_MAX_CHARS or location.count("/") > BASE_MAX_SLASHES):
        location = None  # capped as an «xml:base» is: feedparser joins it at every start tag (16 KB made a document
        # of 200,000 tags 5.8 → 10 s: a review of hostile feeds, round 13)
    base = usable_base(location) or usable_base(base_url)
    if base:
        result["content-location"] = base
    else:
        result.pop("content-location", None)
    return result


def _newest(entries: list, keep: int) -> list:
    """The ``keep`` newest entries by date, in the document's order; among entries of one date or
    none, the first ones. A feed of 100,000 entries took 42 s and 725 MB to store (a helper's
    probe); one that lists its oldest first would otherwise never show a new entry."""
    def when(i: int) -> datetime:
        return entry_date(entries[i], "published") or entry_date(entries[i], "updated") or _UNDATED

    newest_first = sorted(range(len(entries)), key=when, reverse=True)  # stable: ties keep their order
    return [entries[i] for i in sorted(newest_first[:keep])]


_UNDATED = datetime(1, 1, 1, tzinfo=UTC)  # before every date


# A headline is a line, a link an address: a feed's 6,000,000-character "title" or 200,000-character
# link is stored no more than this (the title cut at a space, with «…»; the link dropped).
TITLE_MAX_CHARS = 1000
LINK_MAX_CHARS = 8192


def _bounded_title(title: str) -> str:
    if len(title) <= TITLE_MAX_CHARS:
        return title
    cut = title.rfind(" ", 0, TITLE_MAX_CHARS)
    return title[:cut if cut > TITLE_MAX_CHARS // 2 else TITLE_MAX_CHARS] + "…"


def _entry(entry: dict, feed_base: str | None, feed_link: str | None, atom: bool) -> ParsedEntry:
    link = safe_link(entry.get("link"), feed_base or feed_link)  # a local file: the channel's link (round 18)
    guid = _GUID_CONTROL.sub("", entry.get("id") or "").strip()
    former_guid = _GUID_CONTROL.sub("", entry.get(RESOLVED_GUID) or "").strip()
    if link is None and guid:
        # A podcast's episode with its audio alone: that is its address (it was stored without
        # one: a review of hostile feeds, round 7). Only under a GUID, which stays its key, and
        # only audio or video: a news feed's shared picture («default.jpg») made two articles of
        # two feeds one item (the review of this change).
        link = next((safe_link(e.get("href"), feed_base) for e in entry.get("enclosures") or ()
                     if str(e.get("type") or "").lower().startswith(("audio/", "video/"))
                     and safe_link(e.get("href"), feed_base)), None)
    if link is not None and len(link) > LINK_MAX_CHARS:
        link = None
    # Content base: xml:base / the document's URL (which feedparser tracks per element), else
    # the entry's own page, else the site: local imports have no URL but links still resolve.
    summary_html, text = _content(entry, feed_base or link or feed_link)
    if text and not shows(text):  # ZWNJ and direction marks alone: no text (an invisible item was stored;
        text = ""  # the summary stays: a picture alone is something to see)
    published = entry_date(entry, "published")
    updated = entry_date(entry, "updated")
    author = CONTROL.sub("", entry.get("author") or "")
    if "<" in author or "&" in author:
        author = html_to_text(bounded_html(author))  # raw feed HTML: bounded before nh3 reads it
    categories: dict[str, None] = {}  # in order, each once; a set's lookup (a list's was quadratic)
    for tag in entry.get("tags") or ():
        term = seen(CONTROL.sub("", tag.get("term") or ""))
        if term:
            categories[term] = None
            if len(categories) >= MAX_CATEGORIES:
                break
    return ParsedEntry(
        guid=guid or None,
        link=link,
        title=_bounded_title(plain_title(entry.get("title_detail"), entry.get("title"), atom)),
        summary_html=summary_html,
        text=text,
        author=seen(author) or None,
        categories=list(categories),
        published=published or updated,
        updated=updated,
        former_guid=former_guid if guid and former_guid and former_guid != guid else None,
    )


def _content(entry: dict, fallback_base: str | None) -> tuple[str, str]:
    """The richest of the entry's content and summary, cleaned, and its plain text; a summary that
    is no excerpt of the content (a lede written apart: news agencies put the official who spoke
    there, in 948 of the 1,500 articles the team reads it held words the body has not) comes first,
    and «استاندار» finds the item it names (a review of search). An excerpt (a «[…]» cut) is left out."""
    summary = None
    candidates = list(entry.get("content") or ())
    if entry.get("summary"):
        summary = entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"}
        candidates.append(summary)
    usable = [c for c in candidates if c.get("value") and content_kind(c.get("type")) is not None]
    best = max(usable, key=lambda c: len(c["value"]), default=None)
    if best is None:
        return "", ""
    cleaned, text = _cleaned(best, fallback_base)
    if summary is not None and summary is not best and any(c is summary for c in usable) \
            and summary["value"] != best["value"]:
        lede_html, lede = _cleaned(summary, fallback_base)
        if lede.strip() and not is_excerpt(lede, text):
            cleaned, text = f"<div>{lede_html}</div>{cleaned}", f"{lede}\n\n{text}"
    return cleaned, text


def _cleaned(candidate: dict, fallback_base: str | None, again: bool = True) -> tuple[str, str]:
    value = CONTROL.sub("", candidate["value"])
    if content_kind(candidate.get("type")) == "text":
        value = html.escape(value).replace("\n", "<br>")
    # Again after cleaning: a character reference («&#31;») comes out of the HTML parser as the character.
    cleaned = CONTROL.sub("", clean_html(value, usable_base(candidate.get("base")) or fallback_base))
    text = CONTROL.sub("", html_to_text(cleaned))
    if again and escaped_markup(text, cleaned):  # HTML escaped once more than written: read as the HTML (clean.py)
        return _cleaned({**candidate, "value": text, "type": "text/html"}, fallback_base, again=False)
    return cleaned, text
