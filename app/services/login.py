"""Logging in: the password, then the second factor when the account has one, under one throttle.

No lock-out: after LOGIN_FREE_ATTEMPTS failures each further try waits 1 s, 2 s, 4 s … up to
LOGIN_MAX_DELAY_SECONDS, counted per username (typed, whether it exists or not: the answers never
tell which usernames exist) and per client address (password spraying). A browser in which the
account logged in before carries a signed "remembered browser" cookie; its tries are counted on
that cookie instead of the username, so a stranger's guessing never keeps the owner out of a
browser they used before. It is remembered for the password it logged in with (``remembered``):
every login writes a new cookie, so someone who once knew the password could otherwise keep a
handful and, after the owner changed it, guess at the new one five times per cookie with neither
the username nor the address counting. The code page counts on the account's own count, neither the username's nor the
address's (only a holder of the password gets there); the change-password form, setting up the second factor and the
recovery-code renewal count on the signed-in user's own key, which a stranger's guesses here never fill.

One bound does not fade: after CODE_FAILURES_MAX (20) wrong codes in a row on one account,
counted across logins and reset by a successful login, the code step refuses every code, right
or wrong, until an administrator lifts it (``login_waits.lift_wait``). The waits alone let a holder of the
password try about 288 codes a day for ever; NIST SP 800-63B 5.2.2 asks for at most 100
consecutive failures. Only a holder of the right password reaches the code step, so a stranger
cannot use this bound to keep the owner out.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import clock, throttle
from app.extensions import db
from app.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from app.policy import may_sign_in
from app.services import code_failures, submissions
from app.services.audit import record
from app.services.login_keys import normalize_username, remembers, typed_name_label
from app.services.login_throttle import (
    LoginFailed,
    attempt_succeeded,
    spend_wave_pass,
    take_attempt,
    user_named,
    wrong_login,
)
from app.services.sessions import SESSION_MARK_PREFIX, Client, end_past_the_limit, open_session
from app.services.sessions import prune_job as prune_sessions
from app.services.two_factor import check_second_factor, unreadable_detail, wrong_code_message
from models import User

CODE_STEP_MINUTES = 5  # the code page is open this long after the password was right


class CodeStepOver(LoginFailed):
    """The code step of this login is over (too late, the password changed, the account closed):
    the login starts again from the password. ``reason``: "used" when the login it was for has
    finished (in this browser a moment ago, a double-submitted form, or in another one)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class CodesLocked(LoginFailed):
    """CODE_FAILURES_MAX wrong codes in a row: the code step waits for an administrator."""


def _codes_locked() -> CodesLocked:
    return CodesLocked(code_failures.codes_locked_message())


@dataclass(frozen=True)
class LoginStep:
    """What a right password (or code) leads to: a session, or the code page first."""

    user: User
    session_id: str | None = None  # set when the user is logged in
    device: str = ""  # the remembered-browser nonce to (re)write into the cookie
    needs_code: bool = False
    method: str = "password"  # "password", "totp" or "recovery"
    # ``hash_tag`` of the password hash the login was checked against (or wrote): the code page and
    # the remembered browser carry it, not the tag of the account as read after the commit (which an
    # administrator's reset, committed meanwhile, would already be: the code review of session 37)
    password_tag: str = ""


def remembered(client: Client, user: User | None) -> Client:
    """``client`` as the throttle may count it: its remembered-browser cookie kept only when it
    was written for ``user`` at a login with the password ``user`` has now (a browser that logged
    in before a password change is a stranger until it logs in again)."""
    if client.device is None:
        return client
    _named, _nonce, tag = client.device
    if user is None or not remembers(client, user.username) or tag != password_tag(user):
        return replace(client, device=None)
    return client


def device_nonce(username: str, client: Client) -> str:
    """The remembered-browser cookie's id for ``username`` in this browser (a new one if none)."""
    if remembers(client, username):
        return client.device[1]
    return secrets.token_urlsafe(16)


