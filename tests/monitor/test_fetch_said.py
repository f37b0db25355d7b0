"""HTTP answers said as what they are (hostile feeds, round 20), over the real local feed server and the real fetcher
and parser: a plain feed under «Content-Encoding: br» (a compression never asked for) was refused as «the response's
compression is broken or unsupported», as a brotli body is; a 304 to a request that asked no condition was «the
server gave error 304»; a head of more than 100 KB «the answer was incomplete or invalid»; a 401 «the server refuses
this feed (perhaps it closed the worker's address)»; a login page in the feed's place «an HTML page» and no more."""
from __future__ import annotations

import gzip

import pytest

from app.monitor.fetch import Fetcher, fetch
from app.monitor.parse import FeedParseError, parse_feed

from .feed_server import CUT_FEED_ITEMS, SAMPLE_FEED
from .test_fetch import assert_failed, policy

HEAD = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/rss+xml\r\n"
LOGIN = (b'<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/login">'
         b'<input name="user"><input class="field" type="password" name="pass"><button>Log in</button></form></body></html>')
LOGIN_FA = ("<!DOCTYPE html><html lang=fa dir=rtl><head><meta charset=utf-8><title>ورود به سامانه</title></head><body>"
            "<form method=post><input name=u><INPUT TYPE=PASSWORD name=p><button>ورود</button></form></body></html>").encode()


def _read(feed_server, path: str):
    with Fetcher(policy()) as fetcher:
        return fetcher.fetch(feed_server.url(path))


@pytest.mark.parametrize("coding", ["br", "zstd", "compress"])
def test_a_plain_feed_under_a_compression_not_asked_for_is_read_and_a_compressed_one_named(feed_server, coding):
    """Markup sent plain under «br» is read as under «gzip» (the server's label, not its bytes); a body that is no
    markup under it is refused naming the compression, in Persian, as one the worker does not ask for nor read."""
    feed_server.raw["plain"] = HEAD + f"Content-Encoding: {coding}\r\n\r\n".encode() + SAMPLE_FEED
    feed_server.raw["packed"] = HEAD + f"Content-Encoding: {coding}\r\n\r\n".encode() + b"\x1b\x8f\x04\x00" + bytes(range(256))
    result = _read(feed_server, "/raw/plain")
    assert result.ok, result.error_message_fa
    assert [e.link for e in parse_feed(result.body).entries] == [e.link for e in parse_feed(SAMPLE_FEED).entries]
    assert_failed(_read(feed_server, "/raw/packed"), "decoding_error", f"«{coding}»", "نخواسته بود")


def test_a_compression_not_asked_for_after_gzip_is_refused_naming_it(feed_server):
    feed_server.raw["stacked"] = HEAD + b"Content-Encoding: gzip, br\r\n\r\n" + gzip.compress(SAMPLE_FEED)
    assert_failed(_read(feed_server, "/raw/stacked"), "decoding_error", "«br»")


def test_a_304_to_a_request_that_asked_no_condition_says_not_modified_unasked(feed_server):
    result = fetch(feed_server.url("/304-always"), policy=policy())
    assert_failed(result, "http_error", "۳۰۴", "تغییری نکرده", "نسخهٔ پیشینی")
    assert result.error_detail["key"] == "fetch.not_modified_unasked"


@pytest.mark.parametrize("head", [b"X-Big: " + b"v" * 200_000 + b"\r\n",
                                  b"".join(b"Set-Cookie: c%d=%s\r\n" % (n, b"v" * 4000) for n in range(60))])
def test_a_head_over_the_limit_is_said_as_one(feed_server, head):
    """One header of 200 KB, or 60 cookies of 4 KB: past httpcore's 100 KB for a response's head."""
    feed_server.raw["big-head"] = HEAD + head + b"\r\n" + SAMPLE_FEED
    result = _read(feed_server, "/raw/big-head")
    assert_failed(result, "protocol_error", "سرآیند", "۱۰۰ کیلوبایت")


def test_a_401_says_the_feed_asks_for_a_login(feed_server):
    feed_server.raw["401"] = (b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"members\"\r\n"
                              b"Content-Length: 0\r\nConnection: close\r\n\r\n")
    assert_failed(_read(feed_server, "/raw/401"), "http_error", "۴۰۱", "گذرواژه")


@pytest.mark.parametrize("page", [LOGIN, LOGIN_FA])
def test_a_login_page_in_the_feeds_place_is_said_as_one(feed_server, page):
    """Served with 200 at the feed's address, or after a redirect to «/login»: refused as a page (as before), said as
    a login page. A page without a password field is said as before; one that names its feed says that feed."""
    feed_server.raw["login"] = (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
                                + b"Content-Length: %d\r\n\r\n" % len(page) + page)
    feed_server.raw["to-login"] = b"HTTP/1.1 302 Found\r\nLocation: /raw/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    for path in ("/raw/login", "/raw/to-login"):
        result = _read(feed_server, path)
        assert result.ok
        with pytest.raises(FeedParseError) as refused:
            parse_feed(result.body, headers=result.headers, base_url=result.final_url)
        assert refused.value.code == "html" and "صفحهٔ ورود" in refused.value.message_fa
    with pytest.raises(FeedParseError) as plain:
        parse_feed(page.replace(b"password", b"text").replace(b"PASSWORD", b"TEXT"))
    assert plain.value.code == "html" and "صفحهٔ ورود" not in plain.value.message_fa
    named = page.replace(b"</head>", b'<link rel="alternate" type="application/rss+xml" href="https://news.example/rss"></head>')
    with pytest.raises(FeedParseError) as feed_named:
        parse_feed(named)
    assert "https://news.example/rss" in feed_named.value.message_fa


def test_a_password_field_is_looked_for_in_linear_time():
    """«<input» 20,000 times with no «>» (the pattern's attributes bounded to 500 characters): refused as a page."""
    with pytest.raises(FeedParseError) as refused:
        parse_feed(b"<html><body>" + b"<input type=text " * 20_000)
    assert refused.value.code == "html"


@pytest.mark.parametrize("query", ["stall=10", "stall=10&length=1", "stall=10&gzip=1"])
def test_a_server_that_stalls_after_whole_items_gives_them(feed_server, query):
    """Three whole items and half a fourth, then nothing, the connection held open (an overloaded server): the three
    were lost as «the server's answer timed out», on every poll, where the same bytes with the connection closed are
    read as a cut document. Read so now, with the cut said (``warning.truncated``)."""
    with Fetcher(policy()) as fetcher:
        result = fetcher.fetch(feed_server.url(f"/cut-utf8.xml?{query}"))
    assert result.ok, result.error_message_fa
    feed = parse_feed(result.body, headers=result.headers, base_url=result.final_url)
    assert [e.title for e in feed.entries] == [title for _, title in CUT_FEED_ITEMS[:3]]
    assert feed.warning_detail["key"] == "warning.truncated"


def test_a_server_that_stalls_before_any_whole_item_still_times_out(feed_server):
    """A few bytes and no whole item (a trickle): said as the timeout it is, not as a cut document of nothing."""
    result = fetch(feed_server.url("/silent"), policy=policy())
    assert_failed(result, "timeout")
    # the channel's head and half its first item, then nothing (a review of round 20: only a body of no byte was
    # tried, and any «</…>» taken as an entry's end would have passed)
    assert_failed(fetch(feed_server.url("/cut-utf8.xml?stall=10&half=1"), policy=policy()), "timeout")
