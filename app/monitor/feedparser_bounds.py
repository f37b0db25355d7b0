"""feedparser's methods that grow with a hostile document, bounded (imported by ``app.monitor.parse``
for their effect): its e-mail search in an author's text, the tags it collects in an entry, the
GUID it read as an address relative to the feed's, an «xml:base» longer than any address, and its
handlers of one element, which may fail on what the element holds.
"""
from __future__ import annotations

import functools
import html.entities
import logging
import threading

import feedparser
import feedparser_sgmllib

from app.monitor.entry_fields import bare_link, safe_link

log = logging.getLogger(__name__)

MAX_CATEGORIES = 50  # an entry's categories kept (the item stores as many)

# An author's text («<author>», «dc:creator», «managingEditor», «webMaster», «itunes:author»,
# «dc:publisher») as feedparser's e-mail search reads it: at most this many characters. Its regular
# expression backtracks with the square of the length, holding the GIL: a 100,000-character author
# froze the worker (every thread, and the web process during a preview) for 50 s, 1 MB would take
# ~80 min (a review of hostile feeds). ``_entry`` keeps 500 of them anyway.
AUTHOR_TEXT_MAX = 2_000
_SYNC_AUTHOR_DETAIL = feedparser.mixin._FeedParserMixin._sync_author_detail


def _bounded_sync_author_detail(self, key="author"):
    context = self._get_context()
    value = context.get(key)
    if isinstance(value, str) and len(value) > AUTHOR_TEXT_MAX:
        context[key] = value[:AUTHOR_TEXT_MAX]
    return _SYNC_AUTHOR_DETAIL(self, key)


feedparser.mixin._FeedParserMixin._sync_author_detail = _bounded_sync_author_detail

# The tags (category, keyword) feedparser collects in one entry (or the feed, or a source): at
# most this many. Before adding one it looks for it in a list of all the others: 40,000
# «<category>» in one item (1 MB) took 34 s, «<itunes:keywords>» or «<media:keywords>» of 40,000
# words (269 KB) 36 s (a review of hostile feeds). ``_entry`` keeps MAX_CATEGORIES distinct terms;
# the room past them is for a term feedparser keeps once a scheme (a «domain», iTunes', Media
# RSS') and for terms that read as nothing. The entries of ../shared/data/feeds hold 34 at most.
TAGS_COLLECTED = 4 * MAX_CATEGORIES
_ADD_TAG = feedparser.mixin._FeedParserMixin._add_tag


def _bounded_add_tag(self, term, scheme, label):
    if len(self._get_context().get("tags") or ()) < TAGS_COLLECTED:
        _ADD_TAG(self, term, scheme, label)


feedparser.mixin._FeedParserMixin._add_tag = _bounded_add_tag

# An address in the document (a link's text or «href», an «xml:base») without the direction marks and unseen
# characters around it: feedparser joined «\u200fhttps://x.ir/news/1» to the feed's address as a path (a
# Persian CMS's RLM before its links; hostile feeds, round 16).
_RESOLVE_URI = feedparser.mixin._FeedParserMixin.resolve_uri


def _resolve_bare_uri(self, uri):
    return _RESOLVE_URI(self, bare_link(uri) if isinstance(uri, str) else uri)


feedparser.mixin._FeedParserMixin.resolve_uri = _resolve_bare_uri

# An RSS «<guid>» (an Atom «<id>») not marked isPermaLink="false" was read by feedparser as an
# address relative to the feed's: «<guid>55501</guid>» became «http://host/old/55501», the entry's
# key and, without a «<link>», its link, a page the feed never named. When the feed's address moved
# (a 301, an administrator's edit), every such entry was stored again (a review of hostile feeds).
# The GUID is kept as written; it is the link only when it is an absolute http(s) address. What
# feedparser made of it is kept beside it (``RESOLVED_GUID``): the key of the items stored before.
_END_GUID = feedparser.mixin._FeedParserMixin._end_guid
RESOLVED_GUID = "hamzaban_resolved_guid"


def _guid_as_written(self):
    """feedparser's ``_end_guid`` without resolving the GUID against the feed's address."""
    permalink, self.guidislink = self.guidislink, False  # pop() resolves an «id» of a permalink only
    value = self.pop("id")
    self.guidislink = permalink
    context = self._get_context()
    if value and context.get("id") == value:  # kept as the entry's GUID (an outer one stays)
        context[RESOLVED_GUID] = _RESOLVE_URI(self, value) if permalink else value  # (its marks kept: the old key)
    self._save("guidislink", permalink and "link" not in context)
    if permalink and safe_link(value, None):
        self._save("link", value)


feedparser.mixin._FeedParserMixin._end_guid = feedparser.mixin._FeedParserMixin._end_id = _guid_as_written

