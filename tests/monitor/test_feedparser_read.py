"""``feedparser_read.read``: feedparser's reading of a body, an ill-formed document read once."""
from __future__ import annotations

import io
import random
import xml.sax

import feedparser
import pytest

from app.monitor import feedparser_bounds  # noqa: F401 — its bounds, as parse_feed reads with them
from app.monitor.feedparser_read import read
from app.monitor.parse import parse_feed
from tests.conftest import shared_data

HEADERS = {"content-type": "application/xml", "content-location": "http://127.0.0.1/feeds/x"}


def _reading(result) -> tuple:
    problem = result.get("bozo_exception")
    where = (problem.getLineNumber(), problem.getColumnNumber()) if isinstance(problem, xml.sax.SAXParseException) else None
    return (result.get("version"), result.get("encoding"), bool(result.get("bozo")), type(problem).__name__,
            str(problem), where, result.get("feed"), result.get("entries"), result.get("namespaces"))


def _bodies():
    """The corpus's small feeds, 40 of its large ones, and each cut in half and given an undefined
    entity in its middle (both ill-formed)."""
    root = shared_data("feeds")
    paths = [p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix not in (".md", ".txt")
             and p.name != "LICENSE" and "kagi-benchmark" not in p.parts]
    paths += random.Random(41).sample(sorted((root / "kagi-benchmark").iterdir()), 40)
    for path in paths:
        body = path.read_bytes()
        yield body
        half = len(body) // 2
        yield body[:half]
        cut = body.find(b">", half) + 1
        if cut:
            yield body[:cut] + b"&colon;" + body[cut:]


def test_read_is_feedparsers_reading_of_the_corpus():
    """Every reading equal to ``feedparser.parse``'s: the same entries, feed, version, encoding and the
    same error (its type, message, line and column) — strict, lenient, or given up."""
    differ, ill_formed, n = [], 0, 0
    for n, body in enumerate(_bodies(), 1):
        ours = _reading(read(body, dict(HEADERS)))
        theirs = _reading(feedparser.parse(io.BytesIO(body), response_headers=dict(HEADERS), sanitize_html=False,
                                           resolve_relative_uris=False))
        ill_formed += ours[3] == "SAXParseException"
        if ours != theirs:
            differ.append((n, [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]))
    assert n > 4000 and ill_formed > 1500
    assert differ == []


def _entity_near_the_end(items: int) -> bytes:
    entries = "".join(f"<item><title>خبر {n}</title><link>http://x.example/{n}</link><description>متن {n} "
                      f"&lt;b&gt;پررنگ&lt;/b&gt;</description></item>" for n in range(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>خوراک</title>{entries}'
            "<item><title>Re&colon; آخر</title><link>http://x.example/last</link></item></channel></rss>").encode()


def test_an_ill_formed_document_is_read_once(monkeypatch):
    """An undefined entity in a feed's last entry: feedparser's strict parser read every element before it, then
    its lenient one read them all again (a 13.7 MB feed: 9.7 s of CPU, a review of hostile feeds, round 14).
    Each element is now read once, and the items and the warning are those of before."""
    started = []
    real = feedparser.mixin._FeedParserMixin.unknown_starttag

    def counted(self, tag, attrs):
        started.append(tag)
        return real(self, tag, attrs)

    monkeypatch.setattr(feedparser.mixin._FeedParserMixin, "unknown_starttag", counted)
    parsed = parse_feed(_entity_near_the_end(300), headers={"Content-Type": "application/xml"})
    assert len(parsed.entries) == 301 and parsed.entries[-1].link == "http://x.example/last"
    assert parsed.entries[-1].title == "Re: آخر"  # HTML 5's «&colon;», read («Re&colon; آخر» before)
    assert parsed.warning_detail == {"key": "warning.malformed",
                                     "values": {"detail": {"line": 1, "text": "undefined entity"}}}
    assert len(started) == 3 + 4 * 300 + 3  # rss, channel, title; each item's four, the last one's three (2,411 before)


@pytest.mark.parametrize("body", [b"", b"   ", b"<rss><channel><title>t</title></channel></rss>"])
def test_read_of_little(body):
    assert _reading(read(body, dict(HEADERS))) == _reading(
        feedparser.parse(io.BytesIO(body), response_headers=dict(HEADERS), sanitize_html=False,
                         resolve_relative_uris=False))


@pytest.mark.parametrize("reference, title, text", [("&colon;", "Re: خبر", "متن:پایان"), ("&NewLine;", "Re خبر", "متن پایان"),
                                                     ("&LT;", "Re< خبر", "متن<پایان"), ("&bigstar;", "Re★ خبر", "متن★پایان"),
                                                     ("&hellip;", "Re… خبر", "متن…پایان"),
                                                     ("&nosuchname;", "Re&nosuchname; خبر", "متن&nosuchname;پایان")])
def test_html5_named_references_in_an_ill_formed_feed_are_read(reference, title, text):
    """HTML 5's named references, which feedparser's lenient parser kept as written («Re&colon; خبر»); «&LT;»
    is text, not markup (its summary holds «&lt;»); a name no HTML has stays as written."""
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'
            f"<title>Re{reference} خبر</title><link>http://x.example/1</link>"
            f"<description>متن{reference}پایان</description></item></channel></rss>").encode()
    (entry,) = parse_feed(body).entries
    assert (entry.title, entry.text) == (title, text)
    assert "<پایان" not in entry.summary_html



def test_an_html5_name_without_its_semicolon_is_not_read():
    """A bare «&» before a word that is an HTML 5 name only with its «;» («&num», «&in», «&colon»): an
    ill-formed feed's link keeps its query as written (it was stored «…?id=5#=20∈=3», another address),
    a title the name as feedparser kept it before; the same name closed by «;» is read."""
    body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'
            b"<title>A &colon B &num=2 &colon;</title><link>http://x.example/a?id=5&num=20&in=3</link>"
            b"</item></channel></rss>")
    (entry,) = parse_feed(body).entries
    assert entry.link == "http://x.example/a?id=5&num=20&in=3"
    assert entry.title == "A &colon; B &num;=2 :"  # feedparser's «;» after a name it does not read, as before