_ANY = object()


def _finish(user: User, username: str, client: Client, method: str, checked_hash: str, password: str | None = None,
            rehash: bool = False, last_before=_ANY, tried_at: datetime | None = None) -> LoginStep:
    """Open the session and commit once; then settle the throttle (its own connection: on SQLite
    it would wait for this session's write lock, so it comes after the commit). ``password``: the
    right password, hashed again when the hash is of older parameters or ``rehash`` (of the
    password as typed: passwords.verify_password). ``last_before``: the code step's last login as
    it was at the password step; the login finishes only while it still is (one atomic update), so
    two copies of one code page sent at once (a code and a recovery code) cannot both log in.
    ``tried_at``: when the password's try was counted on the address (none at the code step).
    ``checked_hash``: the password hash the login was checked against; the login finishes only
    while it is still the account's, and a login by password alone only while the account still
    has no second factor (a review of the login, session 37: a login checked a moment before the
    owner's or an administrator's change finished after it, and its session stayed valid; its
    rehash wrote the old password back over an administrator's reset).

    :raise CodeStepOver: ("used") another login finished meanwhile; nothing changed but the audit.
    :raise LoginFailed: the password or the second factor changed meanwhile; nothing changed but the audit."""
    now = clock.utcnow()
    values = {"last_login_at": now}
    if password is not None and (rehash or needs_rehash(checked_hash)):
        values["password_hash"] = hash_password(password)
    stamp = update(User).where(User.id == user.id, User.password_hash == checked_hash)
    if method == "password":
        stamp = stamp.where(User.totp_enabled_at.is_(None))
    if last_before is not _ANY:
        stamp = stamp.where(User.last_login_at.is_(None) if last_before is None else User.last_login_at == last_before)
    if db.session.execute(stamp.values(**values).execution_options(synchronize_session=False)).rowcount != 1:
        db.session.rollback()
        now_hash, second_factor = db.session.execute(select(User.password_hash, User.totp_enabled_at)
                                                     .where(User.id == user.id)
                                                     .execution_options(unscoped=True)).one()
        if now_hash != checked_hash or (method == "password" and second_factor is not None):
            record("login.failed", actor=user, obj=user, reason="changed-meanwhile", address=client.address[:64])
            db.session.commit()
            raise LoginFailed(changed_meanwhile_message())
        # Another copy of this code page logged in first (two codes sent at once): no wrong code, but in the
        # trail (session 40: the loser left no entry; its recovery code, rolled back, stays unused).
        code_failures.give_back_code_try(user.id)
        record("login.code_late", actor=user, obj=user, reason="used", address=client.address[:64])
        db.session.commit()
        raise CodeStepOver(login_over_message(), reason="used")
    session_id = open_session(user, client, now)
    past_the_limit = end_past_the_limit(user, now)
    record("login.succeeded", actor=user, obj=user, method=method, address=client.address[:64],
           **({"sessions_ended": past_the_limit} if past_the_limit else {}))
    db.session.commit()
    attempt_succeeded(username, client, user_id=user.id, tried_at=tried_at)
    return LoginStep(user, session_id=session_id, device=device_nonce(username, client), method=method,
                     password_tag=hash_tag(values.get("password_hash", checked_hash)))


