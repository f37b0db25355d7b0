"""Passwords, role checks and HTTP security headers."""
from __future__ import annotations

import gzip
from functools import lru_cache, wraps
from pathlib import Path
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

PASSWORD_MIN, PASSWORD_MAX = 10, 128


class PasswordRejected(ValueError):
    """The password breaks a rule; str() is the Persian message for the user."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# A valid hash to verify against when the username does not exist, so timing does not tell.
DUMMY_HASH = _hasher.hash("not-a-real-password-just-timing")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def check_password_rules(password: str, username: str = "") -> None:
    """Raise PasswordRejected unless the password meets current guidance (NIST SP 800-63B).

    10 to 128 characters, no composition rules, not a common password, not the username.
    """
    if len(password) < PASSWORD_MIN:
        raise PasswordRejected(str(_l("گذرواژه باید دست‌کم %(n)s نویسه باشد.", n=PASSWORD_MIN)))
    if len(password) > PASSWORD_MAX:
        raise PasswordRejected(str(_l("گذرواژه نباید بیش از %(n)s نویسه باشد.", n=PASSWORD_MAX)))
    lowered = password.lower()
    if lowered in _common_passwords() or (username and lowered == username.lower()):
        raise PasswordRejected(str(_l("این گذرواژه بسیار رایج یا حدس‌زدنی است؛ گذرواژهٔ دیگری برگزینید.")))


def access(*roles: str, public: bool = False) -> Callable:
    """Declare who may use a view: `@access("admin")`, `@access(ALL_ROLES)`, `@access(public=True)`.

    The declaration is stored on the view (`view.access_roles`) so the access-matrix test can
    check every route against it; a view without one is refused by `check_declared_access`.
    """
    allowed = frozenset(r for group in roles for r in ((group,) if isinstance(group, str) else group))

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not public:
                if not current_user.is_authenticated:
                    from app.extensions import login_manager

                    return login_manager.unauthorized()
                if current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        wrapped.access_roles = None if public else allowed
        wrapped.access_public = public
        return wrapped

    return decorator


def register_security_headers(app: Flask) -> None:
    """Add CSP and friends to every response; the pages load nothing from another host."""
    csp = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
