"""The second factor: TOTP (RFC 6238, 30-second codes of six digits, pyotp) and ten single-use
recovery codes.

Enrolment: "set up" stores a new secret, not yet in use; the page shows it as a QR code made
here (segno, no outside service) and as text; the first right code turns it on and shows the
recovery codes once. The waiting secret belongs to the session that typed the password for it
(the caller keeps ``enrolment_tag`` in that session and passes it back): a set-up left unfinished
is neither shown nor turned on in another session, which never typed the password. A code is accepted once: the step it belongs to is stored, and a code of
that step or an earlier one is refused (no replay within its 90-second window). An administrator
resets a user's second factor (audited); the user then sets it up again at the next login.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import pyotp
from flask_babel import gettext as _
from sqlalchemy import String, delete, func, select, type_coerce, update

from app import clock
from app.extensions import db
from app.policy import can_reset_second_factor
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.code_failures import renewal_locked_message, take_renewal_try
from app.services.login_keys import normalize_username
from app.services.login_throttle import attempt_succeeded, recheck_password, take_attempt
from app.services.sessions import Client, end_all_of
from models import RecoveryCode, User
from models.sealed import is_unreadable, opens_with_current_key, seal, unseal
from search_index.persian import ascii_digits, normalize_for_storage

ISSUER = "Hamzaban"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed from paper
RECOVERY_LENGTH = 24  # 31**24: 118 random bits (ASVS 6.5.2: 112 or more lets a plain salted hash do)
STEP_SECONDS = 30


@dataclass(frozen=True)
class Enrolment:
    """A secret waiting for its first code: the text to type and the otpauth:// address of the QR code."""

    secret: str
    uri: str


@dataclass(frozen=True)
class TwoFactorState:
    enabled_at: datetime | None
    recovery_left: int
    pending: Enrolment | None


# What people put between a code's two groups of three: a space, the Persian keyboard's Shift+Space
# (ZWNJ), a dash (as some authenticator apps show the code). Refused, a right code was audited as a
# wrong one and counted toward the twenty in a row that close the code step (session 39).
_CODE_SEPARATORS = str.maketrans(dict.fromkeys("\u200c-\u2010\u2011\u2012\u2013\u2014\u2212"))


def _digits(text: str) -> str:
    """What was typed, Persian, Arabic or full-width digits as ASCII, spaces, ZWNJ and dashes out
    ("۱۲۳ ۴۵۶", "۱۲۳-۴۵۶" and the two groups with a ZWNJ between are 123456)."""
    return "".join(ascii_digits(unicodedata.normalize("NFKC", text or "")).translate(_CODE_SEPARATORS).split())


def _recovery_hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _normal_recovery(text: str) -> str:
    return "".join(ch for ch in ascii_digits(normalize_for_storage(text or "")).lower() if ch.isascii() and ch.isalnum())


def enrolment_tag(user: User) -> str | None:
    """A digest of the secret waiting for its first code (None: none waits), kept by the session
    that started the set-up: ``state`` and ``confirm_enrolment`` ask for it back."""
    if not user.totp_secret or user.totp_enabled_at is not None:
        return None
    return hashlib.sha256(f"enrolment:{user.totp_secret}".encode()).hexdigest()[:32]


def _started_here(user: User, enrolling: str | None) -> bool:
    tag = enrolment_tag(user)
    return tag is not None and enrolling is not None and hmac.compare_digest(tag, enrolling)


def state(user: User, enrolling: str | None = None) -> TwoFactorState:
    """What the user's two-factor page shows; the waiting secret only to the session that started
    the set-up (``enrolling``: the ``enrolment_tag`` it kept)."""
    left = db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0
    pending = None
    if _started_here(user, enrolling):
        pending = Enrolment(user.totp_secret, pyotp.TOTP(user.totp_secret).provisioning_uri(
            name=user.username, issuer_name=ISSUER))
    return TwoFactorState(user.totp_enabled_at, left, pending)


def begin_enrolment(user: User, password: str, client: Client) -> str:
    """Store a new secret for ``user``, not in use until its first code is confirmed. The password
    is asked again (a change of authentication factors), under the login throttle. Returns its
    ``enrolment_tag``, for the caller's session.

    :raise TooManyAttempts: wait first. :raise ServiceError: a wrong password, or already on.
    """
    if user.has_second_factor:
        raise ServiceError(_("ورود دومرحله‌ای پیش‌تر روشن شده است."))
    recheck_password(user, password, client, failed_action="user.totp_setup_failed",
                     message=_("گذرواژهٔ کنونی درست نیست."))
    user.totp_secret = pyotp.random_base32()  # 32 base32 letters: 160 bits, as RFC 4226 advises
    db.session.commit()
    return enrolment_tag(user)


