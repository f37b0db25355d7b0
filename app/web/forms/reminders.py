"""The form of the case reminder settings (administrators)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired
from wtforms.widgets import TextInput

from app.web.forms import BaseForm, NumberRange

MAX_DAYS = 30  # app/services/case_reminders.MAX_DAYS checks it again


def _days_field(label):
    # A text input: number inputs refuse Persian digits in some browsers; int() reads them.
    return IntegerField(label, widget=TextInput(), render_kw={"inputmode": "numeric", "dir": "ltr"}, validators=[
        InputRequired(_l("شمار روزها را بنویسید.")),
        NumberRange(min=0, max=MAX_DAYS, message=_l("شمار روزها باید از ۰ تا ۳۰ روز کاری باشد.")),
    ])


class ReminderSettingsForm(BaseForm):
    days_before = _days_field(_l("یادآوری چند روز کاری پیش از موعد"))
    escalate_after = _days_field(_l("ارجاع به ناظران چند روز کاری پس از گذشتن موعد"))
