"""The private-address guard on every IPv6 form that carries an IPv4 address (issue 14, item 5).

Behind a NAT64 gateway `64:ff9b::a00:1` reaches 10.0.0.1; a host that still routes the
deprecated IPv4-compatible form reaches `::127.0.0.1` as loopback. Each form is decoded and
judged by the IPv4 address inside, whatever Python's own IPv6 tables say about the wrapper
(they differ between Python versions). Every form has a private and a public example here.
"""
from __future__ import annotations

import ipaddress

import pytest

from app.monitor.address_guard import (
    AddressGuard,
    BlockedAddressError,
    embedded_ipv4,
    is_public,
)
from app.monitor.fetch import Fetcher, FetchPolicy, fetch

# (form, address, the IPv4 inside, may the fetcher connect)
FORMS = [
    ("IPv4", "10.0.0.1", None, False),
    ("IPv4", "8.8.8.8", None, True),
    ("native IPv6", "fd00::1", None, False),
    ("native IPv6", "2a00:1450:4001:80b::200e", None, True),
    ("IPv4-mapped", "::ffff:127.0.0.1", ["127.0.0.1"], False),
    ("IPv4-mapped", "::ffff:8.8.8.8", ["8.8.8.8"], True),
    ("IPv4-translated (SIIT)", "::ffff:0:a00:1", ["10.0.0.1"], False),
    ("IPv4-translated (SIIT)", "::ffff:0:808:808", ["8.8.8.8"], True),
    ("IPv4-compatible", "::127.0.0.1", ["127.0.0.1"], False),
    ("IPv4-compatible", "::a00:1", ["10.0.0.1"], False),
    ("IPv4-compatible", "::169.254.169.254", ["169.254.169.254"], False),
    ("IPv4-compatible", "::8.8.8.8", ["8.8.8.8"], True),
    ("NAT64 well-known /96", "64:ff9b::a00:1", ["10.0.0.1"], False),
    ("NAT64 well-known /96", "64:ff9b::127.0.0.1", ["127.0.0.1"], False),
    ("NAT64 well-known /96", "64:ff9b::c0a8:101", ["192.168.1.1"], False),
    ("NAT64 well-known /96", "64:ff9b::808:808", ["8.8.8.8"], True),
    ("NAT64 local-use, /96 layout", "64:ff9b:1::a00:1", ["10.0.0.1"], False),
    ("NAT64 local-use, /96 layout", "64:ff9b:1::808:808", ["8.8.8.8"], True),
    # RFC 6052 /48 layout: IPv4 in bits 48-63 and 72-87 (bits 64-71, the u-octet, are zero)
    ("NAT64 local-use, /48 layout", "64:ff9b:1:a00:0:100::", ["10.0.0.1"], False),
    ("NAT64 local-use, /48 layout", "64:ff9b:1:808:8:800::", ["8.8.8.8"], True),
    # RFC 6052 /64 layout: IPv4 in bits 72-103
    ("NAT64 local-use, /64 layout", "64:ff9b:1:0:a:0:100::", ["10.0.0.1"], False),
    ("NAT64 local-use, /64 layout", "64:ff9b:1:0:8:808:800::", ["8.8.8.8"], True),
    ("6to4", "2002:a00:1::1", ["10.0.0.1"], False),
    ("6to4", "2002:7f00:1::", ["127.0.0.1"], False),
    ("6to4", "2002:808:808::1", ["8.8.8.8"], True),
    # Teredo: server IPv4 in bits 32-63, client IPv4 (bit-inverted) in the last 32 bits
    ("Teredo", "2001:0:4136:e378:8000:63bf:f5ff:fffe", ["65.54.227.120", "10.0.0.1"], False),
    ("Teredo", "2001:0:a00:1:8000:63bf:f7f7:f7f7", ["10.0.0.1", "8.8.8.8"], False),
    ("Teredo", "2001:0:4136:e378:8000:63bf:f7f7:f7f7", ["65.54.227.120", "8.8.8.8"], True),
]