def _step_accepted(user: User, code: str, now: datetime) -> bool:
    """Whether ``code`` is this user's TOTP of the step now, the one before or after, not used yet;
    marks its step used (one UPDATE, so two requests with the same code cannot both pass)."""
    code = _digits(code)
    if not (user.totp_secret and len(code) == 6 and code.isascii() and code.isdigit()):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    step = int(now.timestamp()) // STEP_SECONDS
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.at(candidate * STEP_SECONDS), code):
            taken = db.session.execute(update(User).where(User.id == user.id, User.totp_last_step < candidate)
                                       .values(totp_last_step=candidate)
                                       .execution_options(synchronize_session=False)).rowcount
            return taken == 1
    return False


def secret_unreadable(user: User) -> bool:
    """Whether the user's second factor is on but its secret opens with no key of the server (the
    secret key changed without ``SECRET_KEY_PREVIOUS``, models/sealed.py): no TOTP code is accepted."""
    return user.has_second_factor and is_unreadable(user.totp_secret)


def unreadable_detail(user: User) -> dict:
    """What a failed code's audit entry adds when no TOTP code could have been right."""
    return {"secret_unreadable": True} if secret_unreadable(user) else {}


def wrong_code_message(user: User) -> str:
    """What the login's code step says to a code that is neither a TOTP nor a recovery code: the
    cause when the secret is unreadable (a recovery code still logs in)."""
    if secret_unreadable(user):
        return _("کلید ورود دومرحله‌ای این حساب با کلید کنونی کارساز باز نمی‌شود. با یکی از کدهای پشتیبان وارد "
                 "شوید یا از مدیر سامانه بخواهید ورود دومرحله‌ای شما را از نو بگذارد.")
    return _("کد درست نیست یا پیش‌تر به کار رفته است.")


def _new_recovery_codes(user: User, now: datetime) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    for code in codes:
        salt = secrets.token_hex(16)
        db.session.add(RecoveryCode(user_id=user.id, salt=salt, code_hash=_recovery_hash(salt, code), created_at=now))
    return ["-".join(code[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4)) for code in codes]


def confirm_enrolment(user: User, code: str, session_id: str | None, enrolling: str | None = None,
                      client: Client | None = None) -> list[str]:
    """Turn the second factor on with its first code; returns the ten recovery codes (shown once).
    The user's other sessions end, this one (``session_id``) stays: they were opened with the
    password alone (a role that must use a second factor would otherwise keep a set-up-only
    session that now opens everything). The account's session token changes too, so a copy of
    this browser's cookie taken before (the same session id) is refused; the caller writes the
    new token into this browser's cookie (``login_user`` again), as after a password change.

    ``enrolling``: the ``enrolment_tag`` the session kept when it started the set-up. The code counts
    on the signed-in user's own key (``take_attempt(signed_in=…)``), a wrong one is audited: unthrottled,
    a copy of this session's cookie tried every code at the server's pace (session 44).

    :raise TooManyAttempts: wait first. :raise ServiceError: no secret waiting for this session, or a
        wrong code (the secret stays for another try).
    """
    if user.has_second_factor or not _started_here(user, enrolling):
        raise ServiceError(_("نخست «راه‌اندازی» را بزنید."))
    username = normalize_username(user.username)
    take_attempt(username, client or Client(), signed_in=user.id)
    now = clock.utcnow()
    if not _step_accepted(user, code, now):
        db.session.rollback()
        record("user.totp_setup_code_failed", actor=user, obj=user)
        db.session.commit()
        raise ServiceError(_("کد درست نیست. ساعت تلفن را بررسی کنید و کد تازه را بنویسید."))
    user.totp_enabled_at = now
    user.session_token = secrets.token_hex(8)
    codes = _new_recovery_codes(user, now)
    ended = end_all_of(user.id, "two-factor-on", keep=session_id)
    record("user.totp_enabled", actor=user, obj=user, sessions_ended=ended)
    db.session.commit()
    attempt_succeeded(username, client or Client(), signed_in=user.id)  # after the commit: its own connection
    return codes


def check_second_factor(user: User, code: str, now: datetime) -> str | None:
    """"totp" or "recovery" when ``code`` is a good, unused one (a recovery code is used up here;
    the caller commits), else None."""
    if _step_accepted(user, code, now):
        return "totp"
    typed = _normal_recovery(code)
    if len(typed) != RECOVERY_LENGTH:
        return None
    for row in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                             RecoveryCode.used_at.is_(None))):
        if hmac.compare_digest(row.code_hash, _recovery_hash(row.salt, typed)):
            used = db.session.execute(update(RecoveryCode).where(RecoveryCode.id == row.id,
                                                                 RecoveryCode.used_at.is_(None))
                                      .values(used_at=now).execution_options(synchronize_session=False)).rowcount
            if used:
                record("user.recovery_code_used", actor=user, obj=user)
                return "recovery"
    return None


