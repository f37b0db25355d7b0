"""A CDN's browser check in place of the feed, over a real local HTTP server (hostile feeds, round 19): Cloudflare's
«Just a moment...» page with 403, a Persian «در حال بررسی مرورگر» page with 503 (gzip-encoded, as ArvanCloud's
answers are described: not a captured page), and the same with 200. Each was said as «the server refuses this
feed (perhaps it closed the worker's address)», «the server is down» or «an HTML page in place of the feed»."""
from __future__ import annotations

import gzip

import pytest

from app.monitor.fetch import fetch
from app.monitor.parse import FeedParseError, parse_feed

from .test_fetch import assert_failed, policy

# Cloudflare's managed challenge as it answers a client that runs no script (shortened; markers as served)
CLOUDFLARE = (b'<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" '
              b'content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow"></head><body class="no-js">'
              b'<div class="main-wrapper" role="main"><noscript><span id="challenge-error-text">Enable JavaScript and '
              b'cookies to continue</span></noscript></div><script>(function(){window._cf_chl_opt={cvId: \'3\',cZone: '
              b'"news.example",cType: \'managed\'};var cpo=document.createElement(\'script\');cpo.src=\'/cdn-cgi/'
              b'challenge-platform/h/g/orchestrate/chl_page/v1?ray=8e1f\';document.head.appendChild(cpo);}());</script>'
              b'</body></html>')
ARVAN = ('<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>لطفاً صبر کنید</title>'
         '</head><body><h1>در حال بررسی مرورگر شما</h1>'
         '<p>این فرایند خودکار است و چند ثانیه طول می‌کشد.</p><footer>ArvanCloud</footer></body></html>').encode()
FORBIDDEN = b"<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr>nginx</body></html>"


def _raw(status: str, body: bytes, *headers: str) -> bytes:
    head = "".join(f"{h}\r\n" for h in (*headers, "Content-Type: text/html; charset=UTF-8", f"Content-Length: {len(body)}"))
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


@pytest.mark.parametrize(("status", "body", "headers", "says"), [
    ("403 Forbidden", CLOUDFLARE, ("Server: cloudflare", "cf-mitigated: challenge"), "Cloudflare"),
    ("503 Service Unavailable", gzip.compress(ARVAN), ("Server: ArvanCloud", "Content-Encoding: gzip"), "ArvanCloud"),
    ("403 Forbidden", CLOUDFLARE.replace(b"_cf_chl_opt", b"_opt").replace(b"challenge-platform", b"x"), (), "بررسی مرورگر"),
    # Cloudflare's header on every challenge it answers, whatever the page's markup (a page changed, or not HTML)
    ("403 Forbidden", b"<html><body><div id=cf-wrapper></div></body></html>", ("cf-mitigated: challenge",), "Cloudflare"),
])
def test_a_cdns_browser_check_with_an_error_status_is_said_as_one(feed_server, status, body, headers, says):
    feed_server.raw["check"] = _raw(status, body, *headers)
    result = fetch(feed_server.url("/raw/check"), policy=policy())
    assert_failed(result, "http_error", "بررسی مرورگر", says, "معاف")
    assert "نشانی کارگزار" not in result.error_message_fa  # not «perhaps it closed the worker's address»


def test_a_plain_403_or_503_page_is_said_as_before(feed_server):
    feed_server.raw["denied"] = _raw("403 Forbidden", FORBIDDEN, "Server: cloudflare")
    assert_failed(fetch(feed_server.url("/raw/denied"), policy=policy()), "http_error", "نشانی کارگزار")
    feed_server.raw["down"] = _raw("503 Service Unavailable", b"<html><body>Error 503 - ArvanCloud</body></html>")
    result = fetch(feed_server.url("/raw/down"), policy=policy())
    assert_failed(result, "http_error", "خطا از خود سرور")


@pytest.mark.parametrize(("page", "says"), [(CLOUDFLARE, "Cloudflare"), (ARVAN, "ArvanCloud")])
def test_a_cdns_browser_check_served_with_200_is_said_as_one(page, says):
    with pytest.raises(FeedParseError) as refused:
        parse_feed(page)
    assert refused.value.code == "html" and "بررسی مرورگر" in refused.value.message_fa and says in refused.value.message_fa


# A news site's article ABOUT such checks, its words quoted (a review of round 19): a page, not a check
ARTICLE = ('<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>چرا تارنماها می‌پرسند «آیا انسان '
           'هستید؟»</title><link rel="alternate" type="application/rss+xml" href="/feed/"></head><body><article><h1>صفحهٔ '
           'بررسی مرورگر چیست؟</h1><p>پیام «در حال بررسی مرورگر شما» یا «Checking your browser before accessing» و «Enable '
           'JavaScript and cookies to continue» را همه دیده‌ایم: Cloudflare پیش از باز کردن تارنما می‌پرسد «Verify you are '
           'human».</p></article></body></html>').encode()


def test_a_page_about_browser_checks_that_names_its_feed_is_said_as_a_page_with_its_feed():
    """Its quoted words made it «a CDN's browser check: ask the site to exempt the feed», where the desk needs the feed
    the page names (said before round 19); a check page names no feed."""
    with pytest.raises(FeedParseError) as refused:
        parse_feed(ARTICLE, base_url="https://news.example/tech/42")
    assert refused.value.code == "html" and "https://news.example/feed/" in refused.value.message_fa
    assert "بررسی مرورگر" not in refused.value.message_fa


def test_comments_before_a_document_that_is_not_a_feed_are_read_in_linear_time():
    """Found in the review of round 19: a refused document's start is looked at for a page (``_HTML_START``), past its
    comments; the comments were joined every way («<!--.*?-->» runs on to a later «-->»), twice the time for each one
    more: 24 empty comments before anything took ~3 s of CPU, 30 minutes' worth within the 4 KB looked at."""
    import time

    started = time.process_time()
    for body in (b"<!--a-->" * 24 + b"x", b"<!-- -->\n" * 24 + b"<html><body>x</body></html>"):
        with pytest.raises(FeedParseError):
            parse_feed(body)
    assert time.process_time() - started < 0.5
