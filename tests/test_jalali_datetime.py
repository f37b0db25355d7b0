"""Reading a Jalali date and time (the `--now` of `cases remind`): local wall time in the
configured zone, returned aware UTC; a clear Persian message for what cannot be read."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.jalali import JalaliDateError, parse_jalali_datetime

pytestmark = pytest.mark.one_database  # Jalali dates parsed: no database


@pytest.mark.parametrize("typed", ["1405/09/20T10:00", "۱۴۰۵/۰۹/۲۰T۱۰:۰۰", "1405-9-20 10:00", " 1405/09/20 t 10:00:00 ",
                                   "\u200f1405/09/20T10:00"])
def test_forms_of_one_local_time(app, typed):
    assert parse_jalali_datetime(typed) == datetime(2026, 12, 11, 6, 30, tzinfo=UTC)  # Tehran is +03:30


def test_a_date_alone_is_its_local_midnight_and_the_zone_is_the_configured_one(app):
    assert parse_jalali_datetime("1405/01/01") == datetime(2026, 3, 20, 20, 30, tzinfo=UTC)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    assert parse_jalali_datetime("1405/01/01T00:00") == datetime(2026, 3, 21, tzinfo=UTC)


@pytest.mark.parametrize("typed, words", [
    ("1405/09/20T24:00", "ساعت «24:00» خوانده نشد"),  # the time as typed (it quoted the whole value: session 46)
    ("1405/09/20T10:00:61", "ساعت «10:00:61» خوانده نشد"),
    ("۱۴۰۵/۰۹/۲۰ \u200f۱۰:۶۰", "ساعت «۱۰:۶۰» خوانده نشد"),
    ("1405/09/20T10:60", "ساعت:دقیقه"),
    ("1405/09/20T10", "ساعت"),
    ("1405/09/31T10:00", "آذر ۳۰ روز دارد"),
    ("10:00", "ساعت"),
    ("", "تاریخ را بنویسید"),
])
def test_what_cannot_be_read_says_why(app, typed, words):
    with pytest.raises(JalaliDateError) as refused:
        parse_jalali_datetime(typed)
    assert words in str(refused.value)