@pytest.mark.parametrize("form, address, inside, allowed", FORMS, ids=[f"{f}:{a}" for f, a, _, _ in FORMS])
def test_every_form_is_judged_by_the_ipv4_inside(form, address, inside, allowed):
    ip = ipaddress.ip_address(address)
    if inside is not None:  # a local-use NAT64 address may fit more than one layout: each is judged
        assert set(inside) <= {str(a) for a in embedded_ipv4(ip)}
    elif ip.version == 6:
        assert embedded_ipv4(ip) is None
    assert is_public(ip) is allowed
    guard = AddressGuard()
    assert guard.address_allowed(address) is allowed
    if allowed:
        guard.check_literal(address)
        assert guard.check_addresses("feed.example.org", [address]) == [address]
    else:
        with pytest.raises(BlockedAddressError):
            guard.check_literal(address)
        with pytest.raises(BlockedAddressError):
            guard.check_addresses("feed.example.org", ["8.8.4.4", address])


@pytest.mark.parametrize("address", ["64:ff9b:1:a00:1:0:0:1", "64:ff9b:1:ff00::1"])
def test_a_local_use_nat64_address_that_fits_no_layout_is_refused(address):
    """No RFC 6052 layout explains it (the u-octet is set, or bits after the IPv4 are not zero):
    the gateway's own layout cannot be known, so it is not judged public."""
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["fec0::1", "feff:ffff::1", "5f00::1", "3fff::1", "3fff:fff::1"])
def test_ipv6_ranges_python_calls_global_that_are_not_are_refused(address):
    """Hostile feeds, round 11: a feed host resolving to fec0::1 (site-local, on old intranets) was
    connected to while 10.0.0.1 was refused; Python 3.11 counts it, SRv6 SIDs (5f00::/16) and the
    documentation range 3fff::/20 as global. A public address beside them still passes."""
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(BlockedAddressError):
        AddressGuard().check_addresses("feed.example.ir", [address])
    assert is_public(ipaddress.ip_address("2a01:4f8::1"))


def test_the_allow_list_covers_the_wrapped_forms_of_its_ipv4_ranges():
    """An intranet allowed as 10.0.0.0/8 is reachable through its NAT64 spelling too."""
    guard = AddressGuard(["10.0.0.0/8"])
    for address in ("10.1.2.3", "64:ff9b::a01:203", "::ffff:10.1.2.3", "2002:a01:203::1"):
        assert guard.address_allowed(address), address
    for address in ("64:ff9b::c0a8:101", "::127.0.0.1"):
        assert not guard.address_allowed(address), address


@pytest.mark.parametrize("host", ["[64:ff9b::7f00:1]", "[64:ff9b:1::7f00:1]", "[::127.0.0.1]", "[::ffff:0:7f00:1]"])
def test_a_feed_url_with_a_wrapped_loopback_is_refused_without_connecting(feed_server, host):
    result = fetch(f"http://{host}:{feed_server.port}/feed.xml",
                   policy=FetchPolicy(connect_timeout=2, read_timeout=2, total_timeout=4))
    assert result.error_code == "private_address" and result.body is None
    assert feed_server.connections == 0


def test_a_name_resolving_to_a_wrapped_private_address_is_refused(feed_server):
    with Fetcher(FetchPolicy(connect_timeout=2, read_timeout=2, total_timeout=4),
                 resolver=lambda host, port: ["64:ff9b::a9fe:a9fe"]) as fetcher:  # 169.254.169.254
        result = fetcher.fetch(feed_server.url("/feed.xml", host="nat64.example.org"))
    assert result.error_code == "private_address"
    assert feed_server.connections == 0


