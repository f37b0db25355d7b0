"""The days a desk's record may be dated (a case and its source, a media contact, an evidence
record, a press conference): not before 1 Farvardin five Jalali years back, and a conference,
which is planned ahead, not after the end of the next Jalali year. A desk enters the work of past
years; a day outside is a typing slip («1305» for «1405», «1505» for «1405») that would count in no
period a report reads, or as years of work overdue."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.jalali import format_jalali_date, jalali_year_range, to_jalali
from app.services import ServiceError
from models import AuditEntry

EARLIEST_YEARS = 5
PLANNED_YEARS_AHEAD = 1


def earliest_day(today: date | None = None) -> date:
    """1 Farvardin ``EARLIEST_YEARS`` Jalali years before this one (``today``'s)."""
    return jalali_year_range(to_jalali(today or local_today()).year - EARLIEST_YEARS)[0]


def latest_planned_day() -> date:
    """The last day of the Jalali year ``PLANNED_YEARS_AHEAD`` after this one."""
    return jalali_year_range(to_jalali(local_today()).year + PLANNED_YEARS_AHEAD)[1]


def earliest_recorded_day() -> date:
    """The first day a record of this installation may carry: ``earliest_day`` as it was on the
    installation's first day (its oldest audit entry: every change is audited), or today's when
    nothing was written yet. It never moves later, so a record entered years ago is still read.
    What asks for figures «as of» a day or of a period (`contacts lapsed --today`, `contacts stats`,
    `cases stats`, the reports) is refused before it (``refuse_before_records``): «1300/01/01» was
    accepted and counted every outlet as never contacted (session 40's note)."""
    first = db.session.scalar(select(func.min(AuditEntry.created_at)))
    return earliest_day(local_today(first) if first is not None else None)


def refuse_before_records(last: date, asked: str, *, counted: bool = True) -> None:
    """Refuse a day, or a period ending on ``last``, before ``earliest_recorded_day`` (``asked``: what
    was typed, quoted in the message; ``counted``: figures were asked for, else a day to record, a
    holiday). :raise ServiceError: in Persian, naming the first day."""
    earliest = earliest_recorded_day()
    if last < earliest and not counted:
        raise ServiceError(_("«%(asked)s» پیش از %(earliest)s است، نخستین روزی که کاری در همزبان با آن تاریخ ثبت "
                             "می‌شود؛ روزی از آن به بعد بنویسید (سال را درست نوشته‌اید؟).",
                             asked=asked.strip(), earliest=format_jalali_date(earliest)))
    if last < earliest:
        raise ServiceError(_("«%(asked)s» پیش از %(earliest)s است، نخستین روزی که کاری در همزبان با آن تاریخ ثبت "
                             "می‌شود، و چیزی برای شمردن ندارد؛ روز یا دوره‌ای از آن به بعد بنویسید (سال را درست "
                             "نوشته‌اید؟).", asked=asked.strip(), earliest=format_jalali_date(earliest)))
