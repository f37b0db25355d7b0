"""Jalali dates: reading every digit script, leap years, clear messages, formatting, filters, the field."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise

import jdatetime
import pytest
from flask import session
from flask_babel import refresh

from app.jalali import (
    JalaliDateError,
    days_in_month,
    format_jalali_date,
    format_jalali_datetime,
    jalali_month_range,
    jalali_season_range,
    jalali_year_range,
    parse_jalali_date,
    parse_jalali_datetime,
    relative_time,
    to_persian_digits,
)

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def test_every_day_of_seventeen_years_round_trips_against_jdatetime():
    first = jdatetime.date(1396, 1, 1).togregorian()
    last = jdatetime.date(1412, 12, 29).togregorian()
    count = 0
    for day in _days(first, last):
        j = jdatetime.date.fromgregorian(date=day)
        padded = f"{j.year}/{j.month:02d}/{j.day:02d}"
        assert format_jalali_date(day, digits="en") == padded
        assert format_jalali_date(day) == to_persian_digits(padded)
        assert parse_jalali_date(padded) == day
        assert parse_jalali_date(to_persian_digits(padded)) == day
        assert parse_jalali_date(f"{j.year}-{j.month}-{j.day}".translate(ARABIC_INDIC)) == day
        count += 1
    assert count > 6200


@pytest.mark.parametrize("text", [
    "1405/09/05", "۱۴۰۵/۰۹/۰۵", "١٤٠٥-٩-٥", "1405-9-5", "1405/9/5", "۱۴۰۵-۰۹-۰۵",
    "  1405/09/05  ", "\u200f۱۴۰۵/۰۹/۰۵\u200e", "\u202b1405/09/05\u202c", "۱۴۰۵/09/٠٥", "1405 / 09 / 05",
    # the dashes and the minus sign a word processor puts for «-» (a period «1405−09» was read, a date not)
    "1405−09−05", "۱۴۰۵–۰۹–۰۵", "1405‐09‐05", "1405—09—05",
])
def test_every_digit_script_and_separator(text):
    assert parse_jalali_date(text) == date(2026, 11, 26)


def test_leap_years_follow_jdatetime():
    assert parse_jalali_date("1403/12/30") == date(2025, 3, 20)
    assert parse_jalali_date("1408/12/30") == jdatetime.date(1408, 12, 30).togregorian()
    for year in range(1300, 1500):
        leap = jdatetime.date(year, 1, 1).isleap()
        assert days_in_month(year, 12) == (30 if leap else 29), year
        if not leap:
            with pytest.raises(JalaliDateError):
                parse_jalali_date(f"{year}/12/30")


@pytest.mark.parametrize("text, expected", [
    ("1405/13/01", "ماه باید از ۱ تا ۱۲ باشد"),
    ("1405/0/10", "ماه باید از ۱ تا ۱۲ باشد"),
    ("1404/12/30", "اسفند سال ۱۴۰۴ فقط ۲۹ روز دارد، چون ۱۴۰۴ سال کبیسه نیست"),
    ("۱۴۰۴/۱۲/۳۰", "کبیسه نیست"),
    ("1403/12/31", "اسفند ۳۰ روز دارد؛ روز ۳۱ در آن نیست"),
    ("1405/07/31", "مهر ۳۰ روز دارد؛ روز ۳۱ در آن نیست"),
    ("1405/01/32", "روز باید از ۱ تا ۳۱ باشد"),
    ("1405/01/00", "روز باید از ۱ تا ۳۱ باشد"),
    ("2026/11/26", "سال باید از ۱۳۰۰ تا ۱۴۹۹ باشد"),
    ("05/09/05", "سال «05» را با چهار رقم بنویسید، مانند ۱۴۰۵"),  # (round 9: told to write a Gregorian date in Jalali)
    ("99/09/10", "سال «99» را با چهار رقم بنویسید، مانند ۱۳۹۹"),
    ("49/01/01", "سال «49» را با چهار رقم بنویسید، مانند ۱۳۴۹"),  # not 1449, years ahead (the code review)
    ("۹۹/۰۹/۱۰", "سال «۹۹» را با چهار رقم بنویسید، مانند ۱۳۹۹"),
    ("1200/01/01", "سال باید از ۱۳۰۰ تا ۱۴۹۹ باشد (نوشته‌شده: ۱۲۰۰)."),
    ("1405/09/40", "روز باید از ۱ تا ۳۰ باشد (نوشته‌شده: ۴۰)."),
    ("05/09/1405", "سال را اول بنویسید"),
    ("1405/9", "به شکل سال/ماه/روز بنویسید"),
    ("1405//9/5", "به شکل سال/ماه/روز بنویسید"),
    ("فردا", "به شکل سال/ماه/روز بنویسید"),
    ("1405/09/05 10:00", "به شکل سال/ماه/روز بنویسید"),
    ("", "تاریخ را بنویسید"),
    ("\u200f ", "تاریخ را بنویسید"),
])
def test_bad_dates_say_what_is_wrong_in_persian(text, expected):
    with pytest.raises(JalaliDateError) as caught:
        parse_jalali_date(text)
    assert isinstance(caught.value, ValueError)
    assert expected in str(caught.value)
    typed_digits = re.findall("[0-9]+", str(caught.value))
    assert all(digits in text for digits in typed_digits)
    assert not re.search("[0-9]", re.sub("«[^»]*»", "", str(caught.value))), \
        "numbers in Persian digits, a typed number echoed too (as the period's message), a quoted value as typed"


@pytest.mark.one_database  # dates parsed and shown in the reader's language: the app for its translations
def test_a_bad_date_message_keeps_what_was_typed_and_shows_its_numbers_in_the_readers_digits(app):
    with pytest.raises(JalaliDateError) as ascii_typed:
        parse_jalali_date("1405/13/01")
    # the typed number in Persian digits in the shell, as `cases stats --period 1405-13` says it, and as the page
    # says it in the reader's digits: «(نوشته‌شده: 13)» beside «۱ تا ۱۲» (session 46's note)
    assert str(ascii_typed.value) == "ماه باید از ۱ تا ۱۲ باشد (نوشته‌شده: ۱۳)."
    with pytest.raises(JalaliDateError) as persian_typed:
        parse_jalali_date("\u200f۱۴۰۵/۰۱/۳۲")
    assert str(persian_typed.value) == "روز باید از ۱ تا ۳۱ باشد (نوشته‌شده: ۳۲)."
    with pytest.raises(JalaliDateError) as unreadable:
        parse_jalali_datetime("۱۴۰۵/۰۹/۲۰ 25:00")
    assert "«25:00»" in str(unreadable.value)  # the time, as typed
    with pytest.raises(JalaliDateError) as late_time_bad_day:
        parse_jalali_datetime("1405/01/32T10:00")
    assert "(نوشته‌شده: ۳۲)" in str(late_time_bad_day.value)
    from app.services.digits import shown_number

    with app.test_request_context("/"):
        session["locale"] = "en"
        refresh()  # the fixture's app context (and its g, where the locale is cached) is shared
        assert persian_typed.value.message(shown_number) == "The day must be from 1 to 31 (you wrote ۳۲)."
    with app.test_request_context("/"):
        refresh()
        assert persian_typed.value.message(shown_number) == "روز باید از ۱ تا ۳۱ باشد (نوشته‌شده: ۳۲)."


def test_datetimes_are_shown_in_tehran():
    # 06:30 UTC is 10:00 in Tehran (UTC+03:30, no daylight saving since 1401).
    moment = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    assert format_jalali_datetime(moment) == "۵ آذر ۱۴۰۵، ۱۰:۰۰"
    assert format_jalali_datetime(moment, digits="en") == "5 Azar 1405, 10:00"
    # 21:00 UTC on 20 March 2026 is already 1 Farvardin 1405 in Tehran.
    new_year = datetime(2026, 3, 20, 21, 0, tzinfo=UTC)
    assert format_jalali_date(new_year) == "۱۴۰۵/۰۱/۰۱"
    assert format_jalali_date(new_year.replace(tzinfo=None)) == "۱۴۰۵/۰۱/۰۱"  # naive = UTC
    assert format_jalali_date(new_year, long=True) == "۱ فروردین ۱۴۰۵"
    assert format_jalali_date(None) == format_jalali_datetime(None) == ""


def test_datetimes_match_jdatetime_hour_by_hour():
    tehran = timezone(timedelta(hours=3, minutes=30))
    moment = datetime(2025, 3, 1, tzinfo=UTC)
    for _ in range(24 * 400):
        local = moment.astimezone(tehran)
        j = jdatetime.datetime.fromgregorian(datetime=local)
        expected = f"{j.day} {jdatetime.date.j_months_en[j.month - 1]} {j.year}, {j.hour:02d}:{j.minute:02d}"
        assert format_jalali_datetime(moment, digits="en") == expected
        moment += timedelta(minutes=61)


@pytest.mark.parametrize("delta, fa, en", [
    (timedelta(seconds=-20), "همین حالا", "just now"),
    (timedelta(minutes=-5), "۵ دقیقه پیش", "5 minutes ago"),
    (timedelta(hours=-2, minutes=-59), "۲ ساعت پیش", "2 hours ago"),
    (timedelta(days=-3), "۳ روز پیش", "3 days ago"),
    (timedelta(days=-1), "یک روز پیش", "a day ago"),
    (timedelta(hours=-1, minutes=-59), "یک ساعت پیش", "an hour ago"),
    (timedelta(seconds=-61), "یک دقیقه پیش", "a minute ago"),
    (timedelta(days=-400), "یک سال پیش", "a year ago"),
    (timedelta(hours=2, minutes=1), "۲ ساعت دیگر", "in 2 hours"),
    (timedelta(days=45), "یک ماه دیگر", "in a month"),
    (timedelta(days=-800), "۲ سال پیش", "2 years ago"),
])
def test_relative_time(delta, fa, en):
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert relative_time(now + delta, now=now) == fa
    assert relative_time(now + delta, now=now, digits="en") == en


def test_month_season_and_year_ranges_tile_the_calendar():
    assert jalali_month_range(1403, 12) == (date(2025, 2, 19), date(2025, 3, 20))
    assert jalali_month_range(1404, 12) == (date(2026, 2, 20), date(2026, 3, 20))
    assert jalali_year_range(1405) == (date(2026, 3, 21), date(2027, 3, 20))
    assert jalali_season_range(1405, 1) == (date(2026, 3, 21), date(2026, 6, 21))
    expected_next = jalali_year_range(1400)[0]
    for year in range(1400, 1411):
        for month in range(1, 13):
            first, last = jalali_month_range(year, month)
            assert first == expected_next
            assert jdatetime.date.fromgregorian(date=first).day == 1
            assert jdatetime.date.fromgregorian(date=last + timedelta(days=1)).day == 1
            expected_next = last + timedelta(days=1)
        seasons = [jalali_season_range(year, s) for s in (1, 2, 3, 4)]
        assert seasons[0][0] == jalali_year_range(year)[0] and seasons[3][1] == jalali_year_range(year)[1]
        assert all(a[1] + timedelta(days=1) == b[0] for a, b in pairwise(seasons))


@pytest.mark.one_database  # dates parsed and shown in the reader's language: the app for its translations
def test_filters_follow_the_interface_language(app):
    render = app.jinja_env.from_string(
        "{{ n|fa_digits }}|{{ d|jdate }}|{{ t|jdatetime }}|{{ d|jmonth }}|{{ d|jweekday }}")
    values = {"n": 1234, "d": date(2026, 11, 26), "t": datetime(2026, 11, 26, 6, 30, tzinfo=UTC)}
    with app.test_request_context("/"):
        thursday = jdatetime.date.j_weekdays_fa[5]
        assert render.render(**values) == f"۱۲۳۴|۱۴۰۵/۰۹/۰۵|۵ آذر ۱۴۰۵، ۱۰:۰۰|آذر ۱۴۰۵|{thursday}"
    with app.test_request_context("/"):
        session["locale"] = "en"
        refresh()  # the fixture's app context (and its g, where the locale is cached) is shared
        assert render.render(**values) == "1234|1405/09/05|5 Azar 1405, 10:00|Azar 1405|Thursday"
    with app.test_request_context("/"):
        refresh()
        assert app.jinja_env.from_string("{{ x|fa_digits }}|{{ y|fa_digits }}").render(x=None, y=2.5) == "|۲٫۵"


def _date_form(app, data=None, obj_day=None):
    from wtforms.validators import DataRequired

    from app.web.forms import BaseForm
    from app.web.forms.fields import JalaliDateField

    class DateForm(BaseForm):
        class Meta:
            csrf = False

        day = JalaliDateField("تاریخ", validators=[DataRequired("تاریخ را بنویسید.")])

    from werkzeug.datastructures import MultiDict

    return DateForm(formdata=MultiDict(data) if data is not None else None, data={"day": obj_day})


@pytest.mark.one_database  # dates parsed and shown in the reader's language: the app for its translations
def test_date_field_reads_any_script_and_renders_for_the_picker(app):
    with app.test_request_context("/", method="POST"):
        form = _date_form(app, {"day": "۱۴۰۵/۰۹/۰۵"})
        assert form.validate()
        assert form.day.data == date(2026, 11, 26)
        html = str(form.day())
        assert "data-jdp" in html and 'dir="ltr"' in html
    with app.test_request_context("/"):
        html = str(_date_form(app, obj_day=date(2026, 11, 26)).day())
        assert 'value="۱۴۰۵/۰۹/۰۵"' in html


@pytest.mark.one_database  # dates parsed and shown in the reader's language: the app for its translations
def test_date_field_keeps_what_was_typed_and_says_why(app):
    with app.test_request_context("/", method="POST"):
        form = _date_form(app, {"day": "1404/12/30"})
        assert not form.validate()
        assert form.day.data is None
        assert form.day.errors == ["اسفند سال ۱۴۰۴ فقط ۲۹ روز دارد، چون ۱۴۰۴ سال کبیسه نیست؛ روز ۳۰ در آن نیست."]
        assert 'value="۱۴۰۴/۱۲/۳۰"' in str(form.day())  # what was typed, in the page's digits
    with app.test_request_context("/", method="POST"):
        form = _date_form(app, {"day": ""})
        assert not form.validate()
        assert form.day.errors == ["تاریخ را بنویسید."]
