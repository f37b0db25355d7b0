"""parse_feed on mutated real feeds (issue 14, item 8): whatever a broken or hostile server
sends, the parser returns a feed or raises FeedParseError (with its code and Persian message),
never anything else; what it returns holds no executable markup, only http(s) links and aware
datetimes. The seeds are real feeds of ../shared/data/feeds (the test skips without them)."""
from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.monitor.parse import FeedParseError, parse_feed
from tests.conftest import shared_data
from tests.monitor.test_feed_corpus import dangerous

SEEDS = ("pear/hoder.xml", "pear/xmlbase.xml", "pear/rss091-international.xml", "pear/illformed_atom10.xml",
         "pear/hungarian-iso-8859-2.xml", "miniflux/small_atom.xml", "miniflux/urdu_UTF8.xml",
         "miniflux/rdf_UTF8.xml", "miniflux/encoding_WINDOWS-1251.xml", "miniflux/encoding/invalid-prolog.xml",
         "miniflux/encoding/utf8-incorrect-prolog.xml", "miniflux/no_encoding_ISO-8859-1.xml")

# Pieces a hostile or broken server might splice in.
HOSTILE = (b"<script>alert(1)</script>", b"<img src=x onerror=alert(1)>", b'<a href="javascript:alert(1)">x</a>',
           b"<!ENTITY x 'y'>", b"<!DOCTYPE rss [", b"]]>", b"<![CDATA[", b"&#0;", b"&#x1F;", b"\x00", b"\xff\xfe",
           b"\xef\xbb\xbf", b"\xc3\x28", b"</item>", b"<item>", b"</channel></rss>", b"<entry>", b"&amp;&lt;&",
           b'<iframe src="data:text/html,x">', b"<style>*{}</style>", b"\r\n\r\n", "ی‌ها".encode())


@functools.cache
def _read_seeds() -> tuple[bytes, ...]:
    root = shared_data("feeds")
    return tuple((root / name).read_bytes() for name in SEEDS if (root / name).is_file())


def seeds() -> tuple[bytes, ...]:
    """The seed feeds (read once); skips the test when ../shared/data is absent. A function, not a
    fixture, so that Hypothesis does not print 200 kB of feeds with each failing example."""
    return _read_seeds()


