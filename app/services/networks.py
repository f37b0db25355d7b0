"""What one client is, by its address, for the login throttle and the session binding alike.

IPv4 as it is; IPv6 by its /64 (RFC 6177, RFC 8981): a host owns a whole /64 and its privacy
addresses change inside it every few hours, so an attacker rotating addresses there is one client
to the throttle, and a phone whose address changed there is still the browser its session was
opened in. An IPv4 address seen as IPv4-mapped IPv6 (a dual-stack listener) is that IPv4 address.
Two readings of the one address were a session dropped every few hours while the throttle saw one
client (session 43)."""
from __future__ import annotations

import ipaddress


def network_of(address: str) -> str:
    """The address a throttle counts on and a session is bound to (``address[:64]`` when it is no IP address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
