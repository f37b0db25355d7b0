"""A real HTTP feed server on 127.0.0.1 for the monitor tests: good feeds and every bad habit.

`feed_server` (a pytest fixture) gives a running `FeedServer` with an empty request log.
Routes (all GET):

    /feed.xml, /feeds/<any>.xml   the sample RSS, ETag and Last-Modified, 304 when conditional
    /gzip/feed.xml                the same, gzip-encoded; /deflate/feed.xml (zlib), /raw-deflate/…
    /gzip-members/feed.xml        the same as three gzip members one after another (RFC 1952 allows
                                  it; `cat a.gz b.gz` and some servers' streaming make it)
    /gzip-gzip/feed.xml           gzip over gzip, «Content-Encoding: gzip, gzip»; /deflate-gzip/… «deflate,
                                  gzip»; /identity-gzip/… «identity, gzip»; /gzip-bomb-inside: a bomb under gzip
    /coding?header=H&gzips=N      the sample RSS gzip-compressed N times (0: as it is), sent with «Content-Encoding: H»
                                  (none when H is empty): a server's mislabels («UTF-8», gzip over plain text, a
                                  body compressed twice under one «gzip», a .gz file with no coding at all);
                                  `&lead=L`: L (blanks, a byte-order mark) sent first, a chunk of its own, then the body
    /status/<code>                that status, a short body
    /429, /429-date               429 with Retry-After: 120 / an HTTP date 120 s ahead
    /429-any?after=V              429 with Retry-After: V (any text, sent as Latin-1 bytes, else UTF-8)
    /304-always                   304 Not Modified to every request, conditional or not
    /validators?etag=V&lm=V       the sample RSS with that ETag and Last-Modified (UTF-8 bytes, as some
                                  localized servers write them)
    /charset?label=L              the sample RSS (UTF-8) served as «charset=L»
    /503-retry                    503 with Retry-After: 300
    /loop/a, /loop/b              a → b → a …
    /chain/<n>                    n relative 301 redirects, then the feed
    /redirect?to=URL[&status=302] one redirect to any URL; /redirect-no-location
    /silent                       headers, then nothing (a read timeout)
    /trickle                      headers, then one byte every 0.1 s (only a deadline stops it)
    /trickle-headers              the status line itself, one byte every 0.1 s
    /bomb                         ~30 MB of zeros gzip-compressed to ~30 KB (built once)
    /big?size=N                   N bytes with Content-Length; /big-chunked?size=N without it
    /corrupt-gzip                 Content-Encoding: gzip over bytes that are not gzip
    /short-body                   Content-Length: 1000, ten bytes, then the connection closes
    /not-http                     a reply that is not HTTP at all
    /overrun                      the sample RSS, then a whole second response (a fake feed) past its
                                  Content-Length, on a connection kept open
    /page.html, /truncated.xml, /billion-laughs.xml   the fixtures of tests/data/feeds
    /crowded-tag.xml              an RSS item of 60,000 attributes (650 KB; feedparser took 58 s)
    /cut-utf8.xml                 a Persian feed (declared UTF-8, links without GUIDs) whose server
                                  dies inside a two-byte character of its fourth item: no length,
                                  the connection closes; the whole feed once `server.cut_feed_whole`;
                                  `?length=1`: with the whole document's Content-Length (a lie), `&gzip=1`
                                  gzip-encoded (the compressed bytes cut where the cut document ends);
                                  `&stall=S`: the connection held open S seconds after the cut; `&half=1`:
                                  cut inside the first item
    /cut-leads.xml?cut=1,3        a Persian feed whose CMS cut those items' leads inside their CDATA («]]>»
                                  lost): each swallows the item after it; the last one's runs to the end
    /concurrent                   waits at `server.barrier`; counts concurrent requests per host
    /doc/<name>                   `server.documents[name]`: (body, Content-Type) a test put there
    /raw/<name>                   `server.raw[name]`: bytes written as the whole response (status line,
                                  headers and all: a lying length, broken chunks), then the connection closes
    /drip/<name>?every=S&from=N   `server.raw[name]` likewise, its first N bytes at once, then one byte every S seconds

Every request is recorded (`server.requests`, with lower-case header names) and every accepted
connection counted (`server.connections`), so tests can prove what was, or was not, sent.
"""
from __future__ import annotations

