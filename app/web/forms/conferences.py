"""Forms of the conference pages: the list's filters, planning/editing a conference, an
agency's cadence. The services check every value again and say in Persian what is wrong."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.services.conference_cadence import PERIOD_LABELS
from app.services.conference_timeline import STATUS_LABELS
from app.web.forms import BaseForm
from app.web.forms.fields import DigitsTextField, JalaliDateField


class ConferenceFilterForm(BaseForm):
    """The list's filters (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("وضعیت"), choices=[], validate_choice=False)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    date_from = JalaliDateField(_l("از تاریخ"), validators=[Optional()])
    date_to = JalaliDateField(_l("تا تاریخ"), validators=[Optional()])

    def set_choices(self, agencies, locale: str) -> None:
        everything = SelectChoice("", gettext("همه"))
        self.status.choices = [everything, *(SelectChoice(k, gettext(v)) for k, v in STATUS_LABELS.items())]
        self.agency.choices = [everything, *(SelectChoice(a.slug, a.display_name(locale)) for a in agencies)]


class ConferenceForm(BaseForm):
    """Plan or edit a conference; the date is Jalali, the time local (HH:MM)."""

    title = StringField(_l("عنوان نشست"))
    topics = TextAreaField(_l("محورها"), render_kw={"rows": 3})
    day = JalaliDateField(_l("روز"), validators=[Optional()])
    start_time = DigitsTextField(_l("ساعت آغاز"), default="10:00", render_kw={"placeholder": "10:00"})
    duration_minutes = DigitsTextField(_l("مدت (دقیقه)"), default="60")
    place = StringField(_l("محل"))
    spokespeople = TextAreaField(_l("سخنگویان"), render_kw={"rows": 2})
    seen = HiddenField()  # the conference's version when the edit page was read (conference_version)


class CadenceForm(BaseForm):
    """An agency's target: conferences per Jalali month, season or year."""

    conference_target = DigitsTextField(_l("شمار نشست خبری در هر دوره"))
    conference_target_period = SelectField(_l("دورهٔ هدف نشست خبری"), choices=[], validate_choice=False)

    def set_choices(self) -> None:
        self.conference_target_period.choices = [SelectChoice(k, gettext(v)) for k, v in PERIOD_LABELS.items()]
