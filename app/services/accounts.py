"""Accounts: creating and changing users, changing one's own password (logging in: login.py)."""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update

from app import clock
from app.extensions import db
from app.passwords import PasswordRejected, check_password_rules, folded, hash_password
from app.policy import ROLES, USER_ADMINS, can_manage_users, needs_agency
from app.services import NotAllowed, ServiceError, login_wave, report_jobs, search_export_jobs
from app.services.agencies import agency_by_slug
from app.services.audit import record
from app.services.digits import shown_number
from app.services.directory_keys import name_key
from app.services.login import changed_meanwhile_message
from app.services.login_keys import fold_username
from app.services.login_throttle import recheck_password
from app.services.login_waits import codes_locked_usernames, waiting_usernames
from app.services.row_guard import STALE_PAGE, StalePage, changed_since, read_for_update, version_of
from app.services.sessions import Client, end_all_of
from models import Agency, User
from search_index.normalization import without_diacritics
from search_index.persian import ascii_digits
from search_index.persian import normalize_for_storage as normalize_input


@dataclass
class UserInput:
    username: str
    role: str
    password: str | None = None
    display_name: str = ""
    email: str = ""
    agency_slug: str | None = None


def _agency_for(slug: str | None) -> Agency | None:
    if not slug:
        return None
    return agency_by_slug(slug)


def _check_role_and_agency(role: str, agency: Agency | None) -> None:
    if role not in ROLES:
        raise ServiceError(_("نقش «%(role)s» شناخته نیست.", role=role))
    if needs_agency(role) and agency is None:
        raise ServiceError(_("برای این نقش باید سازمان کاربر را برگزینید."))



USERNAME_MAX = 64  # what the login form takes (normalize_username cuts there too)
_USERNAME_MARKS = frozenset("._-@")


# The Persian alphabet and its hamza forms: not every Arabic-script letter (the tatweel «ـ», «ٱ»,
# «ھ», «ہ» and the like draw a name that reads as another: «علـی» for «علی», «زہرا» for «زهرا»).
_PERSIAN_LETTERS = frozenset("ءآأؤئابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")


def _username_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or ch in _PERSIAN_LETTERS


def _not_a_username_character(ch: str) -> str:
    shown = ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
    return _("نام کاربری تنها حرف لاتین یا فارسی، رقم و نشانه‌های . _ - @ می‌پذیرد، نه «%(c)s» "
             "(فاصله و نویسه‌های نادیدنی هم پذیرفته نیست).", c=shown)


def clean_username(raw: str) -> str:
    """A new account's username as stored: the login's fold (ي→ی, ك→ک, lower case, spaces at the
    ends dropped) plus Persian digits as ASCII and «ى» as «ی», then only Latin or Persian letters,
    ASCII digits and ``. _ - @``: no space, no invisible character (ZWNJ, ZWSP, bidi marks), no
    full-width or other look-alike letters, so no username can pass for another in a list or
    in the audit trail.

    :raise ServiceError: empty, too long, or with another character (the message names it).
    """
    # Read before the fold, which drops bidi controls and NULs: «a\u202eb» was saved as «ab», and
    # a later «a\x00b» refused as «ab» taken, a name its writer never typed.
    hidden = next((ch for ch in (raw or "").strip() if unicodedata.category(ch) in ("Cc", "Cf")), None)
    if hidden is not None:
        raise ServiceError(_not_a_username_character(hidden))
    # and the harakat and the tatweel, which the fold drops: «علـی» would be stored as «علی» unseen
    marked = next((ch for ch in unicodedata.normalize("NFKC", raw or "") if without_diacritics(ch) == ""), None)
    if marked is not None:
        raise ServiceError(_not_a_username_character(marked))
    username = fold_username(raw)
    if not username:
        raise ServiceError(_("نام کاربری را بنویسید."))
    if len(username) > USERNAME_MAX:
        raise ServiceError(_("نام کاربری از %(n)s نویسه بلندتر است.", n=shown_number(USERNAME_MAX)))
    bad = next((ch for ch in username if not (_username_letter(ch) or ch in _USERNAME_MARKS)), None)
    if bad is not None:
        raise ServiceError(_not_a_username_character(bad))
    if username[0] in _USERNAME_MARKS or username[-1] in _USERNAME_MARKS:
        raise ServiceError(_("نام کاربری با حرف یا رقم آغاز می‌شود و پایان می‌یابد، نه با نشانه‌های . _ - @ "
                             "(«admin.» در فهرست همان «admin» خوانده می‌شود)."))
    return username


