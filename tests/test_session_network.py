"""A session and the login throttle read a client's address alike (session 43): IPv4 as it is, IPv6
by its /64.

A phone's IPv6 privacy address (RFC 8981) changes inside its /64 every few hours, and a laptop's
with every new connection: the session was bound to the whole address, so its owner was logged out
in the middle of an answer («your network address changed») while the throttle, which counts by
/64, rightly saw one client. An attacker rotating addresses inside a /64 gets no fresh throttle
budget (``test_addresses_are_counted_by_host_or_ipv6_64``), and no session either: a copy of the
cookie sent from another /64 is still refused."""
from __future__ import annotations

from tests.conftest import login


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_privacy_address_changing_inside_its_64_keeps_the_session(app, make_user):
    user = make_user(role="staff")
    phone = _from(app, "2001:db8:1:2:aaaa:bbbb:cccc:1")
    login(phone, user)
    assert _logged_in(phone)
    phone.environ_base["REMOTE_ADDR"] = "2001:db8:1:2:1234:5678:9abc:def0"  # the next privacy address
    assert _logged_in(phone)


def test_a_copy_of_the_cookie_from_another_64_is_still_refused(app, make_user):
    user = make_user(role="staff")
    phone = _from(app, "2001:db8:1:2::1")
    login(phone, user)
    thief = _from(app, "2001:db8:1:3::1")  # the next /64: another subscriber
    thief.set_cookie("session", phone.get_cookie("session").value)
    assert not _logged_in(thief)
    assert _logged_in(phone)


def test_an_ipv4_client_seen_as_ipv4_mapped_ipv6_keeps_its_session(app, make_user):
    """A dual-stack listener («[::]:8000») may see the same IPv4 client as «::ffff:10.1.2.3»: the
    throttle counts it as 10.1.2.3, and so does the session now."""
    user = make_user(role="staff")
    browser = _from(app, "10.1.2.3")
    login(browser, user)
    browser.environ_base["REMOTE_ADDR"] = "::ffff:10.1.2.3"
    assert _logged_in(browser)
    browser.environ_base["REMOTE_ADDR"] = "10.1.2.4"
    assert not _logged_in(browser)


def test_an_ipv6_session_bound_before_the_upgrade_is_told_its_address_changed_not_stolen(app, make_user):
    """A session opened before this change was bound to the whole IPv6 address (Flask-Login's digest
    of it): at its next request it is refused once. Its own browser from its own address is no
    thief's copy: audited and told as a change of network (``seen: new_address``), not as another
    browser's (which read as a theft on the audit page, one entry for every IPv6 user that day)."""
    from flask_login.utils import _create_identifier
    from sqlalchemy import select

    from app.extensions import db
    from models import AuditEntry

    user = make_user(role="staff")
    phone = _from(app, "2001:db8:1:2::1")
    login(phone, user)
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(phone.get_cookie("session").value)
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "2001:db8:1:2::1"}):
        data["_id"] = _create_identifier()  # the binding as it was: the whole address
    phone.set_cookie("session", serializer.dumps(data))
    page = phone.get("/", follow_redirects=True).get_data(as_text=True)
    assert "نشانی شبکهٔ این مرورگر از هنگام ورود دگرگون شد" in page
    db.session.expire_all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.foreign"))
    assert entry.details["seen"] == "new_address" and entry.details["same_address"] is True


def test_ipv4_clients_seen_through_a_translator_are_each_their_own_network(app, make_user):
    """Behind a stateless translator (SIIT-DC, RFC 7755: IPv4 clients reach an IPv6-only server as
    64:ff9b::a.b.c.d) every IPv4 client of the Internet shares one /64: a copied cookie passed from any
    of them, one client's failures made all wait, and the wave let any of them through as a «known
    network». Read by the IPv4 address inside, as the feed fetcher's address guard reads these forms;
    a Teredo client by its public IPv4 (all of one Teredo server's clients share its /64)."""
    from app.services.networks import network_of

    user = make_user(role="staff")
    browser = _from(app, "64:ff9b::198.51.100.7")
    login(browser, user)
    thief = _from(app, "64:ff9b::198.51.100.8")  # another IPv4 client through the same translator
    thief.set_cookie("session", browser.get_cookie("session").value)
    assert not _logged_in(thief)
    assert _logged_in(browser)
    assert network_of("64:ff9b::198.51.100.7") == "198.51.100.7"
    assert network_of("::ffff:0:198.51.100.7") == "198.51.100.7"  # IPv4-translated (SIIT)
    assert network_of("2001:0:4136:e378:8000:63bf:3fff:fdd2") == "192.0.2.45"  # Teredo: the client's
    assert network_of("2001:0:4136:e378:8000:63bf:3fff:fdd2") != network_of("2001:0:4136:e378:8000:63bf:3fff:fdd3")
    assert network_of("64:ff9b:1::1") == "64:ff9b:1::/64"  # local-use NAT64: the operator's layout
    assert network_of("::1") == "::/64" and network_of("2001:db8:1:2::9") == "2001:db8:1:2::/64"


def test_the_login_waves_ipv6_48_is_no_ipv4_clients_and_no_translators():
    """The /48 the login wave counts one holder by (session 44): IPv6 only; an IPv4 client seen through
    a translator is its own IPv4 address, and the local-use NAT64 /48 is every IPv4 client of the
    operator's translator: none is counted as one holder's /48."""
    from app.services.networks import prefix_of

    assert prefix_of("2001:db8:aa:7f00::1") == prefix_of("2001:db8:aa:ff::9") == "2001:db8:aa::/48"
    assert prefix_of("2001:db8:ab::1") == "2001:db8:ab::/48"
    for address in ("198.51.100.7", "::ffff:198.51.100.7", "64:ff9b::198.51.100.7", "2002:c000:22d::1",
                    "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b:1::1", "not-an-ip", ""):
        assert prefix_of(address) is None, address
