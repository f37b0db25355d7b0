"""Working days: the weekly rest days (a setting) and the holiday table, counted for deadlines.

Counting rule: `add_working_days(start, n)` does not count `start` itself. Day 1 is the first
working day after `start`, so a question received on Tuesday with 1 working day is due on
Wednesday, and one received on a Friday or a holiday is counted from the next working day
alike. n = 0 gives `start` back unchanged.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.jalali import format_jalali_date, parse_jalali_date, weekday_name
from app.services import ServiceError
from app.services.settings import get_setting
from models import Holiday
from models.calendar import STATUS_PROPOSED
from search_index.persian import to_persian_digits

_signals = Namespace()
# Sent (sender = the app) when a holiday is added or removed, with day=<date>, added=<bool>,
# name=<str>, actor=<the user or None for the system>: features holding open deadlines move the
# ones this day falls inside. Sent inside the calendar change's transaction, before it commits:
# receivers add their changes to the session and never commit (app/services/case_deadlines.py is
# one). Proposing a year's lunar holidays sends one per day added; moving a holiday sends
# added=False for the day left, then added=True for the day taken; confirming a proposal sends
# nothing (no day changes).
holiday_changed = _signals.signal("holiday-changed")
# Sent (sender = the app) when the weekly rest days change, with rest_days=<list[int]> and
# actor=<the user>; inside the transaction too.
rest_days_changed = _signals.signal("rest-days-changed")

REST_DAYS_KEY = "calendar.rest_days"
# Holidays are loaded in windows of this many days (one query per window, usually one in all).
_WINDOW_DAYS = 120


def get_rest_days() -> frozenset[int]:
    """Weekly rest days as Python weekday numbers (Monday=0 … Friday=4, Saturday=5, Sunday=6)."""
    raw = get_setting(REST_DAYS_KEY) or []
    return frozenset(d for d in raw if isinstance(d, int) and 0 <= d <= 6)


def holidays_between(first: date, last: date) -> dict[date, str]:
    """Holiday names by day, both ends included, in one query.

    A lunar holiday proposed and not yet confirmed counts like any other; its name says so.
    """
    rows = db.session.execute(
        select(Holiday.day, Holiday.name, Holiday.status).where(Holiday.day >= first, Holiday.day <= last)
    ).all()
    return {day: _("%(name)s (در انتظار تأیید)", name=name) if status == STATUS_PROPOSED else name
            for day, name, status in rows}


def is_working_day(day: date) -> bool:
    """Neither a weekly rest day nor in the holiday table."""
    if day.weekday() in get_rest_days():
        return False
    return db.session.scalar(select(Holiday.id).where(Holiday.day == day)) is None


@dataclass(frozen=True)
class WorkingDayResult:
    """How a deadline was counted: `due` is `days` working days after `start` (start not counted).

    `skipped` lists every non-working day between them as (date, reason, in the language of the
    moment); `holidays` names the skipped days that are in the holiday table; `rest_days` are the
    weekly rest days it counted with. ``as_dict`` keeps all of it, so ``from_dict`` gives the same
    result back and the sentence can be said in the reader's language.
    """

    start: date
    days: int
    due: date
    skipped: list[tuple[date, str]] = field(default_factory=list)
    holidays: dict[date, str] = field(default_factory=dict)
    rest_days: frozenset[int] | None = None  # None: not known (a result made by hand)

    def explain(self, digits: str = "fa") -> str:
        """One sentence: «۵ روز کاری پس از … : موعد …؛ ۲ جمعه و ۵ تعطیل رسمی (نوروز، …) کنار گذاشته شد.»
        (``digits``: "en" for ASCII digits, on an English page)."""
        head = _(
            "%(days)s روز کاری پس از %(start)s (خود روز آغاز شمرده نمی‌شود): موعد %(due)s، %(weekday)s.",
            days=self.days, start=format_jalali_date(self.start, digits), due=format_jalali_date(self.due, digits),
            weekday=weekday_name(self.due.weekday(), digits),
        )
        if not self.skipped:
            tail = _("در این میان روز تعطیلی نبود.")
        else:
            tail = _("%(parts)s کنار گذاشته شد.", parts=_(" و ").join(self._skipped_parts(digits)))
        return to_persian_digits(f"{head} {tail}") if digits == "fa" else f"{head} {tail}"

    def reasons(self, digits: str = "fa") -> list[dict]:
        """Each skipped day and why, in the language of the moment: ``[{"date", "reason"}]``
        (the date Jalali with ASCII digits, as ``as_dict``)."""
        return [{"date": format_jalali_date(day, digits="en"),
                 "reason": skip_reason(day, self.holidays.get(day), self.rest_days or frozenset(), digits)}
                for day, _reason in self.skipped]

    def _skipped_parts(self, digits: str) -> list[str]:
        rest = Counter(d.weekday() for d, _reason in self.skipped if d not in self.holidays)
        parts = [_("%(count)s %(weekday)s", count=count, weekday=weekday_name(wd, digits))
                 for wd, count in sorted(rest.items(), key=lambda item: (item[0] + 2) % 7)]
        if self.holidays:
            names = list(dict.fromkeys(self.holidays[d] for d in sorted(self.holidays)))
            parts.append(_("%(count)s تعطیل رسمی (%(names)s)", count=len(self.holidays),
                           names=_("، ").join(names)))
        return parts

    def as_dict(self) -> dict:
        """Jalali dates with ASCII digits (the CLI's JSON and the API use this); each skipped day's
        ``holiday`` (its name, or null for a weekly rest day) and the ``rest_days`` (Python weekday
        numbers) are what ``from_dict`` reads back."""
        return {
            "start": format_jalali_date(self.start, digits="en"),
            "days": self.days,
            "due": format_jalali_date(self.due, digits="en"),
            "skipped": [{"date": format_jalali_date(d, digits="en"),
                         "reason": reason if self.rest_days is None else skip_reason(d, self.holidays.get(d), self.rest_days),
                         "holiday": self.holidays.get(d)}
                        for d, reason in self.skipped],
            "rest_days": sorted(self.rest_days or ()),
        }

    @classmethod
    def from_dict(cls, counting: dict | None) -> WorkingDayResult | None:
        """The result ``as_dict`` stored; None when it cannot be read back (stored before
        ``rest_days`` was kept: the stored sentence is all there is)."""
        if not isinstance(counting, dict) or not isinstance(counting.get("rest_days"), list):
            return None
        try:
            skipped = [(parse_jalali_date(e["date"]), e.get("reason", ""), e.get("holiday"))
                       for e in counting.get("skipped", [])]
            return cls(start=parse_jalali_date(counting["start"]), days=int(counting["days"]),
                       due=parse_jalali_date(counting["due"]), skipped=[(d, r) for d, r, _h in skipped],
                       holidays={d: h for d, _r, h in skipped if h}, rest_days=frozenset(counting["rest_days"]))
        except (KeyError, TypeError, ValueError):
            return None


def skip_reason(day: date, holiday_name: str | None, rest_days: frozenset[int], digits: str = "fa") -> str | None:
    """Why `day` is not a working day (in the language of the moment), or None when it is one."""
    weekday = weekday_name(day.weekday(), digits)
    if holiday_name is not None:
        if day.weekday() in rest_days:
            return _("تعطیل رسمی: %(name)s (%(weekday)s)", name=holiday_name, weekday=weekday)
        return _("تعطیل رسمی: %(name)s", name=holiday_name)
    if day.weekday() in rest_days:
        return _("%(weekday)s، تعطیل هفتگی", weekday=weekday)
    return None


def add_working_days(start: date, n: int) -> WorkingDayResult:
    """The day `n` working days after `start` (start not counted), with the days it skipped.

    Raises ValueError for a negative n and ServiceError when every weekday is a rest day.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    rest_days = get_rest_days()
    if len(rest_days) == 7:
        raise ServiceError(_("همهٔ روزهای هفته تعطیل تعریف شده‌اند؛ روز کاری‌ای برای شمردن نیست."))
    holidays: dict[date, str] = {}
    loaded_until = start
    day, counted = start, 0
    skipped: list[tuple[date, str]] = []
    skipped_holidays: dict[date, str] = {}
    while counted < n:
        day += timedelta(days=1)
        if day > loaded_until:
            window_end = day + timedelta(days=max(_WINDOW_DAYS, n * 2))
            holidays.update(holidays_between(day, window_end))
            loaded_until = window_end
        reason = skip_reason(day, holidays.get(day), rest_days)
        if reason is None:
            counted += 1
            continue
        skipped.append((day, reason))
        if day in holidays:
            skipped_holidays[day] = holidays[day]
    return WorkingDayResult(start=start, days=n, due=day, skipped=skipped, holidays=skipped_holidays,
                            rest_days=rest_days)
