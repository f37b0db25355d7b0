"""Logging in (password, then the second factor), logging out here or everywhere, one's own
password, sessions and second factor, and the interface language."""
from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app import clock
from app.config import LOCALES
from app.passwords import PasswordRejected
from app.policy import ALL_ROLES
from app.services import NotFound, ServiceError
from app.services import two_factor as second_factor
from app.services.accounts import change_own_password
from app.services.digits import row_id, shown_number
from app.services.login import (
    CodesLocked,
    CodeStepOver,
    LoginFailed,
    LoginStep,
    code_step_spent,
    device_nonce,
    last_login_tag,
    log_in,
    log_in_with_code,
    login_over_message,
    password_tag,
)
from app.services.login_throttle import ControlCharacterTyped, TooManyAttempts
from app.services.sessions import end_own_sessions, log_out, log_out_everywhere, own_sessions
from app.web.access import access
from app.web.client import SESSION_ID_KEY, current_client, leave_cookie, remember_browser
from app.web.confirmation import mark_confirmed
from app.web.forms.accounts import CodeForm, LoginForm, PasswordChangeForm
from app.web.navigation import DOWNLOAD_NOW, download_path, same_site_path

bp = Blueprint("auth", __name__)
PENDING = "pending_login"  # the user whose password was right, waiting for the code
ENROLLING = "totp_enrolling"  # the second factor's set-up this session typed the password for


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (``same_site_path``), else the home page."""
    return same_site_path(target) or url_for("main.index")


def _fresh_session() -> None:
    """A new signed cookie (no fixation), keeping only the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _onward(target: str | None) -> Response:
    """To ``next``; a file asked for before the login (``file``, ``@access(download=True)``) is fetched
    on that page (base.html, app.js): sent to the file itself, the browser downloaded it and stayed on
    the login's form (session 46)."""
    if file := download_path(request.args.get("file")):
        session[DOWNLOAD_NOW] = file
    return redirect(_safe_next(target))


def _signed_in(step: LoginStep, target: str | None) -> Response:
    _fresh_session()
    login_user(step.user)
    session[SESSION_ID_KEY] = step.session_id  # a new server-side session id at every login
    mark_confirmed()  # the password was just typed (app/web/confirmation.py)
    return remember_browser(_onward(target), step.user.username, step.device, step.password_tag)


def _waited(form_field, exc: TooManyAttempts) -> dict:
    form_field.errors.append(str(exc))
    return {"Retry-After": str(exc.seconds)}


USERNAME_ECHO_MAX = 64  # LoginForm's bound: a longer name is no one's


@bp.route("/login", methods=["GET", "POST"])
@access(public=True)
def login():
    if current_user.is_authenticated:  # a double-submitted code form lands here logged in: on to ``next``
        if request.args.get("over") == "used":  # with the file: the other submission's answer was not shown
            return _onward(request.args.get("next"))
        # The back button to the login's address: the file came once (review of session 46: again)
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    status, headers = 200, {}
    notice = login_over_message() if request.args.get("over") == "used" else None
    if form.validate_on_submit():
        try:
            step = log_in(form.username.data, form.password.data, current_client())
        except TooManyAttempts as exc:
            status, headers = 429, _waited(form.password, exc)
        except LoginFailed as exc:  # ControlCharacterTyped: what was typed is not a password (400)
            form.password.errors.append(str(exc))
            status = 400 if isinstance(exc, ControlCharacterTyped) else 401
        else:
            if step.needs_code:
                _fresh_session()
                session[PENDING] = {"user": step.user.id, "at": clock.utcnow().timestamp(),
                                    "password": step.password_tag, "last": last_login_tag(step.user)}
                return redirect(url_for("auth.login_code", next=same_site_path(request.args.get("next")),
                                        file=download_path(request.args.get("file"))))
            return _signed_in(step, request.args.get("next"))
    elif request.method == "POST":
        status = 400
    if len(form.username.data or "") > USERNAME_ECHO_MAX:
        # refused as too long: not sent back (1.9 MB typed came back in a 1.9 MB page, to anyone:
        # a review of the login, round 5)
        form.username.data = ""
    return render_template("auth/login.html", form=form, notice=notice), status, headers


