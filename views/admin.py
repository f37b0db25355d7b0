"""Administration: agencies, users and the audit log."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.passwords import PasswordRejected
from app.policy import AGENCY_EDITORS, AGENCY_READERS, AUDIT_READERS, USER_ADMINS
from app.scoping import get_or_404
from app.services import NotAllowed, NotFound, ServiceError
from app.services import two_factor as second_factor
from app.services.accounts import UserInput, create_user, update_user, user_version, users_page
from app.services.agencies import (
    AgencyInput,
    agencies_for_admin,
    create_agency,
    list_agencies,
    update_agency,
)
from app.services.audit import audit_page
from app.services.digits import row_id, shown_number
from app.services.login_waits import lift_wait
from app.services.row_guard import StalePage
from app.services.sessions import end_sessions, sessions_of
from app.web.access import access
from app.web.confirmation import confirmed, recently_confirmed
from app.web.forms.accounts import UserForm
from app.web.forms.agencies import AgencyForm
from app.web.navigation import current_locale
from app.web.paging import page_arg
from models import Agency, User

RESET_REFUSED = "two_factor_reset_refused"  # the session key holding a refused reset's message

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


@bp.route("/agencies")
@access(AGENCY_READERS)
def agencies():
    return render_template("admin/agencies.html", agencies=agencies_for_admin())


def _agency_input(form: AgencyForm) -> AgencyInput:
    return AgencyInput(
        slug=form.slug.data or "", name_fa=form.name_fa.data or "", name_en=form.name_en.data or "",
        kind=form.kind.data, parent_ministry=form.parent_ministry.data or "",
        portal_url=form.portal_url.data or "",
        conference_target=form.conference_target.data or 0,
        conference_target_period=form.conference_target_period.data or "year", is_active=form.is_active.data)


@bp.route("/agencies/new", methods=["GET", "POST"])
@access(AGENCY_EDITORS)
def agency_new():
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            agency = create_agency(_agency_input(form), actor=current_user)
        except ServiceError as exc:
            form.slug.errors.append(str(exc))
        else:
            flash(_("سازمان «%(name)s» ساخته شد.", name=agency.name_fa), "success")
            return redirect(url_for("admin.agencies"))
    return _agency_page(form, None)


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@access(AGENCY_EDITORS)
def agency_edit(agency_id: int):
    agency = get_or_404(Agency, agency_id)
    form = AgencyForm(obj=agency)
    form.slug.render_kw = {"readonly": True}
    if form.validate_on_submit():
        form.slug.data = agency.slug
        try:
            update_agency(agency, _agency_input(form), actor=current_user)
        except ServiceError as exc:
            form.name_fa.errors.append(str(exc))
        else:
            flash(_("تغییرات ذخیره شد."), "success")
            return redirect(url_for("admin.agencies"))
    return _agency_page(form, agency)


def _agency_page(form: AgencyForm, agency: Agency | None):
    """The agency form; a POST that comes back to it was refused: 400 (it was 200), what was typed kept."""
    return render_template("admin/agency_form.html", form=form, agency=agency), \
        400 if request.method == "POST" else 200


@bp.route("/users")
@access(USER_ADMINS)
def users():
    found = users_page()
    return render_template("admin/users.html", users=found.users, waiting=found.waiting,
                           codes_locked=found.codes_locked, wave=found.wave, needs_confirm=not recently_confirmed())


def _user_form(obj=None) -> UserForm:
    form = UserForm(obj=obj)
    agencies = list_agencies(active_only=True)
    form.agency.choices = [SelectChoice("", _("— بدون سازمان —"))] + [SelectChoice(a.slug, a.display_name(current_locale())) for a in agencies]
    if obj is not None and request.method == "GET":
        form.agency.data = obj.agency.slug if obj.agency else ""
        form.is_active.data = obj.is_active
    return form


def _admin_confirmed(form: UserForm) -> bool:
    """The administrator typed their password recently, or now in ``my_password`` (else said there)."""
    problem = confirmed(form.my_password.data)
    if problem:
        form.my_password.errors = [*form.my_password.errors, problem]
        if form.password.data:  # a password field comes back empty: saying nothing lost it at the next save
            form.password.errors = [*form.password.errors, _("این گذرواژه ذخیره نشد؛ آن را دوباره بنویسید.")]
    return problem is None


def _user_page(form: UserForm, user: User | None, reset_error: str = "", status: int | None = None):
    """The user form; a POST that comes back to it was refused: 400 (as every form answers a refusal;
    it was 200), what was typed kept and the message next to its field."""
    status = status or (400 if request.method == "POST" else 200)
    return render_template("admin/user_form.html", form=form, user=user, needs_confirm=not recently_confirmed(),
                           reset_error=reset_error), status


def _user_input(form: UserForm) -> UserInput:
    return UserInput(username=form.username.data or "", role=form.role.data, password=form.password.data or None,
                     display_name=form.display_name.data or "", email=form.email.data or "",
                     agency_slug=form.agency.data or None)


@bp.route("/users/new", methods=["GET", "POST"])
@access(USER_ADMINS)
def user_new():
    form = _user_form()
    if form.validate_on_submit() and _admin_confirmed(form):
        try:
            user = create_user(_user_input(form), actor=current_user)
        except PasswordRejected as exc:
            form.password.errors.append(str(exc))
        except ServiceError as exc:
            form.username.errors.append(str(exc))
        else:
            flash(_("کاربر «%(u)s» ساخته شد.", u=user.username), "success")
            return redirect(url_for("admin.users"))
    return _user_page(form, None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@access(USER_ADMINS)
def user_edit(user_id: int):
    user = get_or_404(User, user_id)
    form = _user_form(user)
    form.username.render_kw = {"readonly": True}
    if request.method == "GET":
        form.seen.data = user_version(user)
    status = None
    if form.validate_on_submit() and _admin_confirmed(form):
        form.username.data = user.username
        try:
            update_user(user, _user_input(form), is_active=form.is_active.data, actor=current_user,
                        seen=form.seen.data)
        except StalePage as exc:
            flash(str(exc), "danger")
            form.seen.data = user_version(user)  # saving again: these values, knowingly
            status = 409  # another's change came between: a conflict, not bad input
        except NotAllowed as exc:  # another admin took this one's role meanwhile (their session ended too)
            flash(str(exc), "danger")
            return redirect(url_for("main.index"))
        except PasswordRejected as exc:
            form.password.errors.append(str(exc))
        except ServiceError as exc:
            form.role.errors.append(str(exc))
        else:
            # a new password ends the user's sessions (app/services/accounts.py): said, not left to guess
            flash(_("تغییرات ذخیره شد؛ گذرواژهٔ تازه را به «%(u)s» برسانید: نشست‌های باز او پایان یافت.",
                    u=user.username) if form.password.data else _("تغییرات ذخیره شد."), "success")
            return redirect(url_for("admin.users"))
    return _user_page(form, user, reset_error=_reset_refused(user) if request.method == "GET" else "", status=status)


def _reset_refused(user: User) -> str:
    """The refusal of this user's second-factor reset, once, on the page the reset led back to."""
    refused = session.pop(RESET_REFUSED, None)
    return refused["message"] if isinstance(refused, dict) and refused.get("user") == user.id else ""


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@access(USER_ADMINS)
def user_unlock(user_id: int):
    """Let a username whose logins wait (after failed tries), or whose code step is closed (wrong
    codes in a row), try again at once."""
    user = get_or_404(User, user_id)
    # a closed code step means someone holds the password: opening it is asked for as an account's change
    problem = confirmed(request.form.get("my_password"))
    if problem:
        flash(problem, "danger")
        return redirect(url_for("admin.users"))
    if lift_wait(user, actor=current_user):
        flash(_("محدودیت ورود «%(u)s» برداشته شد.", u=user.username), "success")
    else:  # nothing was waiting, nothing audited: it said «lifted» (session 47's leftover; `user unlock` says false)
        flash(_("«%(u)s» محدودیت ورودی نداشت؛ چیزی تغییر نکرد.", u=user.username), "info")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/sessions")
