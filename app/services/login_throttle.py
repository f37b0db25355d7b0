"""The one throttle on guessing secrets: the login password, the login code, the current password
of the change-password form and the code that renews recovery codes.

Counted per account (the typed username, whether it exists or not, or the remembered browser)
and per client address, in the database (app/throttle.py), before the secret is checked; a try
from the username's remembered browser counts on that browser only, not on the address, and the
login's code step on the account's own key (``code_step_key``), not on the address either. A
signed-in user's own re-checks (the current password of the change-password form and of setting
up the second factor, the code that renews recovery codes) count on the user's id instead: a
stranger guessing at the login page must not make the owner wait there (an administrator who must
set up a second factor could not, and could use nothing else), nor on the address.

Beside it, for the code step only, a bound that does not fade with time: CODE_FAILURES_MAX
consecutive wrong codes on one account stop its code step until an administrator lifts it
(app/services/code_failures.py; app/services/login.py says why it cannot lock a stranger out).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import clock, throttle
from app.extensions import db
from app.passwords import has_control_character, verify_password
from app.services import ServiceError, login_wave
from app.services.audit import record
from app.services.code_failures import code_failures_key, renewal_failures_key
from app.services.digits import shown_number
from app.services.login_keys import (
    account_key,
    address_key,
    code_step_key,
    normalize_username,
    signed_in_key,
    typed_name_label,
)
from app.services.networks import network_of as _network
from app.services.networks import prefix_of
from app.services.sessions import Client
from models import User


class LoginFailed(ServiceError):
    """Wrong username, password or code (the message never says which)."""


class ControlCharacterTyped(LoginFailed):
    """A wrong password that holds a control character (a NUL, a tab): no password may hold one, so
    the answer says so (400) instead of «wrong» alone (session 42: the password change answered a
    NUL-ending current password «wrong», 401). Counted and audited as any wrong password."""


def wrong_password(typed: str | None, message: str, control_message: str) -> LoginFailed:
    """The refusal of a wrong password ``typed``: ``message``, or ``control_message`` when it holds a
    control character (about what was typed only: the same whether the account exists or not)."""
    return ControlCharacterTyped(control_message) if has_control_character(typed or "") else LoginFailed(message)


def wrong_login(typed: str) -> LoginFailed:
    """The login's refusal of a wrong username or password (``typed``: the password)."""
    return wrong_password(typed, _("نام کاربری یا گذرواژه درست نیست."), _(
        "نام کاربری یا گذرواژه درست نیست: در گذرواژه نویسهٔ کنترلی (مانند NUL یا جهش) است که هیچ صفحه‌کلیدی "
        "نمی‌نویسد؛ آن را بی این نویسه بنویسید."))


class TooManyAttempts(ServiceError):
    """The throttle asks this client to wait until ``retry_at`` (``seconds`` from now)."""

    def __init__(self, message: str, retry_at: datetime, seconds: int):
        super().__init__(message)
        self.retry_at = retry_at
        self.seconds = seconds


def _allowances() -> tuple[throttle.Allowance, throttle.Allowance]:
    config = current_app.config
    max_delay = timedelta(seconds=config["LOGIN_MAX_DELAY_SECONDS"])
    memory = timedelta(minutes=config["LOGIN_MEMORY_MINUTES"])
    leak = config["LOGIN_ADDRESS_LEAK_PER_HOUR"]
    # The address's count leaks (session 41): a NAT shared by hundreds never has a quiet hour, so
    # its count, forgotten only after one, kept growing all day (bench/login_nat.py: 45 % of the
    # logins counted there waited, 13 minutes on average). One leak every 5 minutes (12 an hour)
    # is no more than the waits at their cap (300 s) let a guesser try: its rate stays 12 an hour.
    return (throttle.Allowance(config["LOGIN_FREE_ATTEMPTS"], max_delay, memory),
            throttle.Allowance(config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"], max_delay, memory,
                               timedelta(hours=1) / leak if leak else None))


def _try_key(username: str, client: Client, signed_in: int | None, code_step: int | None = None) -> str:
    if signed_in is not None:
        return signed_in_key(signed_in)
    key = account_key(username, client)
    if code_step is not None and not key.startswith("login:device:"):
        return code_step_key(code_step)
    return key


ADDRESS_REFUSED_PREFIX = "login:addr-refused:"


def _note_address_refusal(username: str, client: Client, waiting: dict[str, datetime], now: datetime) -> None:
    """A try at an account's name refused by its address's wait: noted (``<prefix><id>:<network>``,
    kept while that wait lasts), so the users page shows the account as waiting and lifting its
    wait lifts the address's too (``refusing_addresses``). The address's wait is no one's own: a
    stranger spraying guesses from an office's address kept a colleague out of every new browser
    there, and the administrator could neither see it nor lift it (a review of the login, session 38)."""
    until = waiting.get(address_key(client))
    if until is None:
        return
    seen, noted = (username, _network(client.address), until), current_app.extensions.setdefault("login_noted", set())
    if seen in noted:  # a flood of refused tries at one name during one wait: one lookup, one write (per app)
        return
    if len(noted) > 10_000:
        noted.clear()
    noted.add(seen)
    user = user_named(username)
    if user is not None:
        throttle.note(f"{ADDRESS_REFUSED_PREFIX}{user.id}:{_network(client.address)}", until, now)


