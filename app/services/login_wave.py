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
  session 44); from then on the network it came from is known. An account with a second factor: its
  finished login spends it (a stuffer holding the password alone spent it at the password step and
  stopped at the code page, and the owner was refused again: session 44's attacker's review).

One holder of an IPv6 /48 (a free tunnel's allocation; a home /56 is a part of one) has 65,536 /64s,
each an address of its own to the throttle: alone it filled the site's count and kept the wave going
(session 43's attacker's review). So the failures of an IPv6 client count on its /48's bucket too
(``prefix_key``), half the site's deep and leaking half as fast: past it, that /48's strangers meet a
wave of its own (the same exceptions), and the failures one /48 adds to the site's count stay under
half its level at the start and half its leak after, so it cannot fill it alone. Not by /56: a /48
holds 256 of them. Not IPv4 by /24: a carrier's NAT pool shares one among thousands of subscribers,
and IPv4 addresses are too scarce for one person to hold the 50 a wave takes. A mobile carrier's /48
may hold many subscribers' /64s: a stuffer among them makes that /48's strangers wait, not the site's.

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
from app.services.networks import network_of, prefix_of
from models import User, UserSession

SITE_KEY = "login:site"
PREFIX_KEY_PREFIX = "login:site-prefix:"
PASS_PREFIX = "login:site-pass:"
REFUSED_PREFIX = "login:site-refused-user:"
KNOWN_DAYS = 30  # sessions.KEEP_ENDED: the sessions' rows say where an account logged in from, this long
PASS_HOURS = 1


def allowance() -> throttle.Allowance | None:
    """The site's count as the throttle keeps it (it never makes anyone wait by itself: ``free`` is
    out of reach; the wave is read from its level), or None when LOGIN_SITE_FAILURES_PER_HOUR is 0."""
    per_hour = current_app.config["LOGIN_SITE_FAILURES_PER_HOUR"]
    return _bucket(per_hour) if per_hour else None


def _bucket(per_hour: int) -> throttle.Allowance:
    return throttle.Allowance(2 ** 30, timedelta(seconds=1), timedelta(days=1), timedelta(hours=1) / per_hour)


def prefix_key(address: str) -> str | None:
    """The key of the /48's count of a try from ``address`` (None: IPv4, ``networks.prefix_of``)."""
    prefix = prefix_of(address)
    return None if prefix is None else f"{PREFIX_KEY_PREFIX}{prefix}"


def prefix_allowance() -> throttle.Allowance:
    """A /48's count: half the site's (``allowance`` is not None)."""
    return _bucket(_prefix_level())


def _prefix_level() -> int:
    return max(1, current_app.config["LOGIN_SITE_FAILURES_PER_HOUR"] // 2)


def _seconds(key: str, per_hour: int, now: datetime) -> int:
    kept = _bucket(per_hour)
    level = throttle.level(key, kept, now)
    return 0 if level < per_hour else max(1, math.ceil((level - per_hour + 1) * kept.leak_every.total_seconds()))


def wave_seconds(now: datetime) -> int:
    """0 when no wave is under way across the site, else about how many seconds until it fades."""
    return wave(now)[0]


def refusing(now: datetime) -> bool:
    """Whether a wave, the site's or a /48's own, refuses tries now: the site's count, or an account (or a
    name no account has) a wave refused and noted while it lasts (``refused_key``). The users page warns
    by it before an account is lifted: a /48's refused accounts were shown waiting without that warning
    (session 44's attacker's review)."""
    return wave_seconds(now) > 0 or bool(throttle.waiting_until(throttle.keys_starting(REFUSED_PREFIX), now))


def wave(now: datetime, address: str = "") -> tuple[int, bool]:
    """(0, False) when no wave is under way for a try from ``address``, else about how many seconds until
    the count leaks under its level, and whether it is the address's /48's own wave (``prefix_key``)."""
    per_hour = current_app.config["LOGIN_SITE_FAILURES_PER_HOUR"]
    if not per_hour:
        return 0, False
    site, key = _seconds(SITE_KEY, per_hour, now), prefix_key(address)
    own = _seconds(key, _prefix_level(), now) if key is not None else 0
    return max(site, own), own > site


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


def refused_message(seconds: int, own: bool = False) -> str:
    """What a try refused by a wave is told (``own``: its /48's wave, ``wave_seconds``)."""
    if own:
        return _("ورودهای ناموفق بسیاری از نشانی‌های شبکهٔ شما (یک بلوک نشانی IPv6) به این سامانه آمده است. تا آرام "
                 "شدن آن، ورود از این شبکه تنها از مرورگری که پیش‌تر با آن وارد شده‌اید یا از شبکه‌ای که در این یک "
                 "ماه از آن وارد شده‌اید پذیرفته است. حدود %(minutes)s دقیقهٔ دیگر دوباره تلاش کنید، یا از مدیر "
                 "سامانه بخواهید محدودیت ورود شما را بردارد.", minutes=shown_number(max(1, math.ceil(seconds / 60))))
    return _("ورودهای ناموفق بسیاری از نشانی‌های گوناگون به این سامانه آمده است (شاید کسی گذرواژه‌های ربوده‌شده را "
             "می‌آزماید). تا آرام شدن آن، ورود تنها از مرورگری که پیش‌تر با آن وارد شده‌اید یا از شبکه‌ای که در این "
             "یک ماه از آن وارد شده‌اید پذیرفته است. حدود %(minutes)s دقیقهٔ دیگر دوباره تلاش کنید، یا از مدیر "
             "سامانه بخواهید محدودیت ورود شما را بردارد.", minutes=shown_number(max(1, math.ceil(seconds / 60))))
