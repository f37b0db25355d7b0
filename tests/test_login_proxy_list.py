"""HAMZABAN_TRUSTED_PROXIES as the proxies' addresses (session 46). Under a count, every connection's
X-Forwarded-For was read: a gateway on another machine means the app listens beyond loopback, and any
host that reached its port wrote the header itself and chose a new address for every guess, past the
per-address wait. Under a list only a listed proxy's header is read, from the right past every listed
address (two proxies on one machine). Real HTTP against a real waitress server listening on every
address: this machine's own non-loopback address (the «host elsewhere») and loopback (the proxy)."""
from __future__ import annotations

import re
import socket

import httpx
import pytest
from sqlalchemy import select

from app.config import ConfigError, load_config
from app.extensions import db
from models import ThrottleCounter
from tests.conftest import TEST_PASSWORD, serving


def _own_address() -> str | None:
    """An address of this machine that is not loopback (the route out), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: the kernel picks the source address
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


ELSEWHERE = _own_address()


def _login(url: str, username: str, password: str, headers: dict[str, str]) -> httpx.Response:
    with httpx.Client(base_url=url, headers=headers, timeout=60) as browser:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', browser.get("/login").text).group(1)
        return browser.post("/login", data={"username": username, "password": password, "csrf_token": token})


def _counted() -> set[str]:
    db.session.expire_all()
    return {key for key in db.session.scalars(select(ThrottleCounter.key)) if key.startswith("login:addr:")}


@pytest.fixture
def listed(monkeypatch):
    """nginx on this machine listed; read when the ``app`` fixture builds the app (ask for it first)."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_PROXIES", "127.0.0.1, ::1")


