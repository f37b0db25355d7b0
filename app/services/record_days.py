"""The days a desk's record may be dated (a case and its source, a media contact, an evidence
record, a press conference): not before 1 Farvardin five Jalali years back, and a conference,
which is planned ahead, not after the end of the next Jalali year. A desk enters the work of past
years; a day outside is a typing slip («1305» for «1405», «1505» for «1405») that would count in no
period a report reads, or as years of work overdue."""
from __future__ import annotations

from datetime import date

from app.clock import local_today
from app.jalali import jalali_year_range, to_jalali

EARLIEST_YEARS = 5
PLANNED_YEARS_AHEAD = 1


def earliest_day(today: date | None = None) -> date:
    """1 Farvardin ``EARLIEST_YEARS`` Jalali years before this one (``today``'s)."""
    return jalali_year_range(to_jalali(today or local_today()).year - EARLIEST_YEARS)[0]


def latest_planned_day() -> date:
    """The last day of the Jalali year ``PLANNED_YEARS_AHEAD`` after this one."""
    return jalali_year_range(to_jalali(local_today()).year + PLANNED_YEARS_AHEAD)[1]
