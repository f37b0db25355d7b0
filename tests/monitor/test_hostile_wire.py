"""Hostile feeds at the wire (round 22b), over the real local feed server and the real fetch → parse → store
pipeline: a server that drips its head or body a byte a second, lies in its Content-Length, speaks HTTP/1.0 without a
length, sends chunk extensions and trailers, a 304 nobody asked for, an empty 200, compression inside compression and
a deflate bomb, redirects that loop, go through names that resolve to private addresses, or name a Location with
spaces or letters outside ASCII."""
from __future__ import annotations

import gzip
import zlib

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.monitor.fetch import Fetcher, FetchPolicy
from app.services.feed_pipeline import poll_feeds
from models import Feed, Item

from .test_fetch import assert_failed, test_tests_resolver

RSS = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>\xd8\xae\xd8\xa8\xd8\xb1</title>'
       + b"".join(b"<item><guid>w-%d</guid><title>\xd8\xae\xd8\xa8\xd8\xb1 %d</title></item>" % (n, n) for n in range(3))
       + b"</channel></rss>")


def _head(status: str = "200 OK", *headers: str, version: str = "HTTP/1.1") -> bytes:
    return (f"{version} {status}\r\n" + "".join(f"{h}\r\n" for h in headers) + "\r\n").encode("latin-1")


def _poll(app, feed_server, path: str, **config) -> Feed:
    app.config.update({"FEED_ALLOW_PRIVATE": "127.0.0.1/32", "FEED_TOTAL_TIMEOUT": 10, **config})
    feed = Feed(url=feed_server.url(path), title="")
    db.session.add(feed)
    db.session.commit()
    poll_feeds(app.config, feed_id=feed.id)
    db.session.refresh(feed)
    return feed


def _items() -> int:
    return db.session.scalar(select(func.count(Item.id)))


def _persian(text: str | None) -> bool:
    return bool(text) and sum("\u0600" <= c <= "\u06ff" for c in text) > 10


def _failed(feed: Feed, code: str) -> None:
    assert feed.last_error_code == code, (feed.last_error_code, feed.last_error)
    assert _persian(feed.last_error) and feed.consecutive_failures == 1 and feed.failing_since is not None


@pytest.mark.parametrize("start", [0, 17])  # in the status line; in the body, after the head
def test_a_server_dripping_a_byte_a_second_is_stopped_by_the_whole_fetch_deadline(app, feed_server, start):
    """Each read gets its byte well within the per-read timeout: only the whole response's deadline stops it."""
    feed_server.raw["slow"] = _head("200 OK", "Content-Type: application/rss+xml", f"Content-Length: {len(RSS)}") + RSS
    start = start and len(feed_server.raw["slow"]) - len(RSS)
    feed = _poll(app, feed_server, f"/drip/slow?every=0.5&from={start}", FEED_TOTAL_TIMEOUT=3, FEED_READ_TIMEOUT=2)
    _failed(feed, "timeout")  # the whole fetch's deadline said (a read timeout is «fetch.timeout»)
    assert feed.last_error_detail["key"] == "fetch.deadline" and _items() == 0


@pytest.mark.parametrize("declared", [len(RSS) + 500, len(RSS) - 40])
def test_a_content_length_that_lies_keeps_the_whole_entries_that_came(app, feed_server, declared):
    """Longer than the body: the connection closes early after the whole document, read whole (nothing lost, nothing
    to say). Shorter: the body ends at the length said, the bytes past it unread: a cut document, its whole entries
    kept with the warning that it was cut."""
    feed_server.raw["lying"] = _head("200 OK", "Content-Type: application/rss+xml", f"Content-Length: {declared}") + RSS
    feed = _poll(app, feed_server, "/raw/lying")
    assert feed.last_error_code is None, feed.last_error
    assert feed.last_success_at is not None and _items() == (3 if declared > len(RSS) else 2)
    if declared < len(RSS):
        assert feed.last_warning_detail["key"] == "warning.truncated" and _persian(feed.last_warning)
    else:
        assert feed.last_warning is None