def log_in(username: str, password: str, client: Client) -> LoginStep:
    """Check a username and password: a session, or the code page when the account has a second factor.

    :raise TooManyAttempts: wait first (the same for every username, existing or not).
    :raise LoginFailed: wrong username or password.
    """
    username = normalize_username(username)
    dummy = dummy_hash()  # made on the first login of the process, whoever it names (timing)
    user = user_named(username)
    client = remembered(client, user)
    tried = take_attempt(username, client)
    if not may_sign_in(user):  # unknown, inactive, or of an agency switched off
        verify_password(dummy, password)  # the same time as a real check
        record("login.failed", actor_label=typed_name_label(username, user), reason="unknown-or-inactive",
               address=client.address[:64])
        db.session.commit()
        raise wrong_login(password)
    checked_hash = user.password_hash
    check = verify_password(checked_hash, password)
    if not check:
        record("login.failed", actor=user, obj=user, address=client.address[:64])
        db.session.commit()
        raise wrong_login(password)
    spend_wave_pass(user, username, client, tried)  # one login on an administrator's pass, not two at once
    if user.has_second_factor:
        written = checked_hash
        if check.rehash or needs_rehash(checked_hash):  # now: the code step ends in _finish without it
            # only over the hash checked: a reset meanwhile is not undone (a review of the login, session 37)
            written = hash_password(password)
            if db.session.execute(update(User).where(User.id == user.id, User.password_hash == checked_hash)
                                  .values(password_hash=written)
                                  .execution_options(synchronize_session=False)).rowcount != 1:
                db.session.rollback()
                raise LoginFailed(changed_meanwhile_message())
        record("login.password_accepted", actor=user, obj=user, address=client.address[:64])  # a guesser may stop here
        db.session.commit()
        attempt_succeeded(username, client, finished=False, tried_at=tried.at)
        return LoginStep(user, needs_code=True, password_tag=hash_tag(written))
    return _finish(user, username, client, "password", checked_hash, password, rehash=check.rehash,
                   tried_at=tried.at)


def password_tag(user: User) -> str:
    """A short digest of the user's password hash: the code page's state carries it, so the code
    step ends when the password that was right is no longer the password."""
    return hash_tag(user.password_hash)