# What sets two usernames apart only to a careful eye: the marks, and a hamza on a seat letter.
_SKELETON = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ی", "ء": None,
                           **{mark: None for mark in _USERNAME_MARKS}})


def username_skeleton(username: str) -> str:
    """``username`` without its marks and with hamza seats read bare: «t.4» and «t4», «أحمد» and
    «احمد» have one skeleton, and a list of accounts shows them as the same person."""
    return username.translate(_SKELETON)


def _look_alike(username: str) -> str | None:
    """An existing username that reads as ``username`` (same skeleton), or None."""
    skeleton = username_skeleton(username)
    return next((name for name in db.session.scalars(select(User.username).execution_options(unscoped=True))
                 if username_skeleton(name.lower()) == skeleton), None)


DISPLAY_NAME_MAX, EMAIL_MAX = 200, 254  # the columns' lengths, as the users page's form checks them


def _profile(data: UserInput) -> tuple[str, str]:
    """(display name, e-mail) as stored, checked as the users page's form checks them: the command
    line's `user create` stored «not-an-email», an address with a line break and a header after it
    (the mail of every user after that one then failed on each run), and 5,000 characters (a review
    of the commands, round 5). :raise ServiceError: in Persian."""
    name = normalize_input(data.display_name or "").strip()
    if len(name) > DISPLAY_NAME_MAX:
        raise ServiceError(_("نام نمایشی نباید بیش از %(n)s نویسه باشد.", n=shown_number(DISPLAY_NAME_MAX)))
    if name and not name_key(name):  # nothing a reader sees (ZWNJ, marks, tatweel)
        raise ServiceError(_("نام نمایشی جز نویسه‌های نادیدنی چیزی ندارد."))
    email = ascii_digits((data.email or "").strip())
    if not email:
        return name, ""
    if len(email) > EMAIL_MAX:
        raise ServiceError(_("نشانی رایانامه نباید بیش از %(n)s نویسه باشد.", n=shown_number(EMAIL_MAX)))
    try:  # an address every mail server takes: ASCII (a Persian local part needs SMTPUTF8, which a server
        # without it refused, and that held up every later user's digest: the review of this change)
        found = validate_email(email, check_deliverability=False, allow_smtputf8=False)
        return name, found.ascii_email or found.normalized
    except EmailNotValidError:
        raise ServiceError(_("«%(email)s» نشانی رایانامهٔ درستی نیست.", email=email)) from None


