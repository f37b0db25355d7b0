"""A case's publication links compared as the pages they name (session 45).

One address typed twice is one link: its scheme and host in any letter case («HTTPS://WATER.example.IR/…»,
session 44) and its path with or without a final «/» («…/news/123/»: the same page on every web server a
portal runs on, and what a browser's address bar or a copy from a list adds or drops). The link the case
holds keeps the spelling it was first stored with. Compared so by the publish move (published again after
a reopen), by a link added on the case page, and by ``cases move`` run again.

A link is taken only at a host the public can reach (``public_host``): a domain with a dot, or an IP
address that is global («http://127.0.0.1:5000/…», «http://10.1.2.3/…» were taken while «http://localhost/…»
was refused: session 45).

    link_key(url) -> tuple;  held_links(case, url) -> [CasePublication];  keep_link(case, link, actor_id) -> bool
    public_host(parts) -> bool
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

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
    («http://x» and «https://portal/…» are no published page) or a global IP address, and a port that is a number."""
    try:
        host, _port = parts.hostname or "", parts.port
    except ValueError:  # «https://example.ir:99999/»
        return False
    try:
        return ipaddress.ip_address(host).is_global  # not loopback, private, link-local or unspecified
    except ValueError:  # a name
        return "." in host.strip(".")
