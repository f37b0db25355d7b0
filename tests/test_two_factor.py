"""The second factor: enrolment with an offline QR code, login with a code, single-use codes and
recovery codes, required for admins and supervisors by setting, reset by an admin (audited)."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from app import create_app
from app.config import ConfigError
from app.extensions import db
from app.services.login import housekeeping_job
from models import AuditEntry, RecoveryCode, User, UserSession
from tests.conftest import TEST_PASSWORD, csrf_token, login, spray_address_to_its_longest_wait


def _code(user: User, clock, offset: int = 0) -> str:
    db.session.refresh(user)
    return pyotp.TOTP(user.totp_secret).at(clock.now.timestamp() + offset)


def _actions(user):
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == user.id).order_by(AuditEntry.id)))


def _enrol(client, user, clock) -> list[str]:
    """Set up the second factor through the pages; returns the recovery codes shown."""
    token = csrf_token(client, "/account/two-factor")
    assert client.post("/account/two-factor/start", data={"csrf_token": token, "password": TEST_PASSWORD}
                       ).status_code == 302
    response = client.post("/account/two-factor/confirm", data={"csrf_token": token, "code": _code(user, clock)})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return re.findall(r"<li><code>([a-z0-9-]{29})</code></li>", response.get_data(as_text=True))


def _password_step(client, user, password=TEST_PASSWORD):
    return client.post("/login", data={"username": user.username, "password": password,
                                       "csrf_token": csrf_token(client)})


def _code_step(client, code):
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})


@pytest.fixture
def enrolled(app, make_user, clock):
    """A staff user with the second factor on, logged out again; (user, recovery codes)."""
    user = make_user(role="staff")
    client = app.test_client()
    login(client, user)
    codes = _enrol(client, user, clock)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    clock.advance(seconds=30)  # the enrolment code's step is used up
    return user, codes


def test_enrolment_shows_an_offline_qr_code_and_ten_recovery_codes(app, client, make_user, clock):
    user = make_user(role="staff")
    login(client, user)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "راه‌اندازی" in page and "data:image" not in page
    token = csrf_token(client, "/account/two-factor")
    wrong = client.post("/account/two-factor/start", data={"csrf_token": token, "password": "not my password"},
                        follow_redirects=True)
    assert "گذرواژهٔ کنونی درست نیست" in wrong.get_data(as_text=True)  # a change of factors: password again
    db.session.refresh(user)
    assert user.totp_secret is None
    client.post("/account/two-factor/start", data={"csrf_token": token, "password": TEST_PASSWORD})
    page = client.get("/account/two-factor").get_data(as_text=True)
    db.session.refresh(user)
    assert re.search(r'<img[^>]+src="data:image/svg\+xml', page)  # allowed by img-src 'self' data:
    assert user.totp_secret in page and user.totp_enabled_at is None  # typed by hand if need be
    assert "http://" not in page.split("<main", 1)[1] and "https://" not in page.split("<main", 1)[1]
    # A wrong code: said, and the secret waits for a right one.
    wrong = client.post("/account/two-factor/confirm", data={"csrf_token": csrf_token(client, "/account/two-factor"),
                                                            "code": "000000" if _code(user, clock) != "000000" else "111111"})
    assert wrong.status_code == 400 and "کد درست نیست" in wrong.get_data(as_text=True)
    codes = _enrol_confirm(client, user, clock)
    assert len(codes) == len(set(codes)) == 10
    db.session.refresh(user)
    assert user.totp_enabled_at == clock.now
    stored = db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not any(code.replace("-", "") in row.code_hash for row in stored for code in codes)
    assert "user.totp_enabled" in _actions(user)


def _enrol_confirm(client, user, clock) -> list[str]:
    response = client.post("/account/two-factor/confirm", data={
        "csrf_token": csrf_token(client, "/account/two-factor"), "code": _code(user, clock)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9-]{29})</code></li>", response.get_data(as_text=True))


def test_turning_it_on_ends_the_other_sessions_and_keeps_this_one(app, make_user, clock):
    """A session opened with the password alone must not outlive the second factor: not a
    stranger's who knew the password, nor (for a role that must use one) a session that could
    only reach the set-up page and would have become a full admin session when the owner set it up."""
    app.config["MFA_REQUIRED_ROLES"] = ("admin",)
    admin = make_user(role="admin")
    stranger, owner = app.test_client(), app.test_client()
    login(stranger, admin)
    assert stranger.get("/admin/users").headers["Location"].split("?")[0].endswith("/account/two-factor")
    login(owner, admin)
    _enrol(owner, admin, clock)
    assert owner.get("/admin/users").status_code == 200
    assert stranger.get("/admin/users").headers["Location"].endswith("/login?next=%2Fadmin%2Fusers")
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == admin.id)
                              .order_by(UserSession.id)).all()
    assert [row.end_reason for row in rows] == ["two-factor-on", ""]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.totp_enabled")).one()
    assert entry.details["sessions_ended"] == 1


def test_a_copy_of_the_cookie_taken_before_the_set_up_is_refused_after_it(app, make_user, clock):
    """Whoever copied the owner's cookie while the session was still a password-only one (for an
    admin: a session that reached the set-up page alone) does not get the full session the owner's
    set-up turns it into; the owner's browser goes on."""
    app.config["MFA_REQUIRED_ROLES"] = ("admin",)
    admin = make_user(role="admin")
    owner = app.test_client()
    login(owner, admin)
    copy = app.test_client()
    copy.set_cookie("session", owner.get_cookie("session").value)
    assert copy.get("/admin/users").headers["Location"].split("?")[0].endswith("/account/two-factor")
    _enrol(owner, admin, clock)
    assert owner.get("/admin/users").status_code == 200
    assert copy.get("/admin/users").headers["Location"].endswith("/login?next=%2Fadmin%2Fusers")
    assert owner.get("/admin/users").status_code == 200