def hash_tag(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


def last_login_tag(user: User) -> str:
    """When the user's last login finished, as the code page's state carries it: the code step
    ends once another login finishes (compared for equality, so clocks that differ between
    hosts, or run ahead, cannot close it)."""
    return user.last_login_at.isoformat() if user.last_login_at is not None else ""


def log_in_with_code(user_id: int, password_at: datetime, code: str, client: Client,
                     tag: str | None = None, last: str | None = None) -> LoginStep:
    """The second step: a TOTP code or a recovery code, within CODE_STEP_MINUTES of the password,
    while that password (``tag``: ``password_tag`` when it was right) is still the account's and
    no login finished since (``last``: ``last_login_tag`` then; None: not checked).

    A late try is counted by the throttle like a wrong code (a copied code-page cookie can be
    sent again and again: each late try writes an audit entry, so they must wait like guesses).

    :raise TooManyAttempts: wait first. :raise CodesLocked: CODE_FAILURES_MAX wrong codes in a
    row, until an administrator lifts it. :raise CodeStepOver: a late code (the step is over).
    :raise LoginFailed: a wrong or used code.
    """
    late = CodeStepOver(_("مهلت وارد کردن کد گذشت؛ دوباره نام کاربری و گذرواژه را بنویسید."))
    user = db.session.get(User, user_id, execution_options={"unscoped": True})
    if user is None:
        raise late
    username = normalize_username(user.username)
    client = remembered(client, user)
    take_attempt(username, client, code_step=user.id)  # the account's own count: ``code_step_key``, no address
    now = clock.utcnow()
    checked_hash = user.password_hash  # the one ``tag`` is checked against
    reason = _late_reason(user, password_at, tag, now, last)
    if reason:
        record("login.code_late", actor=user, obj=user, reason=reason, address=client.address[:64])
        db.session.commit()
        if reason == "used":
            raise CodeStepOver(login_over_message(), reason="used")
        raise late
    counted = code_failures.take_code_try(user.id)
    if counted is None:
        raise _codes_locked()
    last_before = user.last_login_at  # as at the password step (_late_reason checked it)
    method = check_second_factor(user, code, now)
    if method is None and _finished_meanwhile(user.id, last):
        # The same code page sent twice at once (a double click): the other copy logged in with this
        # code. No wrong code, audited and counted as one (a review of the login, session 39).
        code_failures.give_back_code_try(user.id)
        record("login.code_late", actor=user, obj=user, reason="used", address=client.address[:64])
        db.session.commit()
        raise CodeStepOver(login_over_message(), reason="used")
    if method is None:
        cap = current_app.config["CODE_FAILURES_MAX"]
        record("login.code_failed", actor=user, obj=user, in_a_row=counted, address=client.address[:64],
               **unreadable_detail(user))
        if counted >= cap:
            record("login.codes_locked", actor=user, obj=user, wrong_codes=counted)
        db.session.commit()
        if counted >= cap:
            raise _codes_locked()
        raise LoginFailed(wrong_code_message(user))
    return _finish(user, username, client, method, checked_hash, last_before=last_before)


def changed_meanwhile_message() -> str:
    """What a login or a password change checked a moment before the account's password (or its
    second factor) changed says: nothing was done."""
    return _("گذرواژه یا ورود دومرحله‌ای این حساب همین حالا تغییر کرد؛ دوباره وارد شوید.")


def login_over_message() -> str:
    """What the login form says to a browser whose pending code step was spent by a finished login."""
    return _("این ورود پیش‌تر به پایان رسیده است (در این مرورگر یا مرورگری دیگر)؛ "
             "دوباره نام کاربری و گذرواژه را بنویسید.")


def code_step_spent(user_id: int, last: str | None) -> bool:
    """Whether the pending code step of ``user_id`` was spent by a login that finished since the
    password step (``last``: ``last_login_tag`` then). Reads only: the code page asks it before
    showing a form no code can pass."""
    user = db.session.get(User, user_id, execution_options={"unscoped": True})
    return user is not None and _spent(user, last)


def _finished_meanwhile(user_id: int, last: str | None) -> bool:
    """Whether a login of ``user_id`` finished since this request read the account (``_spent`` on
    the row as committed now: SQLite keeps a transaction's first snapshot, so it ends here; it
    wrote nothing yet)."""
    db.session.rollback()
    stamp = db.session.scalar(select(User.last_login_at).where(User.id == user_id).execution_options(unscoped=True))
    return last is not None and last != (stamp.isoformat() if stamp is not None else "")


def _spent(user: User, last: str | None) -> bool:
    """A login finished since the password step whose ``last_login_tag`` was ``last`` (None: not checked)."""
    return last is not None and last != last_login_tag(user)


def _late_reason(user: User, password_at: datetime, tag: str | None, now: datetime, last: str | None = None) -> str:
    """Why the code step of this login is over ("" while it is open)."""
    if not may_sign_in(user):
        return "inactive"
    if not user.has_second_factor:
        return "second-factor-off"
    if now - password_at > timedelta(minutes=CODE_STEP_MINUTES):
        return "time"
    if tag != password_tag(user):
        return "password-changed"
    if _spent(user, last):
        # A login finished after this password was typed (this very step, from a copy of its
        # cookie kept past the login, or another browser's): the step is spent.
        return "used"
    return ""


def housekeeping_job(app) -> str:
    """Old sessions, forgotten throttle counts and old form tokens out of the database (hourly)."""
    summary = prune_sessions(app)
    memory = timedelta(minutes=app.config["LOGIN_MEMORY_MINUTES"])
    counters = throttle.prune(clock.utcnow() - max(memory, timedelta(days=1)),  # wrong codes in a row never fade;
                              keep_prefixes=(code_failures.CODE_FAILURES_PREFIX, code_failures.RENEWAL_FAILURES_PREFIX,
                                             SESSION_MARK_PREFIX))  # notes: their row's life
    forms = submissions.prune()
    return f"{summary}; {counters} throttle counters deleted; {forms} form tokens forgotten"


def register_jobs(app) -> None:
    """The worker clears old sessions and throttle counts every hour."""
    app.extensions.setdefault("hamzaban_jobs", []).append(("auth-housekeeping", 3600, housekeeping_job))

