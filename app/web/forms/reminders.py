"""The form of the case reminder settings (administrators)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired

from app.web.forms import BaseForm, NumberRange
from app.web.forms.fields import DigitsIntegerField

MAX_DAYS = 30  # app/services/case_reminders.MAX_DAYS checks it again


def _days_field(label):
    return DigitsIntegerField(label, validators=[
        InputRequired(_l("شمار روزها را بنویسید.")),
        NumberRange(min=0, max=MAX_DAYS, message=_l("شمار روزها باید از ۰ تا ۳۰ روز کاری باشد.")),
    ])


class ReminderSettingsForm(BaseForm):
    days_before = _days_field(_l("یادآوری چند روز کاری پیش از موعد"))
    escalate_after = _days_field(_l("ارجاع به ناظران چند روز کاری پس از گذشتن موعد"))
