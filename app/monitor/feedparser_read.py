"""feedparser's ``parse`` of a response body, reading an ill-formed document once.

feedparser reads a document with its strict (SAX) parser and, when expat stops at an error, reads
it all again with its lenient one, whose result it returns. The strict pass runs feedparser's Python
handlers for every element up to the error: wasted on an ill-formed document, and on one whose error
is near its end (an undefined entity such as «&colon;» in the last entries) nearly a whole reading.
A 13.7 MB feed of that kind took 9.7 s of CPU, two readings (a review of hostile feeds, round 14).

``read`` is ``feedparser.parse`` of a body with the given response headers, its steps in its order
(feedparser 6.0.14's ``api.parse``), with one more: expat alone, with no handler of ours, reads the
bytes the strict parser would be given, configured as ``xml.sax``'s reader is for feedparser
(namespaces, external entities not fetched). When expat stops, the strict pass is skipped and the
same ``SAXParseException`` (message, line, column) is the document's ``bozo_exception``: the entries
and the feed's warning are those of before. A well-formed document costs one more expat pass in C
(~2 % of its reading). ``tests/monitor/test_feedparser_read.py`` holds both readings equal on the
corpus.
"""
from __future__ import annotations

import io
import xml.sax
import xml.sax.handler
import xml.sax.xmlreader
from pyexpat import XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE, ErrorString, ExpatError, ParserCreate

from feedparser.api import LooseFeedParser, StrictFeedParser
from feedparser.encodings import convert_to_utf8
from feedparser.sanitizer import replace_doctype
from feedparser.urls import make_safe_absolute_uri
from feedparser.util import FeedParserDict

__all__ = ["read"]


class _Where(xml.sax.xmlreader.Locator):
    """Where expat stopped, as the SAX reader's locator says it (no system or public id: feedparser
    gives its source none)."""

    def __init__(self, line: int, column: int) -> None:
        self._line, self._column = line, column

    def getLineNumber(self) -> int:
        return self._line

    def getColumnNumber(self) -> int:
        return self._column


def _external_entity(*_args) -> int:
    return 1  # not fetched (feedparser turns ``feature_external_ges`` off): read on


def expat_error(data: bytes) -> xml.sax.SAXParseException | None:
    """The exception feedparser's strict parser would stop with on ``data`` (UTF-8, as
    ``convert_to_utf8`` gives it), or None when expat reads it to its end."""
    parser = ParserCreate(None, " ")
    parser.ExternalEntityRefHandler = _external_entity
    parser.SetParamEntityParsing(XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE)
    try:
        parser.Parse(data, True)
    except ExpatError as exc:
        return xml.sax.SAXParseException(ErrorString(exc.code), exc, _Where(parser.ErrorLineNumber,
                                                                            parser.ErrorColumnNumber))
    return None


def read(body: bytes, response_headers: dict, *, sanitize_html: bool = False,
         resolve_relative_uris: bool = False) -> FeedParserDict:
    """``feedparser.parse(io.BytesIO(body), response_headers=…)``, an ill-formed document read once."""
    result = FeedParserDict(bozo=False, entries=[], feed=FeedParserDict(), headers={})
    if not body:
        return result
    result["headers"].update(response_headers or {})
    data = convert_to_utf8(result["headers"], body, result)
    use_strict_parser = bool(result["encoding"])
    result["version"], data, entities = replace_doctype(data)
    contentloc = result["headers"].get("content-location", "")
    baseuri = make_safe_absolute_uri("", contentloc) or make_safe_absolute_uri(contentloc) or ""
    baselang = result["headers"].get("content-language", None)
    if isinstance(baselang, bytes):
        baselang = baselang.decode("utf-8", "ignore")
    if use_strict_parser:
        stopped = expat_error(data)
        if stopped is not None:
            result["bozo"], result["bozo_exception"] = 1, stopped
            use_strict_parser = False
    if use_strict_parser:
        feedparser = StrictFeedParser(baseuri, baselang, "utf-8")
        feedparser.resolve_relative_uris = resolve_relative_uris
        feedparser.sanitize_html = sanitize_html
        saxparser = xml.sax.make_parser([])
        saxparser.setFeature(xml.sax.handler.feature_namespaces, 1)
        saxparser.setFeature(xml.sax.handler.feature_external_ges, 0)
        saxparser.setContentHandler(feedparser)
        saxparser.setErrorHandler(feedparser)
        source = xml.sax.xmlreader.InputSource()
        source.setByteStream(io.BytesIO(data))
        try:
            saxparser.parse(source)
        except xml.sax.SAXException as exc:
            result["bozo"], result["bozo_exception"] = 1, feedparser.exc or exc
            use_strict_parser = False
    if not use_strict_parser:
        feedparser = LooseFeedParser(baseuri, baselang, "utf-8", entities)
        feedparser.resolve_relative_uris = resolve_relative_uris
        feedparser.sanitize_html = sanitize_html
        feedparser.feed(data.decode("utf-8", "replace"))
    result["feed"] = feedparser.feeddata
    result["entries"] = feedparser.entries
    result["version"] = result["version"] or feedparser.version
    result["namespaces"] = feedparser.namespaces_in_use
    return result
