"""A password checked a moment before the account changed cannot act after the change (a review of
the login, session 37): a login or a password change loads the user, checks the password (a third
of a second of argon2) and writes after; a change committed in between was overwritten or ignored.
Each test makes the other party's change land right after the check, through the real pages."""
from __future__ import annotations

import argon2
import pyotp
from sqlalchemy import update

import app.services.login as login_service
import app.services.login_throttle as recheck_service
from app.extensions import db
from app.passwords import hash_password
from models import User
from tests.conftest import TEST_PASSWORD, csrf_token, login
from tests.test_two_factor import enrolled  # noqa: F401 - the fixture

CHANGED = "همین حالا تغییر کرد"


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _after_the_check(monkeypatch, module, change):
    """``module.verify_password`` runs ``change`` once, after checking (as another request would)."""
    real, done = module.verify_password, []

    def verify_then_change(stored, typed):
        result = real(stored, typed)
        if not done:
            done.append(change())
        return result

    monkeypatch.setattr(module, "verify_password", verify_then_change)
    return done


def _elsewhere(user_id: int, **values) -> bool:
    """Another request's committed change of the account (its own connection)."""
    with db.engine.begin() as connection:
        connection.execute(update(User).where(User.id == user_id).values(**values))
    return True


def _post_login(client, username: str, password: str):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)})


def test_a_login_with_the_old_password_finishing_after_the_owners_change_opens_no_session(app, make_user, monkeypatch):
    user = make_user(role="staff")
    owner, thief = app.test_client(), app.test_client()
    login(owner, user)
    token = csrf_token(owner, "/account/password")
    done = _after_the_check(monkeypatch, login_service, lambda: owner.post("/account/password", data={
        "current": TEST_PASSWORD, "new": "a brand new long phrase", "confirm": "a brand new long phrase",
        "csrf_token": token}).status_code)
    response = _post_login(thief, user.username, TEST_PASSWORD)
    assert done == [302]
    assert response.status_code == 401 and CHANGED in response.get_data(as_text=True)
    assert not _logged_in(thief) and _logged_in(owner)
    assert login(app.test_client(), user, "a brand new long phrase").status_code == 302


def test_a_password_only_login_finishing_after_two_step_login_was_turned_on_opens_no_session(app, make_user,
                                                                                            monkeypatch):
    from datetime import UTC, datetime
    user = make_user(role="staff")
    done = _after_the_check(monkeypatch, login_service, lambda: _elsewhere(
        user.id, totp_secret=pyotp.random_base32(), totp_enabled_at=datetime.now(UTC)))
    client = app.test_client()
    response = _post_login(client, user.username, TEST_PASSWORD)
    assert done == [True] and response.status_code == 401 and CHANGED in response.get_data(as_text=True)
    assert not _logged_in(client)


def test_an_admins_reset_is_not_undone_by_a_change_checked_before_it(app, make_user, monkeypatch):
    """A thief holding a session changed the password back and forth: an administrator's reset,
    committed between the thief's check and write, was overwritten and the thief kept the account."""
    user = make_user(role="staff")
    thief = app.test_client()
    login(thief, user)
    token = csrf_token(thief, "/account/password")
    done = _after_the_check(monkeypatch, recheck_service, lambda: _elsewhere(
        user.id, password_hash=hash_password("the admins reset phrase"), session_token="reset1"))
    response = thief.post("/account/password", data={"current": TEST_PASSWORD, "new": "the thiefs own phrase",
                                                      "confirm": "the thiefs own phrase", "csrf_token": token})
    assert done == [True] and CHANGED in response.get_data(as_text=True)
    monkeypatch.undo()
    assert login(app.test_client(), user, "the admins reset phrase").status_code == 302
    assert _post_login(app.test_client(), user.username, "the thiefs own phrase").status_code == 401


def test_a_login_rehashing_an_old_hash_does_not_write_the_old_password_back_over_a_reset(app, make_user,
                                                                                       monkeypatch):
    """A hash of older argon2 parameters is made again at the next login, from the password typed:
    a login finishing after an administrator's reset wrote the old password back over it."""
    user = make_user(role="staff")
    user.password_hash = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(TEST_PASSWORD)
    db.session.commit()
    done = _after_the_check(monkeypatch, login_service, lambda: _elsewhere(
        user.id, password_hash=hash_password("the admins reset phrase"), session_token="reset1"))
    assert _post_login(app.test_client(), user.username, TEST_PASSWORD).status_code == 401 and done == [True]
    monkeypatch.undo()
    assert login(app.test_client(), user, "the admins reset phrase").status_code == 302
    assert _post_login(app.test_client(), user.username, TEST_PASSWORD).status_code == 401


def test_a_two_step_login_checked_before_a_reset_cannot_finish_with_a_code(app, enrolled, clock, monkeypatch):
    """The code review of session 37: the code page carried the tag of the password as read after the
    password step's commit, which an administrator's reset committed meanwhile already was: the old
    password and a right code then logged in after the reset. The page carries the checked one's."""
    from tests.test_two_factor import _code, _code_step, _password_step

    user, _codes = enrolled
    done = _after_the_check(monkeypatch, login_service, lambda: _elsewhere(
        user.id, password_hash=hash_password("the admins reset phrase"), session_token="reset1"))
    thief = app.test_client()
    _password_step(thief, user, TEST_PASSWORD)
    monkeypatch.undo()
    _code_step(thief, _code(user, clock))
    assert done == [True] and not _logged_in(thief)