def refusing_addresses(user_ids: list[int]) -> dict[int, list[str]]:
    """The addresses (``_network``'s form) whose wait refused a try at each of these accounts' names."""
    wanted, found = set(user_ids), {}
    for key in throttle.keys_starting(ADDRESS_REFUSED_PREFIX):
        user_id, _sep, network = key.removeprefix(ADDRESS_REFUSED_PREFIX).partition(":")
        if user_id.isdigit() and int(user_id) in wanted:
            found.setdefault(int(user_id), []).append(network)
    return found


def _on_address(username: str, client: Client, signed_in: int | None, code_step: int | None = None) -> bool:
    """Whether a try counts on the client's address too: not a signed-in user's re-check, nor a
    try from the username's remembered browser, nor the login's code step. All have shown a right
    secret (a session, a cookie signed at a finished login, the password a moment ago), so
    strangers sharing the address (an office behind one NAT, a proxy) who spray guesses from it
    must not make them wait. On the address, the code step waited out the wait that a stranger's
    failures (and the owner's own right password at their count) had set there: 300 s, as long as
    the code page is open, so the owner of a second factor could not log in from a new browser
    (a review of the login, round 7)."""
    return (signed_in is None and code_step is None
            and not account_key(username, client).startswith("login:device:"))


@dataclass(frozen=True)
class Tried:
    """A counted try: when (``attempt_succeeded``'s ``tried_at``), and whether a wave let it through on
    an administrator's pass only (its right password must spend it: ``spend_wave_pass``)."""

    at: datetime
    on_pass: bool = False


def take_attempt(username: str, client: Client, *, signed_in: int | None = None,
                 code_step: int | None = None) -> Tried:
    """Count one try on the account (``signed_in``: the id of the signed-in user re-typing a
    secret; ``code_step``: the id of the account whose login's code step this is) and, for a
    stranger's password, the address before the secret is checked.

    :raise TooManyAttempts: one of them must wait (the message says how long); nothing counted.
    """
    per_account, per_address = _allowances()
    now = clock.utcnow()
    key = _try_key(username, client, signed_in, code_step)
    keys, let = {key: per_account}, ""
    if _on_address(username, client, signed_in, code_step):
        keys[address_key(client)] = per_address
        if (site := login_wave.allowance()) is not None:  # a stranger's try: the site's count too
            let = _refuse_in_a_wave(username, client, now)
            keys[login_wave.SITE_KEY] = site
            if (prefix := login_wave.prefix_key(client.address)) is not None:  # and its IPv6 /48's
                keys[prefix] = login_wave.prefix_allowance()
    until = throttle.take(keys, now)
    if until is not None:
        waiting = throttle.waiting_until(list(keys), now)
        _audit_wait_started(username, client, waiting, now)
        _note_address_refusal(username, client, waiting, now)
        seconds = max(1, math.ceil((until - now).total_seconds()))
        if key not in waiting:  # the address alone: not this user's tries
            raise TooManyAttempts(_("از این نشانی شبکه (شاید از رایانهٔ دیگری در همین ساختمان) ورودهای ناموفق "
                                    "بسیاری آمده است. %(seconds)s ثانیه دیگر دوباره تلاش کنید، یا از مرورگری که "
                                    "پیش‌تر با آن وارد شده‌اید.", seconds=shown_number(seconds)), until, seconds)
        raise TooManyAttempts(_("تلاش‌های ناموفق پیاپی بسیار بود. %(seconds)s ثانیه دیگر دوباره تلاش کنید.",
                                seconds=shown_number(seconds)), until, seconds)
    return Tried(now, on_pass=let == "pass")


def _refuse_in_a_wave(username: str, client: Client, now: datetime) -> str:
    """Why a wave lets this try through ("" when none is under way; ``login_wave.lets_through``).

    :raise TooManyAttempts: a wave of failures across the site (``login_wave``) is under way and the
    account is not known at this network: refused before anything is counted or checked (audited once an hour)."""
    seconds, own = login_wave.wave(now, client.address)
    if not seconds:
        return ""
    if let := login_wave.lets_through(user := user_named(username), client.address, now, seconds):
        return let
    prefix = prefix_of(client.address) if own else None  # a /48's own wave: audited once an hour per /48
    if throttle.take_capped(f"login:site-refused:{prefix or ''}{now:%Y-%m-%dT%H}", 1, now) is not None:
        _audit_wave(user, username, client, own, seconds=seconds)
    raise _wave_refusal(seconds, own, now)


def _audit_wave(user: User | None, username: str, client: Client, own: bool, **details) -> None:
    """``login.throttled`` for a try a wave refused: on the site's count, or on its IPv6 /48's own (``own``)."""
    prefix = prefix_of(client.address) if own else None
    record("login.throttled", actor=user, actor_label="" if user else typed_name_label(username, None), obj=user,
           on="prefix" if prefix else "site", address=prefix or _network(client.address), **details)
    db.session.commit()


