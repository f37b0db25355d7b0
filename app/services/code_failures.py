"""Wrong second-factor codes in a row: a bound that does not fade with time (NIST SP 800-63B 5.2.2 asks
for at most 100 consecutive failures), one for the login's code step and one of its own for the
recovery codes' renewal (app/services/login.py says why neither can lock a stranger's victim out).
Apart from the waits of app/services/login_throttle.py, which fade."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from app import clock, throttle

CODE_FAILURES_PREFIX = "login:codes:"


def code_failures_key(user_id: int) -> str:
    """The key of an account's consecutive wrong codes at the login's code step."""
    return f"{CODE_FAILURES_PREFIX}{user_id}"


RENEWAL_FAILURES_PREFIX = "login:renewal-codes:"


def renewal_failures_key(user_id: int) -> str:
    """The key of an account's consecutive wrong codes on the recovery codes' renewal form: a bound
    of its own. On the login's, a stolen session (or an unlocked PC) could close every new login of
    the owner without the password (a review of the login, round 2)."""
    return f"{RENEWAL_FAILURES_PREFIX}{user_id}"


def take_renewal_try(user_id: int) -> int | None:
    """``take_code_try`` for the renewal form: the count with this try, or None at CODE_FAILURES_MAX
    (the renewal stays closed until the owner logs in again with a code, or an administrator opens it)."""
    return throttle.take_capped(renewal_failures_key(user_id), current_app.config["CODE_FAILURES_MAX"], clock.utcnow())


def renewal_locked_message() -> str:
    return _("کدهای نادرست پیاپی برای ساختن کدهای پشتیبان تازه از اندازه گذشت؛ بیرون بروید و دوباره با کد وارد شوید، "
             "یا از مدیر سامانه بخواهید آن را باز کند.")


def codes_locked_message() -> str:
    """What a closed code step of the login says (the renewal has its own: ``renewal_locked_message``)."""
    return _("کدهای نادرست پیاپی برای این حساب از اندازه گذشت و ورود با کد بسته شد. "
             "از مدیر سامانه بخواهید آن را باز کند.")


def codes_locked_users(user_ids: list[int]) -> set[int]:
    """Which of these accounts have reached CODE_FAILURES_MAX wrong codes in a row."""
    cap = current_app.config["CODE_FAILURES_MAX"]
    found = throttle.counts([code_failures_key(user_id) for user_id in user_ids])
    return {user_id for user_id in user_ids if found.get(code_failures_key(user_id), 0) >= cap}


def take_code_try(user_id: int) -> int | None:
    """Count one code try on the account before the code is checked (a right code clears the
    count, ``attempt_succeeded``): the count with this try, or None when CODE_FAILURES_MAX wrong
    codes in a row are counted already (the code step is closed until an administrator opens it)."""
    return throttle.take_capped(code_failures_key(user_id), current_app.config["CODE_FAILURES_MAX"], clock.utcnow())


def give_back_code_try(user_id: int) -> None:
    """Undo ``take_code_try``: the try was no wrong code (the right code sent twice at once, whose
    other copy logged in)."""
    throttle.refund(code_failures_key(user_id),
                    throttle.Allowance(current_app.config["CODE_FAILURES_MAX"], timedelta(0), timedelta(0)))
