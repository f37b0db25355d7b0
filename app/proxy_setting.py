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
    return tuple(str(ipaddress.ip_network(part, strict=False)) for part in parts)  # ValueError: «10.0.0.300»