import gzip
import socket
import ssl
import threading
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

FEEDS_DIR = Path(__file__).resolve().parent.parent / "data" / "feeds"
SAMPLE_FEED = (FEEDS_DIR / "sample-fa.rss").read_bytes()
FEED_ETAG = '"sample-fa-v1"'
FEED_LAST_MODIFIED = "Mon, 24 Nov 2025 07:00:00 GMT"
RSS_TYPE = "application/rss+xml; charset=utf-8"
CUT_FEED_ITEMS = (  # (Persian slug of the link, title)
    ("نشست-خبری-استاندار", "نشست خبری استاندار دربارهٔ کم‌آبی"),
    ("بازدید-مدیرکل-راه", "بازدید مدیرکل راه و شهرسازی از پروژه‌های جاده‌ای"),
    ("افتتاح-بیمارستان", "افتتاح بیمارستان تازهٔ شهرستان"),
    ("جدول-خاموشی", "جدول خاموشی‌های هفتهٔ آینده"),
)


def cut_feed_whole() -> bytes:
    """The complete Persian feed behind /cut-utf8.xml."""
    items = "".join(f"<item><title>{title}</title><link>https://ostan.example.ir/fa/news/{n}/{slug}</link>"
                    f"<description>متن خبر {title}</description></item>"
                    for n, (slug, title) in enumerate(CUT_FEED_ITEMS, 1))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>خبرگزاری استان</title>'
            f"<link>https://ostan.example.ir/</link>{items}</channel></rss>").encode()


def crowded_tag_feed(attributes: int = 60_000) -> bytes:
    """An RSS feed whose one item carries ``attributes`` attributes (a review of hostile feeds)."""
    crowded = " ".join(f'a{n}="1"' for n in range(attributes))
    return (f'<rss version="2.0"><channel><title>x</title><item {crowded}><title>خبر</title><guid>at-1</guid>'
            "</item></channel></rss>").encode()


CUT_LEAD_ITEMS = (  # (title, lead); the leads of the first and third are cut after 30 characters
    ("استاندار از پروژهٔ آبرسانی بازدید کرد", "استاندار امروز از پروژهٔ آبرسانی به روستاهای شمال استان بازدید کرد و گفت"),
    ("جادهٔ کوهستانی بازگشایی شد", "جادهٔ کوهستانی پس از سه روز بازگشایی شد."),
    ("نشست شورای سلامت استان برگزار شد", "نشست شورای سلامت استان با حضور معاون استاندار برگزار شد و تصمیم گرفت"),
    ("نمایشگاه کتاب استان گشایش یافت", "نمایشگاه کتاب استان با حضور ناشران گشایش یافت."),
)


def cut_leads_feed(cut: tuple[int, ...] = (1, 3)) -> bytes:
    """The feed behind /cut-leads.xml: every lead in CDATA, those of the items ``cut`` (1-based) cut
    with their «]]>»."""
    items = "".join(f"<item><guid>https://ostan.example.ir/news/{n}</guid><title>{title}</title>"
                    f"<link>https://ostan.example.ir/news/{n}</link><description><![CDATA[<p>"
                    + (f"{lead[:30]}</description>" if n in cut else f"{lead}</p>]]></description>")
                    + "</item>" for n, (title, lead) in enumerate(CUT_LEAD_ITEMS, 1))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>پایگاه خبری استان</title>'
            f"<link>https://ostan.example.ir/</link>{items}</channel></rss>").encode()


CUT_FEED_WHOLE = cut_feed_whole()
CUT_FEED_ETAG = '"cut-v1"'
# Inside the fourth item's title, after the first byte of «ش» (a two-byte character).
CUT_FEED = CUT_FEED_WHOLE[:CUT_FEED_WHOLE.index("خاموشی".encode()) + len("خامو".encode()) + 1]
STATIC = {
    "/page.html": ("not-a-feed.html", "text/html; charset=utf-8"),
    "/truncated.xml": ("truncated.xml", "application/xml"),
    "/billion-laughs.xml": ("billion-laughs.xml", "application/rss+xml"),
}


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    host: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FeedServer

    def verify_request(self, request, client_address) -> bool:
        with self.owner.lock:
            self.owner.connections += 1
        return True

    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up mid-response are the point of several routes


