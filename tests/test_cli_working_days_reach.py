"""`calendar add-working-days` past what the calendar holds (session 43).

- A due day past 1499/12/29 was printed («1500/01/03», exit 0): a day no command reads back
  (`--opened`, `add-working-days` itself: «سال باید میان ۱۳۰۰ و ۱۴۹۹ باشد»). Refused now in Persian.
- A year with its fixed solar holidays but no lunar one (never proposed, none entered by hand) was
  counted without Eid or Ashura and said nothing: the warning covered only a year with no holiday
  at all. Such a year is warned of now, with what to do (propose-lunar, or by hand past its table).
"""
from __future__ import annotations

import json

from sqlalchemy import delete

from app.extensions import db
from app.jalali import jalali_year_range
from app.jalali import parse_jalali_date as J
from models import Holiday


def _run(app, *args):
    result = app.test_cli_runner().invoke(args=["calendar", "add-working-days", *args])
    return result


def test_a_due_day_past_1499_is_refused(app):
    result = _run(app, "1499/12/20", "10", "--json")
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert "۱۴۹۹" in error and "1500" not in result.stdout
    text = _run(app, "۱۴۹۹/۱۲/۲۰", "۱۰")
    assert text.exit_code == 2 and "خطا: " in text.stderr and "۱۴۹۹" in text.stderr
    assert _run(app, "1499/12/01", "5", "--json").exit_code == 0  # inside the calendar: counted


def test_a_year_without_lunar_holidays_is_warned_of(app):
    first, last = jalali_year_range(1406)
    db.session.execute(delete(Holiday).where(Holiday.day.between(first, last), Holiday.kind != "fixed_solar"))
    db.session.commit()
    data = json.loads(_run(app, "1406/02/01", "20", "--json").stdout)
    assert len(data["warnings"]) == 1 and "قمری" in data["warnings"][0] and "۱۴۰۶" in data["warnings"][0]
    assert "propose-lunar" in data["warnings"][0]
    app.test_cli_runner().invoke(args=["calendar", "propose-lunar", "--year", "1405"])
    assert json.loads(_run(app, "1405/02/01", "20", "--json").stdout)["warnings"] == []
    db.session.add(Holiday(day=J("1499/01/01"), name="نوروز", kind="fixed_solar", status="confirmed"))
    db.session.commit()  # as ensure_calendar_defaults would seed it in 1497
    data = json.loads(_run(app, "1499/01/01", "20", "--json").stdout)  # past the Hijri converter's table
    assert "۱۴۵۵" in data["warnings"][0] and "propose-lunar" not in data["warnings"][0], data
