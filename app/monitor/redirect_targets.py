"""A redirect's Location as the fetcher reads it (split from fetch.py, hostile feeds, round 20): backslashes as a
browser reads them, a host written in numbers as the IPv4 address it spells, and a Location httpx cannot read said
as the redirect's fault (its target named) or as a private address.
"""
from __future__ import annotations

import contextlib
import contextvars
import re

import httpx

from app.monitor.address_guard import AddressGuard, is_ip_literal, numeric_ipv4
from app.monitor.fetch_body import FetchFailure


@contextlib.contextmanager
def bad_location_refused(guard: AddressGuard):
    """httpx reads a redirect's Location into its next request before it hands the response over,
    and a Location that is no URL («http://0177.0.0.1/», «http://[::1/») is its protocol error:
    said as the redirect's fault, naming the address (a review of hostile feeds, round 3)."""
    _location.set(None)
    try:
        yield
    except httpx.RemoteProtocolError as exc:
        if "location header" not in str(exc).lower():
            raise
        _refuse_private_spelling(_location.get() or "", guard)
        raise FetchFailure("bad_url", "bad_redirect_target", target=(_location.get() or "")[:200]) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError):
        # «javascript:…», «data:…», «mailto:…» as a Location: the address checked before this
        # request was the feed's, so the redirect's (it was said as the feed's own address: round 4).
        # UnicodeError: a host in punycode of nothing («xn--localhost»), idna's (it was «internal error»)
        location = _location.get()
        if not location:
            raise
        raise FetchFailure("bad_url", "bad_redirect_target", target=location[:200]) from None


_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TABS_AND_NEWLINES = re.compile("[\t\n\r]")


def as_browsers_read(location: str) -> str:
    """A redirect's target with its backslashes, before any query or fragment, as slashes: «\\doc» is «/doc» to a
    browser (WHATWG's URL, for http(s)), a Windows server's habit; httpx went to «/%5Cdoc» (hostile feeds, round 19).
    C0 controls and spaces at its ends and tabs and newlines inside are dropped, as WHATWG's URL drops them: «/feed.xml»
    and a control character was «redirected to a wrong address», the character unseen in the message (round 22b)."""
    location = _TABS_AND_NEWLINES.sub("", location.strip(_C0_AND_SPACE))
    address = re.match(r"[^?#]*", location)[0]
    return address.replace("\\", "/") + location[len(address):]


def with_numbers_spelled(url: str) -> str:
    """``url`` with a host written in numbers («2130706433», «0x7f.1», «0177.0.0.1») as the IPv4 address it
    spells (``numeric_ipv4``), as a browser reads it; any other URL as it is. httpx takes «2130706433» for a
    name and fails on «0177.0.0.1»: both were refused as no address, not as the private one (round 16)."""
    scheme, sep, rest = ("", "//", url[2:]) if url.startswith("//") else url.partition("://")  # «//host/»: relative
    end = min((at for at in map(rest.find, "/?#") if at >= 0), default=len(rest))
    userinfo, at, host_port = rest[:end].rpartition("@")
    host, colon, port = host_port.partition(":")
    address = numeric_ipv4(host) if sep and not host.startswith("[") and not is_ip_literal(host) else None
    return f"{scheme}{sep}{userinfo}{at}{address}{colon}{port}{rest[end:]}" if address else url


def _refuse_private_spelling(location: str, guard: AddressGuard) -> None:
    """A Location httpx could not read whose host spells a private address in numbers: said as private."""
    spelled = with_numbers_spelled(location)
    if spelled != location:
        with contextlib.suppress(httpx.InvalidURL):
            host = httpx.URL(spelled).host
            if not guard.address_allowed(host):
                raise FetchFailure("private_address")


# The Location of the response just read (an event hook of the client sets it before httpx reads it).
_location: contextvars.ContextVar[str | None] = contextvars.ContextVar("location", default=None)


def note_location(response: httpx.Response) -> None:
    """The Location as written (said in a refusal), then as browsers read it (``as_browsers_read``) for httpx."""
    _location.set(location := response.headers.get("location"))
    if location and (read := as_browsers_read(location)) != location:
        response.headers["location"] = read
