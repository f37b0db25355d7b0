"""Form fields shared by every form: the Jalali date field, the time of day."""
from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import IntegerField, StringField
from wtforms.validators import StopValidation
from wtforms.widgets import Select, TextInput

from app.i18n import digit_style
from app.jalali import MSG_EMPTY, JalaliDateError, format_jalali_date, parse_jalali_date
from app.services.digits import shown_number
from search_index.persian import to_persian_digits

EXAMPLE_DATE = "1405/09/05"
# Outlet scopes as every filter and form shows them.
SCOPE_LABELS = {"local": _l("محلی"), "provincial": _l("استانی"), "national": _l("سراسری")}


class LongSelect(Select):
    """A select of many options (the items' ~320 outlets): the same HTML as wtforms' own, each
    plain option written directly rather than through ``html_params`` (a quarter of the items
    page's rendering at 1,000,000 items, issue 16)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""  # html_params sorts: «selected» before «value»
        label = escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{escape(choice.value)}">{label}</option>')


def in_readers_digits(text: str) -> str:
    """What was typed, its digits in the reader's script: «2024-01-05» sent back to a Persian page
    reads «۲۰۲۴-۰۱-۰۵», as every other number of the form does (only the digits change)."""
    return to_persian_digits(text) if digit_style() == "fa" else text


class _ReadersDigits:
    """A field of digits typed as text: ``dir="ltr"`` (the digits keep their order inside a right-to-left
    page), the numeric keyboard and the field's own ``ATTRS`` (a form's ``render_kw`` over them), its value
    shown back in the reader's digits."""

    ATTRS: ClassVar[dict] = {}

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        attrs = {"dir": "ltr", "inputmode": "numeric", **self.ATTRS, **(render_kw or {})}
        super().__init__(label, validators, render_kw=attrs, **kwargs)

    def _value(self) -> str:
        return in_readers_digits(super()._value())


class DateTextField(_ReadersDigits, StringField):
    """A Jalali date as typed, for a form whose service reads it: the date picker's input
    (`data-jdp`), shown back in the reader's digits."""

    ATTRS: ClassVar[dict] = {"data-jdp": True, "autocomplete": "off"}


class DigitsTextField(_ReadersDigits, StringField):
    """A time or a count typed as text, its value and its placeholder shown in the reader's digits: the
    conference form offered «10:00» and «60» in a Persian page whose help says «مانند ۱۰:۳۰» (session
    41's walk). The services read either."""

    def __call__(self, **kwargs):
        placeholder = kwargs.get("placeholder", (self.render_kw or {}).get("placeholder"))
        if placeholder:
            kwargs["placeholder"] = in_readers_digits(placeholder)
        return super().__call__(**kwargs)


class DigitsIntegerField(_ReadersDigits, IntegerField):
    """A count in a text input (number inputs refuse Persian digits in some browsers; ``int()``
    reads them), shown in the reader's digits: the reminder settings offered «1» and «2», a new
    agency's conference target «4», in Persian pages (session 41's walk)."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        """A count in letters is said once, naming what was typed: WTForms said «یک عدد درست نیست.»
        (its own Persian, unclear) and the range check said its message too (session 42's walk)."""
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(gettext("«%(typed)s» عدد نیست؛ آن را با رقم بنویسید.", typed=valuelist[0].strip())) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # its message is said: the range check would say another


class JalaliDateField(DateTextField):
    """A date typed in the Jalali calendar (any digit script, / or -); `.data` is a datetime.date.

    A date that cannot be read leaves `.data` None, puts the Persian reason in `.errors` (no
    other validator runs after it) and renders again what was typed, in the reader's digits. An
    existing date renders as Jalali text.
    """

    def __call__(self, **kwargs):
        if "placeholder" not in kwargs and "placeholder" not in (self.render_kw or {}):
            example = EXAMPLE_DATE if digit_style() != "fa" else to_persian_digits(EXAMPLE_DATE)
            kwargs["placeholder"] = example
        return super().__call__(**kwargs)

    def process_data(self, value):
        if isinstance(value, datetime):
            value = value.date()
        self.data = value if isinstance(value, date) else None

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        text = valuelist[0] or ""
        try:
            self.data = parse_jalali_date(text)
        except JalaliDateError as exc:
            if exc.template != MSG_EMPTY:
                raise ValueError(_message(exc)) from exc
            # Empty: left to the validators (DataRequired / Optional) to judge.

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # keep the date message; DataRequired would replace it

    def _value(self) -> str:
        if self.raw_data:
            return in_readers_digits(self.raw_data[0])
        if self.data:
            return format_jalali_date(self.data, digits=digit_style())
        return ""


def _message(exc: JalaliDateError) -> str:
    return exc.message(shown_number)
