"""A local HTTP server with many generated Persian feeds (tests of polling, the SIGKILL test, bench).

`/farm/<n>.xml` is feed n: `items` entries with GUIDs `farm-<n>-<i>`, distinct Persian text
(random words from a fixed vocabulary, seeded by n and i, so runs are reproducible), an ETag and
Last-Modified, 304 on a matching conditional request. `changed` holds feed numbers whose content
moves on (new ETag, one more item) and `delay` slows every answer down.
"""
from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = ["استان", "شهر", "آب", "برق", "گاز", "جاده", "راه", "مدرسه", "بیمارستان", "دانشگاه", "کشاورزی", "باران", "برف", "سیل", "خشکسالی", "پروژه", "افتتاح", "بازدید", "نشست", "خبری", "مدیرکل", "فرماندار", "استاندار", "شورا", "شهرداری", "بودجه", "اعتبار", "میلیارد", "ریال", "تومان", "کارگران", "کارخانه", "صنعت", "معدن", "تجارت", "صادرات", "واردات", "قیمت", "بازار", "نان", "گوشت", "مرغ", "برنج", "روغن", "ترافیک", "تصادف", "پل", "تونل", "بزرگراه", "اتوبوس", "مترو", "قطار", "فرودگاه", "پرواز", "گردشگری", "میراث", "موزه", "کتابخانه", "ورزش", "فوتبال", "والیبال", "کشتی", "قهرمانی", "جوانان", "زنان", "کودکان", "سالمندان", "بهزیستی", "کمیته", "امداد", "مسکن", "اجاره", "وام", "بانک", "بیمه", "مالیات", "گمرک", "انتخابات", "نماینده", "مجلس", "دولت", "وزیر", "معاون", "رئیس", "اداره", "سازمان", "شبکه", "اینترنت", "تلفن", "همراه", "سامانه", "خدمات", "الکترونیک", "آلودگی", "هوا", "پسماند", "فاضلاب", "تصفیه", "سد", "چاه", "قنات", "جنگل", "مرتع", "محیط", "زیست", "شکار", "پرنده", "ماهی", "دریا", "ساحل", "بندر", "کشتی", "اسکله", "روستا", "دهیاری", "عشایر", "دام", "باغ"]


def feed_xml(n: int, items: int, version: int = 0) -> bytes:
    """Feed n: `items` + version entries, newest first, fixed dates (reproducible)."""
    base = datetime(2025, 11, 20, tzinfo=UTC)
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             f"<title>خوراک آزمایشی {n}</title><link>https://farm{n % 50}.example.ir/</link>"
             f"<description>خوراک ساختگی</description>"]
    for i in reversed(range(items + version)):
        rng = random.Random(n * 100_003 + i)
        title = " ".join(rng.choice(WORDS) for _ in range(8))
        body = " ".join(rng.choice(WORDS) for _ in range(40))
        when = format_datetime(base + timedelta(minutes=n * 7 + i * 13), usegmt=True)
        parts.append(f"<item><title>{title} {n}-{i}</title><link>https://farm{n % 50}.example.ir/n/{n}/{i}</link>"
                     f'<guid isPermaLink="false">farm-{n}-{i}</guid><pubDate>{when}</pubDate>'
                     f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args) -> None:
        pass

    def do_GET(self) -> None:
        farm = self.server.farm
        farm.count()
        path = self.path.split("?", 1)[0]
        if not (path.startswith("/farm/") and path.endswith(".xml")):
            return self._send(404, b"not found\n", {})
        try:
            n = int(path[len("/farm/"):-len(".xml")])
        except ValueError:
            return self._send(404, b"not found\n", {})
        if farm.delay:
            time.sleep(farm.delay)
        version = 1 if n in farm.changed else 0
        etag = f'"farm-{n}-v{version}"'
        last_modified = format_datetime(datetime(2025, 11, 24, 7, version, tzinfo=UTC), usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified}
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", headers)
        self._send(200, farm.body(n, version), {**headers, "Content-Type": "application/rss+xml; charset=utf-8"})

    def _send(self, status: int, body: bytes, headers: dict) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    farm: FeedFarm

    def handle_error(self, request, client_address) -> None:
        pass  # a killed client hangs up mid-response: that is the point of some tests


class FeedFarm:
    def __init__(self, items: int = 50, delay: float = 0.0):
        self.items, self.delay = items, delay
        self.changed: set[int] = set()
        self.requests = 0
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, int], bytes] = {}
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.farm = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def start(self) -> FeedFarm:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def count(self) -> None:
        with self._lock:
            self.requests += 1

    def body(self, n: int, version: int) -> bytes:
        with self._lock:
            if (n, version) not in self._cache:
                self._cache[(n, version)] = feed_xml(n, self.items, version)
            return self._cache[(n, version)]

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.port}/farm/{n}.xml"

    def etag(self, n: int, version: int = 0) -> str:
        return f'"farm-{n}-v{version}"'
