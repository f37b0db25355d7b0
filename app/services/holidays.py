"""Editing the working-day calendar: holidays and weekly rest days (administrators only)."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jalali import format_jalali_date, jalali_year_range
from app.policy import can_edit_calendar
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.settings import set_setting
from app.services.working_days import REST_DAYS_KEY, holiday_changed, rest_days_changed
from models import Holiday

NAME_MAX = 200


def _require_admin(actor) -> None:
    if not can_edit_calendar(actor):
        raise NotAllowed(_("فقط مدیر سامانه می‌تواند تقویم کاری را تغییر دهد."))


def _send(signal, **data) -> None:
    """Tell the features holding deadlines, inside this transaction (before its commit): their
    receivers add their changes to the session, and everything commits together."""
    db.session.flush()
    signal.send(current_app._get_current_object(), **data)


def holidays_of_year(jalali_year: int) -> list[Holiday]:
    """Holidays of a Jalali year (1 Farvardin to the end of Esfand), by day."""
    first, last = jalali_year_range(jalali_year)
    return list(db.session.scalars(
        select(Holiday).where(Holiday.day >= first, Holiday.day <= last).order_by(Holiday.day)
    ))


def add_holiday(day: date, name: str, actor) -> Holiday:
    """Add a holiday (e.g. a lunar one for this year), audit it, send holiday_changed, commit.

    Raises NotAllowed for a non-admin and ServiceError for an empty name or a day that is
    already a holiday.
    """
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("نام تعطیلی را بنویسید."))
    if len(name) > NAME_MAX:
        raise ServiceError(_("نام تعطیلی نباید بیش از %(n)s نویسه باشد.", n=NAME_MAX))
    existing = db.session.scalar(select(Holiday).where(Holiday.day == day))
    if existing is not None:
        raise _duplicate(day, existing.name)
    holiday = Holiday(day=day, name=name, is_fixed_solar=False)
    db.session.add(holiday)
    try:
        db.session.flush()
    except IntegrityError:  # added by someone else a moment ago
        db.session.rollback()
        raise _duplicate(day, "") from None
    record("holiday.added", actor=actor, obj=holiday, day=day.isoformat(),
           jalali=format_jalali_date(day, digits="en"), name=name)
    _send(holiday_changed, day=day, added=True, name=name, actor=actor)
    db.session.commit()
    return holiday


def _duplicate(day: date, name: str) -> ServiceError:
    return ServiceError(_("روز %(day)s از پیش تعطیل ثبت شده است (%(name)s).",
                          day=format_jalali_date(day), name=name or "—"))


def remove_holiday(holiday: Holiday, actor) -> None:
    """Delete a holiday, audit it, send holiday_changed, commit. Raises NotAllowed for a non-admin."""
    _require_admin(actor)
    day, name = holiday.day, holiday.name
    record("holiday.removed", actor=actor, obj=holiday, day=day.isoformat(),
           jalali=format_jalali_date(day, digits="en"), name=name, was_fixed_solar=holiday.is_fixed_solar)
    db.session.delete(holiday)
    _send(holiday_changed, day=day, added=False, name=name, actor=actor)
    db.session.commit()


def set_rest_days(days, actor) -> list[int]:
    """Store the weekly rest days (Python weekday numbers), audited; send rest_days_changed.

    Raises NotAllowed for a non-admin and ServiceError when a value is not a weekday or when
    every day of the week would be a rest day.
    """
    _require_admin(actor)
    try:
        cleaned = sorted({int(d) for d in days})
    except (TypeError, ValueError):
        raise ServiceError(_("روزهای تعطیل هفته درست فرستاده نشده‌اند.")) from None
    if any(not 0 <= d <= 6 for d in cleaned):
        raise ServiceError(_("روزهای تعطیل هفته درست فرستاده نشده‌اند."))
    if len(cleaned) == 7:
        raise ServiceError(_("دست‌کم یک روز هفته باید کاری باشد."))
    set_setting(REST_DAYS_KEY, cleaned, actor=actor, audit=True)
    _send(rest_days_changed, rest_days=cleaned, actor=actor)
    db.session.commit()
    return cleaned
