"""Seeding the holiday table with the fixed solar holidays (run by `init` and the tests)."""
from __future__ import annotations

import jdatetime
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jalali import jalali_today, jalali_year_range
from app.services.lunar_holidays import PROPOSED_KEY, lunar_year_range, propose_lunar_year
from app.services.record_days import EARLIEST_YEARS
from app.services.settings import get_setting, set_setting
from models import Holiday
from models.calendar import KIND_FIXED_SOLAR

FIRST_SEEDED_YEAR = 1403
YEARS_AHEAD = 2

# The official holidays fixed in the solar calendar: (month, day, name). Lunar holidays move
# every year: app/services/lunar_holidays.py proposes them from the Hijri calendar.
FIXED_SOLAR_HOLIDAYS = (
    (1, 1, "نوروز"),
    (1, 2, "نوروز"),
    (1, 3, "نوروز"),
    (1, 4, "نوروز"),
    (1, 12, "روز جمهوری اسلامی"),
    (1, 13, "روز طبیعت"),
    (3, 14, "رحلت امام خمینی"),
    (3, 15, "قیام پانزده خرداد"),
    (11, 22, "پیروزی انقلاب اسلامی"),
    (12, 29, "ملی شدن صنعت نفت"),
)


SEEDED_YEARS = "calendar.seeded_years"


def ensure_calendar_defaults(last_year: int | None = None) -> int:
    """Add the fixed solar holidays of the years not seeded yet, from the earliest a record may be
    dated (``record_days.EARLIEST_YEARS`` back: a case opened then counts its deadline over that
    year's Nowruz) or 1403, whichever is earlier, to this Jalali year + 2.

    Each year is seeded once (the years done are kept in the ``calendar.seeded_years``
    setting), so a holiday an administrator deleted stays deleted when `init` runs again; days
    that already have a holiday row are left as they are. Returns how many rows were added.
    """
    this_year = jalali_today().year
    last_year = last_year or this_year + YEARS_AHEAD
    done = set(get_setting(SEEDED_YEARS) or ())
    first_year = min(FIRST_SEEDED_YEAR, this_year - EARLIEST_YEARS)
    years = [y for y in range(first_year, last_year + 1) if y not in done]
    if not years:
        return 0
    first_day, last_day = jalali_year_range(years[0])[0], jalali_year_range(years[-1])[1]
    existing = set(db.session.scalars(
        select(Holiday.day).where(Holiday.day >= first_day, Holiday.day <= last_day)
    ))
    added = 0
    for year in years:
        for month, day, name in FIXED_SOLAR_HOLIDAYS:
            gregorian = jdatetime.date(year, month, day).togregorian()
            if gregorian in existing:
                continue
            db.session.add(Holiday(day=gregorian, name=name, kind=KIND_FIXED_SOLAR))
            existing.add(gregorian)
            added += 1
    set_setting(SEEDED_YEARS, sorted(done | set(years)))
    db.session.commit()  # the holidays and the years that have them, together
    return added


def ensure_lunar_proposals() -> int:
    """Propose this Jalali year's and the next one's lunar holidays (to confirm) when never proposed;
    on an installation that never had any proposed, also those of the years a record may be dated
    in (``record_days.EARLIEST_YEARS`` back, as the fixed holidays).

    Run by `init`, as the system: a fresh install counts the lunar holidays at once instead of
    waiting for an administrator, and a case back-dated to a past year counts its Eid or Ashura (it
    counted them as working days: a review of the cases commands, round 4). An installation that
    has proposed before gets no past year added unseen (its administrator may have entered those
    days by hand; past years raise no warning): `calendar propose-lunar --year` does it on request.
    A year proposed before is left alone. Returns how many were added."""
    this_year = jalali_today().year
    done = get_setting(PROPOSED_KEY) or {}
    first, last = lunar_year_range()
    since = this_year if done else this_year - EARLIEST_YEARS
    years = range(max(first, since), min(last, this_year + 1) + 1)
    return sum(len(propose_lunar_year(year, actor=None).added) for year in years if str(year) not in done)


def calendar_years_job(app) -> str:
    """The worker keeps the calendar a year ahead as the years turn (daily): the fixed holidays of
    the years not seeded yet, and the lunar holidays of this year and the next proposed once each;
    before, only `init` did, so two years after it a deadline counted over Nowruz as working days."""
    try:
        fixed = ensure_calendar_defaults()
        lunar = ensure_lunar_proposals()
    except IntegrityError:  # another worker, started at the same moment, added the same days first
        db.session.rollback()
        return "another worker is seeding the calendar; nothing added"
    return f"{fixed} fixed holidays added, {lunar} lunar holidays proposed"


def register_jobs(app) -> None:
    """Add the "calendar-years" job (daily) to the worker's schedule."""
    app.extensions.setdefault("hamzaban_jobs", []).append(("calendar-years", 86400, calendar_years_job))
