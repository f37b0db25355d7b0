"""An administrator's own password, asked again before accounts are created or changed on the
users pages unless typed within ADMIN_CONFIRM_MINUTES (at the login, or at the last such
confirmation): a session left open on a shared computer could make a new administrator, set
another account's password or reset its second factor (a review of the login, session 37). The
time it was typed is kept in the signed session cookie, which a new login replaces."""
from __future__ import annotations

from flask import current_app, session
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.services import ServiceError
from app.services.accounts import confirm_own_password
from app.services.digits import shown_number
from app.services.login_throttle import TooManyAttempts
from app.web.client import current_client

CONFIRMED_KEY = "_confirmed"  # when the password was last typed, seconds since the epoch


def mark_confirmed() -> None:
    session[CONFIRMED_KEY] = clock.utcnow().timestamp()


def recently_confirmed() -> bool:
    typed = session.get(CONFIRMED_KEY)
    if not isinstance(typed, (int, float)) or isinstance(typed, bool):
        return False
    age = clock.utcnow().timestamp() - typed
    return 0 <= age <= current_app.config["ADMIN_CONFIRM_MINUTES"] * 60


def confirmed(typed: str | None) -> str | None:
    """None when the administrator may go on (typed recently, or ``typed`` is their password now),
    else what to say under the password field."""
    if recently_confirmed():
        return None
    if not typed:
        return _("برای این کار گذرواژهٔ خودتان را دوباره بنویسید (از آخرین باری که آن را نوشتید بیش از "
                 "%(n)s دقیقه گذشته است).", n=shown_number(current_app.config["ADMIN_CONFIRM_MINUTES"]))
    try:
        confirm_own_password(current_user, typed, current_client())
    except TooManyAttempts as exc:
        return str(exc)
    except ServiceError as exc:
        return str(exc)
    mark_confirmed()
    return None
