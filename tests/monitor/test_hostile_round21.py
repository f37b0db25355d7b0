"""Hostile feeds, round 21, over the real local feed server and the real fetch → parse → store pipeline: a document of
more elements than any feed holds (nested or not), a body that is no text (compressed without saying so, a picture), a
UTF-16 document without its byte-order mark or declaration."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.monitor import feed_guards
from app.services.feed_pipeline import poll_feeds
from models import Feed, Item

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