@access(USER_ADMINS)
def user_sessions(user_id: int):
    """A user's sessions: when they began, were last used, from where, with which browser."""
    user = get_or_404(User, user_id)
    return render_template("admin/user_sessions.html", user=user, sessions=sessions_of(user, actor=current_user))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
@access(USER_ADMINS)
def user_sessions_end(user_id: int):
    """End one session of the user (form field ``session``) or, without the field, all of them."""
    user = get_or_404(User, user_id)
    chosen = request.form.get("session", "")
    try:
        if chosen and row_id(chosen) is None:  # a broken id ends nothing (it ended every session: round 5)
            raise NotFound(_("این نشست باز نیست یا از آن این کاربر نیست."))
        count = end_sessions(user, actor=current_user, session_row_id=row_id(chosen))
    except NotFound as exc:
        flash(str(exc), "warning")
    else:
        flash(_("%(n)s نشست «%(u)s» پایان یافت.", n=shown_number(count), u=user.username), "success")
    return redirect(url_for("admin.user_sessions", user_id=user.id))


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
@access(USER_ADMINS)
def user_two_factor_reset(user_id: int):
    """Turn a user's second factor off (a lost phone); they set it up again at their next login."""
    user = get_or_404(User, user_id)
    problem = confirmed(request.form.get("my_password"))
    if problem:  # said next to the reset's own password field, not in a banner over the account's form
        # post/redirect/get: a page answering the POST sent the reset again when reloaded
        session[RESET_REFUSED] = {"user": user.id, "message": problem}
        return redirect(url_for("admin.user_edit", user_id=user.id))
    try:
        second_factor.reset(user, actor=current_user)
    except NotAllowed as exc:  # one's own: not here
        flash(str(exc), "danger")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    flash(_("ورود دومرحله‌ای «%(u)s» بازنشانی شد و نشست‌های او پایان یافت؛ در ورود بعدی آن را دوباره برپا می‌کند.", u=user.username), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/audit")
@access(AUDIT_READERS)
def audit():
    page = page_arg()
    return render_template("admin/audit.html", entries=audit_page(page, PAGE_SIZE))
