"""Flask-WTF forms. Every string field is normalized for storage (ي→ی, ك→ک, bidi controls out)."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import FileField, SelectMultipleField, StringField, TextAreaField, validators
from wtforms.validators import ValidationError

from app.services.digits import shown_number
from search_index.persian import normalize_for_storage


def _normalize(value):
    return normalize_for_storage(value) if isinstance(value, str) else value


# WTForms' Persian catalogue lacks the message of a multiple choice that is not on the list (a
# tampered form): it read "'99999' is not a valid choice for this field." on a Persian page.
NOT_A_CHOICE = _l("«%(value)s» از گزینه‌های این فهرست نیست.")


class BaseForm(FlaskForm):
    """Adds the storage normalization to every text field (passwords are left as typed), and a
    Persian message to every multiple choice."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class in (StringField, TextAreaField, SecretTextField):
                options["filters"] = (*options.get("filters", ()), _normalize)
            if issubclass(unbound_field.field_class, SelectMultipleField):
                options.setdefault("invalid_choice_message", NOT_A_CHOICE)
            return unbound_field.bind(form=form, **options)

        def wrap_formdata(self, form, formdata):
            """The posted fields, and an uploaded file only under the name of a file field of the
            form: Flask-WTF gave every field the files too, and a file posted as «username» reached
            the length check as a FileStorage — a 500 before login (a review of the login, round 5)."""
            data = super().wrap_formdata(form, formdata)
            if not isinstance(data, CombinedMultiDict):
                return data
            names = {name for name, field in form._fields.items() if isinstance(field, FileField)}
            files = MultiDict([(key, value) for key, value in request.files.items(multi=True) if key in names])
            return CombinedMultiDict((files, request.form))


class AsTypedField(StringField):
    """A text field handed to the service as typed (``BaseForm`` normalizes ``StringField`` only):
    a new username, which the service refuses with an invisible character in it rather than
    saving it without one."""


class SecretTextField(StringField):
    """A typed secret that is not a password box (a second-factor or recovery code), normalized as
    any text but never written back into the page: a recovery code is a secret until used, and the
    code page sent back 400 KB typed in its box as a 400 KB page (the login's name box was cut
    at its bound for the same reason, round 5; session 41)."""

    def _value(self) -> str:
        return ""


class SubForm(BaseForm):
    """A form inside another (``FormField``: a journalist's phone row): the outer form carries the
    CSRF token; WTForms' messages in the reader's language, as the outer form's (a plain
    ``wtforms.Form`` said "Not a valid choice." in English)."""

    class Meta:
        csrf = False


class _ReaderDigits:
    """A WTForms validator whose message shows its numbers in the reader's digits: WTForms' own
    Persian messages format them with %d («طول فیلد حداکثر باید 64 حرف باشد»)."""

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError as error:
            raise ValidationError(shown_number(str(error))) from None


class Length(_ReaderDigits, validators.Length):
    """WTForms' ``Length``, its bounds in the reader's digits, and without a message of its own one that
    names the box: WTForms' «طول فیلد حداکثر باید ۶۴ حرف باشد» named none («فیلد», not a Persian
    reader's word), and a screen reader reads the message alone (session 44)."""

    def __call__(self, form, field):
        if self.message is not None:
            return super().__call__(form, field)
        length = len(field.data or "")
        if length >= self.min and (self.max == -1 or length <= self.max):
            return None
        raise ValidationError(length_message(str(field.label.text), self.min, self.max, length))


def length_message(name: str, low: int, high: int, length: int) -> str:
    """What a box typed ``length`` characters long, outside ``low``..``high`` (-1: no bound), says: the
    numbers in the reader's digits, the box's name as written (all of it through the digits, the feed
    form's «… مانند windows-1256» read «windows-۱۲۵۶»: session 44's attacker's review)."""
    typed = shown_number(length)
    if high != -1 and length > high:
        return _("«%(name)s» حداکثر %(max)s نویسه است؛ %(length)s نوشته شد.", name=name, max=shown_number(high),
                 length=typed)
    return _("«%(name)s» دست‌کم %(min)s نویسه است؛ %(length)s نوشته شد.", name=name, min=shown_number(low),
             length=typed)


class NumberRange(_ReaderDigits, validators.NumberRange):
    """WTForms' ``NumberRange``, its bounds in the reader's digits."""


def say_under_field(form, error, names: dict[str, str] | None = None) -> str | None:
    """Show a service's refusal under the form field it is about (``error.field``, or its name in
    this form by ``names``: "" for a field the page does not show); returns the message when no
    field of the form takes it (the page shows it above the form)."""
    name = (names or {}).get(error.field, error.field)
    target = getattr(form, name, None) if name else None
    if target is None or not hasattr(target, "errors"):
        return str(error)
    target.errors = [*target.errors, str(error)]
    return None
