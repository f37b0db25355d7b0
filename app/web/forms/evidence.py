"""Forms of the evidence register and of the portal-freshness setting.

The evidence form only carries what was typed: app/services/evidence_records.py reads and checks
every field (the clause, the Jalali date in any digits, the note, the file's size and kind) and
says in Persian what is wrong; the view puts each message next to its field.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.services.evidence_records import EvidenceDraft
from app.web.forms import BaseForm
from app.web.forms.fields import DateTextField, DigitsTextField, in_readers_digits

DRAFT_FIELDS = ("clause", "date", "note", "standing", "agency")


class EvidenceForm(BaseForm):
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    clause = SelectField(_l("بند دستورالعمل"), choices=[], validate_choice=False)
    date = DateTextField(_l("تاریخ"))
    standing = BooleanField(_l("تا ثبت بعدی معتبر است"))
    note = TextAreaField(_l("یادداشت"), render_kw={"rows": 4, "maxlength": 5000})
    file = FileField(_l("فایل"))
    remove_file = BooleanField(_l("فایل کنونی برداشته شود"))
    seen = HiddenField()  # the record's version when the edit page was read (record_version)

    def set_choices(self, clauses, agencies, locale: str) -> None:
        self.clause.choices = [SelectChoice("", gettext("— بند —")),
                               *(SelectChoice(str(c.number), in_readers_digits(f"{c.number}. {gettext(c.title)}")) for c in clauses)]
        self.agency.choices = [SelectChoice("", gettext("— سازمان —")),
                               *(SelectChoice(a.slug, a.display_name(locale)) for a in agencies)]

    def draft(self) -> EvidenceDraft:
        return EvidenceDraft(clause=self.clause.data or "", date=self.date.data or "", note=self.note.data or "",
                             standing=bool(self.standing.data), agency=self.agency.data or "")

    def fill(self, draft: EvidenceDraft) -> None:
        for name in DRAFT_FIELDS:
            getattr(self, name).data = getattr(draft, name)

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, message]


class StaleSettingForm(BaseForm):
    """N of the portal-freshness page (the governorate); the service checks the number."""

    days = DigitsTextField(_l("مرز کهنگی درگاه (روز)"))
