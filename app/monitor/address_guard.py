"""The private-address guard, enforced on the socket, and the deadline every socket obeys.

A feed URL (or any redirect hop) must not make the server fetch from its own network: loopback,
private ranges, link-local (cloud metadata at 169.254.169.254), multicast, reserved. Checking
the URL is not enough, because a host name can resolve to a public address when checked and to
a private one when connected (DNS rebinding). So `GuardedBackend` (app/monitor/guarded_transport.py,
httpcore's side, loaded with the fetcher) resolves the name itself, checks every address here and
connects to the checked address; TLS SNI and the Host header still carry the host name, because
httpcore takes them from the URL, not from the socket.

The same backend clamps the name lookup and every connect, read and write to the fetch's overall
deadline (`fetch_deadline`), so neither a DNS server that never answers nor a server that
trickles one byte at a time can hold a worker.
"""
from __future__ import annotations

import contextvars
import ipaddress
import re
import socket
import threading
from collections.abc import Callable, Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)*"
                        r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?$")


def is_host_name(host: str) -> bool:
    """A syntactically valid DNS name (ASCII/IDNA form), not an IP literal."""
    host = host.lower().rstrip(".")
    return bool(_HOST_NAME.match(host)) and not host.replace(".", "").isdigit()


def numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host written in numbers spells as browsers read it (the WHATWG URL standard, and
    inet_aton behind most resolvers), else None: one to four parts, each decimal, octal after «0» or hex
    after «0x», the last filling the bytes left, a final dot allowed. «2130706433», «0x7f.1», «0177.0.0.1»,
    «017700000001», «127.1» and «127.0.0.1.» are all 127.0.0.1 (they were refused as no address, not as the
    private address they are: a review of hostile feeds, round 16)."""
    parts = host.lower().removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4 or len(host) > 253:  # (a number of 5,000 digits is no address, nor int()'s)
        return None
    numbers = []
    for part in parts:
        if part[:2] == "0x" and all(c in "0123456789abcdef" for c in part[2:]):
            numbers.append(int(part[2:] or "0", 16))
        elif not (part.isascii() and part.isdigit()) or part[:1] == "0" and any(c > "7" for c in part):
            return None  # a word, or «08» (no octal number): no address
        elif part[:1] == "0":
            numbers.append(int(part, 8))
        else:
            numbers.append(int(part))
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for at, number in enumerate(leading):
        value += number << (8 * (3 - at))
    return ipaddress.IPv4Address(value)


def is_local_name(host: str) -> bool:
    """«localhost» and the names under it, which RFC 6761 keeps for this machine's loopback, a final dot or
    not («localhost.» and «news.localhost» reached the resolver, which may say «no such domain»)."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