def renew_recovery_codes(user: User, code: str, client: Client) -> list[str]:
    """Ten new recovery codes for a right TOTP code (the old ones stop working), under the login
    throttle (a stolen session cannot guess codes).

    :raise TooManyAttempts: wait first. :raise ServiceError: the second factor is off, or a wrong code.
    """
    username = normalize_username(user.username)
    take_attempt(username, client, signed_in=user.id)
    # Wrong codes in a row here are bounded (a review of the login: a stolen session could guess for
    # its whole life), on a bound of their own: on the login's, the session alone could close every
    # new login of the owner (round 2).
    counted = take_renewal_try(user.id)
    if counted is None:
        raise ServiceError(renewal_locked_message())
    now = clock.utcnow()
    if not user.has_second_factor or not _step_accepted(user, code, now):
        db.session.rollback()
        record("user.recovery_codes_renew_failed", actor=user, obj=user, in_a_row=counted)
        db.session.commit()
        raise ServiceError(_("کد درست نیست یا پیش‌تر به کار رفته است."))
    codes = _new_recovery_codes(user, now)
    record("user.recovery_codes_renewed", actor=user, obj=user)
    db.session.commit()
    attempt_succeeded(username, client, signed_in=user.id, user_id=user.id)  # after the commit: its own connection
    return codes


@dataclass(frozen=True)
class Resealed:
    """What ``reseal_all`` did: accounts whose secret is now sealed with the current key, and the
    usernames whose secret no key opens (left as they are: an administrator resets them)."""

    resealed: int
    unreadable: list[str]


def reseal_all(*, actor_label: str = "cli") -> Resealed:
    """Seal every stored second-factor secret again with the current secret key (after a change of
    the key, with the old one in ``SECRET_KEY_PREVIOUS``; plain ones written before sealing too),
    each read back as stored before the commit: a row that would not open with the current key
    alone rolls everything back (never a lost second factor). Each row is written only while it
    still holds what was read (one UPDATE … WHERE the stored value is unchanged): a secret another
    process wrote meanwhile (a set-up begun and confirmed) is sealed with the current key already,
    and rekey's copy of the old one must not replace it. Audited once."""
    table = User.__table__
    raw = type_coerce(table.c.totp_secret, String)  # as stored: neither sealed nor opened here
    rows = db.session.execute(select(table.c.id, table.c.username, raw).where(table.c.totp_secret.isnot(None))
                              .order_by(table.c.id).execution_options(unscoped=True)).all()
    readable, unreadable = {}, []
    for user_id, username, stored in rows:
        secret = unseal(stored)
        if is_unreadable(secret):
            unreadable.append(username)
            continue
        sealed = seal(secret)
        if db.session.execute(update(table).where(table.c.id == user_id, raw == stored)
                              .values({table.c.totp_secret: type_coerce(sealed, String)})).rowcount:
            readable[user_id] = secret
    stored = dict(db.session.execute(select(table.c.id, raw).where(table.c.id.in_(readable))
                                     .execution_options(unscoped=True)).all())
    if any(opens_with_current_key(stored.get(user_id) or "") != secret for user_id, secret in readable.items()):
        db.session.rollback()
        raise ServiceError(_("کلیدهای ورود دومرحله‌ای دوباره نوشته نشد: یکی از آن‌ها با کلید کنونی باز نشد. "
                             "چیزی تغییر نکرد."))
    record("user.totp_resealed", actor=None, actor_label=actor_label, resealed=len(readable), unreadable=unreadable)
    db.session.commit()
    return Resealed(len(readable), unreadable)


def reset(user: User, *, actor, actor_label: str = "") -> int | None:
    """The administrator turns a user's second factor off (a lost phone) and ends their sessions;
    ``actor`` None: the command line (the server's shell, as ``user create``). Returns how many sessions
    ended, or None when there was nothing to do (no second factor, no recovery code, no open session:
    ``user reset-2fa`` run again, nothing audited; session 47)."""
    if actor is not None and not can_reset_second_factor(actor):
        raise NotAllowed(_("تنها مدیر سامانه ورود دومرحله‌ای کاربران را از نو می‌گذارد."))
    if actor is not None and actor.id == user.id:
        # No code is asked here: a session alone (a shared PC) turned its owner's second factor off
        # and set up the taker's (a review of the login, round 3).
        raise NotAllowed(_("ورود دومرحله‌ای خودتان را این‌جا نمی‌توانید از نو بگذارید؛ مدیر سامانهٔ دیگری یا فرمان "
                           "«user reset-2fa» روی کارساز این کار را می‌کند."))
    had = user.totp_secret is not None or user.totp_enabled_at is not None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = 0  # a new secret: its first code may fall in the old one's last step
    codes = db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id)).rowcount
    ended = end_all_of(user.id, "two-factor-reset")
    if not (had or codes or ended):
        db.session.rollback()
        return None
    record("user.totp_reset", actor=actor, actor_label=actor_label, obj=user, sessions=ended)
    db.session.commit()
    return ended
