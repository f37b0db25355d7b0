"""The media directory's forms (outlets, journalists, notes, the lists' filters) and the Persian
labels of its codes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from app.services.directory import OutletInput
from app.services.directory_journalists import JournalistInput, PhoneInput
from app.web.forms import BaseForm, Length, SubForm
from app.web.forms.fields import SCOPE_LABELS
from models import (
    HANDLE_KINDS,
    OUTLET_KINDS,
    OUTLET_SCOPES,
    PHONE_LABELS,
    PREFERRED_CHANNELS,
)

OUTLET_KIND_LABELS = {
    "news_agency": _l("خبرگزاری"), "newspaper": _l("روزنامه / نشریه"), "tv": _l("تلویزیون"),
    "radio": _l("رادیو"), "website": _l("پایگاه خبری"), "social_channel": _l("کانال در پیام‌رسان"), "other": _l("دیگر"),
}
CHANNEL_LABELS = {
    "phone": _l("تلفن"), "sms": _l("پیامک"), "email": _l("رایانامه"), "telegram": _l("تلگرام"),
    "eitaa": _l("ایتا"), "bale": _l("بله"), "whatsapp": _l("واتس‌اپ"), "visit": _l("دیدار حضوری"),
}
HANDLE_LABELS = {
    "telegram": _l("تلگرام"), "eitaa": _l("ایتا"), "bale": _l("بله"), "whatsapp": _l("واتس‌اپ"),
    "instagram": _l("اینستاگرام"), "x": _l("ایکس (توییتر)"),
}
PHONE_LABEL_LABELS = {"mobile": _l("همراه"), "office": _l("دفتر"), "fax": _l("دورنگار"), "other": _l("دیگر")}
PHONE_ROWS = 3  # empty phone rows the journalist form offers
PHONE_MAX_ROWS = 8  # phone rows a posted form may hold (a journalist keeps MAX_PHONES)


def _choices(codes, labels, *, blank=None) -> list[SelectChoice]:
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(code, labels[code]) for code in codes]


class OutletForm(BaseForm):
    name = StringField(_l("نام رسانه"), validators=[DataRequired(_l("نام رسانه را بنویسید.")), Length(max=200)])
    kind = SelectField(_l("گونه"), choices=_choices(OUTLET_KINDS, OUTLET_KIND_LABELS), default="website")
    scope = SelectField(_l("سطح رسانه"), choices=_choices(OUTLET_SCOPES, SCOPE_LABELS), default="local")
    city = StringField(_l("شهر"), validators=[Length(max=100)])
    website = StringField(_l("وبگاه"), validators=[Optional(), Length(max=500)])
    notes = TextAreaField(_l("یادداشت مشترک استان (همهٔ سازمان‌ها می‌بینند)"), render_kw={"rows": 3})
    allow_duplicate = BooleanField(_l("همانند نیست؛ بساز"))
    seen = HiddenField()  # the outlet's version when the page was read (directory.outlet_version)

    def to_input(self) -> OutletInput:
        return OutletInput(name=self.name.data or "", kind=self.kind.data or "", scope=self.scope.data or "",
                           city=self.city.data or "", website=self.website.data or "", notes=self.notes.data or "")


class PhoneEntry(SubForm):
    """One phone row of the journalist form."""
    number = StringField(_l("شماره"), render_kw={"dir": "ltr", "inputmode": "tel", "autocomplete": "off"})
    label = SelectField(_l("گونه"), choices=_choices(PHONE_LABELS, PHONE_LABEL_LABELS), default="mobile")


class JournalistForm(BaseForm):
    name = StringField(_l("نام و نام خانوادگی"),
                       validators=[DataRequired(_l("نام خبرنگار را بنویسید.")), Length(max=200)])
    outlets = SelectMultipleField(_l("رسانه‌ها"), choices=[], coerce=int, render_kw={"size": 6})
    beat = StringField(_l("حوزهٔ خبری"), validators=[Length(max=200)])
    phones = FieldList(FormField(PhoneEntry), min_entries=PHONE_ROWS, max_entries=PHONE_MAX_ROWS)
    email = StringField(_l("رایانامه"), validators=[Length(max=254)], render_kw={"dir": "ltr"})
    preferred_channel = SelectField(_l("راه ارتباطی دلخواه"), choices=_choices(PREFERRED_CHANNELS, CHANNEL_LABELS))
    notes = TextAreaField(_l("یادداشت مشترک استان (همهٔ سازمان‌ها می‌بینند)"), render_kw={"rows": 3})
    allow_duplicate = BooleanField(_l("همانند نیست؛ بساز"))
    seen = HiddenField()  # the journalist's version when the page was read (journalist_version)

    def to_input(self) -> JournalistInput:
        """What was typed, for the service (empty phone rows included: errors name their row)."""
        return JournalistInput(
            name=self.name.data or "", outlet_ids=list(self.outlets.data or []), beat=self.beat.data or "",
            phones=[PhoneInput(e.form.number.data or "", e.form.label.data or "mobile") for e in self.phones.entries],
            email=self.email.data or "", preferred_channel=self.preferred_channel.data or "phone",
            handles={kind: self[f"handle_{kind}"].data or "" for kind in HANDLE_KINDS}, notes=self.notes.data or "")

    @classmethod
    def for_journalist(cls, journalist) -> type[JournalistForm]:
        """The form for editing ``journalist``: one stored with more phones than the form's rows (before
        ``MAX_PHONES`` capped them) gets a row for each and one more, so its page opens (it failed) and
        a save reads them all back (the service then asks for no more than ``MAX_PHONES``)."""
        rows = len(journalist.phones) + 1 if journalist is not None else 0
        if rows <= PHONE_MAX_ROWS:
            return cls
        return type(cls.__name__, (cls,), {
            "phones": FieldList(FormField(PhoneEntry), min_entries=PHONE_ROWS, max_entries=rows)})

    @staticmethod
    def data_of(journalist) -> dict:
        """The form's values for editing ``journalist`` (one empty phone row more)."""
        data = {"name": journalist.name, "beat": journalist.beat, "email": journalist.email,
                "preferred_channel": journalist.preferred_channel, "notes": journalist.notes,
                "outlets": [o.id for o in journalist.outlets],
                "phones": [{"number": p.e164, "label": p.label} for p in journalist.phones] + [{}]}
        data.update({f"handle_{k}": v for k, v in (journalist.handles or {}).items()})
        return data


