"""Forms of the contact log: logging or correcting a contact, the log's filters, the lapsed-contact
setting.

The contact form only carries what was typed: app/services/contacts.py reads and checks every
field (dates in any digits, the time, the journalist's outlet) and says in Persian what is wrong;
the view puts each message next to its field.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.services.contacts import CHANNEL_LABELS, DIRECTION_LABELS, ContactDraft
from app.web.forms import BaseForm
from app.web.forms.fields import SCOPE_LABELS, DateTextField, DigitsTextField, JalaliDateField

DRAFT_FIELDS = ("journalist", "outlet", "direction", "channel", "topic", "date", "time", "notes", "items", "cases")


def _labelled(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key, gettext(text)) for key, text in labels.items()]


def journalist_choices(journalists) -> list[SelectChoice]:
    def label(j):
        outlets = "، ".join(o.name for o in j.outlets)
        return f"{j.name} ({outlets})" if outlets else j.name
    return [SelectChoice("", gettext("— خبرنگار —")), *(SelectChoice(str(j.id), label(j)) for j in journalists)]


def outlet_choices(outlets, first: str | None = None) -> list[SelectChoice]:
    def label(o):
        scope = SCOPE_LABELS.get(o.scope)
        return f"{o.name} ({scope})" if scope else o.name
    return [SelectChoice("", first or gettext("— رسانه —")), *(SelectChoice(str(o.id), label(o)) for o in outlets)]


class ContactForm(BaseForm):
    """Log or correct a contact; the defaults (now, we called them, by phone) make the quick entry
    a matter of the topic and Enter."""

    journalist = SelectField(_l("خبرنگار"), choices=[], validate_choice=False)
    outlet = SelectField(_l("رسانه"), choices=[], validate_choice=False)
    direction = RadioField(_l("سوی تماس"), choices=[], validate_choice=False, default="outbound")
    channel = SelectField(_l("راه تماس"), choices=[], validate_choice=False, default="phone")
    topic = StringField(_l("موضوع"), render_kw={"autocomplete": "off", "maxlength": 300})
    date = DateTextField(_l("تاریخ"))
    time = DigitsTextField(_l("ساعت"), render_kw={"autocomplete": "off", "placeholder": "10:30"})
    notes = TextAreaField(_l("یادداشت"), render_kw={"rows": 2})
    items = StringField(_l("شمارهٔ خبرهای مرتبط"), render_kw={"dir": "ltr", "autocomplete": "off"})
    cases = StringField(_l("شمارهٔ پرونده‌های مرتبط"), render_kw={"dir": "ltr", "autocomplete": "off"})
    next = HiddenField()
    seen = HiddenField()  # the contact's version when the edit page was read (contact_version)

    def set_choices(self, journalists, outlets) -> None:
        self.journalist.choices = journalist_choices(journalists)
        self.outlet.choices = outlet_choices(outlets, gettext("— رسانه (خبرنگار یک‌رسانه‌ای: همان) —"))
        self.direction.choices = _labelled(DIRECTION_LABELS)
        self.channel.choices = _labelled(CHANNEL_LABELS)

    def draft(self) -> ContactDraft:
        return ContactDraft(**{name: getattr(self, name).data or "" for name in DRAFT_FIELDS})

    def fill(self, draft: ContactDraft) -> None:
        for name in DRAFT_FIELDS:
            getattr(self, name).data = getattr(draft, name)

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, message]


class ContactFilterForm(BaseForm):
    """The log's filters (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    journalist = SelectField(_l("خبرنگار"), choices=[], validate_choice=False)
    outlet = SelectField(_l("رسانه"), choices=[], validate_choice=False)
    channel = SelectField(_l("راه تماس"), choices=[], validate_choice=False)
    direction = SelectField(_l("سوی تماس"), choices=[], validate_choice=False)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    date_from = JalaliDateField(_l("از تاریخ"), validators=[Optional()])
    date_to = JalaliDateField(_l("تا تاریخ"), validators=[Optional()])

    def set_choices(self, journalists, outlets, agencies, locale: str) -> None:
        everything = SelectChoice("", gettext("همه"))
        self.journalist.choices = [everything, *journalist_choices(journalists)[1:]]
        self.outlet.choices = [everything, *outlet_choices(outlets)[1:]]
        self.channel.choices = [everything, *_labelled(CHANNEL_LABELS)]
        self.direction.choices = [everything, *_labelled(DIRECTION_LABELS)]
        self.agency.choices = [everything, *(SelectChoice(a.slug, a.display_name(locale)) for a in agencies)]


class LapsedSettingForm(BaseForm):
    """N of the lapsed-contact list (administrators); the service checks the number."""

    days = DigitsTextField(_l("مرز تماس ازدست‌رفته (روز)"))
