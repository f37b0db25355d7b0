"""Lunar (Hijri) holidays: each Jalali year's are proposed from the Hijri calendar, for an admin to confirm.

The list is Iran's official lunar holidays, as the official calendar of the country (prepared by
the calendar centre of the Institute of Geophysics, مرکز تقویم مؤسسهٔ ژئوفیزیک دانشگاه تهران, and
approved by the Council for Public Culture, شورای فرهنگ عمومی) marks them «تعطیل»; checked against that calendar's
published holiday lists for 1403, 1404 and 1405 (README, «تعطیلی‌های قمری», names the pages read).
The 8 Rabi al-Awwal holiday comes from the law «احکام دائمی برنامه‌های توسعهٔ کشور» (art. 37).

Rules (README):
- A proposal is a Holiday of kind "lunar", status "proposed", with the Hijri day it stands for.
  It counts as a holiday for deadlines at once (the deadline's explanation says «در انتظار
  تأیید»): the official day is the proposed one or, usually, the day after, so counting it errs
  by a day at most, where leaving it out would lose the holiday entirely.
- The end of Safar (Imam Reza) is the last day of Safar in the converter's calendar: the 30th
  when that Safar has 30 days, else the 29th (the official calendar names the month's last day).
- Proposing a year is idempotent: the Hijri days handled for each Jalali year are remembered
  (setting ``calendar.lunar_proposed``), so a second run adds nothing, brings back no proposal an
  administrator deleted and never touches a day an administrator moved or confirmed. A Hijri day
  whose converted day is already a holiday (Nowruz, …) is not added; the result says so.
- A Hijri date can fall twice in one Jalali year (21 Ramadan: 1404/01/01 and 1404/12/19 by the
  converter): both are proposed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.clock import local_today
from app.extensions import db
from app.hijri import (
    hijri_key,
    hijri_years_between,
    month_length,
    supported_jalali_years,
    to_gregorian,
)
from app.jalali import (
    MAX_YEAR,
    MIN_YEAR,
    format_jalali_date,
    jalali_year_range,
    to_jalali,
)
from app.policy import can_edit_calendar
from app.services import ServiceError
from app.services.audit import record
from app.services.holidays import (
    holidays_of_year,
    number,
    require_calendar_admin,
    send_holiday_changed,
)
from app.services.settings import get_setting, set_setting
from app.services.working_days import get_rest_days
from models import Holiday
from models.calendar import KIND_LUNAR, STATUS_CONFIRMED, STATUS_PROPOSED
from search_index.persian import ascii_digits

LAST_DAY = 0  # in LUNAR_HOLIDAYS: the month's last day (29 or 30)
# Iran's official lunar holidays: (Hijri month, day, name as the official calendar writes it).
LUNAR_HOLIDAYS = (
    (1, 9, "تاسوعای حسینی"),
    (1, 10, "عاشورای حسینی"),
    (2, 20, "اربعین حسینی"),
    (2, 28, "رحلت حضرت رسول اکرم (ص) و شهادت امام حسن مجتبی (ع)"),
    (2, LAST_DAY, "شهادت امام رضا (ع)"),
    (3, 8, "شهادت امام حسن عسکری (ع)"),
    (3, 17, "میلاد حضرت رسول اکرم (ص) و امام جعفر صادق (ع)"),
    (6, 3, "شهادت حضرت فاطمه زهرا (س)"),
    (7, 13, "ولادت امام علی (ع)"),
    (7, 27, "مبعث حضرت رسول اکرم (ص)"),
    (8, 15, "ولادت حضرت قائم (عج)"),
    (9, 21, "شهادت حضرت علی (ع)"),
    (10, 1, "عید سعید فطر"),
    (10, 2, "تعطیل به مناسبت عید سعید فطر"),
    (10, 25, "شهادت امام جعفر صادق (ع)"),
    (12, 10, "عید سعید قربان"),
    (12, 18, "عید سعید غدیر خم"),
)
PROPOSED_KEY = "calendar.lunar_proposed"  # {"1405": ["1447-10-02", …]}: Hijri days handled per Jalali year
# From the first of this Jalali month the next year is "the coming year" and is warned about:
# the official calendar of a year is published in the autumn before it (1405's in Aban 1404).
COMING_YEAR_FROM_MONTH = 9  # Azar

SKIP_PROPOSED_BEFORE = "proposed_before"
SKIP_HOLIDAY = "already_a_holiday"


@dataclass(frozen=True)
class LunarProposal:
    day: date
    name: str
    hijri: str  # «1447-01-10»


@dataclass
class ProposalResult:
    """What proposing a year did: the days added (to confirm) and the days left out, with why."""

    year: int
    added: list[LunarProposal] = field(default_factory=list)
    # (proposal, SKIP_PROPOSED_BEFORE or SKIP_HOLIDAY, name of the holiday already on that day)
    skipped: list[tuple[LunarProposal, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Jalali dates with ASCII digits (the CLI's JSON)."""
        def row(p: LunarProposal) -> dict:
            return {"date": format_jalali_date(p.day, digits="en"), "name": p.name, "hijri": p.hijri}

        return {
            "year": self.year,
            "added": [row(p) for p in self.added],
            "skipped": [{**row(p), "reason": reason, **({"holiday": other} if other else {})}
                        for p, reason, other in self.skipped],
        }


