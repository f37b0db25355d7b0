"""The site's count of failed logins: a wave of credential stuffing (session 43).

Many addresses each trying a few usernames once stay under every per-address and per-name count
(app/services/login_throttle.py): a botnet, or one holder of an IPv6 /48 (65,536 /64s), tries a
list of leaked name-and-password pairs at the pace it likes. So the failures of every try that
counts on an address (not a remembered browser's, not a signed-in user's re-check, not the code
step) also count on one site-wide leaky bucket that leaks LOGIN_SITE_FAILURES_PER_HOUR an hour.
While it holds that many or more (a *wave*), a password try is refused before it is checked,
unless it comes

- from a browser remembered for that username (those never count here: app/services/login.py), or
- from a network (``networks.network_of``: an IPv4 address, an IPv6 /64) from which that account
  opened a session in the last KNOWN_DAYS days (the sessions' table keeps ended sessions that long), or
- for an account an administrator lifted the wait of during the wave (``grant_pass``): its next login
  only, within an hour. The account a stuffer holding its right pair tried is shown as waiting too, and
  is lifted as readily: an hour's pass from any network was an hour of logins for them (a review of
  session 43). The first right password let through on it spends it (``spend_pass``, one DELETE: two
  logins sent at once on one pass both logged in while the pass was spent by the login that finished,
  session 44); from then on the network it came from is known.

Why refuse, not delay: a delay costs a stuffer nothing (it sends the next pair meanwhile, from
another address), while each refused pair is one not checked; and the refusal is made before the
password is checked, so it tells nothing (the same answer for every name, existing or not) and
costs no argon2 time. Why this cannot lock everyone out: whoever logs in from a browser or a
network they used before never meets the wave, and the attacker, refused, adds nothing to the
count, which leaks back under its level within minutes of the failures stopping. What it costs:
during a wave, a person's first login from a new browser on a new network waits, told why, or
asks an administrator; measured in bench/login_stuffing.py (bench/README.md, session 43).
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app import throttle
from app.extensions import db
from app.services.digits import shown_number
from app.services.networks import network_of
from models import User, UserSession

SITE_KEY = "login:site"
PASS_PREFIX = "login:site-pass:"
REFUSED_PREFIX = "login:site-refused-user:"
KNOWN_DAYS = 30  # sessions.KEEP_ENDED: the sessions' rows say where an account logged in from, this long
PASS_HOURS = 1


def allowance() -> throttle.Allowance | None:
    """The site's count as the throttle keeps it (it never makes anyone wait by itself: ``free`` is
    out of reach; the wave is read from its level), or None when LOGIN_SITE_FAILURES_PER_HOUR is 0."""
    per_hour = current_app.config["LOGIN_SITE_FAILURES_PER_HOUR"]
    if not per_hour:
        return None
    return throttle.Allowance(2 ** 30, timedelta(seconds=1), timedelta(days=1), timedelta(hours=1) / per_hour)


def wave_seconds(now: datetime) -> int:
    """0 when no wave is under way, else about how many seconds until the count leaks under its level."""
    kept = allowance()
    if kept is None:
        return 0
    level, per_hour = throttle.level(SITE_KEY, kept, now), current_app.config["LOGIN_SITE_FAILURES_PER_HOUR"]
    if level < per_hour:
        return 0
    return max(1, math.ceil((level - per_hour + 1) * kept.leak_every.total_seconds()))


def lets_through(user: User | None, address: str, now: datetime, seconds: int) -> str:
    """Whether a wave lets a try at ``user`` from ``address`` through, and why: "network" (the account
    opened a session from that network in the last KNOWN_DAYS days), "pass" (it holds an
    administrator's pass: its right password must then spend it, ``spend_pass``), "" (refused). One
    query whether the user exists or not. A refused account is noted while the wave lasts
    (``refused_key``): the users page shows it as waiting, with the button that lifts it (``grant_pass``)."""
    user_id = user.id if user is not None else 0
    if throttle.waiting_until([pass_key(user_id)], now):
        return "pass"
    if _known_network(user_id, address, now):
        return "network"
    # noted for a name no account has too (under id 0, no account's): a write for one and not the
    # other told whether a name exists by the time of its refusal (a review of session 43)
    throttle.note(refused_key(user_id), now + timedelta(seconds=seconds), now)
    return ""


def _known_network(user_id: int, address: str, now: datetime) -> bool:
    """One indexed lookup of the network, not a read of every address of the account's month (a phone's
    IPv6 privacy address is a new one at each login): a known name's refusal took as long as its
    sessions were many, 98 against 30 ms with 1,200 (a review of session 43)."""
    return db.session.scalar(select(UserSession.id).where(
        UserSession.user_id == user_id, UserSession.network == network_of(address),
        UserSession.created_at >= now - timedelta(days=KNOWN_DAYS)).limit(1)) is not None


def spend_pass(user_id: int, address: str, now: datetime) -> bool:
    """A right password let through a wave on ``user_id``'s pass spends it: True when this login spent
    it (or its network became known meanwhile: the login that spent it came from there), False when
    another login spent it first."""
    return throttle.spend(pass_key(user_id), now) or _known_network(user_id, address, now)


def refused_key(user_id: int) -> str:
    """The note of an account whose try a wave refused (kept until the wave was to end)."""
    return f"{REFUSED_PREFIX}{user_id}"


def pass_key(user_id: int) -> str:
    """The note of an administrator's pass (``grant_pass``), deleted by the account's next finished login."""
    return f"{PASS_PREFIX}{user_id}"


def grant_pass(user_id: int, now: datetime) -> None:
    """An administrator lifted this account's wait: its tries pass a wave until its next finished
    login (``attempt_succeeded`` deletes the pass), for PASS_HOURS at most."""
    throttle.note(pass_key(user_id), now + timedelta(hours=PASS_HOURS), now)
    throttle.clear(refused_key(user_id))


def refused_message(seconds: int) -> str:
    return _("ورودهای ناموفق بسیاری از نشانی‌های گوناگون به این سامانه آمده است (شاید کسی گذرواژه‌های ربوده‌شده را "
             "می‌آزماید). تا آرام شدن آن، ورود تنها از مرورگری که پیش‌تر با آن وارد شده‌اید یا از شبکه‌ای که در این "
             "یک ماه از آن وارد شده‌اید پذیرفته است. حدود %(minutes)s دقیقهٔ دیگر دوباره تلاش کنید، یا از مدیر "
             "سامانه بخواهید محدودیت ورود شما را بردارد.", minutes=shown_number(max(1, math.ceil(seconds / 60))))
