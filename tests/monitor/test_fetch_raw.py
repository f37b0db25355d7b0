"""Broken HTTP around a real feed (hostile feeds, round 15: ``bench/fuzz_http.py``), written byte for byte by
the real local feed server (``/raw/<name>``) and read by the real fetcher and parser: chunks of a size that is
no number, a stream that stops before its last chunk, lengths given twice or as words, a flood of headers, odd
status lines, a charset no codec has. None may crash or be said in English; a cut body is read as far as it goes."""
from __future__ import annotations

import gzip

import pytest

from app.monitor.fetch import Fetcher
from app.monitor.parse import FeedParseError, parse_feed

from .feed_server import SAMPLE_FEED
from .test_fetch import policy

XML = b"Content-Type: application/xml\r\nConnection: close\r\n"


def _chunks(body: bytes, size: int, size_text=lambda n: b"%x" % n, end: bytes = b"0\r\n\r\n") -> bytes:
    parts = [size_text(len(body[at:at + size])) + b"\r\n" + body[at:at + size] + b"\r\n"
             for at in range(0, len(body), size)]
    return b"".join(parts) + end


RAW = {
    "chunk-size-word": b"HTTP/1.1 200 OK\r\n" + XML + b"Transfer-Encoding: chunked\r\n\r\n"
                       + _chunks(SAMPLE_FEED, 500, size_text=lambda n: b"zz"),
    "chunk-size-huge": b"HTTP/1.1 200 OK\r\n" + XML + b"Transfer-Encoding: chunked\r\n\r\n"
                       + _chunks(SAMPLE_FEED, 500, size_text=lambda n: b"ffffffffffffffffff"),
    "chunks-no-end": b"HTTP/1.1 200 OK\r\n" + XML + b"Transfer-Encoding: chunked\r\n\r\n" + _chunks(SAMPLE_FEED, 700, end=b""),
    "chunks-cut": b"HTTP/1.1 200 OK\r\n" + XML + b"Transfer-Encoding: chunked\r\n\r\n"
                  + _chunks(SAMPLE_FEED, 700)[:len(SAMPLE_FEED) * 2 // 3],
    "chunk-extension": b"HTTP/1.1 200 OK\r\n" + XML + b"Transfer-Encoding: chunked\r\n\r\n"
                       + _chunks(SAMPLE_FEED, 700, size_text=lambda n: b"%x;name=value" % n),
    "chunked-and-length": b"HTTP/1.1 200 OK\r\n" + XML + b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                          + _chunks(SAMPLE_FEED, 700),
    "length-twice": b"HTTP/1.1 200 OK\r\n" + XML + b"Content-Length: %d\r\nContent-Length: 10\r\n\r\n" % len(SAMPLE_FEED)
                    + SAMPLE_FEED,
    "length-word": b"HTTP/1.1 200 OK\r\n" + XML + b"Content-Length: 1e3\r\n\r\n" + SAMPLE_FEED,
    "length-negative": b"HTTP/1.1 200 OK\r\n" + XML + b"Content-Length: -1\r\n\r\n" + SAMPLE_FEED,
    "length-billion": b"HTTP/1.1 200 OK\r\n" + XML + b"Content-Length: 1000000000\r\n\r\n" + SAMPLE_FEED,
    "header-flood": b"HTTP/1.1 200 OK\r\n" + XML + b"".join(b"X-%d: %s\r\n" % (n, b"v" * 100) for n in range(5000))
                    + b"\r\n" + SAMPLE_FEED,
    "status-no-reason": b"HTTP/1.1 200\r\n" + XML + b"\r\n" + SAMPLE_FEED,
    "status-icy": b"ICY 200 OK\r\n" + XML + b"\r\n" + SAMPLE_FEED,
    "status-999": b"HTTP/1.1 999 Odd\r\n" + XML + b"\r\n" + SAMPLE_FEED,
    "status-persian": b"HTTP/1.1 200 " + "خوب".encode() + b"\r\n" + XML + b"\r\n" + SAMPLE_FEED,
    "charset-unknown": b"HTTP/1.1 200 OK\r\nContent-Type: application/xml; charset=x-mac-arabic\r\nConnection: close\r\n\r\n"
                       + SAMPLE_FEED,
    "not-modified-unasked": b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n",
}
# «length-billion»: a Content-Length of 10⁹ on a 2 KB feed is a lie the bytes show; it was refused unread (round 16)
READ_WHOLE = {"chunk-extension", "chunked-and-length", "status-no-reason", "charset-unknown", "length-billion"}


def _persian(text: str | None) -> bool:
    return bool(text) and any("\u0600" <= c <= "\u06ff" for c in text)


@pytest.mark.parametrize("name", sorted(RAW))
def test_broken_http_is_read_or_refused_in_persian(feed_server, name):
    feed_server.raw[name] = RAW[name]
    whole = parse_feed(SAMPLE_FEED)
    with Fetcher(policy()) as fetcher:
        result = fetcher.fetch(feed_server.url(f"/raw/{name}"))
    if not result.ok:
        assert result.error_code != "internal_error" and _persian(result.error_message_fa), (result.error_code,
                                                                                              result.error_message_fa)
        assert name not in READ_WHOLE
        return
    try:
        parsed = parse_feed(result.body, headers=result.headers, base_url=result.final_url)
    except FeedParseError as refused:
        assert _persian(refused.message_fa) and name not in READ_WHOLE
        return
    if name in READ_WHOLE:
        assert [e.link for e in parsed.entries] == [e.link for e in whole.entries]
    else:
        assert [e.link for e in parsed.entries] == [e.link for e in whole.entries][:len(parsed.entries)]
    assert parsed.warning is None or _persian(parsed.warning)


def test_a_transfer_coding_not_asked_for_is_refused_and_said(feed_server):
    """«Transfer-Encoding: gzip, chunked» (round 16's note). HTTP/1.1 lets a server put codings before «chunked»
    only when the client asked for them (RFC 9110 §10.1.4, the «TE» header): the fetcher asks for none, as
    browsers do not, and Go's client refuses such an answer, as h11 does here. Not decoded; said as what it is
    («the answer was broken» told the desk nothing to pass on to the site), in Persian, the same on each poll."""
    feed_server.raw["te-gzip"] = (b"HTTP/1.1 200 OK\r\n" + XML + b"Transfer-Encoding: gzip, chunked\r\n\r\n"
                                  + _chunks(gzip.compress(SAMPLE_FEED), 700))
    with Fetcher(policy()) as fetcher:
        result = fetcher.fetch(feed_server.url("/raw/te-gzip"))
    assert (result.error_code, result.error_detail["key"]) == ("protocol_error", "fetch.transfer_coding")
    assert _persian(result.error_message_fa) and "کدگذاری انتقال" in result.error_message_fa
