"""Hostile feeds, round 21, over the real local feed server and the real fetch → parse → store pipeline: a document of
more elements than any feed holds (nested or not), a body that is no text (compressed without saying so, a picture), a
UTF-16 document without its byte-order mark or declaration."""
from __future__ import annotations

import bz2
import lzma
import random
import zlib

import pytest
from sqlalchemy import select

from app.extensions import db
from app.monitor import feed_guards
from app.monitor.parse import FeedParseError, parse_feed
from app.services.feed_pipeline import poll_feeds
from models import Feed, Item

from .feed_server import SAMPLE_FEED

RSS = "application/rss+xml"


def _items(count: int) -> str:
    return "".join(f"<item><title>خبر {n}</title><link>https://news.example.ir/{n}</link></item>" for n in range(count))


def _rss(inner: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>خوراک</title>{inner}'
            "</channel></rss>").encode()


def _poll(app, feed_server, body: bytes, content_type: str = RSS, name: str = "doc") -> Feed:
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_TOTAL_TIMEOUT=10)
    feed_server.documents[name] = (body, content_type)
    feed = Feed(url=feed_server.url(f"/doc/{name}"), title="")
    db.session.add(feed)
    db.session.commit()
    poll_feeds(app.config, feed_id=feed.id)
    db.session.refresh(feed)
    return feed


def _persian(text: str | None) -> bool:
    return bool(text) and sum("\u0600" <= c <= "\u06ff" for c in text) > 10


def test_a_document_of_more_elements_than_a_feed_holds_is_refused_before_it_is_parsed(app, feed_server):
    """Round 20's note: 200,000 nested elements in one item (1.4 MB) took 4.5 s of CPU, on every poll; the bound was the
    500,000 «<» of MAX_TAGS, 250,000 elements or 500,000 «<x/>» (16 s of CPU, 23 s ill-formed). feedparser's cost is
    per element, nested or not (~20 µs: its stack and handlers in Python). The elements it reads (start tags outside
    CDATA, comments and processing instructions) are counted first; past MAX_ELEMENTS (the corpus's largest feed has
    4,192) the feed is refused in Persian, saying what to ask of the site."""
    nested = "<x>" * 150_000 + "</x>" * 150_000
    feed = _poll(app, feed_server, _rss(_items(3) + f"<item><title>بمب</title><link>https://news.example.ir/b</link>{nested}</item>"))
    assert feed.last_error_code == "parse_overgrown" and feed.last_error_detail["key"] == "parse.too_many_elements"
    assert _persian(feed.last_error) and "۱۵۰۰۱۵" in feed.last_error and "۵۰۰۰۰" in feed.last_error
    assert db.session.scalar(select(Item.id)) is None


def test_markup_inside_cdata_is_no_element_and_a_feed_under_the_cap_is_read(app, feed_server, monkeypatch):
    """The HTML of an article in CDATA is text to the XML parser (cheap: nh3 reads it): not counted."""
    monkeypatch.setattr(feed_guards, "MAX_ELEMENTS", 2_000)
    cdata = "<item><title>مقاله</title><link>https://news.example.ir/a</link><description><![CDATA[" + "<p>بند</p>" * 3_000 \
            + "]]></description><!--" + "<x>" * 3_000 + "--></item>"
    feed = _poll(app, feed_server, _rss(cdata + _items(2)))
    assert feed.last_error is None and len(db.session.scalars(select(Item)).all()) == 3
    flat = _poll(app, feed_server, _rss(_items(2) + "<item><title>بمب</title>" + "<x/>" * 2_500 + "</item>"), name="flat")
    assert flat.last_error_detail["key"] == "parse.too_many_elements" and _persian(flat.last_error)


@pytest.mark.parametrize("opened, closed", [("<?x> ", " ?>"), ("<!-- -- > ", " -->")])
def test_elements_after_the_loose_parsers_end_of_a_section_are_counted(app, feed_server, monkeypatch, opened, closed):
    """An ill-formed document is read again by feedparser's loose parser, whose processing instruction ends at its first
    «>», not at «?>», and whose comment at «-- >»: «<?x> <x/><x/>… ?>» and «<!-- -- > <x/><x/>… -->» hid 120,000
    elements from the count (8 counted) and cost 6.5 s of CPU each (load 3, review of round 21). Each section is
    passed over to the first end either parser sees."""
    monkeypatch.setattr(feed_guards, "MAX_ELEMENTS", 2_000)
    hidden = _rss(_items(2) + opened + "<x/>" * 2_500 + closed + "<item><title>بد</title></itm>")
    feed = _poll(app, feed_server, hidden)
    assert feed.last_error_detail["key"] == "parse.too_many_elements" and _persian(feed.last_error)
    styled = _poll(app, feed_server, _rss(_items(2)).replace(b"?><rss", b'?><?xml-stylesheet href="s.xsl"?><rss'),
                   name="styled")
    assert styled.last_error is None


