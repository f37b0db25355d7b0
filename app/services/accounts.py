"""Accounts: log-in with lock-out, creating and changing users."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.passwords import DUMMY_HASH, check_password_rules, hash_password, needs_rehash, verify_password
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from search_index.persian import normalize_for_storage as normalize_input
from models import ROLES, Agency, User, utcnow


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


def _as_aware(moment):
    from datetime import timezone

    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


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
    locked_until = _as_aware(user.locked_until)
    if locked_until and locked_until > now:
        record("login.refused_locked", actor=user, obj=user)
        db.session.commit()
        raise AccountLocked(_("این حساب به دلیل تلاش‌های ناموفق پیاپی موقتاً قفل شده است."), locked_until)
    if not verify_password(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        threshold = current_app.config["LOCKOUT_THRESHOLD"]
        record("login.failed", actor=user, obj=user, failures=user.failed_logins)
        if user.failed_logins >= threshold:
            user.locked_until = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
            user.failed_logins = 0
            record("account.locked", actor=user, obj=user, until=user.locked_until.isoformat())
            db.session.commit()
            raise AccountLocked(_("این حساب به دلیل تلاش‌های ناموفق پیاپی موقتاً قفل شد."), user.locked_until)
        db.session.commit()
        raise LoginFailed(_("نام کاربری یا گذرواژه درست نیست."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
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
    if role in ("manager", "staff", "viewer") and agency is None:
        raise ServiceError(_("برای این نقش باید سازمان کاربر را برگزینید."))


def create_user(data: UserInput, *, actor=None, actor_label: str = "") -> User:
    """Create a user after checking role, agency, uniqueness and the password rules."""
    if actor is not None and actor.role != "admin":
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
    if actor.role != "admin":
        raise NotAllowed(_("تنها مدیر سامانه کاربران را ویرایش می‌کند."))
    agency = _agency_for(data.agency_slug)
    _check_role_and_agency(data.role, agency)
    if user.id == actor.id and (data.role != "admin" or not is_active):
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
    if actor.role != "admin":
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