def _wave_refusal(seconds: int, own: bool, now: datetime) -> TooManyAttempts:
    return TooManyAttempts(login_wave.refused_message(seconds, own), now + timedelta(seconds=seconds), seconds)


def spend_wave_pass(user: User, username: str, client: Client, tried: Tried) -> None:
    """A right password let through a wave on an administrator's pass (``tried.on_pass``) spends it; not
    an account's with a second factor, whose pass its finished login spends (``attempt_succeeded``): a
    stuffer holding its password alone took it at the password step, and its owner was refused again.

    :raise TooManyAttempts: another login spent it meanwhile (two sent at once); this one's try is given
        back (no failure: the password was right) and audited, and it is refused as in the wave."""
    now = clock.utcnow()
    if not tried.on_pass or user.has_second_factor or login_wave.spend_pass(user.id, client.address, now):
        return
    db.session.rollback()
    attempt_succeeded(username, client, finished=False, tried_at=tried.at)
    seconds, own = login_wave.wave(now, client.address)  # told and audited as the wave it met (its /48's own)
    _audit_wave(user, username, client, own, reason="pass-spent")
    raise _wave_refusal(max(seconds, 60), own, now)


def user_named(username: str) -> User | None:
    """The account a typed (``normalize_username``) username names, any agency's, or None."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username)
                             .execution_options(unscoped=True))


def _audit_wait_started(username: str, client: Client, waiting: dict[str, datetime], now: datetime) -> None:
    """One ``login.throttled`` entry per wait, at its first refused try: not one per refused try.

    Refused tries count nothing, so a flood of them would otherwise write a flood of entries;
    and an entry for the try that *set* the wait would say nothing a ``login.failed`` does not.
    Every wait is set by one counted (allowed) try and ends at that key's ``blocked_until``, so
    the first refusal of a wait is the first refusal naming that ``blocked_until``
    (``throttle.first_refusal``, atomic in the database). Entries are kept per waiting key: per
    username or remembered browser, and per client address, whose wait is one entry however
    many usernames it is sprayed with. So there are at most as many entries as allowed tries.
    """
    noted = False
    for key in sorted(waiting):
        until = waiting[key]
        if not throttle.first_refusal(key, until, now):
            continue
        on = "address" if key.startswith("login:addr:") else "browser" if key.startswith("login:device:") else "account"
        user = None
        if on != "address":
            user = user_named(username)
        details = {"on": on, "until": until.isoformat(), "seconds": max(1, math.ceil((until - now).total_seconds()))}
        if on == "address":
            details["address"] = _network(client.address)
        label = "" if user else typed_name_label(username, user_named(username) if on == "address" else None)
        record("login.throttled", actor=user, actor_label=label, obj=user, **details)
        noted = True
    if noted:
        db.session.commit()


def attempt_succeeded(username: str, client: Client, *, signed_in: int | None = None, finished: bool = True,
                      user_id: int | None = None, tried_at: datetime | None = None) -> None:
    """A right secret: give the address back the try ``take_attempt`` counted there at ``tried_at``
    (None: it counted none, as at the code step), with the wait that try set; when the login is
    ``finished``, forget the account's failures too (a right password before the code is not yet a
    success), and ``user_id``'s wrong codes in a row and pass through a wave (``login_wave.grant_pass``)."""
    if tried_at is not None and _on_address(username, client, signed_in):
        throttle.refund(address_key(client), _allowances()[1], tried_at)
        if (site := login_wave.allowance()) is not None:
            throttle.refund(login_wave.SITE_KEY, site, tried_at)
            if (prefix := login_wave.prefix_key(client.address)) is not None:
                throttle.refund(prefix, login_wave.prefix_allowance(), tried_at)
    if finished:
        keys = [_try_key(username, client, signed_in)]
        if user_id is not None:
            keys += [code_failures_key(user_id), renewal_failures_key(user_id), code_step_key(user_id),
                     login_wave.pass_key(user_id)]  # a wave's pass lets one login through
        throttle.clear(*keys)


def recheck_password(user: User, password: str | None, client: Client, *, failed_action: str, message: str) -> str:
    """A signed-in user's password typed again (to change it, to set up a second factor, an
    administrator's confirmation), counted on that user alone (``signed_in``: a stolen session
    cannot guess it, a stranger cannot make the owner wait). A wrong one is audited as
    ``failed_action`` and refused with ``message``. Returns the hash it was checked against.

    :raise TooManyAttempts: wait first. :raise LoginFailed: a wrong password (ControlCharacterTyped: one
        holding a control character)."""
    username = normalize_username(user.username)
    take_attempt(username, client, signed_in=user.id)
    checked_hash = user.password_hash
    if not verify_password(checked_hash, password or ""):
        record(failed_action, actor=user, obj=user)
        db.session.commit()
        raise wrong_password(password, message, _("گذرواژه درست نیست: نویسهٔ کنترلی (مانند NUL یا جهش) در آن است که "
                                                  "هیچ صفحه‌کلیدی نمی‌نویسد؛ آن را بی این نویسه بنویسید."))
    attempt_succeeded(username, client, signed_in=user.id)
    return checked_hash