# An «xml:base» longer than any address: none. feedparser joins each element's base to the one it
# inherits at every start tag, and each relative link to it: an «xml:base» of 1 MB on the «<rss>» of 400
# small items (1 MB in all) took 35 s, holding the GIL, and half a million tags would take an hour (a
# review of hostile feeds, round 13). The element keeps its parent's base (the feed's address at the top);
# so does one whose base joined to its parent's could pass the cap (absolute or not: a plain length test).
BASE_MAX_CHARS = 8192  # parse.LINK_MAX_CHARS: a link resolved against a longer base was dropped anyway
BASE_MAX_SLASHES = 64  # of a base joined: urljoin reads a path piece by piece, in Python
_UNKNOWN_STARTTAG = feedparser.mixin._FeedParserMixin.unknown_starttag


def _bounded_unknown_starttag(self, tag, attrs):
    # The join's length and its path's pieces, not the attribute's: short relative bases nested grew the
    # base a level at a time, each join reading the path so far piece by piece («a/» 20,000 deep, 420 KB,
    # took 21 s; 4,000 deep under the length cap alone, 1.5 s a chain: a review of session 39).
    base = self.baseuri or ""
    room, pieces = BASE_MAX_CHARS - len(base), BASE_MAX_SLASHES - base.count("/")
    if any(len(value) > room or value.count("/") > pieces for name, value in attrs if name in ("xml:base", "base")):
        attrs = [(name, value) for name, value in attrs if name not in ("xml:base", "base")]
    return _UNKNOWN_STARTTAG(self, tag, attrs)


feedparser.mixin._FeedParserMixin.unknown_starttag = _bounded_unknown_starttag

# A named reference HTML 5 added («&colon;», «&nbsp» is HTML 4's), read by feedparser's lenient parser (a document
# expat stopped on: it is no XML entity) as nothing it knew: kept as written, a headline «Re&colon; …» stored so
# (kagi-benchmark/3d13901a267083a8; a review of hostile feeds, round 15). Now the character; «<», «>», «&» and quotes
# as the references feedparser keeps for its own five, which its later steps read as markup or text.
# Only a reference closed by its «;», as HTML 5 reads these names: sgmllib's lenient pattern also stops a name at
# «=» or a space, and a bare «&» of an ill-formed feed's link («?id=5&num=20&in=3») became «?id=5#=20∈=3».
_HANDLE_ENTITYREF = feedparser.mixin._FeedParserMixin.handle_entityref
_AS_REFERENCE = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;"}


class _ClosedReferences:
    """feedparser_sgmllib's ``entityref`` pattern, noting for its thread whether the reference it matched last
    ended with «;» (its parser calls ``handle_entityref`` right after the match, with the name alone)."""

    def __init__(self, pattern) -> None:
        self._pattern, self._seen = pattern, threading.local()

    def match(self, text: str, pos: int = 0):
        found = self._pattern.match(text, pos)
        self._seen.closed = found is not None and found.group(0).endswith(";")
        return found

    def last_closed(self) -> bool:
        return getattr(self._seen, "closed", False)


_REFERENCES = feedparser_sgmllib.entityref = _ClosedReferences(feedparser_sgmllib.entityref)


def _html5_entityref(self, ref):
    character = html.entities.html5.get(ref + ";")
    if (character is None or not self.elementstack or not _REFERENCES.last_closed() or ref in html.entities.name2codepoint
            or ref in self.entities or ref in ("lt", "gt", "quot", "amp", "apos")):
        return _HANDLE_ENTITYREF(self, ref)
    self.elementstack[-1][2].append(_AS_REFERENCE.get(character, character))
    return None


feedparser.mixin._FeedParserMixin.handle_entityref = _html5_entityref

# feedparser's handler of one element that fails on what it holds, each in a document otherwise read: a
# podcast chapter without its start (``_start_psc_chapter``: TypeError), a GeoRSS polygon whose place is a
# word (``_end_gml_poslist``), a logo's width that the lenient parser read as nothing (``_end_width``, after
# a «…» pasted from windows-1252 inside a tag). Each lost the whole feed as «an unexpected error», on every
# poll (found by mutating the corpus's feeds: a review of hostile feeds, round 13). The element's value is
# left out and the document read on. AttributeError is not caught: feedparser reads it as «no handler».
_HANDLER_FAILURES = (TypeError, ValueError, KeyError, IndexError, OverflowError)


def _guarded(handler):
    @functools.wraps(handler)
    def guarded(self, *args):
        try:
            return handler(self, *args)
        except _HANDLER_FAILURES as exc:
            log.debug("feedparser's %s failed (%r): the element left out", handler.__name__, exc)
            return None

    return guarded


for _name in dir(feedparser.mixin._FeedParserMixin):
    if _name.startswith(("_start_", "_end_")):
        setattr(feedparser.mixin._FeedParserMixin, _name, _guarded(getattr(feedparser.mixin._FeedParserMixin, _name)))