def test_a_set_up_left_unfinished_is_not_finished_from_another_session(app, make_user, clock):
    """Found by probing a running server: "set up" asks for the password, but the secret it made
    waited with no end, and the two-factor page showed it, and its first code turned it on, in
    any session of the user. The owner began the set-up one day and left it; a session opened
    later (a copied cookie, a browser left open) read the secret, turned the second factor on with
    it, kept the recovery codes and ended the owner's other sessions, the password never typed.
    The secret shows, and turns on, only in the session that typed the password for it."""
    user = make_user(role="staff")
    owner = app.test_client()
    login(owner, user)
    token = csrf_token(owner, "/account/two-factor")
    assert owner.post("/account/two-factor/start", data={"csrf_token": token, "password": TEST_PASSWORD}
                      ).status_code == 302
    db.session.refresh(user)
    secret = user.totp_secret
    assert secret in owner.get("/account/two-factor").get_data(as_text=True)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.6.6.6"
    login(other, user)
    page = other.get("/account/two-factor").get_data(as_text=True)
    assert secret not in page and 'name="password"' in page  # the set-up starts again, password first
    refused = other.post("/account/two-factor/confirm", data={"csrf_token": csrf_token(other, "/account/two-factor"),
                                                             "code": _code(user, clock)})
    assert refused.status_code == 400 and "نخست «راه‌اندازی» را بزنید" in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.totp_enabled_at is None and owner.get("/").status_code == 200
    # The session that typed the password finishes it.
    assert len(_enrol_confirm(owner, user, clock)) == 10


def _enrol_confirm(client, user, clock) -> list[str]:
    response = client.post("/account/two-factor/confirm", data={"csrf_token": csrf_token(client, "/account/two-factor"),
                                                               "code": _code(user, clock)})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return re.findall(r"<li><code>([a-z0-9-]{29})</code></li>", response.get_data(as_text=True))


def test_login_asks_for_the_code_after_the_password(app, client, enrolled, clock):
    user, _codes = enrolled
    response = _password_step(client, user)
    assert response.status_code == 302 and "/login/code" in response.headers["Location"]
    assert client.get("/").status_code == 302  # not in yet
    assert _code_step(client, "123 456" if _code(user, clock) != "123456" else "654321").status_code == 401
    persian_digits = _code(user, clock).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = _code_step(client, persian_digits)  # typed on a Persian keyboard
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.succeeded")
                               .order_by(AuditEntry.id)).all()[-1]
    assert entry.details["method"] == "totp"


def test_a_right_password_before_the_code_is_audited(app, client, enrolled, clock):
    """A guesser who finds the password of an account with a second factor and stops there left
    failures and then nothing in the trail; the right password is recorded, and so is the code."""
    user, _codes = enrolled
    _password_step(client, user, "a wrong guess")
    assert _password_step(client, user).headers["Location"].startswith("/login/code")
    assert _actions(user)[-2:] == ["login.failed", "login.password_accepted"]
    _code_step(client, _code(user, clock))
    assert _actions(user)[-1] == "login.succeeded"


def test_a_code_is_good_once(app, enrolled, clock):
    user, _codes = enrolled
    first, second = app.test_client(), app.test_client()
    code = _code(user, clock)
    _password_step(first, user)
    assert _code_step(first, code).status_code == 302
    _password_step(second, user)
    assert _code_step(second, code).status_code == 401  # the same code again: refused (replay)
    clock.advance(seconds=30)
    assert _code_step(second, _code(user, clock)).status_code == 302


def test_a_recovery_code_works_once(app, enrolled, clock):
    user, codes = enrolled
    client = app.test_client()
    _password_step(client, user)
    response = _code_step(client, codes[3].upper().replace("-", " "))
    assert response.status_code == 302
    assert "کد بازیابی" in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    _password_step(client, user)
    assert _code_step(client, codes[3]).status_code == 401
    assert _code_step(client, codes[4]).status_code == 302
    assert _actions(user).count("user.recovery_code_used") == 2


def test_the_code_page_waits_after_five_wrong_codes(app, client, enrolled, clock):
    user, _codes = enrolled
    _password_step(client, user)
    right = _code(user, clock)
    wrong = [c for c in ("111111", "222222", "333333", "444444", "555555", "666666") if c != right][:5]
    # The code step counts on the account's own code-step key (not the username's, on which the
    # right password's try waits until the login is finished): five free wrong codes, then a wait.
    statuses = [_code_step(client, code).status_code for code in wrong]
    assert statuses == [401, 401, 401, 401, 401], statuses
    refused = _code_step(client, right)
    assert refused.status_code == 429 and "ثانیه دیگر" in refused.get_data(as_text=True)


