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

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from models import AuditEntry, ThrottleCounter, UserSession
from tests.conftest import csrf_token, login
from tests.test_two_factor import _code, _code_step, _password_step, enrolled  # noqa: F401 - the fixture


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


@pytest.mark.parametrize("typed", [
    "{a}\u200c{b}",  # Shift+Space on the Persian keyboard is ZWNJ, not a space
    "{a}-{b}", "{a}\u2013{b}",  # grouped with a dash, as some apps show it
    "{a} {b}",
])
def test_a_code_grouped_with_a_zwnj_or_a_dash_logs_in(app, enrolled, clock, typed):
    """A right code typed in two groups of three was refused unless the groups were split by a
    space: by the Persian keyboard's Shift+Space (ZWNJ) or by a dash it was a wrong code, audited
    as one and counted toward the twenty in a row that close the code step."""
    user, _codes = enrolled
    browser = app.test_client()
    _password_step(browser, user)
    code = _code(user, clock).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = _code_step(browser, typed.format(a=code[:3], b=code[3:]))
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_code_in_full_width_digits_logs_in_and_letters_still_do_not(app, enrolled, clock):
    user, _codes = enrolled
    browser = app.test_client()
    _password_step(browser, user)
    code = _code(user, clock)
    wrong = _code_step(browser, code[:3] + "x" + code[3:])
    assert wrong.status_code == 401 and "کد درست نیست" in wrong.get_data(as_text=True)
    full_width = code.translate(str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10))))
    right = _code_step(browser, full_width)
    assert right.status_code == 302 and right.headers["Location"] == "/"


def test_logging_out_keeps_the_readers_language_and_counts_in_its_digits(app, make_user):
    """«از همهٔ 2 نشست بیرون آمدید»: the count of «log out everywhere» in ASCII digits on a Persian
    page; and a reader who chose English was sent back to Persian by logging out (the login keeps
    the chosen language: ``_fresh_session``; the logout dropped it with everything else)."""
    user = make_user(role="staff")
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    page = first.post("/logout/everywhere", data={"csrf_token": csrf_token(first, "/")},
                      follow_redirects=True).get_data(as_text=True)
    assert "از همهٔ ۲ نشست بیرون آمدید." in page
    english = app.test_client()
    english.post("/language/en", data={"csrf_token": csrf_token(english), "next": "/login"})
    login(english, user)
    out = english.post("/logout", data={"csrf_token": csrf_token(english, "/")}, follow_redirects=True)
    html = out.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html and "از سامانه بیرون آمدید" not in html
    assert english.get("/").status_code == 302  # logged out all the same
    assert re.search(r"user\.logged_out", " ".join(db.session.scalars(select(AuditEntry.action))))


def test_a_right_code_sent_twice_at_once_is_not_audited_or_counted_as_a_wrong_one(app, enrolled, clock, monkeypatch):
    """A double click on the code form sends the right code twice at once: the first copy logs in
    and uses the code's step; the second, past its "spent?" check before the first finished, found
    the code used and was audited as a wrong code («login.code_failed», in a row) and counted toward
    the twenty that close the code step, though no one guessed anything (four browsers sending one
    code to a served app wrote three). It is the spent step it is (``login.code_late``, "used")."""
    from app import throttle
    from app.services import login as login_service
    from app.services.code_failures import code_failures_key
    from app.services.sessions import Client
    from models import User

    user, _codes = enrolled
    db.session.expire_all()
    client = Client(address="10.0.0.5", user_agent="test")
    assert login_service.log_in(user.username, "correct horse battery staple", client).needs_code
    password_at, tag, last = clock.now, login_service.password_tag(user), login_service.last_login_tag(user)
    code = _code(user, clock)
    check = login_service.check_second_factor

    def the_other_copy_logs_in_meanwhile(*args):
        step = int(clock.now.timestamp()) // 30
        with db.engine.begin() as other:  # the first copy's login, committed on its own connection
            other.execute(User.__table__.update().where(User.__table__.c.id == user.id)
                          .values(last_login_at=clock.now, totp_last_step=step))
        throttle.clear(code_failures_key(user.id))  # its success forgets the wrong codes (none)
        return check(*args)

    monkeypatch.setattr(login_service, "check_second_factor", the_other_copy_logs_in_meanwhile)
    with pytest.raises(login_service.CodeStepOver) as over:
        login_service.log_in_with_code(user.id, password_at, code, client, tag, last)
    assert over.value.reason == "used"
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == user.id)
                                      .order_by(AuditEntry.id)))
    assert "login.code_failed" not in actions and actions[-1] == "login.code_late"
    assert throttle.counts([code_failures_key(user.id)]).get(code_failures_key(user.id), 0) == 0


def test_the_second_of_a_double_clicked_code_form_goes_back_to_the_login_form(app, enrolled, clock, monkeypatch):
    """The same, through the pages (an anonymous request reads accounts in no agency's scope): the
    second copy lands on the login form that says the login finished, and no wrong code is audited."""
    from app.services import login as login_service
    from models import User

    user, _codes = enrolled
    browser = app.test_client()
    _password_step(browser, user)
    token = csrf_token(browser, "/login/code")
    code = _code(user, clock)
    check = login_service.check_second_factor

    def the_other_copy_logs_in_meanwhile(*args):
        with db.engine.begin() as other:
            other.execute(User.__table__.update().where(User.__table__.c.id == user.id)
                          .values(last_login_at=clock.now, totp_last_step=int(clock.now.timestamp()) // 30))
        return check(*args)

    monkeypatch.setattr(login_service, "check_second_factor", the_other_copy_logs_in_meanwhile)
    second = browser.post("/login/code", data={"code": code, "csrf_token": token})
    assert second.status_code == 302 and second.headers["Location"] == "/login?over=used"
    db.session.expire_all()
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == user.id)
                                      .order_by(AuditEntry.id)))
    assert "login.code_failed" not in actions and actions[-1] == "login.code_late"
