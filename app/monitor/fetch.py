"""Fetch one feed over HTTP, safely: timeouts and an overall deadline, a size cap after
decompression, conditional GET, redirects checked hop by hop, the private-address guard at
connect time, Retry-After, and a per-host concurrency limit. Pure Python: no Flask, no database.

Network and HTTP problems never raise: they come back as `FetchResult.error_code` (for code)
and `error_message_fa` / `error_detail` (for the feed-administration page; app/monitor/messages.py).
"""
from __future__ import annotations

import functools
import logging
import math
import re
import socket
import ssl
import time
from typing import Self

import httpx
from httpcore import HTTP11Connection

from app.monitor.address_guard import (
    AddressGuard,
    BlockedAddressError,
    Resolver,
    allow_list_open,
    allow_list_used,
    bounded_lookup,
    fetch_deadline,
    is_host_name,
    is_ip_literal,
    system_resolver,
)
from app.monitor.cdn_challenge import status_failure
from app.monitor.fetch_body import CappedBody, FetchFailure
from app.monitor.fetch_policy import FetchPolicy, FetchResult
from app.monitor.guarded_transport import GuardedTransport
from app.monitor.messages import Message
from app.monitor.politeness import HostLimiter, parse_retry_after, shared_limiter
from app.monitor.redirect_targets import bad_location_refused, note_location, with_numbers_spelled

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")

@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set


# The stored validators' widths (models/feed.py): a longer one could not be stored (PostgreSQL
# refused the feed's whole transaction, every poll, and its items were lost).
ETAG_MAX, LAST_MODIFIED_MAX = 500, 100


def sendable_validator(value: str | None, limit: int) -> str | None:
    """An ETag or Last-Modified as kept and sent back: printable ASCII within ``limit``, else None
    (no conditional request). A header in Persian («"خبر"», a localized date) was stored, and every
    later request failed to build (httpx sends ASCII only): the feed was dead until its address
    changed (a review of hostile feeds)."""
    if not value or len(value) > limit or not all(" " <= c <= "~" for c in value):
        return None
    return value


NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)
_CUT_BODY = "peer closed connection without sending complete message body"  # h11's words
_ENTRY_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")  # parse.py's: an entry ended in what came
# h11's words for a head (status line and headers) longer than httpcore lets it buffer, and that length
_HEADERS_TOO_LARGE, MAX_HEAD_BYTES = "Receive buffer too long", HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE


