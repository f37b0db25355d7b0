"""Values kept encrypted at rest: the second factor's TOTP secrets (docs/SECURITY.md).

A copy of the database without the data folder (a ``pg_dump`` kept elsewhere, a replica, a bug that
reads a table) must not hand out every account's second factor. ``SealedString`` stores
``f1:<Fernet token>`` (AES-128-CBC and HMAC-SHA256, the ``cryptography`` library's recipe) under a key
derived from the installation's secret key by HKDF-SHA256 (its own ``info``: the session signing key
itself never encrypts), and reads through a ``MultiFernet`` of the current key and
``SECRET_KEY_PREVIOUS``: after the secret key changes, set the old one there, run
``user rekey-2fa`` (every value sealed again under the new key, each checked), then drop it.

A stored value without the prefix (written before sealing, or by hand) is read as it is; a sealed
value no key opens is read as ``UNREADABLE``: empty, so no code is ever accepted against it (fails
closed), and told apart by ``is_unreadable`` (the login names the cause, ``user rekey-2fa`` the
accounts).
"""
from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from app.config import MISSING_SECRET_KEY, ConfigError

PREFIX = "f1:"
_INFO = b"hamzaban totp 1"


class _Unreadable(str):
    """A sealed value that no key of the ring opens (the secret key changed without
    ``SECRET_KEY_PREVIOUS``): empty, so it matches no code."""

    __slots__ = ()


UNREADABLE = _Unreadable("")


def is_unreadable(value: object) -> bool:
    return isinstance(value, _Unreadable)


@lru_cache(maxsize=8)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(HKDF(algorithm=SHA256(), length=32, salt=None, info=_INFO)
                                           .derive(key.encode())))


def key_ring(config=None) -> MultiFernet:
    """The current secret key's Fernet first (it seals), then the previous one's (it only opens).

    :raise ConfigError: there is no secret key (fails closed, saying what to set)."""
    config = current_app.config if config is None else config
    if not config.get("SECRET_KEY"):  # ``flask db upgrade`` before ``init``: 0031 stopped on an AttributeError
        raise ConfigError(f"{MISSING_SECRET_KEY} The second-factor secrets are sealed with a key derived from it; "
                          "nothing was sealed or opened.")
    keys = [config["SECRET_KEY"]]
    if config.get("SECRET_KEY_PREVIOUS"):
        keys.append(config["SECRET_KEY_PREVIOUS"])
    return MultiFernet([_fernet(key) for key in keys])


def seal(value: str, ring: MultiFernet | None = None) -> str:
    return PREFIX + (ring or key_ring()).encrypt(value.encode()).decode("ascii")


def unseal(stored: str, ring: MultiFernet | None = None) -> str:
    """The value ``stored`` holds: a plain one as it is, ``UNREADABLE`` when no key opens it."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return (ring or key_ring()).decrypt(stored[len(PREFIX):].encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        return UNREADABLE


def opens_with_current_key(stored: str, config=None) -> str | None:
    """What ``stored`` holds when it is sealed and the current secret key alone opens it, else None
    (``user rekey-2fa``'s check of every row it wrote)."""
    if not stored.startswith(PREFIX):
        return None
    config = current_app.config if config is None else config
    try:
        return _fernet(config["SECRET_KEY"]).decrypt(stored[len(PREFIX):].encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        return None


class SealedString(TypeDecorator):
    """A string stored sealed (``seal``) and read back plain (``unseal``). A value read as
    ``UNREADABLE`` is never written back: it would seal the empty string over the stored one."""

    impl = String(255)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        # SQLite keeps any length in a VARCHAR(64): migration 0031 widens the column elsewhere only
        # (a rebuilt users table would cascade-delete the rows that reference it)
        return dialect.type_descriptor(String(64) if dialect.name == "sqlite" else String(255))

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        if is_unreadable(value):
            raise ValueError("an unreadable sealed value cannot be stored again")
        return seal(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else unseal(value)