@pytest.mark.skipif(ELSEWHERE is None, reason="this machine has no address but loopback")
def test_a_host_elsewhere_cannot_choose_its_address_by_writing_the_header(listed, app, make_user):
    assert app.config["TRUSTED_PROXIES"] == ("127.0.0.1/32", "::1/128")
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 3
    make_user(role="staff")
    with serving(app, threads=2, host="0.0.0.0") as url:
        port = url.rsplit(":", 1)[1]
        answers = [_login(f"http://{ELSEWHERE}:{port}", f"guess{n}", "Wrong-pass-2019",
                          {"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(5)]
    assert answers[:3] == [401] * 3 and 429 in answers[3:], answers
    assert {key.split("|")[0] for key in _counted()} == {f"login:addr:{ELSEWHERE}"}


def test_two_proxies_on_one_machine_and_a_clients_own_entry(listed, app, make_user):
    """nginx → a second proxy → the app, both on loopback: «client, 127.0.0.1». The client's own entry
    to the left of what nginx appended is not read («6.6.6.6»); a count of 2 read it whenever a request
    came through one proxy only."""
    user = make_user(role="staff")
    with serving(app, threads=2, host="0.0.0.0") as url:
        through_both = _login(url, "someone", "Wrong-pass-2019", {"X-Forwarded-For": "203.0.113.7, 127.0.0.1"})
        written = _login(url, "someone", "Wrong-pass-2019", {"X-Forwarded-For": "6.6.6.6, 203.0.113.8"})
        owner = _login(url, user.username, TEST_PASSWORD, {"X-Forwarded-For": "203.0.113.9"})
    assert (through_both.status_code, written.status_code, owner.status_code) == (401, 401, 302)
    assert {"login:addr:203.0.113.7", "login:addr:203.0.113.8"} <= _counted() and "login:addr:6.6.6.6" not in _counted()


@pytest.mark.parametrize("header", [None, "not-an-address", "203.0.113.7, junk"])
def test_a_listed_proxy_that_sends_no_readable_address_is_refused(listed, app, make_user, header):
    """Every client would be the proxy: refused, 503, nothing counted (as under a count)."""
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        owner = _login(url, user.username, TEST_PASSWORD, {"X-Forwarded-For": header} if header else {})
    assert owner.status_code == 503 and "X-Forwarded-For" in owner.text
    assert _counted() == set()


@pytest.fixture
def gateway_listed(monkeypatch):
    """Only a gateway on another host listed; read when the ``app`` fixture builds the app."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_PROXIES", "10.20.0.5")


def test_a_proxy_on_loopback_the_list_forgot_is_refused(gateway_listed, app, make_user):
    """The list names the governorate's gateway only, and nginx on this machine forwards too: every client
    through nginx would be 127.0.0.1: refused, naming the setting."""
    assert app.config["TRUSTED_PROXIES"] == ("10.20.0.5/32",)
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        owner = _login(url, user.username, TEST_PASSWORD, {"X-Forwarded-For": "203.0.113.9"})
        plain = _login(url, user.username, TEST_PASSWORD, {})
    assert owner.status_code == 503 and "HAMZABAN_TRUSTED_PROXIES" in owner.text
    assert plain.status_code == 302  # a browser on the machine itself


@pytest.mark.parametrize("value, read", [
    ("1", 1), ("0", 0), (" 127.0.0.1 ", ("127.0.0.1/32",)), ("10.20.0.5,10.20.0.6", ("10.20.0.5/32", "10.20.0.6/32")),
    ("10.20.0.3/29, ::1", ("10.20.0.0/29", "::1/128")),
])
def test_the_setting_takes_a_count_or_addresses(value, read):
    assert load_config({"HAMZABAN_TRUSTED_PROXIES": value})["TRUSTED_PROXIES"] == read


@pytest.mark.parametrize("value", ["6", "-1", "10.0.0.300", "proxy.ostan.ir", "127.0.0.1,", "۱۲۷.۰.۰.۱",
                                   "fe80::1%eth0", "1.5"])
def test_a_setting_that_is_neither_is_refused_naming_it(value):
    with pytest.raises(ConfigError, match="HAMZABAN_TRUSTED_PROXIES"):
        load_config({"HAMZABAN_TRUSTED_PROXIES": value})


@pytest.fixture
def over_https(monkeypatch):
    monkeypatch.setenv("HAMZABAN_HTTPS", "1")


def test_a_listed_proxys_https_is_the_requests_scheme(listed, over_https, app, make_user):
    """Over HTTPS the form token's check also wants a same-site Referer: the scheme must be the proxy's
    X-Forwarded-Proto, read from a listed proxy only. A login through the proxy passes; a foreign Referer
    does not log in."""
    assert app.config["HTTPS"] and app.config["TRUSTED_PROXIES"] == ("127.0.0.1/32", "::1/128")
    user = make_user(role="staff")
    for peer, referer, expected in [("127.0.0.1", "https://localhost/login", 302),
                                    ("127.0.0.1", "https://evil.example/login", 400)]:
        browser = app.test_client()
        browser.environ_base.update(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR="203.0.113.9",
                                    HTTP_X_FORWARDED_PROTO="https", HTTP_REFERER=referer)
        page = browser.get("/login", base_url="https://localhost").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = browser.post("/login", base_url="http://localhost", data={
            "username": user.username, "password": TEST_PASSWORD, "csrf_token": token})
        assert answer.status_code == expected, (peer, referer, answer.get_data(as_text=True)[-800:])


def test_a_host_not_listed_keeps_its_address_and_scheme_whatever_it_writes():
    from app.web.client import PROXY_PEER, TrustedProxyList

    seen = {}
    proxied = TrustedProxyList(lambda environ, start: seen.update(environ) or [], ("127.0.0.1/32",))
    headers = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "http"}
    proxied({"REMOTE_ADDR": "192.0.2.44", **headers}, None)
    assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"], seen[PROXY_PEER]) == ("192.0.2.44", "http", ("192.0.2.44", False))
    proxied({"REMOTE_ADDR": "::ffff:127.0.0.1", **headers}, None)  # a dual-stack listener's loopback
    assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"]) == ("203.0.113.9", "https")


def test_the_page_a_forgotten_loopback_proxy_gets_says_the_list_leaves_it_out(gateway_listed, app, make_user):
    """The setting is set (a list naming the gateway only): the 503 page said it «is not set» (گذاشته نشده
    است), sending the administrator to look for a missing setting rather than a missing address (review of
    session 46)."""
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        page = _login(url, user.username, TEST_PASSWORD, {"X-Forwarded-For": "203.0.113.9"}).text
    assert "گذاشته نشده" not in page and "127.0.0.1" in page and "فهرست" in page, page[-1500:]


def test_a_listed_ipv4_mapped_address_is_the_proxys_address():
    """«::ffff:127.0.0.1» (a dual-stack listener's name for nginx on 127.0.0.1) was kept as an IPv6 network
    while the connection's mapped address was read as IPv4: the listed proxy was never trusted."""
    from app.web.client import PROXY_PEER, TrustedProxyList

    value = load_config({"HAMZABAN_TRUSTED_PROXIES": "::ffff:127.0.0.1, ::ffff:10.20.0.0/120"})["TRUSTED_PROXIES"]
    assert value == ("127.0.0.1/32", "10.20.0.0/24")
    seen = {}
    proxied = TrustedProxyList(lambda environ, start: seen.update(environ) or [], value)
    for peer in ("::ffff:127.0.0.1", "127.0.0.1", "::ffff:10.20.0.7"):
        proxied({"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, None)
        assert (seen["REMOTE_ADDR"], seen[PROXY_PEER]) == ("203.0.113.9", (peer, True)), peer


@pytest.mark.parametrize("value", ["0.0.0.0/0", "::/0", "127.0.0.1, 0.0.0.0/0", "::ffff:0.0.0.0/96"])
def test_a_network_of_every_address_is_refused(value):
    """Every connection a proxy, and every entry too: the leftmost, the client's own writing, was its
    address (worse than a count). Refused at start, naming the setting."""
    with pytest.raises(ConfigError, match="HAMZABAN_TRUSTED_PROXIES"):
        load_config({"HAMZABAN_TRUSTED_PROXIES": value})