def test_the_code_must_come_within_five_minutes(app, client, enrolled, clock):
    user, _codes = enrolled
    _password_step(client, user)
    clock.advance(minutes=6)
    response = _code_step(client, _code(user, clock))
    _assert_back_on_the_login_form(client, response)
    late = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.code_late")).one()
    assert late.actor_id == user.id and late.details["reason"] == "time"
    assert _actions(user)[-2:] == ["login.password_accepted", "login.code_late"]


LATE = "مهلت وارد کردن کد گذشت؛ دوباره نام کاربری و گذرواژه را بنویسید."
CODES_LOCKED = "کدهای نادرست پیاپی برای این حساب از اندازه گذشت و ورود با کد بسته شد."


def _assert_back_on_the_login_form(client, response, message=LATE):
    """A code step that is over (late, or closed after too many wrong codes) ends the pending login:
    the user is sent to the login form, which says why, and the code page is gone (it kept showing,
    asking for a code no longer accepted)."""
    assert response.status_code == 302 and response.headers["Location"].split("?")[0] == "/login"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert 'name="password"' in page and 'name="code"' not in page
    code_page = client.get("/login/code")
    assert code_page.status_code == 302 and code_page.headers["Location"].split("?")[0] == "/login"


def test_the_code_page_without_a_password_goes_back_to_login(client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_admins_and_supervisors_must_set_it_up_by_default(app, client, make_user, clock):
    app.config["MFA_REQUIRED_ROLES"] = ("admin", "supervisor")  # the default (the fixture turns it off)
    admin = make_user(role="admin")
    login(client, admin)
    for path in ("/", "/admin/users", "/search/?q=x"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].split("?")[0].endswith("/account/two-factor"), path
    assert "پیش از هر کار دیگری" in client.get("/account/two-factor").get_data(as_text=True)
    # nor does an error page show the menu and its counts meanwhile (a review of the login, round 9)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and 'href="/admin/users"' not in missing.get_data(as_text=True)
    _enrol(client, admin, clock)
    assert client.get("/admin/users").status_code == 200
    assert 'href="/admin/users"' in client.get("/no-such-page").get_data(as_text=True)
    staff = make_user(role="staff")
    other = app.test_client()
    login(other, staff)
    assert other.get("/").status_code == 200  # staff: their choice


def test_the_default_setting_names_admins_and_supervisors(app):
    from app.config import load_config

    assert load_config({})["MFA_REQUIRED_ROLES"] == ("admin", "supervisor")


def test_an_unknown_role_in_the_setting_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMZABAN_MFA_REQUIRED_ROLES", "admin,superuser")
    with pytest.raises(ConfigError, match="HAMZABAN_MFA_REQUIRED_ROLES.*superuser"):
        create_app({"SECRET_KEY": "k", "DATA_DIR": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_an_admin_resets_a_lost_second_factor(app, client, enrolled, make_user, clock):
    user, _codes = enrolled
    theirs = app.test_client()
    _password_step(theirs, user)
    _code_step(theirs, _code(user, clock))
    admin = make_user(role="admin")
    login(client, admin)
    assert "بازنشانی ورود دومرحله‌ای" in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{user.id}/two-factor/reset",
                           data={"csrf_token": csrf_token(client, f"/admin/users/{user.id}")})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.totp_secret is None and user.totp_enabled_at is None
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    assert theirs.get("/").status_code == 302  # their sessions ended
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.totp_reset")).one()
    assert entry.actor_id == admin.id and entry.object_id == user.id
    assert _password_step(app.test_client(), user).headers["Location"] == "/"  # a password alone again


def test_only_an_admin_resets_it(app, client, enrolled, make_user):
    user, _codes = enrolled
    login(client, make_user(role="supervisor"))
    assert client.post(f"/admin/users/{user.id}/two-factor/reset",
                       data={"csrf_token": csrf_token(client, "/")}).status_code == 403


def test_renewing_recovery_codes_needs_a_code_and_replaces_the_old_ones(app, client, enrolled, clock):
    user, old = enrolled
    _password_step(client, user)
    _code_step(client, _code(user, clock))
    clock.advance(seconds=30)
    token = csrf_token(client, "/account/two-factor")
    refused = client.post("/account/two-factor/recovery-codes", data={"csrf_token": token, "code": old[0]})
    assert refused.status_code == 400
    response = client.post("/account/two-factor/recovery-codes", data={"csrf_token": token, "code": _code(user, clock)})
    new = re.findall(r"<li><code>([a-z0-9-]{29})</code></li>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    _password_step(client, user)
    assert _code_step(client, old[1]).status_code == 401
    assert _code_step(client, new[0]).status_code == 302


def test_wrong_codes_at_renewal_are_bounded_without_closing_the_owners_login(app, client, enrolled, clock):
    """The review of the login (session 26): guesses at the renewal form were not bounded, so a
    stolen session could guess codes for its whole life and take ten recovery codes of its own.
    Round 2: on the login's own bound, the session alone closed every new login of its owner. The
    renewal now has a bound of its own; the owner still logs in, and a login with a code opens it."""
    app.config["CODE_FAILURES_MAX"] = 3
    user, _codes = enrolled
    _password_step(client, user)
    _code_step(client, _code(user, clock))
    clock.advance(seconds=30)
    right = _code(user, clock)
    wrong = "000000" if right != "000000" else "111111"
    token = csrf_token(client, "/account/two-factor")
    for _ in range(3):
        clock.advance(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"] + 1)  # no growing wait in the way
        client.post("/account/two-factor/recovery-codes", data={"csrf_token": token, "code": wrong})
    clock.advance(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"] + 1)
    closed = client.post("/account/two-factor/recovery-codes", data={"csrf_token": token, "code": _code(user, clock)},
                         follow_redirects=True)
    assert "ساختن کدهای پشتیبان تازه از اندازه گذشت" in closed.get_data(as_text=True)
    assert "login.codes_locked" not in _actions(user)
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()  # the old codes stay
    owner = app.test_client()  # the owner, elsewhere: the login's code step is open
    clock.advance(seconds=30)
    _password_step(owner, user)
    assert _code_step(owner, _code(user, clock)).headers["Location"].endswith("/")
    clock.advance(seconds=30)
    renewed = owner.post("/account/two-factor/recovery-codes",  # and the login opened the renewal again
                         data={"csrf_token": csrf_token(owner, "/account/two-factor"), "code": _code(user, clock)})
    assert renewed.status_code == 200 and "user.recovery_codes_renewed" in _actions(user)


def test_a_wrong_password_at_set_up_and_a_wrong_code_at_renewal_are_audited(app, client, enrolled, make_user, clock):
    """Both are guesses of a secret from a logged-in session (under the login throttle), as the
    change-password form's current password is: each failure leaves an audit entry."""
    user, _codes = enrolled
    _password_step(client, user)
    _code_step(client, _code(user, clock))
    clock.advance(seconds=30)
    right = _code(user, clock)
    token = csrf_token(client, "/account/two-factor")
    refused = client.post("/account/two-factor/recovery-codes",
                          data={"csrf_token": token, "code": "000000" if right != "000000" else "111111"})
    assert refused.status_code == 400 and "کد درست نیست" in refused.get_data(as_text=True)
    assert _actions(user)[-1] == "user.recovery_codes_renew_failed"
    other = make_user(role="staff")
    theirs = app.test_client()
    login(theirs, other)
    response = theirs.post("/account/two-factor/start", data={
        "csrf_token": csrf_token(theirs, "/account/two-factor"), "password": "not my password"}, follow_redirects=True)
    assert "گذرواژهٔ کنونی درست نیست" in response.get_data(as_text=True)
    assert _actions(other)[-1] == "user.totp_setup_failed"
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "گذرواژهٔ نادرست در راه‌اندازی ورود دومرحله‌ای" in page and "کد نادرست در ساختن کدهای بازیابی" in page


def test_sessions_of_an_enrolled_user_are_server_side_too(app, client, enrolled, clock):
    user, _codes = enrolled
    _password_step(client, user)
    _code_step(client, _code(user, clock))
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert [row.ended_at for row in rows][-1] is None


def test_the_code_step_ends_when_the_password_changes(app, enrolled, make_user, clock):
    """A guesser who got the password right and waits on the code page is out once the owner
    changes the password: the right code no longer finishes that login."""
    from app.services.accounts import UserInput, update_user

    user, _codes = enrolled
    guesser = app.test_client()
    _password_step(guesser, user)
    update_user(user, UserInput(username=user.username, role=user.role, password="a brand new long phrase",
                                display_name=user.display_name, email=user.email or "",
                                agency_slug=user.agency.slug if user.agency else None),
                is_active=True, actor=make_user(role="admin"))
    response = _code_step(guesser, _code(user, clock))
    _assert_back_on_the_login_form(guesser, response)
    late = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.code_late")).one()
    assert late.actor_id == user.id and late.details["reason"] == "password-changed"
    owner = app.test_client()
    _password_step(owner, user, "a brand new long phrase")
    assert _code_step(owner, _code(user, clock)).status_code == 302


# --- wrong codes in a row: a bound that does not fade (NIST SP 800-63B 5.2.2) -------------------


def _wrong_code(user: User, clock, n: int) -> str:
    """A six-digit code that is none of the three the account accepts now."""
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    accepted = {totp.at(clock.now.timestamp() + offset) for offset in (-30, 0, 30)}
    return next(code for code in (f"{(n * 7919 + k) % 1_000_000:06d}" for k in range(10)) if code not in accepted)


@pytest.fixture
def no_waits(app):
    """The doubling waits out of the way, so these tests count wrong codes alone (the waits are
    tests/test_login_throttle.py's); the bound is the default, 20."""
    app.config["LOGIN_FREE_ATTEMPTS"] = 1000
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 1000
    assert app.config["CODE_FAILURES_MAX"] == 20


def test_twenty_wrong_codes_in_a_row_close_the_code_step_until_an_admin_opens_it(app, enrolled, make_user,
                                                                               clock, no_waits):
    user, codes = enrolled
    client = app.test_client()
    _password_step(client, user)
    statuses = [_code_step(client, _wrong_code(user, clock, n)).status_code for n in range(10)]
    clock.advance(minutes=6)  # that login's code step is over; the count is the account's, not the login's
    _password_step(client, user)
    statuses += [_code_step(client, _wrong_code(user, clock, n)).status_code for n in range(10, 19)]
    assert statuses == [401] * 19
    twentieth = _code_step(client, _wrong_code(user, clock, 19))
    # The code step is closed: the pending login ends, the login form says why (the code page,
    # which no code can pass now, is not shown again).
    _assert_back_on_the_login_form(client, twentieth, CODES_LOCKED)
    # Now every code is refused, the right one and a recovery code too, whoever types it, whenever.
    for attempt in (lambda: _code(user, clock), lambda: codes[0]):
        _password_step(client, user)
        _assert_back_on_the_login_form(client, _code_step(client, attempt()), CODES_LOCKED)
    clock.advance(days=3)
    housekeeping_job(app)  # the worker's pruning keeps the count
    owner = app.test_client()
    _password_step(owner, user)
    _assert_back_on_the_login_form(owner, _code_step(owner, _code(user, clock)), CODES_LOCKED)
    assert _actions(user).count("login.codes_locked") == 1
    unused = db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                           RecoveryCode.used_at.is_(None))).all()
    assert len(unused) == 10  # the recovery code typed while closed was not used up
    # The administrator sees it on the users page and lifts it there.
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "ورود با کد بسته شد" in page
    assert admin.post(f"/admin/users/{user.id}/unlock",
                      data={"csrf_token": csrf_token(admin, "/admin/users")}).status_code == 302
    assert _actions(user)[-1] == "account.unlocked"
    _password_step(owner, user)
    assert _code_step(owner, _code(user, clock)).headers["Location"].split("?")[0] == "/"
    assert "بسته شدن ورود با کد پس از کدهای نادرست پیاپی" in admin.get("/admin/audit").get_data(as_text=True)


def test_a_successful_login_starts_the_count_of_wrong_codes_over(app, enrolled, clock, no_waits):
    user, _codes = enrolled
    client = app.test_client()
    _password_step(client, user)
    assert [_code_step(client, _wrong_code(user, clock, n)).status_code for n in range(19)] == [401] * 19
    assert _code_step(client, _code(user, clock)).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    clock.advance(seconds=30)
    _password_step(client, user)
    assert [_code_step(client, _wrong_code(user, clock, n)).status_code for n in range(19)] == [401] * 19
    assert _code_step(client, _code(user, clock)).status_code == 302
    assert "login.codes_locked" not in _actions(user)


def test_the_bound_on_wrong_codes_is_a_setting_of_at_most_100(tmp_path, monkeypatch):
    from app.config import load_config

    assert load_config({})["CODE_FAILURES_MAX"] == 20
    monkeypatch.setenv("HAMZABAN_CODE_FAILURES_MAX", "101")
    with pytest.raises(ConfigError, match="HAMZABAN_CODE_FAILURES_MAX"):
        create_app({"SECRET_KEY": "k", "DATA_DIR": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_a_copy_of_the_code_steps_cookie_is_spent_once_the_login_finishes(app, enrolled, clock):
    """Whoever kept the code page's cookie (a shared computer, a proxy's log) cannot start a second
    session from it with a later code: the login it was for has finished."""
    user, _codes = enrolled
    owner = app.test_client()
    _password_step(owner, user)
    token = csrf_token(owner, "/login/code")  # the code page's form, as the copy has it too
    kept = owner.get_cookie("session").value
    clock.advance(seconds=10)
    assert _code_step(owner, _code(user, clock)).status_code == 302
    clock.advance(seconds=30)  # a fresh code, well within the five minutes
    copy = app.test_client()
    copy.set_cookie("session", kept)
    response = copy.post("/login/code", data={"code": _code(user, clock), "csrf_token": token})
    _assert_back_on_the_login_form(copy, response, USED)
    late = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.code_late")).one()
    assert late.details["reason"] == "used"
    assert copy.get("/").status_code == 302  # not logged in
    assert owner.get("/").status_code == 200  # the owner's session is untouched


def test_a_double_submitted_code_form_ends_logged_in(app, enrolled, clock):
    """A code form sent twice (a double click, a reload of the POST): the first submission logs the
    browser in and sets its cookie; the second, sent with the cookie of before, finds the step
    spent and answers without a cookie of its own, so the logged-in cookie stays and the login
    form it points to sends the browser on to where it was going."""
    user, _codes = enrolled
    browser = app.test_client()
    _password_step(browser, user)
    token = csrf_token(browser, "/login/code")
    before = browser.get_cookie("session").value
    code = _code(user, clock)
    first = browser.post("/login/code?next=/cases", data={"code": code, "csrf_token": token})
    assert first.status_code == 302 and first.headers["Location"] == "/cases"
    logged_in = browser.get_cookie("session").value
    second_sender = app.test_client()  # the second submission carries the cookie of before the first
    second_sender.set_cookie("session", before)
    second = second_sender.post("/login/code?next=/cases", data={"code": code, "csrf_token": token})
    assert second.status_code == 302 and second.headers["Location"].split("?")[0] == "/login"
    assert "session" not in " ".join(second.headers.getlist("Set-Cookie"))  # the logged-in cookie stays
    assert browser.get_cookie("session").value == logged_in
    onward = browser.get(second.headers["Location"])
    assert onward.status_code == 302 and onward.headers["Location"] == "/cases"
    assert browser.get("/").status_code == 200
    assert _actions(user)[-3:] == ["login.password_accepted", "login.succeeded", "login.code_late"]  # one login


def test_two_copies_of_one_code_page_sent_at_once_log_in_once(app, enrolled, clock, monkeypatch):
    """Two copies of a code page's cookie, one sending the code and one a recovery code at the same
    moment: both passed the "spent?" check before either finished, and both logged in. The login
    finishes only while the last login is still the one of the password step (one atomic update):
    here the other copy's login lands after this one's "spent?" check, before its finish."""
    from app.services import login as login_service
    from app.services.sessions import Client

    user, _codes = enrolled
    db.session.expire_all()  # the enrolment went through the pages
    client = Client(address="10.0.0.5", user_agent="test")
    step = login_service.log_in(user.username, TEST_PASSWORD, client)
    assert step.needs_code
    password_at, tag, last = clock.now, login_service.password_tag(user), login_service.last_login_tag(user)
    check = login_service.check_second_factor

    def the_other_copy_finishes_meanwhile(*args):
        with db.engine.begin() as other:  # the other request's login, committed on its own connection
            other.execute(User.__table__.update().where(User.__table__.c.id == user.id)
                          .values(last_login_at=clock.now))
        return check(*args)

    monkeypatch.setattr(login_service, "check_second_factor", the_other_copy_finishes_meanwhile)
    sessions_before = db.session.scalar(select(func.count(UserSession.id)))
    with pytest.raises(login_service.CodeStepOver) as over:
        login_service.log_in_with_code(user.id, password_at, _code(user, clock), client, tag, last)
    assert over.value.reason == "used"
    assert db.session.scalar(select(func.count(UserSession.id))) == sessions_before  # no second session
    assert _actions(user)[-1] != "login.succeeded"


USED = "این ورود پیش‌تر به پایان رسیده است (در این مرورگر یا مرورگری دیگر)؛ دوباره نام کاربری و گذرواژه را بنویسید."


def test_a_last_login_stamped_ahead_of_the_clock_does_not_close_the_code_step(app, enrolled, clock):
    """A host whose clock ran ahead (or another host's, behind a load balancer) stamped the last
    login in the future: the code step compares that stamp for equality, not for order, so the
    owner still logs in."""
    user, _codes = enrolled
    user.last_login_at = clock.now + timedelta(days=1)
    db.session.commit()
    owner = app.test_client()
    _password_step(owner, user)
    assert _code_step(owner, _code(user, clock)).status_code == 302
    assert owner.get("/").status_code == 200


def test_a_two_step_login_hashes_a_password_as_typed_again_folded(app, enrolled, clock):
    """A hash made before passwords were folded (the Arabic layout's letters and digits as typed)
    is made again in the folded form at the password step, which a two-step login passes too;
    the code step that follows still finishes the login."""
    from app import passwords

    user, _codes = enrolled
    arabic, persian = "كتابخانه‌ي مركزي ١٤٠٥", "کتابخانه‌ی مرکزی ۱۴۰۵"
    user.password_hash = passwords._hasher.hash(arabic)
    db.session.commit()
    client = app.test_client()
    assert _password_step(client, user, persian).status_code == 401
    assert _password_step(client, user, arabic).status_code == 302
    assert _code_step(client, _code(user, clock)).status_code == 302
    db.session.refresh(user)
    assert passwords._hasher.verify(user.password_hash, passwords.folded(persian))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    clock.advance(seconds=30)
    assert _password_step(client, user, persian).status_code == 302
    assert _code_step(client, _code(user, clock)).status_code == 302


def test_the_shell_opens_a_closed_code_step_and_resets_a_lost_phone(app, enrolled, clock, no_waits):
    """Found by a login review: when the account whose code step closed is the only administrator,
    nobody could open it (the users page needs an administrator). ``flask user unlock`` does what
    its button does; ``flask user reset-2fa`` turns the second factor off (a lost phone) and ends
    the account's sessions. Both audited as "cli"; an unknown name is refused in Persian, exit 2."""
    user, _codes = enrolled
    client = app.test_client()
    _password_step(client, user)
    for n in range(20):
        _code_step(client, _wrong_code(user, clock, n))
    _password_step(client, user)
    _assert_back_on_the_login_form(client, _code_step(client, _code(user, clock)), CODES_LOCKED)
    runner = app.test_cli_runner()
    unlocked = runner.invoke(args=["user", "unlock", user.username.upper(), "--json"])
    assert unlocked.exit_code == 0, unlocked.output
    assert json.loads(unlocked.output) == {"username": user.username, "unlocked": True}
    _password_step(client, user)
    assert _code_step(client, _code(user, clock)).headers["Location"].split("?")[0] == "/"
    assert client.get("/").status_code == 200
    reset = runner.invoke(args=["user", "reset-2fa", user.username])
    assert reset.exit_code == 0 and "خاموش شد" in reset.output  # Persian, as every command's line (session 47)
    assert client.get("/").status_code == 302  # the session ended with the reset
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    entries = db.session.execute(select(AuditEntry.action, AuditEntry.actor_label).where(
        AuditEntry.action.in_(("account.unlocked", "user.totp_reset")))).all()
    assert sorted(entries) == [("account.unlocked", "cli"), ("user.totp_reset", "cli")]
    for args in (["user", "unlock", "nobody"], ["user", "reset-2fa", "nobody", "--json"]):
        refused = runner.invoke(args=args)
        assert refused.exit_code == 2 and "کاربری با نام «nobody» نیست." in refused.output, args
    assert json.loads(runner.invoke(args=["user", "reset-2fa", "nobody", "--json"]).output) == {
        "error": "کاربری با نام «nobody» نیست."}


def test_a_user_sets_it_up_again_in_the_step_of_their_last_code_after_a_reset(app, client, enrolled, make_user, clock):
    """The step of the last code used stayed with the account after the reset: a set-up again within
    the same 30 seconds said «کد درست نیست» to a right code of the new secret (a review of the login,
    round 3)."""
    user, _codes = enrolled
    theirs = app.test_client()
    _password_step(theirs, user)
    assert _code_step(theirs, _code(user, clock)).status_code == 302  # this step's code is used
    login(client, make_user(role="admin"))
    client.post(f"/admin/users/{user.id}/two-factor/reset", data={"csrf_token": csrf_token(client, f"/admin/users/{user.id}")})
    again = app.test_client()
    login(again, user)
    assert len(_enrol(again, user, clock)) == 10  # the clock has not moved


def test_an_admin_changes_neither_their_own_password_nor_second_factor_on_the_users_page(app, client, make_user, clock):
    """Neither asked for the current password or a code: a session left open (a shared PC) set its
    owner's password, reset the second factor and set up the taker's (a review of the login, round 3).
    Both are refused for oneself there; the page points to «تغییر گذرواژه»."""
    admin = make_user(role="admin")
    login(client, admin)
    _enrol(client, admin, clock)
    db.session.refresh(admin)
    secret, password_hash = admin.totp_secret, admin.password_hash
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "بازنشانی ورود دومرحله‌ای" not in page and 'name="password"' not in page and "/account/password" in page
    token = csrf_token(client, f"/admin/users/{admin.id}")
    response = client.post(f"/admin/users/{admin.id}/two-factor/reset", data={"csrf_token": token}, follow_redirects=True)
    assert "خودتان را این‌جا نمی‌توانید از نو بگذارید" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}", data={
        "csrf_token": token, "username": admin.username, "role": "admin", "display_name": "x", "is_active": "y",
        "password": "a taker's new phrase 77"})
    assert "صفحهٔ «تغییر گذرواژه»" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert (admin.totp_secret, admin.password_hash) == (secret, password_hash)
    assert "user.totp_reset" not in _actions(admin)


def _owner_logs_in_with_the_code(app, user, clock, address: str | None = None) -> None:
    """The owner, in a browser not remembered (at ``address``), types the right password, then the
    next step's code as the phone shows it: logged in."""
    owner = app.test_client()
    if address:
        owner.environ_base["REMOTE_ADDR"] = address
    assert _password_step(owner, user).headers["Location"].startswith("/login/code")
    clock.advance(seconds=30)
    response = _code_step(owner, _code(user, clock))
    assert response.status_code == 302 and response.headers["Location"] == "/", (
        response.status_code, response.headers.get("Retry-After"))


def test_a_strangers_guesses_at_the_cap_do_not_make_the_owners_code_step_impossible(app, make_user, enrolled, clock):
    """A stranger (no password) pushes the username's wait to the cap (300 s) and stops. The owner,
    in a browser not remembered, waits as told and types the right password: the code step must then
    take the right code. It waited as long as the password step's own try had set (the cap, 300 s)
    while the code step is open five minutes from the password: the owner could never log in (a
    review of the login, round 6)."""
    user, _codes = enrolled
    stranger = app.test_client()
    for attempt in range(30):
        response = _password_step(stranger, user, password=f"wrong guess {attempt}")
        if response.status_code == 429:
            if int(response.headers["Retry-After"]) >= 300:
                break
            clock.advance(seconds=int(response.headers["Retry-After"]) + 1)
    else:
        pytest.fail("the wait never reached the cap")
    clock.advance(seconds=301)  # the stranger has stopped; the wait is over
    _owner_logs_in_with_the_code(app, user, clock)


def test_a_stranger_spraying_the_offices_address_does_not_stop_the_owners_code_step(app, make_user, enrolled, clock):
    """A stranger sharing the office's address sprays guesses at other names until the address waits
    the longest (300 s), and stops. The owner, in a new browser there, types the right password: its
    try, counted on the address at the stranger's count, set 300 s there, and the code step, counted
    on the address too, refused the right code for as long as the code page is open; the owner could
    not log in, and lifting the account's wait did not help (a review of the login, round 7)."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 4
    user, _codes = enrolled
    office = "10.2.2.2"
    spray_address_to_its_longest_wait(app, clock, office)
    _owner_logs_in_with_the_code(app, user, clock, address=office)


def test_wrong_codes_count_on_the_account_not_on_the_address(app, make_user, enrolled, clock):
    """Only a holder of the password reaches the code step: its tries count on the account's own
    code-step count (five free, then waits), not the address's, which colleagues share."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 4
    user, _codes = enrolled
    office = "10.4.4.4"
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = office
    _password_step(owner, user)
    right = _code(user, clock)
    wrong = [c for c in ("111111", "222222", "333333", "444444", "555555") if c != right][:4]
    assert [_code_step(owner, code).status_code for code in wrong] == [401] * 4
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = office
    assert _password_step(colleague, make_user(role="staff")).status_code == 302
    assert _code_step(owner, "000000" if right != "000000" else "999999").status_code == 401  # the fifth
    assert _code_step(owner, right).status_code == 429  # the code step's own wait


def test_a_two_step_login_gives_the_address_back_only_the_try_it_took(app, enrolled, clock):
    """The code step counts nothing on the address, so finishing the login gives nothing back there:
    a stranger's failures at the address stay counted."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 4
    user, _codes = enrolled
    office = "10.5.5.5"
    stranger, owner = app.test_client(), app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = owner.environ_base["REMOTE_ADDR"] = office

    def guess(n):
        return stranger.post("/login", data={"username": f"sprayed{n}", "password": "Password2024!",
                                             "csrf_token": csrf_token(stranger)}).status_code

    assert [guess(n) for n in range(3)] == [401] * 3
    _password_step(owner, user)
    clock.advance(seconds=30)
    assert _code_step(owner, _code(user, clock)).headers["Location"] == "/"
    assert [guess(n) for n in range(3, 5)] == [401, 429]  # the fourth failure, then the address waits


def test_a_second_code_tab_sent_after_the_first_logged_in_goes_on(app, client, enrolled, clock):
    """Two tabs on the code page: after the code in one logged in (a fresh session, so a new form
    token), the other's form answered «the form's session expired» (400), as the login form's second
    tab did before session 42. It goes on to ``next`` now, nothing sent read; an anonymous browser's
    stale token is still refused (a review of session 42's merged work)."""
    user, _codes = enrolled
    assert _password_step(client, user).status_code == 302
    other_tab = csrf_token(client, "/login/code")
    assert _code_step(client, _code(user, clock)).status_code == 302
    again = client.post("/login/code", query_string={"next": "/items/"}, data={"code": "000000", "csrf_token": other_tab})
    assert again.status_code == 302 and again.headers["Location"] == "/items/"
    assert app.test_client().post("/login/code", data={"code": "000000", "csrf_token": other_tab}).status_code == 400


def test_wrong_first_codes_at_set_up_wait_and_are_audited(app, client, make_user, clock):
    """The set-up's first code was the one secret a session could guess at unthrottled and unaudited
    (session 44): a copy of the cookie of the session that began the set-up tried all 10⁶ codes at
    the pace of the server and, at a hit, turned the owner's second factor on and read its recovery
    codes. It counts on the signed-in user's own key now, as the renewal's code does (a stranger at
    the login page never makes the owner wait here), and each wrong one is in the trail."""
    user = make_user(role="staff")
    login(client, user)
    token = csrf_token(client, "/account/two-factor")
    assert client.post("/account/two-factor/start", data={"csrf_token": token, "password": TEST_PASSWORD}
                       ).status_code == 302
    right = _code(user, clock)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"]):
        refused = client.post("/account/two-factor/confirm", data={"csrf_token": token, "code": wrong})
        assert refused.status_code == 400 and "کد درست نیست" in refused.get_data(as_text=True)
    waited = client.post("/account/two-factor/confirm", data={"csrf_token": token, "code": right})
    assert waited.status_code == 429 and "ثانیه دیگر" in waited.get_data(as_text=True)
    assert _actions(user).count("user.totp_setup_code_failed") == app.config["LOGIN_FREE_ATTEMPTS"]
    assert db.session.get(User, user.id).totp_enabled_at is None
    clock.advance(seconds=2)
    assert client.post("/account/two-factor/confirm", data={"csrf_token": token, "code": _code(user, clock)}
                       ).status_code == 200
    assert _actions(user)[-1] == "user.totp_enabled"



def test_a_code_with_a_control_character_is_read_without_it(app, client, enrolled, clock):
    """The form drops a NUL or a tab from the code as from any text (a password keeps it, and is answered 400
    saying so): a right code with one logs in, a wrong one is a wrong code (review of session 46)."""
    user, _codes = enrolled
    _password_step(client, user)
    assert _code_step(client, "12345\x00").status_code == 401
    assert _code_step(client, _code(user, clock) + "\x00\t").status_code == 302
