"""A round of abuse of the login and the session (session 39): what the earlier rounds left open.

Probed and found safe, not repeated here: usernames that differ by Arabic/Persian letters, ZWNJ,
bidi marks, full-width letters, case or spaces (the same throttle key whenever they name the same
account, and no account can hold the others); ``next=`` as «//», «\\», encoded, «javascript:»,
«data:», a mixed-case scheme, Unicode slashes and dots; a session cookie copied before a logout, a
password, role, agency or active change, a reset of the second factor; another session's CSRF
token and a login CSRF; the same recovery code or TOTP code sent by four browsers at once to a
served app (one login); an unknown, inactive or existing name answer alike (status, size, time
with the real argon2 parameters); HEAD, OPTIONS, PUT, DELETE and a method override on the
state-changing routes change nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from models import AuditEntry, ThrottleCounter, UserSession
from tests.conftest import csrf_token, login


@pytest.fixture
def behind_a_proxy(monkeypatch):
    """HAMZABAN_TRUSTED_PROXIES=1, read when the ``app`` fixture builds the app (ask for it first)."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_PROXIES", "1")


def test_behind_a_proxy_a_scoped_forwarded_address_brings_no_text_of_its_own(behind_a_proxy, app, make_user):
    """A client that reached the app without the proxy wrote the trusted entry of X-Forwarded-For
    as an IPv6 address with a zone («2001:db8::1%admin-office-pc»): Python reads any text after
    «%» as the zone, so the entry passed for an address, and that text (64 characters of it, C1
    controls of a UTF-8 header read as Latin-1, a NUL through the test client: a 500 on
    PostgreSQL) became the address of the audit's login entries and of the session list. A zone
    names an interface of the host that saw the connection, nothing the app can use: dropped."""
    user = make_user(role="staff", username="target")
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "2001:db8::1%admin-office-pc"
    wrong = client.post("/login", data={"username": "target", "password": "wrong", "csrf_token": csrf_token(client)})
    assert wrong.status_code == 401
    login(client, user)
    db.session.expire_all()
    addresses = [entry.details["address"] for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(("login.failed", "login.succeeded"))))]
    assert addresses == ["2001:db8::1", "2001:db8::1"]
    assert [row.address for row in db.session.scalars(select(UserSession))] == ["2001:db8::1"]
    assert "login:addr:2001:db8::/64" in set(db.session.scalars(select(ThrottleCounter.key)))
