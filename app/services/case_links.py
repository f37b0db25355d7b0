"""A case's publication links compared as the pages they name (session 45).

One address typed twice is one link: its scheme and host in any letter case («HTTPS://WATER.example.IR/…»,
session 44), its Persian letters written out or percent-encoded, its host in Persian or «xn--», and its path
with or without a final «/» («…/news/123/»: the same page on every web server a portal runs on, and what a
browser's address bar or a copy from a list adds or drops). The link the case
holds keeps the spelling it was first stored with. Compared so by the publish move (published again after
a reopen), by a link added on the case page, and by ``cases move`` run again.

A link is taken only at a host the public can reach (``public_host``): a domain with a dot, or an IP
address that is global («http://127.0.0.1:5000/…», «http://10.1.2.3/…» were taken while «http://localhost/…»
was refused: session 45), read as the fetcher reads an address («http://127.1/…» is 127.0.0.1), and not a name
that spells a private address for a wildcard DNS service or is kept pointing at this machine
(``names_private_address``: «127.0.0.1.nip.io», «localtest.me»; session 46). Decided by the name alone, never by
a lookup: the machine may have no DNS, and a link taken or refused should not change with the day's resolver.

    link_key(url) -> tuple;  held_links(case, url) -> [CasePublication];  keep_link(case, link, actor_id) -> bool
    public_host(parts) -> bool;  names_private_address(host) -> bool
"""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit, urlunsplit

from app.monitor.address_guard import is_ip_literal, is_local_name, is_public, numeric_ipv4
from app.monitor.dedupe import ascii_host, canonical_link, tracking_parameter
from models import CasePublication, PublicQuestion

# What a query keeps as written (RFC 3986's query characters and the «%» of an escape); any other (a Persian
# word written out) is percent-encoded, an escape in upper case: «?q=آب» is «?q=%D8%A2%D8%A8».
_QUERY_SAFE = "/?%:@!$&'()*+,;=-._~"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def link_key(url: str) -> tuple:
    """An address as compared: as the monitor compares items' links (``dedupe.canonical_link``: scheme and
    host in lower case, the host in its ASCII form without a final dot, no default port, the path in one
    percent-encoding, no tracking parameter), the path without its final «/», the query's letters in one
    percent-encoding and the fragment as written (a «#/news/12» route is a page of its own). The Persian
    path copied from a browser's address bar, percent-encoded, was another link (a review of session 45)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        canonical = canonical_link(urlunsplit(parts._replace(query="", fragment="")))
    except ValueError:
        canonical = None
    if canonical is None:  # no http(s) address: as written
        return (url,)
    page = urlsplit(canonical)
    query = "&".join(_ESCAPE.sub(lambda escape: escape.group().upper(), quote(pair, safe=_QUERY_SAFE))
                     for pair in parts.query.split("&") if pair and not tracking_parameter(pair.split("=", 1)[0]))
    return page.scheme, page.netloc, page.path.rstrip("/"), query, parts.fragment


def held_links(case: PublicQuestion, url: str) -> list[CasePublication]:
    """The case's publication links that name the page ``url`` names."""
    key = link_key(url)
    return [p for p in case.publications if link_key(p.url) == key]


def keep_link(case: PublicQuestion, link, actor_id: int | None) -> bool:
    """Add ``link`` (a clean PublicationLink) to the case's publications unless it holds that page: True if added."""
    if held_links(case, link.url):
        return False
    case.publications.append(CasePublication(kind=link.kind, url=link.url, label=link.label, added_by_id=actor_id))
    return True


