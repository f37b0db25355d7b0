"""The routing-rule form (with its tester) and the inbox's reassignment forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.services.rule_tester import TESTER_DEFAULT
from app.web.forms import BaseForm, Length
from app.web.forms.fields import SCOPE_LABELS, JalaliDateField

TESTER_SIZES = (100, TESTER_DEFAULT, 500, 1000)
STATUS_LABELS = {"new": _l("تازه"), "seen": _l("دیده‌شده"), "accepted": _l("پذیرفته"),
                 "dismissed": _l("کنار گذاشته"), "reassigned": _l("ارجاع‌شده به سازمان دیگر")}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _NeededToSave(DataRequired):
    """Required when the rule is saved; «آزمودن (بدون ذخیره)» tries the words before the rule has a
    name (a new rule's test was refused «نام قاعده را بنویسید.»: session 41's walk)."""

    def __call__(self, form, field):
        if not getattr(form, "testing", False):
            super().__call__(form, field)


class RuleForm(BaseForm):
    testing = False  # the view sets it for «آزمودن»: the name is not needed then
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    name = StringField(_l("نام قاعده"), validators=[_NeededToSave(_l("نام قاعده را بنویسید.")), Length(max=200)])
    query = TextAreaField(
        _l("واژه‌ها و عبارت‌ها"), render_kw={"rows": 3},
        validators=[DataRequired(_l("قاعده خالی است؛ دست‌کم یک واژه یا عبارت بنویسید.")), Length(max=2000)])
    title_only = BooleanField(_l("فقط در عنوان خبر"))
    lead = BooleanField(_l("و در آغاز متن خبر (لید)"))
    scopes = CheckboxList(_l("فقط رسانه‌های این گستره"), choices=[SelectChoice(k, v) for k, v in SCOPE_LABELS.items()])
    outlets = SelectMultipleField(_l("فقط این رسانه‌ها"), choices=[], validate_choice=False,
                                  render_kw={"size": 6})
    is_active = BooleanField(_l("فعال"), default=True)
    last = SelectField(_l("آزمودن روی"), choices=[SelectChoice(str(n), "") for n in TESTER_SIZES],
                       default=str(TESTER_DEFAULT))

    def validate_lead(self, field) -> None:
        """The lead is read besides the title, by a title-only rule: ticked alone it was ignored unsaid
        (the second review of the change)."""
        if field.data and not self.title_only.data:
            raise ValidationError(_l("لید را قاعده‌ای می‌خواند که «فقط در عنوان خبر» است؛ آن را هم برگزینید یا این را بردارید."))


class BackfillForm(BaseForm):
    days = SelectField(_l("خبرهای"), choices=[
        SelectChoice("7", _l("یک هفتهٔ گذشته")), SelectChoice("30", _l("یک ماه گذشته")),
        SelectChoice("90", _l("سه ماه گذشته")), SelectChoice("all", _l("همهٔ خبرهای ذخیره‌شده"))], default="30")


class InboxFilterForm(FlaskForm):
    """The inbox's filters (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("نمایش"), choices=[], validate_choice=False)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    scope = SelectField(_l("گسترهٔ رسانه"), choices=[], validate_choice=False)
    rule = SelectField(_l("قاعده"), choices=[], validate_choice=False)
    since = JalaliDateField(_l("از تاریخ"), validators=[Optional()])
    until = JalaliDateField(_l("تا تاریخ"), validators=[Optional()])
    question = BooleanField(_l("فقط پرسش‌ها و گلایه‌های مردمی"))
    requests = BooleanField(_l("فقط درخواست‌های ارجاع در انتظار"))
    unassigned = BooleanField(_l("فقط پرسش‌های بی‌سازمان (هیچ قاعده‌ای آن‌ها را نگرفت)"))