def create_user(data: UserInput, *, actor=None, actor_label: str = "") -> User:
    """Create a user after checking role, agency, uniqueness and the password rules."""
    if actor is not None and not can_manage_users(actor):
        raise NotAllowed(_("تنها مدیر سامانه کاربر می‌سازد."))
    username = clean_username(data.username)
    agency = _agency_for(data.agency_slug)
    _check_role_and_agency(data.role, agency)
    if not needs_agency(data.role) and agency is not None:  # stored, it read as a tie the role does not have
        raise ServiceError(_("نقش «%(role)s» برای همهٔ سازمان‌هاست و سازمانی نمی‌گیرد؛ سازمان را خالی بگذارید.",
                             role=data.role))
    exists = db.session.scalar(
        select(User.id).where(func.lower(User.username) == username).execution_options(unscoped=True)
    )
    if exists:
        raise ServiceError(_("نام کاربری «%(u)s» پیش‌تر گرفته شده است.", u=username))
    similar = _look_alike(username)
    if similar is not None:
        raise ServiceError(_("نام کاربری «%(u)s» با «%(other)s» که پیش‌تر هست یکی خوانده می‌شود (جز در نشانه‌ها یا "
                             "همزه)؛ نام دیگری برگزینید.", u=username, other=similar))
    display_name, email = _profile(data)
    check_password_rules(data.password or "", username)
    user = User(
        username=username,
        display_name=display_name,
        email=email,
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


def account_named(username: str) -> User:
    """The account of ``username`` as the login reads it (ي/ك, capitals, Persian digits), active or
    not (the command line's ``user unlock`` and ``user reset-2fa``).
    :raise ServiceError: there is no such account."""
    user = db.session.scalar(select(User).where(User.username == fold_username(username))
                             .execution_options(unscoped=True))
    if user is None:
        raise ServiceError(_("کاربری با نام «%(name)s» نیست.", name=username or ""))
    return user


def user_version(user: User) -> str:
    """The account's ``version_of`` its edit form's values."""
    return version_of({"display_name": user.display_name, "email": user.email, "role": user.role,
                       "agency_id": user.agency_id, "is_active": user.is_active_account})


def _hold_admins(actor, user: User) -> None:
    """Take the rows of the active administrators, the actor and ``user`` in id order (PostgreSQL's
    row locks; SQLite's writer lock), then read the actor again: two administrators who remove
    each other at once are served one after the other, and the second, no longer an active
    administrator, is refused — an installation is never left without one.
    :raise NotAllowed: the actor lost the role, or the account, meanwhile."""
    db.session.execute(select(User.id).where(or_(
        and_(User.role.in_(USER_ADMINS), User.is_active_account), User.id.in_({actor.id, user.id})))
        .order_by(User.id).with_for_update(key_share=True))  # FOR NO KEY UPDATE: a login's or an audit
    # entry's row that references an admin (FOR KEY SHARE) neither waits for it nor deadlocks with it
    # SQLite has no row locks: its writer lock. Python's sqlite3 opens the transaction at this first
    # write, so the reads before held no snapshot, and the actor's row read next is the latest.
    read_for_update(user)
    role, active = db.session.execute(select(User.role, User.is_active_account).where(User.id == actor.id)).one()
    if role not in USER_ADMINS or not active:
        db.session.rollback()
        raise NotAllowed(_("حساب شما هم‌زمان به دست مدیر دیگری تغییر کرد و دیگر مدیر سامانه نیستید؛ "
                           "تغییر ذخیره نشد."))


def update_user(user: User, data: UserInput, *, is_active: bool, actor, seen: str | None = None) -> User:
    """Change a user's profile, role, agency, active flag and (optionally) password. ``seen``: the
    version the edit page showed (``user_version``): a page read before another admin's save (an
    account deactivated meanwhile, say) is refused rather than putting it back unseen.
    :raise StalePage: ``seen`` is out of date."""
    if not can_manage_users(actor):
        raise NotAllowed(_("تنها مدیر سامانه کاربران را ویرایش می‌کند."))
    _hold_admins(actor, user)
    if changed_since(user, seen, user_version):
        raise StalePage(_(STALE_PAGE))
    agency = _agency_for(data.agency_slug)
    _check_role_and_agency(data.role, agency)
    if user.id == actor.id and (data.role not in USER_ADMINS or not is_active):
        raise ServiceError(_("نمی‌توانید نقش مدیر سامانه یا فعال بودن حساب خودتان را بردارید."))
    if user.id == actor.id and data.password:
        # Here no current password is asked: a session left open on a shared PC set its owner's
        # password and took the account (a review of the login, round 3).
        raise PasswordRejected(_("گذرواژهٔ خودتان را در صفحهٔ «تغییر گذرواژه» عوض کنید؛ آن‌جا گذرواژهٔ کنونی‌تان "
                                 "پرسیده می‌شود."))
    display_name, email = _profile(data)
    changes = {}
    for field, value in (("display_name", display_name),
                         ("email", email), ("role", data.role),
                         # a role of every agency keeps no agency: one an edit page still showed
                         # (an account made before, promoted) is cleared, not refused
                         ("agency_id", agency.id if agency and needs_agency(data.role) else None),
                         ("is_active_account", is_active)):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if data.password:
        check_password_rules(data.password, user.username)
        user.password_hash = hash_password(data.password)
        changes["password"] = "changed"
    # A move to another agency too, as a change of role (a review of the login: the scope was right,
    # read from the row on every request, but a session opened for one desk stayed open at another).
    if changes.keys() & {"password", "is_active_account", "role", "agency_id"}:
        user.session_token = secrets.token_hex(8)  # log out existing sessions
        end_all_of(user.id, "account")
        for jobs in (report_jobs.JOBS, search_export_jobs.JOBS):  # and the files made under the old rights
            jobs.remove_owned(user.id)
    if changes:
        record("user.updated", actor=actor, obj=user, changes=changes)
    db.session.commit()
    return user


def change_own_password(user: User, current: str, new: str, client: Client, session_id: str | None) -> None:
    """A user changes their own password (the current one is asked again, under the login
    throttle: a stolen session cannot guess it); their other sessions end, this one stays.

    :raise TooManyAttempts: wait first. :raise ServiceError: a wrong current password.
    :raise PasswordRejected: the new password breaks a rule.
    """
    checked_hash = recheck_password(user, current, client, failed_action="user.password_change_failed",
                                    message=_("گذرواژهٔ کنونی درست نیست."))
    if folded(new) == folded(current):  # a change that keeps a password thought leaked (a review of the login, round 3)
        raise PasswordRejected(_("گذرواژهٔ تازه همان گذرواژهٔ کنونی است؛ گذرواژهٔ دیگری برگزینید."))
    check_password_rules(new, user.username)
    # Only over the password checked: an administrator's reset committed meanwhile is not undone
    # by a change checked before it (a review of the login, session 37: a thief holding a session
    # kept the account so).
    changed = db.session.execute(update(User).where(User.id == user.id, User.password_hash == checked_hash)
                                 .values(password_hash=hash_password(new), session_token=secrets.token_hex(8))
                                 .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        db.session.rollback()
        raise ServiceError(changed_meanwhile_message())
    db.session.expire(user)
    ended = end_all_of(user.id, "password", keep=session_id)
    record("user.password_changed", actor=user, obj=user, sessions_ended=ended)
    db.session.commit()


def confirm_own_password(user: User, password: str, client: Client) -> None:
    """An administrator types their own password again before creating or changing accounts (a
    session left open on a shared computer made new administrators: a review of the login, session
    37); under the login throttle, as the password change is: a stolen session cannot guess it.

    :raise TooManyAttempts: wait first. :raise ServiceError: a wrong password."""
    recheck_password(user, password, client, failed_action="user.confirm_failed",
                     message=_("گذرواژهٔ خودتان درست نیست."))


@dataclass(frozen=True)
class UsersPage:
    users: list[User]
    waiting: dict[str, datetime]  # username → until when its logins wait
    codes_locked: frozenset[str] = frozenset()  # usernames whose code step waits for an administrator
    wave: bool = False  # a wave of failed logins (the site's or a /48's) refuses tries (app/services/login_wave.py)


def list_users() -> list[User]:
    """Every user, by role and username."""
    return db.session.scalars(select(User).order_by(User.role, User.username)).all()


def users_page() -> UsersPage:
    """The administration page: every user, and those whose logins must wait now."""
    users = list_users()
    return UsersPage(users, waiting_usernames(users), codes_locked_usernames(users),
                     wave=login_wave.refusing(clock.utcnow()))