def _login_over(target: str | None) -> Response:
    """Back to the password form of a code step spent by a finished login, the cookie left as it
    is: when the login that spent it was this browser's own (a double-submitted code form), the
    cookie the first submission set is the logged-in one, and an answer setting a cookie would
    replace it; the login form then sends that browser on to ``next``."""
    leave_cookie()
    return redirect(url_for("auth.login", next=target, file=download_path(request.args.get("file")), over="used"))


@bp.route("/login/code", methods=["GET", "POST"])
@access(public=True)
def login_code():
    """The second step of logging in: the authenticator's code or a recovery code."""
    pending = session.get(PENDING)
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if not isinstance(pending, dict):
        return redirect(url_for("auth.login"))
    if request.method == "GET" and code_step_spent(pending["user"], pending.get("last")):
        return _login_over(request.args.get("next"))
    form = CodeForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        password_at = datetime.fromtimestamp(pending["at"], tz=clock.utcnow().tzinfo)
        try:
            step = log_in_with_code(pending["user"], password_at, form.code.data, current_client(),
                                        pending.get("password"), pending.get("last"))
        except TooManyAttempts as exc:
            status, headers = 429, _waited(form.code, exc)
        except (CodeStepOver, CodesLocked) as exc:
            if isinstance(exc, CodeStepOver) and exc.reason == "used":
                return _login_over(request.args.get("next"))
            # The pending login is over (too late, or the code step closed until an administrator
            # opens it): back to the password form, saying why, not a code page no code can pass.
            session.pop(PENDING, None)
            flash(str(exc), "danger")
            return redirect(url_for("auth.login", next=request.args.get("next"),
                                    file=download_path(request.args.get("file"))))
        except LoginFailed as exc:
            if code_step_spent(pending["user"], pending.get("last")):
                # The same code sent twice at once: the other submission used it and logged in.
                return _login_over(request.args.get("next"))
            form.code.errors.append(str(exc))
            status = 401
        else:
            response = _signed_in(step, request.args.get("next"))
            if step.method == "recovery":  # after _signed_in: it starts a new cookie session
                flash(_("با یک کد بازیابی وارد شدید؛ آن کد دیگر به کار نمی‌آید. اگر کدهای کمی مانده، "
                        "از صفحهٔ ورود دومرحله‌ای کدهای تازه بگیرید."), "warning")
            return response
    elif request.method == "POST":
        status = 400
    return render_template("auth/code.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
@access(ALL_ROLES, before_second_factor=True)
def logout():
    log_out(current_user, session.get(SESSION_ID_KEY))
    logout_user()
    _fresh_session()  # the reader's language stays (an English reader was sent back to Persian)
    flash(_("از سامانه بیرون آمدید."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout/everywhere", methods=["POST"])
@access(ALL_ROLES, before_second_factor=True)
def logout_everywhere():
    """End every session of the user, in every browser, this one too."""
    count = log_out_everywhere(current_user)
    logout_user()
    _fresh_session()
    if count:
        flash(_("از همهٔ %(n)s نشست بیرون آمدید.", n=shown_number(count)), "info")
    else:  # a double click's second request: the first ended them all
        flash(_("از سامانه بیرون آمدید."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/sessions")
@access(ALL_ROLES)
def my_sessions():
    rows, current_row = own_sessions(current_user, session.get(SESSION_ID_KEY))
    return render_template("auth/sessions.html", sessions=rows, current_row=current_row)


@bp.route("/account/sessions/end", methods=["POST"])
@access(ALL_ROLES)
def end_my_sessions():
    """End one of one's other sessions (form field ``session``) or, without the field, all the others."""
    chosen = request.form.get("session", "")
    try:
        if chosen and row_id(chosen) is None:  # a broken id ends nothing (not every session)
            raise NotFound(_("این نشست باز نیست، همین مرورگر است یا از آنِ شما نیست."))
        count = end_own_sessions(current_user, session.get(SESSION_ID_KEY), session_row_id=row_id(chosen))
    except NotFound as exc:
        flash(str(exc), "warning")
    else:
        flash(_("%(n)s نشست دیگر پایان یافت.", n=shown_number(count)), "success")
    return redirect(url_for("auth.my_sessions"))


@bp.route("/account/password", methods=["GET", "POST"])
@access(ALL_ROLES)
def change_password():
    form = PasswordChangeForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current.data, form.new.data, current_client(),
                                session.get(SESSION_ID_KEY))
        except TooManyAttempts as exc:
            status, headers = 429, _waited(form.current, exc)
        except PasswordRejected as exc:
            form.new.errors.append(str(exc))
            status = 400
        except ServiceError as exc:  # the current password is wrong
            form.current.errors.append(str(exc))
            status = 400 if isinstance(exc, ControlCharacterTyped) else 401
        else:
            user = current_user._get_current_object()
            login_user(user)  # the account's token changed; keep this session
            mark_confirmed()
            flash(_("گذرواژه تغییر کرد و نشست‌های دیگر شما پایان یافت."), "success")
            # This browser knew both passwords: it is remembered for the new one, so a stranger's
            # guesses at the username do not keep its owner out (a review of the login: they did,
            # from every browser, until the owner got through a login with the new password).
            return remember_browser(redirect(url_for("main.index")), user.username,
                                    device_nonce(user.username, current_client()), password_tag(user))
    elif request.method == "POST":
        status = 400
    return render_template("auth/password.html", form=form), status, headers


def _waiting() -> str | None:
    """The page the set-up's end leads to (``next``): the one asked for when a role that must use a second
    factor was sent to set it up first (``access``), where forms.js keeps a form typed before (session 46)."""
    return same_site_path(request.args.get("next"))


@bp.route("/account/two-factor")
@access(ALL_ROLES, before_second_factor=True)
def two_factor():
    """The second factor: its state, setting it up (QR code), renewing the recovery codes."""
    return render_template("auth/two_factor.html", state=second_factor.state(current_user, session.get(ENROLLING)),
                           form=CodeForm(), waiting=_waiting())


@bp.route("/account/two-factor/start", methods=["POST"])
@access(ALL_ROLES, before_second_factor=True)
def two_factor_start():
    """Set up: the password again, then a new secret shown as a QR code."""
    try:
        session[ENROLLING] = second_factor.begin_enrolment(current_user, request.form.get("password", ""),
                                                           current_client())
    except ServiceError as exc:  # TooManyAttempts too: its message says how long to wait
        flash(str(exc), "warning")
    return redirect(url_for("auth.two_factor", next=_waiting()))


@bp.route("/account/two-factor/confirm", methods=["POST"])
@access(ALL_ROLES, before_second_factor=True)
def two_factor_confirm():
    """The first code turns the second factor on; the recovery codes are shown once, on this answer."""
    form = CodeForm()
    status, headers = 400, {}
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(current_user, form.code.data, session.get(SESSION_ID_KEY),
                                                    session.get(ENROLLING), current_client())
        except TooManyAttempts as exc:
            status, headers = 429, _waited(form.code, exc)
        except ServiceError as exc:
            form.code.errors.append(str(exc))
        else:
            session.pop(ENROLLING, None)
            login_user(current_user._get_current_object())  # the new token, into this browser's cookie
            return render_template("auth/recovery_codes.html", codes=codes, first=True, onward=_safe_next(_waiting()))
    state = second_factor.state(current_user, session.get(ENROLLING))
    if state.pending is None:  # no code field on the page (the set-up starts again): said above it
        for error in form.code.errors:
            flash(error, "warning")
    return render_template("auth/two_factor.html", state=state, form=form, waiting=_waiting()), status, headers


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@access(ALL_ROLES)
def recovery_codes():
    """Ten new recovery codes for a right code from the app (under the login throttle)."""
    form = CodeForm()
    status, headers = 400, {}
    if form.validate_on_submit():
        try:
            codes = second_factor.renew_recovery_codes(current_user, form.code.data, current_client())
        except TooManyAttempts as exc:
            status, headers = 429, _waited(form.code, exc)
        except ServiceError as exc:
            form.code.errors.append(str(exc))
        else:
            return render_template("auth/recovery_codes.html", codes=codes, first=False, onward=_safe_next(None))
    return render_template("auth/two_factor.html", state=second_factor.state(current_user, session.get(ENROLLING)),
                           form=form, waiting=None), status, headers


@bp.route("/language/<code>", methods=["POST"])
@access(public=True)
def set_language(code: str):
    if code in LOCALES:
        session["locale"] = code
    return redirect(_safe_next(request.form.get("next")))
