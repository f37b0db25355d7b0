"""Logging in and out, changing one's password, choosing the interface language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.config import LOCALES
from app.passwords import PasswordRejected
from app.policy import ALL_ROLES
from app.services import ServiceError
from app.services.accounts import (
    AccountLocked,
    LoginFailed,
    authenticate,
    change_own_password,
)
from app.web.access import access
from app.web.forms.accounts import LoginForm, PasswordChangeForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@access(public=True)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except AccountLocked as exc:
            return render_template("auth/locked.html", until=exc.until), 423
        except LoginFailed as exc:
            form.password.errors.append(str(exc))
            status = 401
        else:
            locale = session.get("locale")
            session.clear()  # a fresh session at login (no fixation)
            if locale:
                session["locale"] = locale
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@access(ALL_ROLES)
def logout():
    logout_user()
    session.clear()
    flash(_("از سامانه بیرون آمدید."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@access(ALL_ROLES)
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current.data, form.new.data)
        except (ServiceError, PasswordRejected) as exc:
            form.new.errors.append(str(exc))
        else:
            login_user(current_user)  # the session token changed; keep this session
            flash(_("گذرواژه تغییر کرد."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/language/<code>", methods=["POST"])
@access(public=True)
def set_language(code: str):
    if code in LOCALES:
        session["locale"] = code
    return redirect(_safe_next(request.form.get("next")))
