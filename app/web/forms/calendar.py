"""Forms of the working-day calendar pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from app.web.forms import BaseForm, Length, NumberRange
from app.web.forms.fields import DigitsIntegerField, JalaliDateField

# Saturday first, as the Iranian week runs; values are Python weekday numbers.
WEEKDAY_CHOICES = [
    (5, _l("شنبه")),
    (6, _l("یکشنبه")),
    (0, _l("دوشنبه")),
    (1, _l("سه‌شنبه")),
    (2, _l("چهارشنبه")),
    (3, _l("پنجشنبه")),
    (4, _l("جمعه")),
]
DEADLINE_MAX_DAYS = 365


class HolidayForm(BaseForm):
    day = JalaliDateField(_l("تاریخ"), validators=[DataRequired(_l("تاریخ را بنویسید."))])
    name = StringField(_l("نام تعطیلی"), validators=[
        DataRequired(_l("نام تعطیلی را بنویسید.")),
        Length(max=200, message=_l("نام تعطیلی نباید بیش از ۲۰۰ نویسه باشد.")),
    ])


class DeleteForm(BaseForm):
    """Only the CSRF token: a state-changing POST with nothing else to send."""


class RestDaysForm(BaseForm):
    days = SelectMultipleField(_l("روزهای تعطیل هفته"), coerce=int,
                               choices=[SelectChoice(value, label) for value, label in WEEKDAY_CHOICES],
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class DeadlineForm(BaseForm):
    start = JalaliDateField(_l("روز آغاز"), validators=[DataRequired(_l("روز آغاز را بنویسید."))])
    days = DigitsIntegerField(_l("شمار روزهای کاری"), validators=[
        InputRequired(_l("شمار روزها را بنویسید.")),
        NumberRange(min=0, max=DEADLINE_MAX_DAYS, message=_l("شمار روزها باید از ۰ تا ۳۶۵ باشد.")),
    ])