def _brotli(body: bytes) -> bytes:
    return pytest.importorskip("brotli").compress(body)


BINARY = {  # name: (body, the kind said or None)
    "brotli": (lambda: _brotli(SAMPLE_FEED), None),
    "bzip2": (lambda: bz2.compress(SAMPLE_FEED), "bzip2"),
    "xz": (lambda: lzma.compress(SAMPLE_FEED), "xz"),
    "zstd": (lambda: b"\x28\xb5\x2f\xfd\x04\x58" + random.Random(21).randbytes(2000), "zstd"),
    "zlib": (lambda: zlib.compress(SAMPLE_FEED), "zlib"),
    "png": (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(21).randbytes(2000), "PNG"),
    "random": (lambda: random.Random(21).randbytes(3000), None),
    # review of round 21: its «\xff» was stripped with the byte-order marks' bytes, and JPEG never named
    "jpeg": (lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + random.Random(21).randbytes(2000), "JPEG"),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_a_body_that_is_no_text_is_said_as_binary_data_naming_what_it_is(app, feed_server, name):
    """Round 20's note: a feed compressed with brotli and served without «Content-Encoding: br» (a CDN's cache, a
    misconfigured server), or a picture or archive in the feed's place, was refused as «this document is no RSS or Atom
    feed», which told the desk nothing to pass on. Now said as binary data, not text, the kind named when its first
    bytes tell it (brotli's do not), with what to ask of the site."""
    make, kind = BINARY[name]
    feed = _poll(app, feed_server, make(), name=name)
    assert feed.last_error_code == "parse_binary", (name, feed.last_error)
    assert _persian(feed.last_error) and "Content-Encoding" in feed.last_error
    assert (f"«{kind}»" in feed.last_error) if kind else ("«" not in feed.last_error), feed.last_error


def test_text_in_a_legacy_encoding_is_not_taken_for_binary_data():
    """windows-1256 Persian, and a document that only a stray control byte or two spoils, are read or said as before."""
    text = SAMPLE_FEED.decode().replace("ی", "ي").replace("ک", "ك").replace('encoding="utf-8"', 'encoding="windows-1256"')
    assert len(parse_feed(text.encode("cp1256", "replace")).entries) == 2
    with pytest.raises(FeedParseError) as refused:
        parse_feed(("\x1a" + "سلام دنيا، اين خوراك نيست. " * 20 + "\x0c").encode("cp1256"))
    assert refused.value.code == "not_a_feed"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0"?>\n', "\n  "])
def test_a_persian_feed_in_utf16_without_its_byte_order_mark_or_encoding_is_read(app, feed_server, codec, declaration):
    """A feed written in UTF-16 by a Windows tool, without a byte-order mark and without «encoding» in its declaration
    (or with none), served «application/rss+xml» with no charset, was refused as broken («line 3: an invalid character»).
    Its «<» followed by a NUL (or after one) says what it is, as XML 1.0's appendix F reads a document without a mark:
    read as UTF-16 of that order, every title as written."""
    text = declaration + SAMPLE_FEED.decode().split("?>", 1)[1].lstrip()
    feed = _poll(app, feed_server, text.encode(codec), name=f"{codec}-{len(declaration)}")
    assert feed.last_error is None, feed.last_error
    titles = set(db.session.scalars(select(Item.title)))
    assert titles == {e.title for e in parse_feed(SAMPLE_FEED).entries} and len(titles) == 2


@pytest.mark.parametrize("charset", ["utf-8", "windows-1256"])
def test_utf16_without_its_mark_under_a_charset_of_another_encoding_is_read_and_the_lie_said(app, feed_server, charset):
    """The same UTF-16 feed served «charset=utf-8» (a server's default) or «windows-1256»: refused as broken. NULs
    beside markup's «<» are no text of those encodings (XML forbids NUL), as a byte-order mark is not: read as UTF-16,
    the misdeclaration said on the feed's page."""
    text = SAMPLE_FEED.decode().split("?>", 1)[1].lstrip()
    feed = _poll(app, feed_server, text.encode("utf-16-le"), f"{RSS}; charset={charset}", name=charset)
    assert feed.last_error is None, feed.last_error
    assert len(db.session.scalars(select(Item)).all()) == 2
    assert feed.last_warning_detail == {"key": "warning.misdeclared", "values": {"declared": charset, "actual": "utf-16-le"}}
