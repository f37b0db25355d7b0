"""Form fields shared by every form: the Jalali date field."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.validators import StopValidation
from wtforms.widgets import Select

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


class JalaliDateField(StringField):
    """A date typed in the Jalali calendar (any digit script, / or -); `.data` is a datetime.date.

    A date that cannot be read leaves `.data` None, puts the Persian reason in `.errors` (no
    other validator runs after it) and renders again exactly what was typed. An existing date
    renders as Jalali text. The input carries `data-jdp` (the date picker attaches to it) and
    `dir="ltr"` so the digits keep their order inside a right-to-left page.
    """

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        attrs = {"data-jdp": True, "dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
        attrs.update(render_kw or {})
        super().__init__(label, validators, render_kw=attrs, **kwargs)

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
            return self.raw_data[0]
        if self.data:
            return format_jalali_date(self.data, digits=digit_style())
        return ""


def _message(exc: JalaliDateError) -> str:
    return exc.message(shown_number)
