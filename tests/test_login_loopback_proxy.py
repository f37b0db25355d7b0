"""A reverse proxy on the same machine that reaches the app over TCP loopback (nginx's
``proxy_pass http://127.0.0.1:8000``) without HAMZABAN_TRUSTED_PROXIES: every client's connection
then comes from 127.0.0.1, one address to the login throttle (one stranger's failures made every
user's first login wait, site-wide) and to the session's binding. The unix-socket case was refused
(session 44); this one was not seen at all (session 44's note). A loopback peer that sends a proxy's
headers (X-Forwarded-For, Forwarded, X-Real-IP, X-Forwarded-Proto…) is such a proxy: the login is
refused, 503, naming the setting, before anything is counted. A browser on the machine itself (a
developer's, the tests') sends none and logs in; a client elsewhere that writes the header itself is
no proxy of ours, and its header is not read. Real HTTP against a real waitress server."""
from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from app.extensions import db
from models import ThrottleCounter
from tests.conftest import TEST_PASSWORD, csrf_token, serving


def _login(url: str, username: str, password: str, headers: dict[str, str]) -> httpx.Response:
    with httpx.Client(base_url=url, headers=headers, timeout=60) as browser:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', browser.get("/login").text).group(1)
        return browser.post("/login", data={"username": username, "password": password, "csrf_token": token})


@pytest.mark.parametrize("headers", [
    {"X-Forwarded-For": "203.0.113.9"},  # nginx's $proxy_add_x_forwarded_for
    {"Forwarded": "for=203.0.113.9;proto=https"},  # RFC 7239
    {"X-Real-IP": "203.0.113.9"},  # a copied nginx configuration's other spelling
    {"X-Forwarded-Proto": "https"},  # a proxy that sends only the scheme: still a proxy
], ids=["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-proto"])
def test_a_proxy_on_loopback_without_the_setting_is_refused_naming_it(app, make_user, headers):
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        stranger = [_login(url, f"guess{n}", "Wrong-pass-2019", headers).status_code for n in range(3)]
        owner = _login(url, user.username, TEST_PASSWORD, headers)
    assert stranger == [503] * 3
    assert owner.status_code == 503 and "HAMZABAN_TRUSTED_PROXIES" in owner.text, owner.text[-1500:]
    assert "پیشکاری (پراکسی) روی همین رایانه" in owner.text
    assert not list(db.session.scalars(select(ThrottleCounter.key))), "nothing is counted"


def test_a_browser_on_the_machine_itself_logs_in_as_before(app, make_user):
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        assert _login(url, user.username, TEST_PASSWORD, {}).status_code == 302


def test_a_header_written_by_a_client_elsewhere_is_not_read_and_refuses_nothing(app, client, make_user):
    """No proxy trusted, a client on another machine (a corporate forward proxy adds X-Forwarded-For
    too): its connection's address counts, as before, and its login is not refused."""
    user = make_user(role="staff")
    client.environ_base.update(REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="203.0.113.9")
    wrong = client.post("/login", data={"username": user.username, "password": "Wrong-pass-2019",
                                        "csrf_token": csrf_token(client)})
    assert wrong.status_code == 401
    assert "login:addr:192.0.2.44" in set(db.session.scalars(select(ThrottleCounter.key)))
    right = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD,
                                        "csrf_token": csrf_token(client)})
    assert right.status_code == 302


@pytest.fixture
def behind_a_proxy(monkeypatch):
    """HAMZABAN_TRUSTED_PROXIES=1, read when the ``app`` fixture builds the app (ask for it first)."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_PROXIES", "1")


def test_a_trusted_proxy_on_loopback_that_sends_no_address_is_refused_naming_the_setting(behind_a_proxy, app,
                                                                                      make_user):
    """The mirror case: the setting says a proxy is there, and the proxy on loopback sends no
    X-Forwarded-For (a configuration without nginx's ``proxy_set_header X-Forwarded-For``): every
    client was 127.0.0.1 again. Refused, 503, saying what the proxy must send; with the header each
    client is its own."""
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        stranger = [_login(url, f"guess{n}", "Wrong-pass-2019", {}).status_code for n in range(3)]
        owner = _login(url, user.username, TEST_PASSWORD, {})
        forwarded = _login(url, user.username, TEST_PASSWORD, {"X-Forwarded-For": "203.0.113.9"})
    assert stranger == [503] * 3
    assert owner.status_code == 503 and "X-Forwarded-For" in owner.text, owner.text[-1500:]
    assert forwarded.status_code == 302


def test_the_log_says_a_browser_extension_may_send_the_header_on_a_newcomers_machine(app, make_user, caplog):
    """`make run` and a browser on the same machine whose extension (or a proxy it is told to use for
    loopback) adds X-Forwarded-For or Via: the login is refused as behind a proxy, and the terminal's line
    blamed a reverse proxy alone: setting HAMZABAN_TRUSTED_PROXIES then trusts the extension's address. It
    names the other cause and its cure too (the review of session 45)."""
    user = make_user(role="staff")
    with caplog.at_level("ERROR"), serving(app, threads=2) as url:
        refused = _login(url, user.username, TEST_PASSWORD, {"X-Forwarded-For": "10.9.8.7", "Via": "1.1 ext"})
    assert refused.status_code == 503
    line = next(r.getMessage() for r in caplog.records if "HAMZABAN_TRUSTED_PROXIES" in r.getMessage())
    assert "browser extension" in line and "127.0.0.1" in line, line
