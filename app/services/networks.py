"""What one client is, by its address, for the login throttle and the session binding alike.

IPv4 as it is; IPv6 by its /64 (RFC 6177, RFC 8981): a host owns a whole /64 and its privacy
addresses change inside it every few hours, so an attacker rotating addresses there is one client
to the throttle, and a phone whose address changed there is still the browser its session was
opened in. An IPv4 address seen as IPv4-mapped IPv6 (a dual-stack listener) is that IPv4 address.
Two readings of the one address were a session dropped every few hours while the throttle saw one
client (session 43).

An IPv6 address that carries one client's IPv4 address is that IPv4 address too, as the feed
fetcher's guard reads these forms (``address_guard.embedded_ipv4``): IPv4-translated (SIIT), the
well-known NAT64 prefix (a stateless translator in front of an IPv6-only server, RFC 7755, shows
every IPv4 client as 64:ff9b::a.b.c.d: one /64 for the whole IPv4 Internet, whose clients then
shared a throttle count, a session's binding and a wave's «known network»), IPv4-compatible, 6to4
(one IPv4 holder's 65,536 /64s) and Teredo (by its client's public address: a Teredo server's
clients all share its /64). A local-use NAT64 address (64:ff9b:1::/48), whose layout the operator
picks, stays read by its /64."""
from __future__ import annotations

import ipaddress

from app.monitor.address_guard import embedded_ipv4

_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: its layout is the operator's


def network_of(address: str) -> str:
    """The address a throttle counts on and a session is bound to (``address[:64]`` when it is no IP address).
    Stored with each session (``UserSession.network``): a change to this reading needs a migration that
    fills that column again, as 0032 did."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        ours = ip.is_loopback or ip.is_unspecified or ip in _NAT64_LOCAL_USE
        carried = embedded_ipv4(ip) if not ours else None
        if carried and (len(carried) == 1 or ip.teredo is not None):
            return str(carried[-1])  # Teredo's: (server, client)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def prefix_of(address: str) -> str | None:
    """The IPv6 /48 of an address ``network_of`` reads by its /64 (a free tunnel's allocation, a site's:
    RFC 6177), for the login wave's count of one holder (``login_wave``); None for IPv4 and for the
    forms that carry one (one client each: NAT64, 6to4, Teredo) and for a local-use NAT64 address,
    whose /48 is the operator's translator, every IPv4 client behind it (session 44)."""
    network = network_of(address)
    if "/" not in network or ipaddress.ip_network(network).subnet_of(_NAT64_LOCAL_USE):
        return None
    return str(ipaddress.ip_network(network).supernet(new_prefix=48))
