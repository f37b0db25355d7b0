"""The value of HAMZABAN_TRUSTED_PROXIES (declared in app/config.py, read by app/web/client.py)."""
from __future__ import annotations

import ipaddress

TRUSTED_PROXIES_MAX = 5  # hops a count may name
TRUSTED_PROXY_ENTRIES_MAX = 32  # addresses or networks a list may name


def parse_trusted_proxies(text: str) -> int | tuple[str, ...]:
    """HAMZABAN_TRUSTED_PROXIES: a count (0-5), or the proxies' networks' texts (app/web/client.py,
    ``TrustedProxyList``); ValueError when it is neither."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        if int(text) > TRUSTED_PROXIES_MAX:
            raise ValueError(text)
        return int(text)
    parts = [part.strip() for part in text.split(",")]
    if not text or not all(parts) or len(parts) > TRUSTED_PROXY_ENTRIES_MAX:
        raise ValueError(text)
    if not all(part.isascii() and "%" not in part for part in parts):  # «١٢٧…», an IPv6 zone
        raise ValueError(text)
    networks = [_as_ipv4(ipaddress.ip_network(part, strict=False)) for part in parts]  # ValueError: «10.0.0.300»
    if any(network.prefixlen == 0 for network in networks):  # «0.0.0.0/0»: every host a proxy, its header its choice
        raise ValueError(text)
    return tuple(str(network) for network in networks)


_MAPPED = ipaddress.ip_network("::ffff:0:0/96")


def _as_ipv4(network):
    """«::ffff:127.0.0.1» as «127.0.0.1/32»: a dual-stack listener's name for an IPv4 peer, which
    ``TrustedProxyList`` reads as IPv4 (kept IPv6, the listed proxy was never trusted: review of session 46)."""
    if network.version == 6 and network.subnet_of(_MAPPED):
        return ipaddress.ip_network(f"{network.network_address.ipv4_mapped}/{network.prefixlen - 96}")
    return network
