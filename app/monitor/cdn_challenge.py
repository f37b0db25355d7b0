"""A CDN's browser check in place of the feed, and the failure of a status outside 2xx (hostile feeds, round 19).

Sites behind Cloudflare, ArvanCloud and other CDNs answer an automatic request, at times or always, with a page
that checks for a browser («Just a moment...», «Checking your browser», «در حال بررسی مرورگر»): a script to run,
cookies to keep, with 403 or 503, or 200. That was said as «the server refuses this feed (perhaps it closed the
worker's address)», «the server is down» or «an HTML page in place of the feed»: the desk looked for a moved feed
or a blocked address, and nothing tells that the site's bot protection holds the request. ``challenge`` tells such
a page (its CDN named when the page or the ``Server`` header names one); ``status_failure`` reads the first
``CHALLENGE_READ`` bytes of a 403 or 503 page to say it (or Cloudflare's «cf-mitigated: challenge» header alone), and
``not_a_feed`` says a 200 one."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.monitor.fetch_body import CappedBody, FetchFailure

if TYPE_CHECKING:  # the parser reads ``challenge`` at every start; httpx comes with the fetcher
    import httpx

CHALLENGE_READ = 64 * 1024  # a check page is a few KB; its markers are in its head and first script
# What only a browser check writes: Cloudflare's challenge script and options, its page's title, the words such pages
# say (in English and Persian). A news page that only mentions a CDN is none.
_CHECK = re.compile("|".join((
    r"/cdn-cgi/challenge-platform/", r"\b_?cf_chl_", r"cf-browser-verification", r"\bcf-challenge\b",
    r"<title>\s*(?:just a moment|attention required|checking your browser|ddos-guard|one more step)",
    r"checking (?:if the site connection is secure|your browser before accessing)", r"verify(?:ing)? you are (?:a )?human",
    r"enable javascript and cookies to continue", r"در حال بررسی (?:امنیت )?(?:اتصال|مرورگر)", r"بررسی مرورگر شما",
)).encode(), re.IGNORECASE)
_CDNS = ((b"cloudflare", "Cloudflare"), (b"/cdn-cgi/challenge-platform/", "Cloudflare"), (b"_cf_chl_", "Cloudflare"), (b"arvancloud", "ArvanCloud"), (b"ddos-guard", "DDoS-Guard"),
         (b"sucuri", "Sucuri"), (b"incapsula", "Imperva"), (b"imperva", "Imperva"), (b"akamai", "Akamai"))
_CHECKED_STATUSES = frozenset({403, 503})


def challenge(page: bytes, server: str = "") -> str | None:
    """The CDN whose browser check ``page`` is (its first bytes; ``server`` the ``Server`` header): its name, "" for a
    check that names none; None for another page."""
    head = page[:CHALLENGE_READ]
    if not _CHECK.search(head):
        return None
    named = server.encode("latin-1", "replace").lower() + b" " + head.lower()
    return next((name for marker, name in _CDNS if marker in named), "")


def status_failure(response: httpx.Response, status: int, retry_after: int | None) -> FetchFailure:
    """The failure of a status outside 2xx, said with what it means for the feed (code ``http_error``): a 403 or 503
    that is a CDN's browser check said as one (its page's first ``CHALLENGE_READ`` bytes read)."""
    if status in _CHECKED_STATUSES:
        mitigated = response.headers.get("cf-mitigated", "").strip().lower() == "challenge"  # Cloudflare's own word
        cdn = "Cloudflare" if mitigated else challenge(_page_head(response), response.headers.get("server", ""))
        if cdn is not None:
            return FetchFailure("http_error", "http_challenge" if cdn else "http_challenge_unnamed", status=status,
                                cdn=cdn)
    if status in (404, 410):
        return FetchFailure("http_error", "http_gone" if status == 410 else "http_not_found", status=status)
    if status == 401:  # «Unauthorized»: a name and password asked for (it was said as a closed address: round 20)
        return FetchFailure("http_error", "http_login", status=status)
    if status == 403:
        return FetchFailure("http_error", "http_denied", status=status)
    if status >= 500:
        if retry_after:
            return FetchFailure("http_error", "http_unavailable", status=status, wait={"seconds": retry_after})
        return FetchFailure("http_error", "http_server_error", status=status)
    return FetchFailure("http_error", status=status)


def _page_head(response: httpx.Response) -> bytes:
    """The first ``CHALLENGE_READ`` bytes of an error's page, decoded as a feed's body is; what came, if the rest
    does not (a page cut, a compression not read: the status said as before)."""
    import httpx
    if "html" not in response.headers.get("content-type", "html").lower():
        return b""
    try:
        body = CappedBody(response.headers.get("content-encoding", ""), CHALLENGE_READ)
    except FetchFailure:
        return b""
    try:
        for chunk in response.iter_raw():
            body.feed(chunk)
    except (FetchFailure, httpx.HTTPError):
        pass
    return bytes(body.data[:CHALLENGE_READ])