def test_http_10_without_a_length_is_read_to_the_close(app, feed_server):
    feed_server.raw["old"] = _head("200 OK", "Content-Type: application/rss+xml", version="HTTP/1.0") + RSS
    feed = _poll(app, feed_server, "/raw/old")
    assert feed.last_error_code is None and feed.last_warning is None and _items() == 3


def test_chunks_with_extensions_and_trailers_are_read(app, feed_server):
    chunks = b"".join(b"%x;name=value;q=\"a b\"\r\n%s\r\n" % (len(RSS[i:i + 50]), RSS[i:i + 50])
                      for i in range(0, len(RSS), 50))
    feed_server.raw["chunked"] = (_head("200 OK", "Content-Type: application/rss+xml", "Transfer-Encoding: chunked",
                                        "Trailer: X-Checksum") + chunks + b"0;end=1\r\nX-Checksum: abc\r\n\r\n")
    feed = _poll(app, feed_server, "/raw/chunked")
    assert feed.last_error_code is None and feed.last_warning is None and _items() == 3


def test_a_304_nobody_asked_for_is_a_failure_said_in_persian(app, feed_server):
    feed_server.raw["unasked"] = _head("304 Not Modified")
    feed = _poll(app, feed_server, "/raw/unasked")
    _failed(feed, "http_error")
    assert feed.last_error_detail["key"] == "fetch.not_modified_unasked"


def test_a_304_without_validators_to_a_conditional_request_keeps_the_ones_sent(app, feed_server):
    feed_server.raw["asked"] = _head("304 Not Modified")
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32")
    feed = Feed(url=feed_server.url("/raw/asked"), title="", etag='"v1"')
    db.session.add(feed)
    db.session.commit()
    poll_feeds(app.config, feed_id=feed.id)
    db.session.refresh(feed)
    assert feed.last_error_code is None and feed.etag == '"v1"' and feed.last_status == 304
    assert feed_server.requests[-1].headers["if-none-match"] == '"v1"'


@pytest.mark.parametrize("headers", [("Content-Length: 0",), ("Transfer-Encoding: chunked",)])
def test_a_200_with_an_empty_body_is_said_empty(app, feed_server, headers):
    feed_server.raw["empty"] = _head("200 OK", "Content-Type: application/rss+xml", *headers) + (
        b"0\r\n\r\n" if "chunked" in headers[0] else b"")
    feed = _poll(app, feed_server, "/raw/empty")
    _failed(feed, "parse_empty")
    assert feed.last_error_detail["key"] == "parse.empty"


def test_gzip_inside_gzip_is_read_and_a_deflate_bomb_refused_unread(app, feed_server):
    twice = gzip.compress(gzip.compress(RSS))
    feed_server.raw["twice"] = _head("200 OK", "Content-Type: application/rss+xml", "Content-Encoding: gzip",
                                     f"Content-Length: {len(twice)}") + twice
    assert _poll(app, feed_server, "/raw/twice").last_error_code is None and _items() == 3
    for name, wbits in (("zlib-bomb", zlib.MAX_WBITS), ("raw-bomb", -zlib.MAX_WBITS), ("gzip-in-deflate", 31)):
        squeezer = zlib.compressobj(9, zlib.DEFLATED, wbits)
        bomb = squeezer.compress(b"<" + b"\0" * 40_000_000) + squeezer.flush()
        feed_server.raw[name] = _head("200 OK", "Content-Type: application/rss+xml", "Content-Encoding: deflate",
                                      f"Content-Length: {len(bomb)}") + bomb
        feed = _poll(app, feed_server, f"/raw/{name}", FEED_MAX_BYTES=2 * 2**20)
        _failed(feed, "too_large")


def test_a_redirect_loop_is_said_and_counted(app, feed_server):
    feed = _poll(app, feed_server, "/loop/a")
    _failed(feed, "redirect_loop")
    assert len(feed_server.requests) == 2


