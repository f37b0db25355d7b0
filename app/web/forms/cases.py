"""Forms of the case pages: the lists' filters, opening a case (from an item or by hand).

The choices of kind, priority and channel are the cases API's keys with their Persian labels;
the service checks every value again and says in Persian what is wrong.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from app.services.case_timeline import (
    CHANNEL_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    PUBLICATION_KIND_LABELS,
    STATUS_LABELS,
)
from app.web.forms import BaseForm, Length
from app.web.forms.fields import JalaliDateField


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(key, gettext(text)) for key, text in labels.items()]


class CaseFilterForm(BaseForm):
    """A case list's filters (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("وضعیت"), choices=[], validate_choice=False, default="open")
    overdue = BooleanField(_l("تنها دیرکردها"))
    kind = SelectField(_l("نوع"), choices=[], validate_choice=False)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    assignee = SelectField(_l("کارشناس"), choices=[], validate_choice=False)
    opened_from = JalaliDateField(_l("طرح‌شده از"), validators=[Optional()])
    opened_to = JalaliDateField(_l("تا"), validators=[Optional()])

    def set_choices(self, agencies, assignees, locale: str) -> None:
        everything = SelectChoice("", gettext("همه"))
        self.status.choices = [SelectChoice("open", gettext("باز (در انتظار پاسخ)")),
                               SelectChoice("all", gettext("همه")), *_choices(STATUS_LABELS)]
        self.kind.choices = [everything, *_choices(KIND_LABELS)]
        self.agency.choices = [everything, *(SelectChoice(a.slug, a.display_name(locale)) for a in agencies)]
        self.assignee.choices = [everything, *(SelectChoice(u.username, u.display_name or u.username)
                                               for u in assignees)]


class OpenCaseForm(BaseForm):
    """Open a case from a monitored item: the title defaults to the item's."""

    title = StringField(_l("عنوان"), validators=[Length(max=300, message=_l("عنوان نباید بیش از ۳۰۰ نویسه باشد."))])
    question = TextAreaField(_l("پرسش در یک جمله"), render_kw={"rows": 2},
                             validators=[Length(max=2000, message=_l("پرسش نباید بیش از ۲۰۰۰ نویسه باشد."))])
    kind = SelectField(_l("نوع"), choices=[], validate_choice=False, default="question")
    priority = SelectField(_l("اولویت"), choices=[], validate_choice=False, default="normal")
    agency = SelectField(_l("سازمان پاسخ‌گو"), choices=[], validate_choice=False)
    opened_on = JalaliDateField(_l("تاریخ طرح پرسش"), validators=[Optional()])
    notes = TextAreaField(_l("یادداشت درونی"), render_kw={"rows": 2},
                          validators=[Length(max=20000, message=_l("یادداشت بسیار بلند است."))])
    accept = BooleanField(_l("همین حالا بپذیر"), default=True)

    def set_choices(self, agencies, locale: str) -> None:
        self.kind.choices = _choices(KIND_LABELS)
        self.priority.choices = _choices(PRIORITY_LABELS)
        self.agency.choices = [SelectChoice("", gettext("هنوز روشن نیست")),
                               *(SelectChoice(a.slug, a.display_name(locale)) for a in agencies)]


class ManualCaseForm(OpenCaseForm):
    """A question raised outside the monitored feeds: where, in which programme, on which day."""

    title = StringField(_l("عنوان"), validators=[
        DataRequired(_l("عنوان پرسش را بنویسید.")),
        Length(max=300, message=_l("عنوان نباید بیش از ۳۰۰ نویسه باشد."))])
    channel = SelectField(_l("مجرا"), choices=[], validate_choice=False, default="tv")
    outlet = StringField(_l("رسانه"), validators=[
        DataRequired(_l("نام رسانه‌ای را که پرسش در آن طرح شد بنویسید.")),
        Length(max=200, message=_l("نام رسانه نباید بیش از ۲۰۰ نویسه باشد."))])
    programme = StringField(_l("برنامه یا ستون"), validators=[
        Length(max=200, message=_l("نام برنامه نباید بیش از ۲۰۰ نویسه باشد."))])
    reported_on = JalaliDateField(_l("تاریخ پخش یا انتشار"), validators=[Optional()])

    def set_choices(self, agencies, locale: str) -> None:
        super().set_choices(agencies, locale)
        self.channel.choices = _choices(CHANNEL_LABELS)


def publication_kind_choices() -> list[SelectChoice]:
    return _choices(PUBLICATION_KIND_LABELS)