for _kind in HANDLE_KINDS:  # one field per messaging service: handle_telegram, handle_eitaa, …
    setattr(JournalistForm, f"handle_{_kind}", StringField(
        HANDLE_LABELS[_kind], validators=[Length(max=100)], render_kw={"dir": "ltr", "autocomplete": "off"}))


class NoteForm(BaseForm):
    body = TextAreaField(_l("یادداشت سازمان شما"), render_kw={"rows": 3},
                         validators=[DataRequired(_l("متن یادداشت را بنویسید.")), Length(max=4000)])


class _FilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter: nothing changes

    q = StringField(_l("جست‌وجوی نام"))
    scope = SelectField(_l("سطح رسانه"), choices=_choices(OUTLET_SCOPES, SCOPE_LABELS, blank=_l("همه")),
                        validate_choice=False)
    inactive = BooleanField(_l("غیرفعال‌ها"))


class OutletFilterForm(_FilterForm):
    kind = SelectField(_l("گونه"), choices=_choices(OUTLET_KINDS, OUTLET_KIND_LABELS, blank=_l("همه")),
                       validate_choice=False)
    city = SelectField(_l("شهر"), choices=[], validate_choice=False)


class JournalistFilterForm(_FilterForm):
    q = StringField(_l("نام یا شماره"))
    outlet = SelectField(_l("رسانه"), choices=[], validate_choice=False)
    beat = StringField(_l("حوزهٔ خبری"))