def test_a_redirect_chain_through_names_of_private_addresses_is_refused_at_the_first_such_hop(feed_server):
    """public.feeds.test (allowed by name) → relay.feeds.test (allowed by name) → sneaky.feeds.test (127.0.0.1, not
    allowed): refused before connecting to the third; a chain that starts on a private name not allowed: no socket."""
    third = feed_server.url("/feed.xml", host="sneaky.feeds.test")
    second = feed_server.url(f"/redirect?to={third}", host="relay.feeds.test")
    first = feed_server.url(f"/redirect?to={second}", host="public.feeds.test")
    allowed = ("public.feeds.test", "relay.feeds.test")
    with Fetcher(FetchPolicy(connect_timeout=2, read_timeout=2, total_timeout=4, allow_private=allowed),
                 resolver=test_tests_resolver) as fetcher:
        result = fetcher.fetch(first)
        assert_failed(result, "private_address")
        assert result.final_url == third and feed_server.connections == 2
        assert_failed(fetcher.fetch(third), "private_address")
    assert feed_server.connections == 2


@pytest.mark.parametrize("location, reached", [
    ("/feed .xml", "/feed%20.xml"), (" /feed.xml ", "/feed.xml"),
    ("/\u062e\u0628\u0631.xml", "/%D8%AE%D8%A8%D8%B1.xml"),
])
def test_a_location_with_spaces_or_persian_letters_is_followed_as_a_browser_does(app, feed_server, location, reached):
    """Browsers read a Location's bytes as UTF-8 and percent-encode what a URL may not hold."""
    feed_server.raw["moved"] = _head("302 Found", "Content-Length: 0").replace(
        b"\r\n\r\n", b"\r\nLocation: " + location.encode() + b"\r\n\r\n")
    feed = _poll(app, feed_server, "/raw/moved")
    assert feed_server.requests[-1].path == reached, feed_server.requests[-1].path
    if reached == "/feed.xml":
        assert feed.last_error_code is None and feed.last_status == 200
    else:  # the test server has no such page: said so, naming the address reached
        _failed(feed, "http_error")


def test_a_gzip_body_sent_as_deflate_is_read(app, feed_server):
    """«Content-Encoding: deflate» over gzip bytes (a server that names the algorithm, not the format): it was refused
    as «broken or unsupported compression: ask the site to send it uncompressed or with gzip», which it had done."""
    body = gzip.compress(RSS)
    feed_server.raw["mislabel"] = _head("200 OK", "Content-Type: application/rss+xml", "Content-Encoding: deflate",
                                        f"Content-Length: {len(body)}") + body
    feed = _poll(app, feed_server, "/raw/mislabel")
    assert feed.last_error_code is None, feed.last_error
    assert _items() == 3


def test_a_flood_of_interim_responses_is_refused_as_a_head_too_large(app, feed_server):
    """h11 bounds each head (100 KB), not their number: 200,000 «100 Continue» (5 MB) before the feed were all read,
    ~2 s of CPU here, and a server sending them without end held a poll's thread busy until the deadline (60 s). The
    heads of one response, interim ones included, now share the bound; a few interim responses (103 Early Hints)
    are read as before."""
    feed_server.raw["flood"] = (b"HTTP/1.1 100 Continue\r\n\r\n" * 200_000
                                + _head("200 OK", f"Content-Length: {len(RSS)}") + RSS)
    feed = _poll(app, feed_server, "/raw/flood")
    _failed(feed, "protocol_error")
    assert feed.last_error_detail["key"] == "fetch.headers_too_large" and _items() == 0
    feed_server.raw["hints"] = (_head("103 Early Hints", "Link: </style.css>; rel=preload") * 3
                                + _head("200 OK", f"Content-Length: {len(RSS)}") + RSS)
    hinted = _poll(app, feed_server, "/raw/hints")
    assert hinted.last_error_code is None and _items() == 3


@pytest.mark.parametrize("location", [b"/feed.xml\x01", b"\x02/feed.xml", b"/feed\t.xml"])
def test_control_characters_at_a_locations_ends_and_tabs_inside_are_dropped_as_browsers_do(app, feed_server, location):
    """WHATWG's URL drops C0 controls and spaces at an address's ends and tabs and newlines inside it: a browser went on
    to /feed.xml, where the feed was refused as «redirected to a wrong address», the character unseen in the message."""
    feed_server.raw["moved"] = b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\nLocation: " + location + b"\r\n\r\n"
    feed = _poll(app, feed_server, "/raw/moved")
    assert feed.last_error_code is None, feed.last_error
    assert feed_server.requests[-1].path == "/feed.xml"
