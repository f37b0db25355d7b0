"""Accounts: log-in with lock-out, creating and changing users."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, literal, or_, select, update

from app.extensions import db
from app.passwords import (
    DUMMY_HASH,
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.policy import ROLES, USER_ADMINS, can_manage_users, needs_agency
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from models import Agency, User, utcnow
from search_index.persian import normalize_for_storage as normalize_input


class LoginFailed(ServiceError):
    """Wrong username or password (the message never says which)."""


class AccountLocked(ServiceError):
    """Too many failures: the account is locked until `until`."""

    def __init__(self, message: str, until):
        super().__init__(message)
        self.until = until


@dataclass
class UserInput:
    username: str
    role: str
    password: str | None = None
    display_name: str = ""
    email: str = ""
    agency_slug: str | None = None


def _take_attempt(user_id: int, now):
    """Count one more attempt on the account, atomically, unless it is locked at this moment.

    One UPDATE … RETURNING (SQLite 3.35+, PostgreSQL) both judges the lock and adds to the count,
    so parallel requests are serialised by the database: the attempt that reaches
    LOCKOUT_THRESHOLD locks the account before its password is even checked, and every later
    one is refused unseen. Hence at most LOCKOUT_THRESHOLD guesses are evaluated per window. The
    attempt is counted as a failure up front; a correct password clears the count afterwards.
    An expired lock starts a fresh count. Returns (count, locked_until), or None when locked.
    """
    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    lock_until = literal(now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"]), User.locked_until.type)
    count = case((User.locked_until.is_not(None), 1), else_=func.coalesce(User.failed_logins, 0) + 1)
    taken = db.session.execute(
        update(User)
        .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=count, locked_until=case((count >= threshold, lock_until), else_=None))
        .returning(User.failed_logins, User.locked_until)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    db.session.commit()  # visible to the other requests before the (slow) password check
    return tuple(taken) if taken is not None else None


def _settle_attempt(user_id: int, *conditions, **values) -> int:
    """Write the outcome of an attempt (a plain UPDATE: the loaded row may be stale by now)."""
    return db.session.execute(update(User).where(User.id == user_id, *conditions).values(**values)
                              .execution_options(synchronize_session=False)).rowcount


def authenticate(username: str, password: str) -> User:
    """Return the user for a correct username and password, counting failures toward lock-out."""
    username = normalize_input(username).strip().lower()
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == username).execution_options(unscoped=True)
    )
    now = utcnow()
    if user is None or not user.is_active:
        verify_password(DUMMY_HASH, password)
        record("login.failed", actor_label=username[:128], reason="unknown-or-inactive")
        db.session.commit()
        raise LoginFailed(_("نام کاربری یا گذرواژه درست نیست."))
    attempt = _take_attempt(user.id, now)
    if attempt is None:
        # Judged locked by the UPDATE; if the lock was lifted since, the page says "until now".
        locked_until = db.session.scalar(select(User.locked_until).where(User.id == user.id))
        record("login.refused_locked", actor=user, obj=user)
        db.session.commit()
        raise AccountLocked(_("این حساب به دلیل تلاش‌های ناموفق پیاپی موقتاً قفل شده است."),
                            max(locked_until or now, now))
    failures, locked_until = attempt
    if not verify_password(user.password_hash, password):
        record("login.failed", actor=user, obj=user, failures=failures)
        # This attempt set the lock; it stands unless a right password or the admin lifted it meanwhile.
        if locked_until is not None and _settle_attempt(user.id, User.locked_until == locked_until,
                                                        failed_logins=0):
            record("account.locked", actor=user, obj=user, until=locked_until.isoformat())
            db.session.commit()
            raise AccountLocked(_("این حساب به دلیل تلاش‌های ناموفق پیاپی موقتاً قفل شد."), locked_until)
        db.session.commit()
        raise LoginFailed(_("نام کاربری یا گذرواژه درست نیست."))
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    _settle_attempt(user.id, **values)
    record("login.succeeded", actor=user, obj=user)
    db.session.commit()
    return user


def _agency_for(slug: str | None) -> Agency | None:
    if not slug:
        return None
    agency = db.session.scalar(select(Agency).where(Agency.slug == slug))
    if agency is None:
        raise ServiceError(_("سازمانی با شناسهٔ «%(slug)s» نیست.", slug=slug))
    return agency


def _check_role_and_agency(role: str, agency: Agency | None) -> None:
    if role not in ROLES:
        raise ServiceError(_("نقش «%(role)s» شناخته نیست.", role=role))
    if needs_agency(role) and agency is None:
        raise ServiceError(_("برای این نقش باید سازمان کاربر را برگزینید."))


def create_user(data: UserInput, *, actor=None, actor_label: str = "") -> User:
    """Create a user after checking role, agency, uniqueness and the password rules."""
    if actor is not None and not can_manage_users(actor):
        raise NotAllowed(_("تنها مدیر سامانه کاربر می‌سازد."))
    username = normalize_input(data.username).strip().lower()
    if not username:
        raise ServiceError(_("نام کاربری را بنویسید."))
    agency = _agency_for(data.agency_slug)
    _check_role_and_agency(data.role, agency)
    exists = db.session.scalar(
        select(User.id).where(func.lower(User.username) == username).execution_options(unscoped=True)
    )
    if exists:
        raise ServiceError(_("نام کاربری «%(u)s» پیش‌تر گرفته شده است.", u=username))
    check_password_rules(data.password or "", username)
    user = User(
        username=username,
        display_name=normalize_input(data.display_name).strip(),
        email=data.email.strip(),
        role=data.role,
        agency_id=agency.id if agency else None,
        password_hash=hash_password(data.password),
        session_token=secrets.token_hex(8),
    )
    db.session.add(user)
    db.session.flush()
    record("user.created", actor=actor, actor_label=actor_label, obj=user, role=user.role)
    db.session.commit()
    return user


def update_user(user: User, data: UserInput, *, is_active: bool, actor) -> User:
    """Change a user's profile, role, agency, active flag and (optionally) password."""
    if not can_manage_users(actor):
        raise NotAllowed(_("تنها مدیر سامانه کاربران را ویرایش می‌کند."))
    agency = _agency_for(data.agency_slug)
    _check_role_and_agency(data.role, agency)
    if user.id == actor.id and (data.role not in USER_ADMINS or not is_active):
        raise ServiceError(_("نمی‌توانید نقش مدیر سامانه یا فعال بودن حساب خودتان را بردارید."))
    changes = {}
    for field, value in (("display_name", normalize_input(data.display_name).strip()),
                         ("email", data.email.strip()), ("role", data.role),
                         ("agency_id", agency.id if agency else None), ("is_active_account", is_active)):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if data.password:
        check_password_rules(data.password, user.username)
        user.password_hash = hash_password(data.password)
        changes["password"] = "changed"
    if "password" in changes or "is_active_account" in changes or "role" in changes:
        user.session_token = secrets.token_hex(8)  # log out existing sessions
    if changes:
        record("user.updated", actor=actor, obj=user, changes=changes)
    db.session.commit()
    return user


def unlock_user(user: User, *, actor) -> None:
    """Lift a lock-out before it expires."""
    if not can_manage_users(actor):
        raise NotAllowed(_("تنها مدیر سامانه قفل حساب را برمی‌دارد."))
    user.locked_until = None
    user.failed_logins = 0
    record("account.unlocked", actor=actor, obj=user)
    db.session.commit()


def change_own_password(user: User, current: str, new: str) -> None:
    """A user changes their own password (the current one is asked again)."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("گذرواژهٔ کنونی درست نیست."))
    check_password_rules(new, user.username)
    user.password_hash = hash_password(new)
    user.session_token = secrets.token_hex(8)
    record("user.password_changed", actor=user, obj=user)
    db.session.commit()


def list_users() -> list[User]:
    """Every user, by role and username (the administration page)."""
    return db.session.scalars(select(User).order_by(User.role, User.username)).all()
