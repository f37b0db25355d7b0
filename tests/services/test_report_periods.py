"""The periods a scorecard or report is asked for: month, season, year, as people write them."""
from datetime import date

import pytest

from app.services import ServiceError
from app.services.report_periods import parse_report_period, period_holding

pytestmark = pytest.mark.one_database  # periods parsed and dated: no database


@pytest.mark.parametrize("text, key, first, last", [
    ("1405-09", "1405-09", date(2026, 11, 22), date(2026, 12, 21)),
    ("۱۴۰۵/۹", "1405-09", date(2026, 11, 22), date(2026, 12, 21)),
    ("1405-12", "1405-12", date(2027, 2, 20), date(2027, 3, 20)),  # Esfand of a 30-day leap year
    ("1405-S3", "1405-S3", date(2026, 9, 23), date(2026, 12, 21)),
    ("1405-s1", "1405-S1", date(2026, 3, 21), date(2026, 6, 21)),
    ("پاییز ۱۴۰۵", "1405-S3", date(2026, 9, 23), date(2026, 12, 21)),
    ("1405", "1405", date(2026, 3, 21), date(2027, 3, 20)),
    (" ۱۴۰۴ ", "1404", date(2025, 3, 21), date(2026, 3, 20)),
])
def test_written_periods(app, text, key, first, last):
    with app.test_request_context():
        period = parse_report_period(text)
    assert (period.key, period.first, period.last) == (key, first, last)


@pytest.mark.parametrize("text", ["", "1405-13", "1405-00", "1405-S5", "05-09", "آذر", "1500", "زمستان", "1405-09-01"])
def test_unreadable_periods_say_how_to_write_one(app, text):
    with app.test_request_context(), pytest.raises(ServiceError) as error:
        parse_report_period(text)
    assert "۱۴۰۵-۰۹" in str(error.value) and "S3" in str(error.value)


def test_months_names_and_the_period_before(app):
    with app.test_request_context():
        season = parse_report_period("1405-S4")
        assert season.months() == [(1405, 10), (1405, 11), (1405, 12)]
        assert season.name == "زمستان ۱۴۰۵"
        assert parse_report_period("1405-01").previous().key == "1404-12"
        assert parse_report_period("1405-S1").previous().key == "1404-S4"
        assert parse_report_period("1405").previous().key == "1404"
        assert parse_report_period("1405-09").name == "آذر ۱۴۰۵"
        assert period_holding("season", date(2026, 12, 2)).key == "1405-S3"
        assert period_holding("month", date(2027, 3, 20)).key == "1405-12"
        assert period_holding("year", date(2027, 3, 21)).key == "1406"
