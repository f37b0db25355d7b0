"""Forms for logging in and managing users."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Optional

from app.policy import ADMIN, MANAGER, ROLES, STAFF, SUPERVISOR, VIEWER
from app.web.forms import AsTypedField, BaseForm, Length, SecretTextField

ROLE_LABELS = {
    ADMIN: _l("مدیر سامانه"),
    SUPERVISOR: _l("ناظر روابط عمومی استانداری"),
    MANAGER: _l("مدیر روابط عمومی سازمان"),
    STAFF: _l("کارشناس روابط عمومی"),
    VIEWER: _l("بیننده"),
}


class LoginForm(BaseForm):
    # The browser's password manager told which field is which (a walk through the pages, round 5).
    username = StringField(_l("نام کاربری"), validators=[DataRequired(_l("نام کاربری را بنویسید.")), Length(max=64)],
                           render_kw={"autocomplete": "username"})
    # InputRequired, not DataRequired: a password is compared as typed, spaces included.
    password = PasswordField(_l("گذرواژه"), validators=[InputRequired(_l("گذرواژه را بنویسید.")), Length(max=128)],
                             render_kw={"autocomplete": "current-password"})


def _strip(value):
    """A pasted address often carries spaces around it; Email() would refuse them."""
    return value.strip() if isinstance(value, str) else value


class UserForm(BaseForm):
    username = AsTypedField(_l("نام کاربری"), validators=[DataRequired(_l("نام کاربری را بنویسید.")), Length(max=64)])
    display_name = StringField(_l("نام و نام خانوادگی"), validators=[Length(max=200)])
    email = EmailField(_l("رایانامه"), filters=[_strip],
                       validators=[Optional(), Email(_l("نشانی رایانامه درست نیست.")), Length(max=254)])
    # A new user starts as the least of the roles (the list put «مدیر سامانه» first, chosen unless
    # changed: a newcomer's walk); an edit shows the user's own.
    role = SelectField(_l("نقش"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], default=VIEWER)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    password = PasswordField(_l("گذرواژه"), validators=[Optional(), Length(max=128)],
                             render_kw={"autocomplete": "new-password"})  # another's: never filled with the admin's
    is_active = BooleanField(_l("حساب فعال است"), default=True)
    seen = HiddenField()  # the account's version when the edit page was read (user_version)
    # The administrator's own, when not typed within ADMIN_CONFIRM_MINUTES (app/web/confirmation.py)
    my_password = PasswordField(_l("گذرواژهٔ خودتان"), validators=[Optional(), Length(max=128)],
                                render_kw={"autocomplete": "current-password"})


class PasswordChangeForm(BaseForm):
    current = PasswordField(_l("گذرواژهٔ کنونی"), validators=[InputRequired(_l("گذرواژهٔ کنونی را بنویسید.")),
                                                               Length(max=128)], render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("گذرواژهٔ تازه"), validators=[DataRequired(_l("گذرواژهٔ تازه را بنویسید.")), Length(max=128)],
                        render_kw={"autocomplete": "new-password"})
    # Typed twice, as the new password is seen by nobody: a slip of the finger locked its owner out.
    confirm = PasswordField(_l("تکرار گذرواژهٔ تازه"), render_kw={"autocomplete": "new-password"},
                            validators=[EqualTo("new", _l("تکرار گذرواژهٔ تازه با خود آن یکی نیست؛ هر دو را دوباره بنویسید."))])


class CodeForm(BaseForm):
    """A code from the authenticator app (six digits) or a recovery code."""

    code = SecretTextField(_l("کد"), validators=[DataRequired(_l("کد را بنویسید.")), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True})
