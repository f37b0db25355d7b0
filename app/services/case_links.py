"""A case's publication links compared as the pages they name (session 45).

One address typed twice is one link: its scheme and host in any letter case («HTTPS://WATER.example.IR/…»,
session 44) and its path with or without a final «/» («…/news/123/»: the same page on every web server a
portal runs on, and what a browser's address bar or a copy from a list adds or drops). The link the case
holds keeps the spelling it was first stored with. Compared so by the publish move (published again after
a reopen), by a link added on the case page, and by ``cases move`` run again.

A link is taken only at a host the public can reach (``public_host``): a domain with a dot, or an IP
address that is global («http://127.0.0.1:5000/…», «http://10.1.2.3/…» were taken while «http://localhost/…»
was refused: session 45), read as the fetcher reads an address («http://127.1/…» is 127.0.0.1).

    link_key(url) -> tuple;  held_links(case, url) -> [CasePublication];  keep_link(case, link, actor_id) -> bool
    public_host(parts) -> bool
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from app.monitor.address_guard import is_ip_literal, is_local_name, is_public, numeric_ipv4
from app.monitor.dedupe import ascii_host
from models import CasePublication, PublicQuestion


def link_key(url: str) -> tuple:
    """An address as compared: scheme and host lower-cased, the path without its final «/»."""
    parts = urlsplit((url or "").strip())
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, parts.fragment


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
    return not is_local_name(host) and "." in host.strip(".")
