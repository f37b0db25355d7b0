"""Counts and totals group their thousands as their reader reads them: «۱۰٬۰۰۰» on a Persian page
(«٬», the Persian thousands separator), "10,000" in English; «۱۰۰۰۰» was hard to read at a glance
on the lists and the statistics pages. Years, ids, case numbers and row numbers are not counts."""
from __future__ import annotations

from decimal import Decimal

from flask import render_template_string
from flask_babel import force_locale

from app.extensions import db
from models import Outlet
from tests.conftest import login


def test_the_outlets_list_says_how_many_with_the_persian_separator(client, make_user):
    db.session.add_all(Outlet(name=f"رسانهٔ {n}", name_key=f"رسانه {n}") for n in range(1000))
    db.session.commit()
    login(client, make_user("staff"))
    html = client.get("/directory/outlets").get_data(as_text=True)
    assert "۱٬۰۰۰ رسانه" in html and "۱۰۰۰ رسانه" not in html


def test_the_number_filter_groups_counts_and_leaves_what_is_no_number(app):
    template = "{{ 10000|fa_number }} {{ 999|fa_number }} {{ 1234567|fa_number }} [{{ none|fa_number }}] {{ '12'|fa_number }}"
    with app.test_request_context("/"):
        assert render_template_string(template, none=None) == "۱۰٬۰۰۰ ۹۹۹ ۱٬۲۳۴٬۵۶۷ [] ۱۲"
        assert render_template_string("{{ 1405|fa_digits }}") == "۱۴۰۵"  # a year stays whole
    with app.test_request_context("/"), force_locale("en"):
        assert render_template_string(template, none=None) == "10,000 999 1,234,567 [] 12"


def test_the_number_filter_groups_fractional_totals_too(app):
    """A float or a Decimal total groups its thousands like a count: «1.23457e+06» (six significant
    digits of ``g``) and an ungrouped «۱۲۳۴٫۵۰» were what they gave."""
    template = "{{ a|fa_number }} {{ b|fa_number }} {{ c|fa_number }} {{ d|fa_number }}"
    values = {"a": 1234567.5, "b": Decimal("1234.50"), "c": 2500.0, "d": 0.1 + 0.2}
    with app.test_request_context("/"):
        assert render_template_string(template, **values) == "۱٬۲۳۴٬۵۶۷٫۵ ۱٬۲۳۴٫۵۰ ۲٬۵۰۰ ۰٫۳"
    with app.test_request_context("/"), force_locale("en"):
        assert render_template_string(template, **values) == "1,234,567.5 1,234.50 2,500 0.3"


def test_the_number_filter_shows_a_small_fraction_in_places_not_an_exponent(app):
    """Under 0.0001 a rounded float printed as Python's repr: 0.00002 was «۲e-۰۵», the exponent the
    change to six places meant to end (a review of session 42's merged work)."""
    template = "{{ a|fa_number }} {{ b|fa_number }} {{ c|fa_number }}"
    values = {"a": 0.00002, "b": 1234.00005, "c": 0.0000002}
    with app.test_request_context("/"), force_locale("en"):
        assert render_template_string(template, **values) == "0.00002 1,234.00005 0"
    with app.test_request_context("/"):
        assert render_template_string(template, **values) == "۰٫۰۰۰۰۲ ۱٬۲۳۴٫۰۰۰۰۵ ۰"