class BlockedAddressError(Exception):
    """A host or one of its addresses is private/local and not on the allow-list."""

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} -> {address}: private or local address refused")
        self.host = host
        self.address = address


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses of `host` from the system resolver, in its preferred order, deduplicated."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def bounded_lookup(resolver: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """`resolver(host, port)`, given up after `timeout` seconds with TimeoutError (None: wait).

    getaddrinfo has no timeout of its own and cannot be interrupted, so it runs in a daemon
    thread of its own; a lookup given up on ends there when the system resolver gives up
    (resolv.conf's timeout × attempts), holding nothing but that thread. One thread per lookup
    rather than a pool: hung lookups must not queue the healthy ones behind them.
    Raises what the resolver raises (socket.gaierror, OSError) when it ends in time.
    """
    if timeout is None:
        return resolver(host, port)
    outcome: list = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append(resolver(host, port))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name=f"lookup {host}", daemon=True).start()
    if not done.wait(max(timeout, 0.001)):
        raise TimeoutError(f"looking up {host} took longer than {timeout:.3g} s")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


_IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # SIIT, RFC 2765
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated (RFC 4291), still routed by some stacks
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: the operator picks the layout
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")
# RFC 6052's layouts that fit inside a /48: the prefix length, then the bit ranges (from the top
# of the address) that hold the IPv4 address. Bits 64-71 (the "u" octet) are always zero and
# the bits after the IPv4 address are zero too (RFC 6052, section 2.2).
_NAT64_LAYOUTS = ((48, ((48, 64), (72, 88))), (56, ((56, 64), (72, 96))), (64, ((72, 104),)),
                  (96, ((96, 128),)))


def _bits(value: int, start: int, end: int) -> int:
    """Bits start..end-1 of a 128-bit value, counted from the most significant."""
    return (value >> (128 - end)) & ((1 << (end - start)) - 1)


def _nat64_local_use(value: int) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses a 64:ff9b:1::/48 address carries under each layout it fits."""
    found = []
    for prefix, spans in _NAT64_LAYOUTS:
        last = spans[-1][1]
        if _bits(value, 64, 72) or (last < 128 and _bits(value, last, 128)):
            continue
        if prefix == 96 and _bits(value, 48, 96):
            continue
        ipv4 = 0
        for start, end in spans:
            ipv4 = (ipv4 << (end - start)) | _bits(value, start, end)
        found.append(ipaddress.IPv4Address(ipv4))
    return found


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address] | None:
    """The IPv4 addresses an IPv6 address carries and reaches, or None for a native IPv6 address.

    IPv4-mapped, IPv4-translated, IPv4-compatible, NAT64 (the well-known /96 and the local-use
    /48, under every RFC 6052 layout the address fits), 6to4 and Teredo (its server and its
    client, both reached). An empty list: a local-use NAT64 address that fits no layout.
    """
    value = int(address)
    if address in _IPV4_MAPPED or address in _IPV4_TRANSLATED or address in _IPV4_COMPATIBLE \
            or address in _NAT64_WELL_KNOWN:
        return [ipaddress.IPv4Address(value & 0xFFFFFFFF)]
    if address in _NAT64_LOCAL_USE:
        return _nat64_local_use(value)
    if address in _SIXTOFOUR:
        return [ipaddress.IPv4Address(_bits(value, 16, 48))]
    if address in _TEREDO:
        return list(address.teredo)
    return None


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet. An IPv6 form that carries IPv4 is judged by
    the IPv4 inside alone (Python's IPv6 tables disagree between versions about the wrappers)."""
    if isinstance(address, ipaddress.IPv6Address):
        inside = embedded_ipv4(address)
        if inside is not None:
            return bool(inside) and all(is_public(a) for a in inside)
    if isinstance(address, ipaddress.IPv6Address) and any(address in net for net in _NOT_GLOBAL_V6):
        return False
    return address.is_global and not address.is_multicast


# IPv6 ranges Python 3.11's ``is_global`` counts as public: site-local (fec0::/10, deprecated but
# still routed on old intranets), SRv6 SIDs (5f00::/16) and documentation (3fff::/20, RFC 9637)
# (hostile feeds, round 11: a host resolving to fec0::1 was connected to; 10.0.0.1 was refused).
_NOT_GLOBAL_V6 = tuple(ipaddress.IPv6Network(net) for net in ("fec0::/10", "5f00::/16", "3fff::/20"))


# The allow-list is for feeds that live on the intranet: a fetch that began at a public host may not
# be redirected into it (a public feed sent the fetcher to an allowed intranet server, on any port,
# and its answer was stored as the public outlet's news: a review of hostile feeds, round 3).
# ``allow_list_open``: whether this fetch may still use the list; ``allow_list_used``: a fetch's
# record that an address or host passed only by the list (None outside a fetch).
allow_list_open: contextvars.ContextVar[bool] = contextvars.ContextVar("allow_list_open", default=True)
allow_list_used: contextvars.ContextVar[list | None] = contextvars.ContextVar("allow_list_used", default=None)


# The loopback the allow-list may hold (tests and development: «127.0.0.1/32» or «::1/128»).
_LOOPBACKS = (ipaddress.IPv4Address("127.0.0.1"), ipaddress.IPv6Address("::1"))


def _listed_use() -> bool:
    """The allow-list may be used here; its use is recorded for the fetch."""
    if not allow_list_open.get():
        return False
    used = allow_list_used.get()
    if used is not None:
        used.append(True)
    return True


class AddressGuard:
    """Decides whether a host or an address may be fetched, given the allow-list.

    `allow_private` entries are CIDRs ("10.0.0.0/8", "127.0.0.1/32") or exact host names
    ("portal.ostan.intranet"); an allowed host name skips the address check entirely.
    Raises ValueError for an entry that is neither, so a bad setting fails at start-up.
    """

    def __init__(self, allow_private: Iterable[str] = ()):
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.host_names: set[str] = set()
        for entry in allow_private:
            entry = entry.strip().lower().rstrip(".")
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                if not is_host_name(entry):
                    raise ValueError(f"allow_private: not a CIDR or host name: {entry!r}") from None
                self.host_names.add(entry)

    def host_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.host_names and _listed_use()

    def _listed(self, ip: IPAddress) -> bool:
        return any(ip in net for net in self.networks if ip.version == net.version)

    def address_allowed(self, address: str) -> bool:
        """Public, or on the allow-list: an IPv6 form carrying IPv4 (NAT64, mapped, 6to4…) is
        allowed when every IPv4 address inside it is public or on the allow-list."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if is_public(ip) or self._listed(ip) and _listed_use():
            return True
        inside = embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
        return bool(inside) and all(is_public(a) or self._listed(a) and _listed_use() for a in inside)

    def check_literal(self, host: str) -> None:
        """Refuse a URL whose host is an IP literal outside the allowed space, or a name under «localhost»
        not on the list (no DNS needed)."""
        if is_ip_literal(host) and not self.host_allowed(host) and not self.address_allowed(host):
            raise BlockedAddressError(host, host)
        # Loopback allowed: the resolver says where the name is, and the socket's check spends the list's use.
        # This check spends none: recorded here, a name that resolved to a public address kept the list open
        # to its redirects (a review of round 16).
        if is_local_name(host) and not self.host_allowed(host) and not (
                allow_list_open.get() and any(self._listed(ip) for ip in _LOOPBACKS)):
            raise BlockedAddressError(host, "127.0.0.1")

    def check_addresses(self, host: str, addresses: list[str]) -> list[str]:
        """Return the addresses to connect to, or raise if any of them is refused. A name under «localhost»
        (this machine's loopback, RFC 6761) is reached at those of its addresses allowed, raising if none is:
        a hosts file giving it «::1» and «127.0.0.1» refused it under an allowance of either (round 17)."""
        if self.host_allowed(host):
            return addresses
        if is_local_name(host):
            allowed = [address for address in addresses if self.address_allowed(address)]
            if allowed:
                return allowed
        for address in addresses:
            if not self.address_allowed(address):
                raise BlockedAddressError(host, address)
        return addresses


# The monotonic deadline of the fetch running in this thread (None: no deadline).
fetch_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "fetch_deadline", default=None)