def public_host(parts) -> bool:
    """Whether an address (``urlsplit``'s parts) names a host the public can reach: a domain with a dot
    («http://x» and «https://portal/…» are no published page), not «localhost» or a name under it, or a
    public IP address however a browser reads it, and a port that is a number. The fetcher's readings
    (app/monitor/address_guard.py): «127.1», «0x7f.1», «0177.0.0.1», «127.0.0.1.», «１２７.０.０.１» are
    127.0.0.1 and «[64:ff9b::7f00:1]» carries it; they were taken while «127.0.0.1» was refused (a review of
    session 45's case commands)."""
    try:
        host, _port = parts.hostname or "", parts.port
    except ValueError:  # «https://example.ir:99999/»
        return False
    if not host.isascii():  # full-width digits, «。»: what a browser reads (UTS 46); a name it cannot read, as typed
        host = ascii_host(host) or host
    address = ipaddress.ip_address(host.split("%", 1)[0]) if is_ip_literal(host) else numeric_ipv4(host)
    if address is not None:
        return is_public(address)  # not loopback, private, link-local, multicast, reserved or unspecified
    return not is_local_name(host) and not names_private_address(host) and "." in host.strip(".")


# Names kept pointing at 127.0.0.1 for developers, every name under them too (the «localhost» of RFC 6761 with a
# dot, so «.localhost» alone did not catch them).
LOOPBACK_DOMAINS = ("localtest.me", "lvh.me", "vcap.me", "localho.st", "lacolhost.com")
# Wildcard DNS services: a name under them answers with the address it spells, in dots, dashes or hex
# («10.0.0.1.nip.io», «app-10-0-0-1.sslip.io», «app-0a000001.nip.io», IPv6 in dashes «--1.sslip.io»).
WILDCARD_DOMAINS = ("nip.io", "sslip.io", "xip.io", "traefik.me", "backname.io", "nip.lol")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_DASHED = re.compile(rf"(?:^|-)({_OCTET}(?:-{_OCTET}){{3}})$")  # «10-0-0-1», «app-10-0-0-1»
_HEX = re.compile(r"(?:^|-)([0-9a-f]{8})$")  # «7f000001», «app-7f000001»
_OCTET_LABEL = re.compile(rf"{_OCTET}$")


def _spelt_addresses(labels: list[str], wildcard: bool) -> list:
    """The addresses a host's labels (its last, the top-level domain, aside) spell."""
    spelt = []
    for at in range(len(labels) - 4):  # four labels in a row, a label after them
        if all(_OCTET_LABEL.match(label) for label in labels[at:at + 4]):
            spelt.append(ipaddress.IPv4Address(".".join(labels[at:at + 4])))
    for label in labels[:-1] if wildcard else ():  # dashes and hex under the wildcard services only: a site
        # may name itself «top-10-20-30-40.ir» (session 47; it was refused under any domain)
        if (dashed := _DASHED.search(label)) is not None:
            spelt.append(ipaddress.IPv4Address(dashed.group(1).replace("-", ".")))
        if (hexed := _HEX.search(label)) is not None:
            spelt.append(ipaddress.IPv4Address(int(hexed.group(1), 16)))
        if "--" in label or label.count("-") == 7:  # sslip.io's IPv6: «--1» is ::1, «fe80--1» fe80::1
            try:
                spelt.append(ipaddress.IPv6Address(label.replace("-", ":")))
            except ValueError:
                pass
    return spelt


def _under(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def names_private_address(host: str) -> bool:
    """Whether a host name reaches this machine or its network by its spelling alone: a name under a
    domain kept at 127.0.0.1 («localtest.me», «lvh.me»), or one that spells an address that is not public in
    four labels («127.0.0.1.nip.io», «app.10.0.0.1.example.ir»: wildcard DNS answers with the address spelt, a
    public site names itself no private address), and under the wildcard services also in dashes
    («app-10-0-0-1.sslip.io»; «top-10-20-30-40.ir» is a site's own name), hex or IPv6 dashes («7f000001.nip.io», «--1.sslip.io»). They were taken as
    public pages while «http://127.0.0.1/…» was refused (session 45's note)."""
    host = host.lower().rstrip(".")
    if _under(host, LOOPBACK_DOMAINS):
        return True
    spelt = _spelt_addresses(host.split("."), _under(host, WILDCARD_DOMAINS))
    return any(not is_public(address) for address in spelt)