@dataclass(frozen=True)
class LunarYearStatus:
    """Whether a Jalali year's lunar holidays were proposed, and how many still wait for an admin."""

    year: int
    proposed: bool
    to_confirm: int

    @property
    def state(self) -> str:
        """"not_proposed", "to_confirm" or "confirmed"."""
        if not self.proposed:
            return "not_proposed"
        return "to_confirm" if self.to_confirm else "confirmed"


def lunar_year_range() -> tuple[int, int]:
    """Jalali years whose lunar holidays can be proposed: what the converter covers, within the app's years."""
    first, last = supported_jalali_years()
    return max(first, MIN_YEAR), min(last, MAX_YEAR)


def parse_lunar_year(value) -> int:
    """A Jalali year typed as 1406 or ۱۴۰۶. Raises ServiceError (Persian) for text or a year out of range."""
    text = ascii_digits(str(value if value is not None else "")).strip()
    if not text:
        raise ServiceError(_("سال را بنویسید."))
    if not re.fullmatch(r"-?[0-9]+", text):
        raise ServiceError(_("سال باید عدد باشد، مانند ۱۴۰۶ (نوشته‌شده: «%(value)s»).", value=str(value).strip()))
    year = int(text)
    first, last = lunar_year_range()
    if not first <= year <= last:
        raise ServiceError(_("تعطیلی‌های قمری را برای سال‌های %(first)s تا %(last)s می‌توان پیشنهاد داد "
                             "(نوشته‌شده: %(year)s).", first=number(first), last=number(last), year=number(year)))
    return year


def lunar_proposals(year: int) -> list[LunarProposal]:
    """The official lunar holidays that fall in Jalali `year`, by the converter, by day (no database)."""
    first, last = jalali_year_range(year)
    found = []
    for hijri_year in hijri_years_between(first, last):
        for month, day, name in LUNAR_HOLIDAYS:
            day = day or month_length(hijri_year, month)
            gregorian = to_gregorian(hijri_year, month, day)
            if first <= gregorian <= last:
                found.append(LunarProposal(gregorian, name, hijri_key(hijri_year, month, day)))
    return sorted(found, key=lambda p: p.day)


def _handled() -> dict[str, list[str]]:
    return dict(get_setting(PROPOSED_KEY) or {})


def propose_lunar_year(year, actor) -> ProposalResult:
    """Add the year's lunar holidays as proposed (to confirm), audit, send holiday_changed for each, commit.

    `actor` None is the system (`flask init`). Raises NotAllowed for a non-admin and ServiceError
    for a year that is not a number or is out of range, or when another change got in first.
    """
    year = parse_lunar_year(year)
    if actor is not None:
        require_calendar_admin(actor)
    result = ProposalResult(year)
    handled = _handled()
    done = set(handled.get(str(year), ()))
    proposals = lunar_proposals(year)
    taken = dict(db.session.execute(select(Holiday.day, Holiday.name).where(
        Holiday.day.in_([p.day for p in proposals]))).all())
    for proposal in proposals:
        if proposal.hijri in done:
            result.skipped.append((proposal, SKIP_PROPOSED_BEFORE, ""))
        elif proposal.day in taken:
            result.skipped.append((proposal, SKIP_HOLIDAY, taken[proposal.day]))
        else:
            db.session.add(Holiday(day=proposal.day, name=proposal.name, kind=KIND_LUNAR,
                                   status=STATUS_PROPOSED, hijri_date=proposal.hijri))
            taken[proposal.day] = proposal.name
            result.added.append(proposal)
    if not result.added and done >= {p.hijri for p in proposals}:
        return result  # proposed before: nothing to store
    handled[str(year)] = sorted(done | {p.hijri for p in proposals})
    set_setting(PROPOSED_KEY, handled)
    record("holiday.lunar_proposed", actor=actor, year=year, skipped=len(result.skipped),
           added=[{"day": p.day.isoformat(), "jalali": format_jalali_date(p.day, digits="en"),
                   "name": p.name, "hijri": p.hijri} for p in result.added])
    try:
        db.session.flush()
    except IntegrityError:  # another proposal or edit of the same days got in first
        db.session.rollback()
        raise ServiceError(_("تقویم همین حالا تغییر کرد؛ دوباره پیشنهاد دهید.")) from None
    for proposal in result.added:
        send_holiday_changed(proposal.day, True, proposal.name, actor)
    db.session.commit()
    return result


