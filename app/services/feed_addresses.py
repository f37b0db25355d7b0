"""A feed's address: the checks it passes when typed, saved or imported (``clean_feed_url``,
``check_feed_address``), and how two addresses are compared for «already listed» (``feed_url_key``,
``feed_listed``). app/services/feeds.py, the feed forms' and the OPML import's use cases, calls them."""
from __future__ import annotations

import posixpath
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.monitor.address_guard import Resolver, is_ip_literal, numeric_ipv4, system_resolver
from app.monitor.dedupe import canonical_link, tracking_parameter
from app.monitor.fetch_policy import FetchPolicy
from app.monitor.messages import Message, localized
from app.services import ServiceError
from app.services.audit import record
from models import Feed
from search_index.normalization import UNSEEN_IN_ADDRESS

MAX_URL_CHARS = 2000  # a feed's address (the column takes no more; the messages say ۲٬۰۰۰)


def _refusal_text(refusal: Message) -> str:
    return localized(refusal.as_json(), refusal.persian())


def check_feed_address(url: str) -> None:
    """The one address check of a feed, the same for trying it, saving it and importing it: the
    fetcher's private-address guard under this installation's FEED_ALLOW_PRIVATE, so a form
    never accepts an address the first poll will refuse. Raises ServiceError with the message
    that tells an admin how to allow an agency's intranet portal."""
    from app.monitor.fetch import address_refusal  # httpx with it: not at every start

    refusal = address_refusal(url, FetchPolicy.from_config(current_app.config))
    if refusal is not None:
        raise ServiceError(_refusal_text(refusal))


_NUMERIC_HOST = re.compile(r"[0-9.]+|0x[0-9a-f.x]+")


def clean_feed_url(url: str) -> str:
    """The address as stored: its scheme and host in lower case («HTTPS://EXAMPLE.IR/rss» is the
    feed at «https://example.ir/rss», already listed). :raise ServiceError: an address the fetcher
    cannot use, said when it is typed rather than at the first poll (a form saved
    «http://2130706433/» and a port of 99999; the poll then said the scheme or the host was wrong)."""
    url = (url or "").strip()
    if len(url) > MAX_URL_CHARS:
        raise ServiceError(_("نشانی خوراک بیش از ۲٬۰۰۰ نویسه است و افزوده نشد."))
    if not url.lower().startswith(("http://", "https://")):
        raise ServiceError(_("نشانی خوراک باید با http:// یا https:// آغاز شود."))
    if UNSEEN_IN_ADDRESS.search(url):
        raise ServiceError(_("نشانی خوراک نویسه‌ای ناپیدا دارد (فاصله، نویسهٔ کنترلی یا نشانهٔ جهت)؛ آن را از نوار "
                             "نشانی مرورگر دوباره رونویسی کنید."))
    netloc = re.split(r"[/?#]", url.split("//", 1)[1], maxsplit=1)[0]
    if "@" in netloc:
        raise ServiceError(_("نام کاربری و گذرواژه در نشانی خوراک نوشته نمی‌شود (در فهرست خوراک‌ها آشکار می‌ماند)؛ "
                             "نشانی را بی آن‌ها بنویسید."))
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port out of range, «http://[::1/» (a bracket not closed)
        host, port = "", 0
    # Numbers that spell an IPv4 address («2130706433») are that address, which check_feed_address judges (it
    # was said «the host is wrong» where it is a private address: round 16); other numbers are no host.
    if port == 0 or not host or (_NUMERIC_HOST.fullmatch(host) and not is_ip_literal(host) and not numeric_ipv4(host)):
        raise ServiceError(_("میزبان یا درگاه نشانی خوراک («%(netloc)s») درست نیست؛ نام دامنه (و در صورت نیاز درگاهی "
                             "از ۱ تا ۶۵۵۳۵) بنویسید، مانند news.example.ir یا news.example.ir:8080.",
                             netloc=netloc[:100]))
    return feed_url_key(url)