class Fetcher:
    """One guarded connection pool and a per-host limiter, shared by many fetches and threads.

    All connections of its client pass the address guard built from `policy.allow_private`.
    `resolver` and `verify` exist for tests and special installs (a private CA).
    """

    def __init__(self, policy: FetchPolicy | None = None, *, limiter: HostLimiter | None = None,
                 resolver: Resolver = system_resolver, verify: ssl.SSLContext | None = None):
        self.policy = policy or FetchPolicy()
        self.guard = AddressGuard(self.policy.allow_private)
        self.limiter = limiter or shared_limiter(self.policy.per_host_limit)
        # No connection is kept for the next fetch: bytes a server sent past one response's
        # Content-Length were read as the next response of its host — another feed's document (a
        # review of hostile feeds). A feed is asked every half hour or so; reuse saved little.
        transport = GuardedTransport(self.guard, resolver=resolver,
                                     ssl_context=verify or _default_ssl_context(), limits=NO_KEEPALIVE)
        p = self.policy
        self.client = httpx.Client(
            transport=transport, follow_redirects=False, trust_env=False,
            event_hooks={"response": [note_location]},
            timeout=httpx.Timeout(connect=p.connect_timeout, read=p.read_timeout,
                                  write=p.read_timeout, pool=p.total_timeout),
            headers={"User-Agent": p.user_agent, "Accept": ACCEPT,
                     "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchResult:
        """Fetch `url` (conditionally when etag/last_modified are given); never raises."""
        started = time.monotonic()
        result = FetchResult(url=url, final_url=url)
        token = fetch_deadline.set(started + self.policy.total_timeout)
        tokens = allow_list_open.set(True), allow_list_used.set([])
        try:
            self._follow(url, etag, last_modified, result)
        except FetchFailure as failure:
            failure.report(result)
        except Exception as exc:
            failure = self._classify(exc)
            if failure.code == "internal_error":
                log.exception("unexpected error fetching %s", url)
            failure.report(result)
        finally:
            fetch_deadline.reset(token)
            allow_list_open.reset(tokens[0])
            allow_list_used.reset(tokens[1])
            result.elapsed_ms = int((time.monotonic() - started) * 1000)
        if result.error_code:
            result.body = None
        return result

    def _follow(self, url: str, etag: str | None, last_modified: str | None,
                result: FetchResult) -> None:
        conditional = {k: v for k, v in (("If-None-Match", sendable_validator(etag, ETAG_MAX)),
                                         ("If-Modified-Since", sendable_validator(last_modified, LAST_MODIFIED_MAX)))
                       if v}
        target, seen, permanent = self._checked_url(url), set(), True
        for redirects in range(self.policy.max_redirects + 1):
            seen.add(target.copy_with(fragment=None))
            with self.limiter.slot(target.host) as waited, bad_location_refused(self.guard):
                # Waiting for a free slot on a busy host does not count against this feed.
                fetch_deadline.set(fetch_deadline.get() + waited)
                with self.client.stream("GET", target, headers=conditional) as response:
                    result.status = response.status_code
                    if response.status_code not in REDIRECT_STATUSES:
                        result.permanent_redirect = redirects > 0 and permanent
                        return self._finish(response, etag, last_modified, result)
                    location = response.headers.get("location", "").strip()
            if not location:
                raise FetchFailure("bad_redirect")
            if redirects == 0 and not allow_list_used.get():
                allow_list_open.set(False)  # a public feed's redirects stay on public addresses
            permanent = permanent and response.status_code in (301, 308)
            try:
                joined = target.join(with_numbers_spelled(location))
                if joined.userinfo:  # a name and password the server hands out are never sent (a review
                    joined = joined.copy_with(userinfo=b"")  # of hostile feeds, round 9: they were)
                result.final_url = str(joined)  # shown even when refused
                target = self._checked_url(result.final_url)
            except (FetchFailure, httpx.InvalidURL) as failure:
                if isinstance(failure, FetchFailure) and failure.code != "bad_url":
                    raise
                # Said as the redirect's fault, with the address it named (it was «no such domain» or
                # «the answer was broken»: a review of hostile feeds, round 3).
                raise FetchFailure("bad_url", "bad_redirect_target", target=location[:200]) from None
            if target.copy_with(fragment=None) in seen:
                raise FetchFailure("redirect_loop")
        raise FetchFailure("too_many_redirects", limit=self.policy.max_redirects)

    def _checked_url(self, url: str) -> httpx.URL:
        try:
            target = httpx.URL(with_numbers_spelled(url))
            target.host  # noqa: B018 - «xn--localhost»: punycode of nothing, raised later as «internal error»
        except (httpx.InvalidURL, TypeError, UnicodeError):
            raise FetchFailure("bad_url") from None
        host = target.raw_host.decode("ascii", "replace")
        if target.scheme not in ("http", "https") or not (is_host_name(host)
                                                           or is_ip_literal(host)):
            raise FetchFailure("bad_url")
        if target.port is not None and not 0 < target.port < 65536:  # «:99999» was looked up as a name
            raise FetchFailure("bad_url")
        self.guard.check_literal(host)  # an IP literal is refused before any socket
        return target

    def _finish(self, response: httpx.Response, etag: str | None, last_modified: str | None,
                result: FetchResult) -> None:
        headers = {k: v for k, v in response.headers.items()
                   if k not in ("content-encoding", "content-length")}
        result.headers = headers
        result.etag = sendable_validator(response.headers.get("etag"), ETAG_MAX)
        result.last_modified = sendable_validator(response.headers.get("last-modified"), LAST_MODIFIED_MAX)
        status = response.status_code
        if status == 304 and not (etag or last_modified):  # "not modified" since nothing: no feed, no news
            raise FetchFailure("http_error", "not_modified_unasked", status=status)
        if status == 304:
            result.not_modified = True
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
            return
        if status == 429 or status == 503:
            result.retry_after = parse_retry_after(response.headers.get("retry-after"))
        if status == 429:
            if result.retry_after is None:
                raise FetchFailure("rate_limited", "rate_limited_later")
            raise FetchFailure("rate_limited", wait={"seconds": result.retry_after})
        if not 200 <= status < 300:
            raise status_failure(response, status, result.retry_after)
        cap = self.policy.max_bytes
        # A Content-Length over the cap is not believed: the bytes are read up to it and refused only past it
        # (a 2 KB feed saying 10⁹ bytes was refused unread: a review of hostile feeds, round 16).
        body = CappedBody(response.headers.get("content-encoding", ""), cap)
        try:
            for chunk in response.iter_raw():
                body.feed(chunk)
        except httpx.RemoteProtocolError as exc:
            # The connection closed before the length it promised (or the last chunk): the bytes that
            # came are a cut document, read as one without a length is (its complete entries, with the
            # warning; app.monitor.parse). They were lost as «the answer was incomplete», on every
            # poll (a review of hostile feeds, round 13). A response of no bytes is still that error.
            if not body.data or not str(exc).startswith(_CUT_BODY):
                raise
        except httpx.TimeoutException:
            # The server stalled (or trickled past the deadline) after whole entries: a cut document too; they were
            # lost as «timed out», on every poll (hostile feeds, round 20). Without a whole entry: the timeout said.
            if not _ENTRY_CLOSE.search(body.data):
                raise
        result.body = body.finish()

    def _classify(self, exc: Exception) -> FetchFailure:
        chain, cause = [], exc
        while cause is not None and len(chain) < 10:
            chain.append(cause)
            cause = cause.__cause__ or cause.__context__
        if isinstance(exc, BlockedAddressError):
            return FetchFailure("private_address")
        if isinstance(exc, httpx.TimeoutException):
            if time.monotonic() >= (fetch_deadline.get() or math.inf) - 0.05:
                return FetchFailure("timeout", "deadline", seconds=self.policy.total_timeout)
            return FetchFailure("timeout")
        if any(isinstance(c, ssl.SSLError) for c in chain):
            return FetchFailure("tls_error")
        if isinstance(exc, httpx.ConnectError):
            dns = any(isinstance(c, socket.gaierror) for c in chain)
            return FetchFailure("dns_error" if dns else "connect_error")
        if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
            return FetchFailure("bad_url")
        if isinstance(exc, httpx.DecodingError):
            return FetchFailure("decoding_error")
        if isinstance(exc, httpx.RemoteProtocolError) and str(exc) == _HEADERS_TOO_LARGE:
            return FetchFailure("protocol_error", "headers_too_large", limit=MAX_HEAD_BYTES // 1024)
        if isinstance(exc, httpx.ProtocolError):  # h11's «Only Transfer-Encoding: chunked…»: a coding not asked for
            return FetchFailure("protocol_error", "transfer_coding" if "Transfer-Encoding" in str(exc) else None)
        if isinstance(exc, (httpx.NetworkError, httpx.TransportError, OSError)):
            return FetchFailure("network_error")
        return FetchFailure("internal_error")


def address_refusal(url: str, policy: FetchPolicy, *, resolver: Resolver = system_resolver) -> Message | None:
    """The message a fetch of `url` would fail with because its host is, or resolves to, a
    private or local address outside `policy.allow_private`; None when the guard lets it through
    or cannot tell yet (a malformed URL, a name that does not resolve now: the poll reports
    those). The same guard and lookup as a fetch, the lookup bounded by the connect timeout."""
    try:
        target = httpx.URL(with_numbers_spelled(url))
        port = target.port or (443 if target.scheme == "https" else 80)
    except (httpx.InvalidURL, TypeError):
        return None
    host = target.raw_host.decode("ascii", "replace")
    guard = AddressGuard(policy.allow_private)
    try:
        guard.check_literal(host)
        if is_host_name(host) and not is_ip_literal(host) and not guard.host_allowed(host):
            guard.check_addresses(host, bounded_lookup(resolver, host, port, policy.connect_timeout))
    except BlockedAddressError:
        return Message("fetch.private_address")
    except (OSError, UnicodeError):
        return None
    return None


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          policy: FetchPolicy | None = None, fetcher: Fetcher | None = None) -> FetchResult:
    """Fetch one feed URL; never raises for network or HTTP problems. Pass a shared `fetcher`
    when polling many feeds (connection reuse, one per-host limiter)."""
    if fetcher is not None:
        return fetcher.fetch(url, etag=etag, last_modified=last_modified)
    with Fetcher(policy) as one_off:
        return one_off.fetch(url, etag=etag, last_modified=last_modified)