class FeedServer:
    def __init__(self, ssl_context: ssl.SSLContext | None = None):
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self.connections = 0
        self.barrier: threading.Barrier | None = None
        self.barrier_broken = False
        self.cut_feed_whole = False
        self.sessions = 0  # the session ids /session-feed.xml gave
        self.active: dict[str, int] = {}
        self.documents: dict[str, tuple[bytes, str]] = {}
        self.raw: dict[str, bytes] = {}
        self.max_active: dict[str, int] = {}
        self.bomb = gzip.compress(b"\0" * 30_000_000, 9)
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        self.scheme = "https" if ssl_context else "http"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.connections = 0
            self.barrier, self.barrier_broken = None, False
            self.cut_feed_whole = False
            self.active.clear()
            self.max_active.clear()
            self.documents.clear()
            self.raw.clear()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        with owner.lock:
            owner.requests.append(RecordedRequest(self.path, headers,
                                                  headers.get("host", "").rsplit(":", 1)[0]))
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        if path == "/feed.xml" or (path.startswith("/feeds/") and path.endswith(".xml")):
            return self._feed()
        if path in ("/gzip/feed.xml", "/deflate/feed.xml", "/raw-deflate/feed.xml", "/gzip-members/feed.xml",
                    "/gzip-gzip/feed.xml", "/deflate-gzip/feed.xml", "/identity-gzip/feed.xml"):
            return self._encoded_feed(path.split("/")[1])
        if path.startswith("/doc/") and path[5:] in owner.documents:
            body, content_type = owner.documents[path[5:]]
            return self._send(200, body, content_type)
        if path.startswith("/raw/") and path[5:] in owner.raw:
            self.close_connection = True
            self.wfile.write(owner.raw[path[5:]])
            return None
        if path.startswith("/drip/") and path[6:] in owner.raw:
            data, start = owner.raw[path[6:]], int(query.get("from", 0))
            self.wfile.write(data[:start])
            self.wfile.flush()
            return self._drip(data[start:], owner, float(query.get("every", 1)))
        if path in STATIC:
            name, content_type = STATIC[path]
            return self._send(200, (FEEDS_DIR / name).read_bytes(), content_type)
        if path == "/coding":
            body = SAMPLE_FEED
            for _ in range(int(query.get("gzips", 0))):
                body = gzip.compress(body)
            coding = {"Content-Encoding": query["header"]} if query.get("header") else {}
            if "lead" in query:  # its own network chunk, the body's after a pause
                lead = query["lead"].encode("latin-1")
                self._head(200, RSS_TYPE, {"Content-Length": str(len(lead) + len(body)), **coding})
                self.wfile.write(lead)
                self.wfile.flush()
                owner.stopping.wait(0.05)
                self.wfile.write(body)
                return None
            return self._send(200, body, RSS_TYPE, coding)
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self._send(code, f"status {code}\n".encode(), "text/plain")
        if path == "/429":
            return self._send(429, b"slow down\n", "text/plain", {"Retry-After": "120"})
        if path == "/429-date":
            when = format_datetime(datetime.now(UTC) + timedelta(seconds=120),
                                   usegmt=True)
            return self._send(429, b"slow down\n", "text/plain", {"Retry-After": when})
        if path == "/validators":  # the header values' UTF-8 bytes, as latin-1 text for send_header
            extra = {name: query[key].encode("utf-8").decode("latin-1")
                     for key, name in (("etag", "ETag"), ("lm", "Last-Modified")) if key in query}
            return self._send(200, SAMPLE_FEED, RSS_TYPE, extra)
        if path == "/304-always":  # "not modified", asked or not
            return self._send(304, b"", "text/plain")
        if path == "/429-any":  # Retry-After: the query's «after», sent as Latin-1 bytes («²» is 0xB2)
            after = query["after"]
            if not all(ord(c) < 256 for c in after):  # «۱۲۰»: its UTF-8 bytes
                after = after.encode("utf-8").decode("latin-1")
            return self._send(429, b"slow down\n", "text/plain", {"Retry-After": after})
        if path == "/charset":
            return self._send(200, SAMPLE_FEED, f"application/rss+xml; charset={query['label']}")
        if path == "/503-retry":
            return self._send(503, b"maintenance\n", "text/plain", {"Retry-After": "300"})
        if path in ("/loop/a", "/loop/b"):
            return self._redirect(302, "/loop/b" if path.endswith("a") else "/loop/a")
        if path.startswith("/chain/"):
            hops = int(path.rsplit("/", 1)[1])
            return self._redirect(301, f"{hops - 1}") if hops > 0 else self._feed()
        if path == "/session-feed.xml":  # a server that sends each new visitor to its session's address, for good
            with owner.lock:
                if query.get("PHPSESSID") != f"s{owner.sessions}" or not owner.sessions:
                    owner.sessions += 1
                    return self._redirect(301, f"/session-feed.xml?PHPSESSID=s{owner.sessions}&utm_source=rss")
            return self._feed()
        if path == "/redirect":
            return self._redirect(int(query.get("status", 302)), query["to"])
        if path == "/redirect-no-location":
            return self._send(302, b"", "text/plain")
        if path == "/crowded-tag.xml":
            return self._send(200, crowded_tag_feed(), RSS_TYPE)
        if path == "/cut-utf8.xml":
            return self._cut_feed(owner, query)
        if path == "/cut-leads.xml":
            cut = tuple(int(n) for n in query.get("cut", "1,3").split(","))
            return self._send(200, cut_leads_feed(cut), RSS_TYPE)
        if path == "/concurrent":
            return self._concurrent(owner)
        if path == "/bomb":
            return self._send(200, owner.bomb, "application/rss+xml",
                              {"Content-Encoding": "gzip"})
        if path == "/gzip-bomb-inside":  # the bomb compressed again: ~30 KB on the wire, ~30 MB inside
            return self._send(200, gzip.compress(owner.bomb), "application/rss+xml", {"Content-Encoding": "gzip, gzip"})
        if path == "/corrupt-gzip":
            return self._send(200, b"this is not gzip at all" * 10, "application/rss+xml",
                              {"Content-Encoding": "gzip"})
        if path == "/big":
            return self._send(200, b"<" + b"x" * (int(query["size"]) - 1), "application/xml")
        if path == "/big-chunked":
            return self._chunked(int(query["size"]))
        return self._misbehave(path, owner)

    def _misbehave(self, path: str, owner: FeedServer) -> None:
        if path == "/silent":
            self._head(200, "application/rss+xml", {"Content-Length": "100"})
            owner.stopping.wait(10)
        elif path == "/trickle":
            self._head(200, "application/rss+xml", {"Content-Length": "100000"})
            self._drip(b"x" * 100000, owner)
        elif path == "/trickle-headers":
            self._drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 5000 + b"\r\n\r\n", owner)
        elif path == "/short-body":
            self._head(200, "application/rss+xml", {"Content-Length": "1000"})
            self.wfile.write(b"<rss>short")
            self.close_connection = True
        elif path == "/overrun":  # the feed, then a whole second response past its Content-Length
            fake = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>fake</title><item><title>"
                    b"injected</title><link>https://fake.example/1</link></item></channel></rss>")
            self._head(200, RSS_TYPE, {"Content-Length": str(len(SAMPLE_FEED))})
            self.wfile.write(SAMPLE_FEED + b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                             + f"Content-Length: {len(fake)}\r\n\r\n".encode() + fake)
        elif path == "/not-http":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\nthis is not an HTTP reply\r\n")
            self.close_connection = True
        else:
            self._send(404, b"not found\n", "text/plain")

    def _head(self, status: int, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, status: int, body: bytes, content_type: str,
              extra: dict[str, str] | None = None) -> None:
        self._head(status, content_type, {"Content-Length": str(len(body)), **(extra or {})})
        self.wfile.write(body)

    def _drip(self, data: bytes, owner: FeedServer, every: float = 0.1) -> None:
        try:
            for i in range(len(data)):
                if owner.stopping.wait(every):
                    break
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
        except OSError:
            pass  # the client gave up, as it should
        self.close_connection = True

    def _feed(self) -> None:
        validators = {"ETag": FEED_ETAG, "Last-Modified": FEED_LAST_MODIFIED}
        if (self.headers.get("If-None-Match") == FEED_ETAG
                or self.headers.get("If-Modified-Since") == FEED_LAST_MODIFIED):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self._send(200, SAMPLE_FEED, RSS_TYPE, validators)

    def _encoded_feed(self, kind: str) -> None:
        if kind == "gzip":
            body, encoding = gzip.compress(SAMPLE_FEED), "gzip"
        elif kind == "gzip-members":
            third = len(SAMPLE_FEED) // 3
            parts = (SAMPLE_FEED[:third], SAMPLE_FEED[third:2 * third], SAMPLE_FEED[2 * third:])
            body, encoding = b"".join(map(gzip.compress, parts)), "gzip"
        elif kind == "gzip-gzip":
            body, encoding = gzip.compress(gzip.compress(SAMPLE_FEED)), "gzip, gzip"
        elif kind == "deflate-gzip":
            body, encoding = gzip.compress(zlib.compress(SAMPLE_FEED)), "deflate, gzip"
        elif kind == "identity-gzip":
            body, encoding = gzip.compress(SAMPLE_FEED), "identity, gzip"
        else:
            packer = zlib.compressobj(wbits=zlib.MAX_WBITS if kind == "deflate" else -15)
            body, encoding = packer.compress(SAMPLE_FEED) + packer.flush(), "deflate"
        self._send(200, body, RSS_TYPE, {"Content-Encoding": encoding})

    def _cut_feed(self, owner: FeedServer, query: dict[str, str]) -> None:
        # One version of the document, cut or whole, under one ETag: asked with it, "not modified".
        if self.headers.get("If-None-Match") == CUT_FEED_ETAG:
            return self._send(304, b"", "application/xml", {"ETag": CUT_FEED_ETAG})
        if owner.cut_feed_whole:
            return self._send(200, CUT_FEED_WHOLE, "application/xml", {"ETag": CUT_FEED_ETAG})
        # the body ends where the connection does
        whole, cut, headers = CUT_FEED_WHOLE, CUT_FEED, {"Connection": "close", "ETag": CUT_FEED_ETAG}
        if query.get("half"):  # the channel's head and half its first item: no whole item
            cut = CUT_FEED[:CUT_FEED.index(b"<item") + 40]
        if query.get("gzip"):  # flushed where the cut is, so that the bytes sent decode to the cut document
            packer = zlib.compressobj(wbits=31)
            cut = packer.compress(CUT_FEED) + packer.flush(zlib.Z_SYNC_FLUSH)
            whole = cut + packer.compress(CUT_FEED_WHOLE[len(CUT_FEED):]) + packer.flush()
            headers["Content-Encoding"] = "gzip"
        if query.get("length"):  # the length of the whole: the server promised it, then died
            headers["Content-Length"] = str(len(whole))
        if query.get("stall"):  # the cut's bytes, then nothing: the connection held open (hostile feeds, round 20)
            headers.pop("Connection")
        self._head(200, "application/xml", headers)
        self.wfile.write(cut)
        if query.get("stall"):
            self.wfile.flush()
            owner.stopping.wait(float(query["stall"]))
        self.close_connection = True

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"", "text/plain", {"Location": location})

    def _chunked(self, size: int) -> None:
        self._head(200, "application/xml", {"Transfer-Encoding": "chunked"})
        block = b"y" * 65536
        try:
            for start in range(0, size, len(block)):
                piece = block[:min(len(block), size - start)]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True

    def _concurrent(self, owner: FeedServer) -> None:
        host = self.headers.get("Host", "").rsplit(":", 1)[0]
        with owner.lock:
            owner.active[host] = owner.active.get(host, 0) + 1
            owner.max_active[host] = max(owner.max_active.get(host, 0), owner.active[host])
            barrier = owner.barrier
        try:
            if barrier is not None:
                barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            owner.barrier_broken = True
        finally:
            with owner.lock:
                owner.active[host] -= 1
        self._feed()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def feed_server_session():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def feed_server(feed_server_session):
    """The running feed server with an empty request log."""
    feed_server_session.reset()
    yield feed_server_session
    feed_server_session.reset()
