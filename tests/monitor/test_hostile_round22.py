"""Hostile feeds, round 22, over the real local feed server and the real fetch → parse → store pipeline: a web page of
more elements than a feed holds given as the feed's address."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from models import Item

from .test_hostile_round21 import _poll


def _page(head: str = "") -> bytes:
    cells = "".join(f"<tr><td><a href='/n/{n}'>خبر {n}</a></td></tr>" for n in range(30_000))  # 90,000 elements
    return f"<!DOCTYPE html><html lang='fa'><head><title>خبرگزاری</title>{head}</head><body><table>{cells}</table></body></html>".encode()


def test_a_big_web_page_given_as_the_feed_is_said_as_a_web_page_not_as_too_many_elements(app, feed_server):
    """Session 47's note: a home page of more than 50,000 elements (a news site's front page: a table of links) was
    refused as «too many XML elements: ask the site to shorten its feed», which no site can do; it is a web page, and
    its feed link, when its head names one, is the address to give (as for a smaller page)."""
    feed = _poll(app, feed_server, _page(), "text/html; charset=utf-8")
    assert feed.last_error_code == "parse_html" and feed.last_error_detail["key"] == "parse.html"
    named = _poll(app, feed_server, _page("<link rel='alternate' type='application/rss+xml' href='/rss.xml'>"),
                  "text/html", name="named")
    assert named.last_error_detail["key"] == "parse.html_feed"
    assert named.last_error_detail["values"]["feed"] == feed_server.url("/rss.xml")
    assert db.session.scalar(select(Item.id)) is None


def test_a_feed_of_too_many_elements_is_still_said_so(app, feed_server):
    """Only a page is said as one: a feed over the cap keeps its refusal."""
    items = "".join(f"<item><title>خبر {n}</title><x/><y/><z/><w/><v/></item>" for n in range(9_000))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>خوراک</title>{items}</channel></rss>'.encode()
    feed = _poll(app, feed_server, body, "application/rss+xml")
    assert feed.last_error_detail["key"] == "parse.too_many_elements"