def feed_url_key(url: str) -> str:
    """A feed's address as compared for «already listed»: scheme and host in lower case, as
    clean_feed_url stores them, so a feed stored before that rule («HTTPS://EXAMPLE.IR/rss») is
    the one a new «https://example.ir/rss» would repeat."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))


def feed_identity(url: str) -> str:
    """What makes two feed addresses one feed: the link as items' links are compared
    (``dedupe.canonical_link``: no fragment or tracking parameters, the host in its ASCII form
    without a final dot, one percent-encoding, «/./» read), else ``feed_url_key``. An OPML listing
    one feed as «…/rss», «…/rss#x», «…/%72ss», «http://خبر.ایران/rss» and its «xn--» form added
    it five times, polled five times (a review of hostile feeds, round 9)."""
    link = canonical_link(url)
    if link is None:
        return feed_url_key(url)
    parts = urlsplit(link)
    path = _UNRESERVED_ESCAPE.sub(lambda escape: chr(int(escape.group(1), 16)), parts.path)
    if "/." in path:  # «/./», «/../»: the path they name (RFC 3986 §5.2.4)
        normal = posixpath.normpath(path)
        path = normal + ("/" if path.endswith("/") and normal != "/" else "")
    # The query as written, but for tracking parameters: canonical_link decodes it as UTF-8, and two
    # feeds of an older site whose queries are windows-1256 («?c=%E1») read alike (the code review).
    query = "&".join(pair for pair in urlsplit(url.strip()).query.split("&")
                     if pair and not tracking_parameter(pair.split("=", 1)[0]))
    return urlunsplit(parts._replace(path=path, query=query))


# A percent-escape of a letter, digit or «-._~» names that character (RFC 3986 §2.3).
_UNRESERVED_ESCAPE = re.compile(r"%(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|3[0-9]|2D|2E|5F|7E)", re.IGNORECASE)


def feed_listed(url: str, *, other_than: int | None = None) -> bool:
    """Whether a feed (another than ``other_than``) has this address, by ``feed_identity``."""
    query = select(Feed.id, Feed.url)
    if other_than is not None:
        query = query.where(Feed.id != other_than)
    wanted = feed_identity(url)
    return any(feed_identity(stored) == wanted for _id, stored in db.session.execute(query))


# The whole of an import's address checks: past it, an address not looked up yet is not decided
# here, as a lookup that fails is not (the poll's own guard decides). Each lookup waits up to the
# connect timeout, 16 at a time: on an intranet whose DNS does not answer, 160 feeds held the
# import's request ~100 s, past the web server's timeout, and nothing was imported (a review of
# hostile feeds, round 9).
ADDRESS_CHECKS_SECONDS = 20.0


def address_refusals(urls: list[str], *, resolver: Resolver = system_resolver,
                     budget: float = ADDRESS_CHECKS_SECONDS) -> dict[str, str]:
    """check_feed_address for many URLs at once (their lookups in parallel, all within ``budget``
    seconds): URL -> message."""
    from app.monitor.fetch import address_refusal

    policy = FetchPolicy.from_config(current_app.config)
    if not urls:
        return {}
    deadline = time.monotonic() + budget

    def refusal(url: str):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        return address_refusal(url, replace(policy, connect_timeout=min(policy.connect_timeout, left)),
                               resolver=resolver)

    with ThreadPoolExecutor(max_workers=min(16, len(urls))) as pool:
        refusals = dict(zip(urls, pool.map(refusal, urls)))
    return {url: _refusal_text(found) for url, found in refusals.items() if found is not None}


def follow_permanent_move(feed: Feed, polled_url: str, moved_to: str) -> bool:
    """After a poll that a permanent redirect (every hop 301 or 308) led to a feed read well, the
    feed's address becomes the new one, as HTTP asks of a client that keeps links: the old host
    may be gone next year. Not when an admin changed the address meanwhile, when the new address
    would not be accepted if typed, or when another feed already has it (the admin decides
    between the two). Audited as ``feed.moved`` (the old and new addresses); True when moved."""
    if feed.url != polled_url:
        return False
    try:
        new_url = clean_feed_url(moved_to)
    except ServiceError:
        return False
    if feed_identity(new_url) == feed_identity(feed.url) or feed_listed(new_url, other_than=feed.id):
        return False
    if canonical_link(new_url) == canonical_link(feed.url):
        # the same address but for a session id or tracking («?PHPSESSID=s1&utm_source=rss»): a
        # server that sends each visitor there moved the feed at every poll (a review of hostile
        # feeds, round 7)
        return False
    record("feed.moved", actor_label="worker", obj=feed, old_url=feed.url, url=new_url)
    feed.url = new_url
    return True
