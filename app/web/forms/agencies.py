"""The agency form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from app.web.forms import BaseForm, Length, NumberRange
from app.web.forms.fields import DigitsIntegerField
from models.agency import AGENCY_KINDS, CONFERENCE_TARGET_PERIODS

KIND_LABELS = {
    "directorate": _l("اداره کل"),
    "university": _l("دانشگاه"),
    "company": _l("شرکت"),
    "municipality": _l("شهرداری"),
    "governorate": _l("استانداری / فرمانداری"),
    "other": _l("دیگر"),
}

TARGET_PERIOD_LABELS = {"month": _l("ماه"), "season": _l("فصل"), "year": _l("سال")}


class AgencyForm(BaseForm):
    slug = StringField(_l("شناسهٔ لاتین"), validators=[DataRequired(_l("شناسهٔ لاتین را بنویسید.")), Length(max=64)])
    name_fa = StringField(_l("نام فارسی"), validators=[DataRequired(_l("نام فارسی را بنویسید.")), Length(max=200)])
    name_en = StringField(_l("نام انگلیسی"), validators=[Length(max=200)])
    kind = SelectField(_l("گونه"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in AGENCY_KINDS])
    parent_ministry = StringField(_l("وزارتخانهٔ بالادست"), validators=[Length(max=200)])
    portal_url = URLField(_l("نشانی درگاه"), validators=[Optional(), Length(max=500)])
    conference_target = DigitsIntegerField(
        _l("شمار نشست خبری در هر دوره"), default=4,
        validators=[NumberRange(min=0, max=365, message=_l("عددی از ۰ تا ۳۶۵ بنویسید."))])
    conference_target_period = SelectField(
        _l("دورهٔ هدف نشست خبری"), default="year",
        choices=[SelectChoice(p, TARGET_PERIOD_LABELS[p]) for p in CONFERENCE_TARGET_PERIODS])
    is_active = BooleanField(_l("فعال"), default=True)
