"""Passwords: hashing (argon2id) and the rules a new password must meet."""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

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