def test_the_allow_list_is_closed_to_a_fetch_that_began_at_a_public_host():
    """A public feed redirected the fetcher to an allowed intranet server (any port) and its answer
    was stored as the public outlet's news (a review of hostile feeds, round 3). ``Fetcher`` closes
    the list for the rest of a fetch whose first hop did not use it; this is the guard's side."""
    from app.monitor.address_guard import allow_list_open, allow_list_used

    guard = AddressGuard(["10.20.30.0/24", "portal.ostan.intranet"])
    used = []
    tokens = allow_list_open.set(True), allow_list_used.set(used)
    try:
        assert guard.address_allowed("93.184.216.34") and used == []  # public: the list not used
        assert guard.address_allowed("10.20.30.5") and used == [True]
        allow_list_open.set(False)
        assert not guard.address_allowed("10.20.30.5")
        assert not guard.address_allowed("::ffff:10.20.30.5")
        assert not guard.host_allowed("portal.ostan.intranet")
        assert guard.address_allowed("93.184.216.34")
        with pytest.raises(BlockedAddressError):
            guard.check_literal("10.20.30.5")
    finally:
        allow_list_open.reset(tokens[0])
        allow_list_used.reset(tokens[1])
    assert guard.address_allowed("10.20.30.5")  # outside a fetch (the feed form's check): as before


def test_a_name_under_localhost_lets_the_resolver_decide_without_using_the_allow_list():
    """With loopback allowed, «news.localhost» passes the literal check so that the resolver says where it
    is; that check spent no use of the list: were the name to resolve to a public address, its redirects
    would stay public (the check recorded a use, which kept the list open to the rest of the fetch)."""
    from app.monitor.address_guard import allow_list_open, allow_list_used

    guard = AddressGuard(["127.0.0.0/8"])
    used = []
    tokens = allow_list_open.set(True), allow_list_used.set(used)
    try:
        guard.check_literal("news.localhost")
        assert used == []
        assert guard.check_addresses("news.localhost", ["93.184.216.34"]) and used == []
        assert guard.check_addresses("news.localhost", ["127.0.0.1"]) and used == [True]
        allow_list_open.set(False)
        with pytest.raises(BlockedAddressError):
            guard.check_literal("localhost.")
    finally:
        allow_list_open.reset(tokens[0])
        allow_list_used.reset(tokens[1])
    guard.check_literal("localhost")  # outside a fetch (the feed form's check): allowed, as before
    with pytest.raises(BlockedAddressError):
        AddressGuard(["10.0.0.0/8"]).check_literal("localhost")


@pytest.mark.parametrize("allowed", [("127.0.0.1/32",), ("::1/128",), ("127.0.0.0/8", "::1/128")])
def test_localhost_is_fetched_under_either_loopback_allowance(feed_server, allowed):
    """The allow-list's loopback is for tests and development (README: «`127.0.0.1/32` for tests»). «localhost»
    was let through only when 127.0.0.1 was listed (``::1/128`` alone refused it before any lookup), and a
    machine whose hosts file gives it both «::1» and «127.0.0.1» (Debian's) had it refused under either single
    allowance: every address had to be listed. RFC 6761 keeps the name for this machine's loopback, so under a
    listed loopback it is fetched from the listed addresses it resolves to; the feed server listens on
    127.0.0.1, so under «::1/128» alone the answer is «could not connect», not «private address»."""
    def debian_hosts(host: str, port: int) -> list[str]:
        return ["::1", "127.0.0.1"] if host == "localhost" else []

    with Fetcher(FetchPolicy(connect_timeout=2, read_timeout=2, total_timeout=4, allow_private=allowed),
                 resolver=debian_hosts) as fetcher:
        result = fetcher.fetch(feed_server.url("/feed.xml").replace("127.0.0.1", "localhost"))
    if "::1/128" in allowed and len(allowed) == 1:
        assert result.error_code == "connect_error"
    else:
        assert result.ok and result.body, (result.error_code, result.error_message_fa)
    with Fetcher(FetchPolicy(connect_timeout=2, allow_private=("10.0.0.0/8",)), resolver=debian_hosts) as fetcher:
        assert fetcher.fetch(feed_server.url("/feed.xml").replace("127.0.0.1", "localhost")).error_code \
            == "private_address"
    guard = AddressGuard(allowed)
    assert guard.check_addresses("news.localhost", ["::1", "127.0.0.1"]) == [
        a for a in ("::1", "127.0.0.1") if guard.address_allowed(a)]
    with pytest.raises(BlockedAddressError):  # another name's addresses: every one must be allowed, as before
        guard.check_addresses("intranet.example", ["::1", "127.0.0.1"] + (["10.0.0.1"] if len(allowed) == 2 else []))