@st.composite
def mutations(draw, body: bytes) -> bytes:
    """1–4 edits of a real feed: cut, overwrite, insert (random or hostile bytes), delete, repeat."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(body)))
        kind = draw(st.sampled_from(("cut", "overwrite", "insert", "hostile", "delete", "repeat")))
        if kind == "cut":
            body = body[:at]
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            body = body[:at] + chunk + body[at + len(chunk):]
        elif kind == "insert":
            body = body[:at] + draw(st.binary(min_size=1, max_size=16)) + body[at:]
        elif kind == "hostile":
            body = body[:at] + draw(st.sampled_from(HOSTILE)) + body[at:]
        elif kind == "delete":
            body = body[:at] + body[at + draw(st.integers(1, 200)):]
        else:
            body = body[:at] + body[at:at + draw(st.integers(1, 400))] * 2 + body[at + 400:]
    return body


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # XML forbids them; PostgreSQL refuses a NUL


def parse_or_refuse(body: bytes, **kwargs) -> None:
    try:
        feed = parse_feed(body, **kwargs)
    except FeedParseError as refused:
        assert refused.code and any("\u0600" <= ch <= "\u06ff" for ch in refused.message_fa)
        return
    for value in (feed.title, feed.link, feed.language):
        assert not CONTROL.search(value or ""), value
    for entry in feed.entries:
        for value in (entry.title, entry.link, entry.author, entry.guid, entry.text, entry.summary_html,
                      *entry.categories):
            assert not CONTROL.search(value or ""), value
        assert dangerous(entry.summary_html) == [], entry.summary_html[:300]
        assert not entry.link or entry.link.lower().startswith(("http://", "https://")), entry.link
        for moment in (entry.published, entry.updated):
            assert moment is None or moment.utcoffset() is not None
    assert not feed.link or feed.link.lower().startswith(("http://", "https://")), feed.link


# A parse takes 5–100 ms: a few dozen examples in the everyday run, more in the `slow` one.
FEW = settings(max_examples=40, deadline=None)
MANY = settings(max_examples=800, deadline=None)  # ~25 s

HEADERS = st.one_of(st.none(), st.fixed_dictionaries({"content-type": st.sampled_from(
    ["application/rss+xml", "text/xml; charset=windows-1256", "text/html", "application/json",
     "application/atom+xml; charset=utf-16", "text/xml; charset=no-such-codec"])}))


@FEW
@given(data=st.data())
def test_a_mutated_real_feed_parses_or_is_refused(data):
    body = data.draw(st.sampled_from(seeds()).flatmap(mutations))
    parse_or_refuse(body, headers=data.draw(HEADERS), base_url="https://news.example.ir/rss")


@FEW
@given(data=st.data())
def test_an_encoding_override_on_a_mutated_feed(data):
    body = data.draw(st.sampled_from(seeds()).flatmap(mutations))
    parse_or_refuse(body, encoding_override=data.draw(st.sampled_from(["windows-1256", "utf-8", "latin-1", "utf-16"])))


@pytest.mark.slow
@MANY
@given(data=st.data())
def test_many_mutated_real_feeds(data):
    body = data.draw(st.sampled_from(seeds()).flatmap(mutations))
    parse_or_refuse(body, headers=data.draw(HEADERS))


# --- what the properties found (each failed before its fix) -------------------------------------

def test_found_a_utf16_charset_without_a_byte_order_mark_is_refused_not_crashed():
    """Found: UnicodeError ("UTF-16 stream does not start with BOM") out of parse_feed when the
    server declared charset=utf-16 and the body had no byte-order mark."""
    with pytest.raises(FeedParseError):
        parse_feed(b"<?", headers={"content-type": "application/atom+xml; charset=utf-16"})


def test_found_an_encoding_override_of_utf16_on_a_body_without_a_byte_order_mark():
    """Found: the same UnicodeError when an administrator set the feed's encoding to utf-16."""
    with pytest.raises(FeedParseError) as refused:
        parse_feed(b"<rss><channel><item><title>x</title></item></channel></rss>", encoding_override="utf-16")
    assert refused.value.code == "override_failed" and "utf-16" in refused.value.message_fa


@pytest.mark.parametrize("damaged", [b"\x80tf-8", b"\x00tf-8"])
def test_found_a_damaged_encoding_name_in_the_xml_declaration(damaged):
    """Found: feedparser raised UnicodeDecodeError (a byte above 0x7E) or ValueError (a NUL) on
    the declared encoding's name; now the name is ignored and the feed read as undeclared."""
    body = (b'<?xml version="1.0" encoding="' + damaged + b'"?>\n<rss version="2.0"><channel><title>t</title>'
            + "<item><title>قطعی آب</title><link>https://x.example.ir/1</link></item></channel></rss>".encode())
    feed = parse_feed(body)
    assert [e.title for e in feed.entries] == ["قطعی آب"]


def test_found_control_characters_reached_titles_links_and_guids():
    """Found by the slow property runs: a NUL (or another C0 control, which XML forbids) in a
    broken feed came back in the title, link, author, categories and guid; PostgreSQL refuses
    to store a NUL, so the feed would fail on every poll. They are dropped now."""
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t\x00x</title><language>f\x01a</language>'
            b"<item><title>a\x00b\x1bc</title><link>\x00https://x.example/1\x00</link>"
            b"<description><![CDATA[d&#31;e\x01f]]></description>"
            b"<author>q\x00r</author><category>c\x00d</category><guid>g\x00h</guid></item></channel></rss>")
    feed = parse_feed(body)
    entry = feed.entries[0]
    assert (feed.title, feed.language) == ("tx", "fa")
    assert (entry.title, entry.link, entry.author, entry.categories, entry.guid) == (
        "abc", "https://x.example/1", "qr", ["cd"], "gh")
    assert (entry.summary_html, entry.text) == ("def", "def")  # «&#31;» too, once the HTML parser decoded it
