"""The one throttle on guessing secrets: the login password, the login code, the current password
of the change-password form and the code that renews recovery codes.

Counted per account (the typed username, whether it exists or not, or the remembered browser)
and per client address, in the database (app/throttle.py), before the secret is checked.
"""
from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from app import clock, throttle
from app.services import ServiceError
from app.services.sessions import Client
from search_index.persian import ascii_digits
from search_index.persian import normalize_for_storage as normalize_input


class TooManyAttempts(ServiceError):
    """The throttle asks this client to wait until ``retry_at`` (``seconds`` from now)."""

    def __init__(self, message: str, retry_at: datetime, seconds: int):
        super().__init__(message)
        self.retry_at = retry_at
        self.seconds = seconds


def fold_username(username: str) -> str:
    """A typed username as accounts store it (``accounts.clean_username``): ي→ی, ك→ک, ى→ی, Persian
    digits as ASCII, lower case, no spaces at the ends."""
    return ascii_digits(normalize_input(username or "")).replace("\u0649", "ی").strip().lower()


def normalize_username(username: str) -> str:
    """``fold_username``, at most 64 characters (the throttle's key and the login's look-up)."""
    return fold_username(username)[:64]


def _network(address: str) -> str:
    """The address a throttle counts on: IPv4 as is, IPv6 by its /64 (one host owns a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _allowances() -> tuple[throttle.Allowance, throttle.Allowance]:
    config = current_app.config
    max_delay = timedelta(seconds=config["LOGIN_MAX_DELAY_SECONDS"])
    memory = timedelta(minutes=config["LOGIN_MEMORY_MINUTES"])
    return (throttle.Allowance(config["LOGIN_FREE_ATTEMPTS"], max_delay, memory),
            throttle.Allowance(config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"], max_delay, memory))


def account_key(username: str, client: Client | None = None) -> str:
    """The key a try on ``username`` counts on: the remembered browser's, else the username's."""
    if client is not None and client.device and client.device[0] == username:
        return f"login:device:{client.device[1]}"
    return f"login:user:{username}"


def address_key(client: Client) -> str:
    return f"login:addr:{_network(client.address)}"


def take_attempt(username: str, client: Client, *, remembered: bool = True) -> None:
    """Count one try on the account and the address before the secret is checked.

    :raise TooManyAttempts: one of them must wait (the message says how long); nothing counted.
    """
    per_account, per_address = _allowances()
    now = clock.utcnow()
    key = account_key(username, client if remembered else None)
    until = throttle.take({key: per_account, address_key(client): per_address}, now)
    if until is not None:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        raise TooManyAttempts(_("تلاش‌های ناموفق پیاپی بسیار بود. %(seconds)s ثانیه دیگر دوباره تلاش کنید.",
                                seconds=seconds), until, seconds)


def attempt_succeeded(username: str, client: Client, *, remembered: bool = True, finished: bool = True) -> None:
    """A right secret: give the address its attempt back; when the login is ``finished``, forget
    the account's failures too (a right password before the code is not yet a success)."""
    per_address = _allowances()[1]
    throttle.refund(address_key(client), per_address)
    if finished:
        throttle.clear(account_key(username, client if remembered else None))
