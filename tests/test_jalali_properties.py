"""Properties of the Jalali calendar and date parser (issue 14, item 8): every day of the years the
parser accepts survives format → parse in Persian and ASCII digits; years and months tile the
Gregorian calendar without gap or overlap; any text either parses or raises JalaliDateError,
whose message is Persian; a parsed date formats back to the same day."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.jalali import (
    MAX_YEAR,
    MIN_YEAR,
    JalaliDateError,
    days_in_month,
    format_jalali_date,
    is_leap_year,
    jalali_month_range,
    jalali_season_range,
    jalali_year_range,
    parse_jalali_date,
    to_jalali,
)
from tests.strategies import FAST, persian_text

FIRST, LAST = jalali_year_range(MIN_YEAR)[0], jalali_year_range(MAX_YEAR)[1]
days = st.dates(min_value=FIRST, max_value=LAST)
SEPARATORS = st.sampled_from(["/", "-", ".", " / ", "/ ", "۔", "٫", "\u200f/"])


@FAST
@given(days, st.sampled_from(["fa", "en"]))
def test_format_then_parse_gives_the_same_day(day, digits):
    assert parse_jalali_date(format_jalali_date(day, digits=digits)) == day


@FAST
@given(days, SEPARATORS, st.sampled_from(["{y}{s}{m}{s}{d}", "{y}{s}{m:02d}{s}{d:02d}"]))
def test_any_accepted_spelling_of_a_day_parses_to_it(day, separator, shape):
    j = to_jalali(day)
    typed = shape.format(y=j.year, m=j.month, d=j.day, s=separator)
    try:
        parsed = parse_jalali_date(typed)
    except JalaliDateError:
        assert separator.strip("\u200f ") not in "/-."  # only the separators the parser documents
        return
    assert parsed == day


@FAST
@given(st.integers(MIN_YEAR, MAX_YEAR - 1))
def test_years_months_and_seasons_tile_the_calendar(year):
    first, last = jalali_year_range(year)
    assert last + timedelta(days=1) == jalali_year_range(year + 1)[0]
    assert (last - first).days + 1 == (366 if is_leap_year(year) else 365)
    start = first
    for month in range(1, 13):
        month_first, month_last = jalali_month_range(year, month)
        assert month_first == start and (month_last - month_first).days + 1 == days_in_month(year, month)
        assert to_jalali(month_first).day == 1 and to_jalali(month_last).month == month
        start = month_last + timedelta(days=1)
    assert [jalali_season_range(year, s)[0] for s in (1, 2, 3, 4)] == [
        jalali_month_range(year, m)[0] for m in (1, 4, 7, 10)]


date_like = st.one_of(
    persian_text,
    st.builds("{}{}{}{}{}".format, st.integers(-9, 99999), SEPARATORS, st.integers(-9, 400), SEPARATORS,
              st.integers(-9, 99999)),
)


@FAST
@given(date_like)
def test_any_text_parses_or_is_refused_in_persian(text):
    try:
        parsed = parse_jalali_date(text)
    except JalaliDateError as refused:
        assert any("\u0600" <= ch <= "\u06ff" for ch in str(refused)), str(refused)
        assert refused.template % refused.params  # a caller can translate it
        return
    assert FIRST <= parsed <= LAST
    assert parse_jalali_date(format_jalali_date(parsed)) == parsed


@FAST
@given(st.datetimes(min_value=datetime(1921, 6, 1), max_value=datetime(2120, 1, 1), timezones=st.just(UTC)))
def test_a_moment_is_shown_as_the_local_day(moment):
    """A UTC time is shown as the day in Asia/Tehran (the default zone): never more than a day off."""
    shown = parse_jalali_date(format_jalali_date(moment))
    assert abs((shown - moment.date()).days) <= 1
    assert isinstance(shown, date)