def confirm_holiday(holiday: Holiday, actor) -> bool:
    """Mark a proposed holiday confirmed (audited). False when it was confirmed already.

    The day does not change, so holiday_changed is not sent. Raises NotAllowed for a non-admin.
    """
    require_calendar_admin(actor)
    if holiday.status == STATUS_CONFIRMED:
        return False
    holiday.status = STATUS_CONFIRMED
    record("holiday.confirmed", actor=actor, obj=holiday, day=holiday.day.isoformat(),
           jalali=format_jalali_date(holiday.day, digits="en"), name=holiday.name, hijri=holiday.hijri_date)
    db.session.commit()
    return True


def confirm_lunar_year(year, actor) -> int:
    """Confirm every proposed holiday of a Jalali year (one audit entry); how many were confirmed.

    Raises NotAllowed for a non-admin, and ServiceError for a bad year or one never proposed.
    """
    year = parse_lunar_year(year)
    require_calendar_admin(actor)
    first, last = jalali_year_range(year)
    rows = list(db.session.scalars(select(Holiday).where(
        Holiday.status == STATUS_PROPOSED, Holiday.day >= first, Holiday.day <= last).order_by(Holiday.day)))
    if not rows:
        if str(year) not in _handled():
            raise ServiceError(_("تعطیلی‌های قمری سال %(year)s هنوز پیشنهاد نشده‌اند.", year=number(year)))
        return 0
    for holiday in rows:
        holiday.status = STATUS_CONFIRMED
    record("holiday.year_confirmed", actor=actor, year=year,
           days=[{"day": h.day.isoformat(), "jalali": format_jalali_date(h.day, digits="en"), "name": h.name}
                 for h in rows])
    db.session.commit()
    return len(rows)


def lunar_year_status(year: int, from_day: date | None = None) -> LunarYearStatus:
    """Whether `year` was proposed and how many of its holidays (from `from_day` on) wait for confirmation."""
    first, last = jalali_year_range(year)
    to_confirm = db.session.scalar(select(func.count()).select_from(Holiday).where(
        Holiday.status == STATUS_PROPOSED, Holiday.day >= max(first, from_day or first), Holiday.day <= last))
    return LunarYearStatus(year=year, proposed=str(year) in _handled(), to_confirm=to_confirm)


def lunar_warnings(today: date | None = None) -> list[LunarYearStatus]:
    """This year's and (from Azar) the coming year's lunar holidays that are not proposed or not confirmed.

    For this year only the days still ahead count.
    """
    today = today or local_today()
    jalali = to_jalali(today)
    statuses = [lunar_year_status(jalali.year, from_day=today)]
    if jalali.month >= COMING_YEAR_FROM_MONTH:
        statuses.append(lunar_year_status(jalali.year + 1))
    first, last = lunar_year_range()
    return [s for s in statuses if s.state != "confirmed" and first <= s.year <= last]


def lunar_warnings_for(user) -> list[LunarYearStatus]:
    """The warnings for a user who can act on them (administrators); nothing for the others."""
    return lunar_warnings() if can_edit_calendar(user) else []


def year_overview(year: int) -> dict:
    """What the calendar page shows for a Jalali year: its holidays, the rest days, the lunar status."""
    first, last = lunar_year_range()
    return {
        "holidays": holidays_of_year(year),
        "rest_days": get_rest_days(),
        "lunar": lunar_year_status(year) if first <= year <= last else None,
        "warnings": lunar_warnings(),
    }
