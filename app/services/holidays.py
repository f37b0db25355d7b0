"""Editing the working-day calendar: holidays and weekly rest days (administrators only)."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jalali import format_jalali_date, jalali_year_range
from app.policy import can_edit_calendar
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.digits import shown_number as number
from app.services.directory_keys import name_key
from app.services.record_days import latest_planned_day, refuse_before_records
from app.services.settings import set_setting
from app.services.working_days import REST_DAYS_KEY, holiday_changed, rest_days_changed
from models import AuditEntry, Holiday
from models.calendar import KIND_FIXED_SOLAR, KIND_OTHER, STATUS_CONFIRMED
from search_index.normalization import normalize_for_storage

NAME_MAX = 200


def require_calendar_admin(actor) -> None:
    if not can_edit_calendar(actor):
        raise NotAllowed(_("فقط مدیر سامانه می‌تواند تقویم کاری را تغییر دهد."))


def _send(signal, **data) -> None:
    """Tell the features holding deadlines, inside this transaction (before its commit): their
    receivers add their changes to the session, and everything commits together."""
    db.session.flush()
    signal.send(current_app._get_current_object(), **data)


def send_holiday_changed(day: date, added: bool, name: str, actor) -> None:
    """Tell the features holding open deadlines (inside the transaction, before its commit) that
    `day` became or stopped being a holiday."""
    _send(holiday_changed, day=day, added=added, name=name, actor=actor)


def clean_name(name: str | None) -> str:
    """The holiday's name on one line, without control characters or bidi marks (a command line's
    terminal escape or «U+202E» reached every case's deadline explanation; a review of the commands,
    round 3). Raises ServiceError when nothing visible is left or it is too long."""
    name = " ".join(normalize_for_storage(name or "").split())
    if not name_key(name):  # a ZWNJ alone, or tatweel: a name that shows nothing
        raise ServiceError(_("نام تعطیلی را بنویسید."))
    if len(name) > NAME_MAX:
        raise ServiceError(_("نام تعطیلی نباید بیش از %(n)s نویسه باشد.", n=number(NAME_MAX)))
    return name


def holiday_on(day: date) -> Holiday | None:
    return db.session.scalar(select(Holiday).where(Holiday.day == day))


def holiday_by_id(holiday_id: int) -> Holiday | None:
    """The holiday of that id as the database has it now (None: removed, perhaps by another a moment ago)."""
    return db.session.scalar(select(Holiday).where(Holiday.id == holiday_id))


def holidays_of_year(jalali_year: int) -> list[Holiday]:
    """Holidays of a Jalali year (1 Farvardin to the end of Esfand), by day."""
    first, last = jalali_year_range(jalali_year)
    return list(db.session.scalars(
        select(Holiday).where(Holiday.day >= first, Holiday.day <= last).order_by(Holiday.day)
    ))


def refuse_outside_calendar(day: date) -> None:
    """A holiday's day, added or moved to: from the installation's first record day to the end of the
    next Jalali year. «1300/01/05» was stored (session 40's review): a day no deadline of the
    installation counts over, as a case's or a contact's day, or past propose-lunar's reach.
    :raise ServiceError: in Persian, asking whether the year was typed right."""
    refuse_before_records(day, format_jalali_date(day), counted=False)
    if day > latest_planned_day():
        raise ServiceError(_("روز %(day)s پس از پایان سال آینده (%(last)s) است؛ تعطیلی‌ها تا پایان سال آینده ثبت "
                             "می‌شوند (سال را درست نوشته‌اید؟).", day=format_jalali_date(day),
                             last=format_jalali_date(latest_planned_day())))


def add_holiday(day: date, name: str, actor) -> Holiday:
    """Add a holiday (e.g. a lunar one for this year), audit it, send holiday_changed, commit.

    Raises NotAllowed for a non-admin and ServiceError for an empty name or a day that is
    already a holiday.
    """
    require_calendar_admin(actor)
    name = clean_name(name)
    refuse_outside_calendar(day)
    existing = holiday_on(day)
    if existing is not None:
        raise _duplicate(day, existing.name)
    holiday = Holiday(day=day, name=name, kind=KIND_OTHER, status=STATUS_CONFIRMED)
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


def add_holiday_once(day: date, name: str, actor) -> tuple[Holiday, bool]:
    """``add_holiday``, and True; or the holiday already on ``day`` under that name (spacing and ZWNJ
    aside), unchanged, and False: `calendar holidays add` run again by a script was refused, exit 2
    (session 44). :raise NotAllowed, ServiceError: as ``add_holiday`` (another holiday on the day too)."""
    try:
        return add_holiday(day, name, actor), True
    except ServiceError:
        require_calendar_admin(actor)
        existing = holiday_on(day)
        if existing is None or name_key(existing.name) != name_key(clean_name(name)):
            raise
        if existing.status != STATUS_CONFIRMED:  # a lunar proposal, not the confirmed holiday ``add`` stores
            raise _duplicate(day, _("%(name)s (در انتظار تأیید)", name=existing.name)) from None
        return existing, False


def _duplicate(day: date, name: str) -> ServiceError:
    return ServiceError(_("روز %(day)s از پیش تعطیل ثبت شده است (%(name)s).",
                          day=format_jalali_date(day), name=name or "—"))


def remove_holiday(holiday: Holiday, actor, *, statutory: bool = False) -> bool:
    """Delete a holiday, audit it, send holiday_changed, commit: True; False when another process removed it
    first (nothing done). Raises NotAllowed for a non-admin, and ServiceError for a fixed solar (statutory)
    holiday unless ``statutory`` says the caller means it: `holidays remove 1406/01/01` took Nowruz away, moving
    every open deadline, unasked (session 43).

    The row is deleted by a statement that says whether it found it: two removals at once (a script run twice,
    two administrators' clicks) both audited the removal and both moved the deadlines (session 46); on the day it
    was read on: one moved meanwhile was removed as from the day it left, the day it holds left counted.
    A deleted lunar proposal is not proposed again (the year remembers the Hijri days it handled).
    """
    require_calendar_admin(actor)
    day, name, holiday_id = holiday.day, holiday.name, holiday.id
    if holiday.kind == KIND_FIXED_SOLAR and not statutory:
        raise ServiceError(statutory_refusal(holiday))
    details = {"day": day.isoformat(), "jalali": format_jalali_date(day, digits="en"), "name": name,
               "was_fixed_solar": holiday.is_fixed_solar, "kind": holiday.kind, "status": holiday.status,
               "hijri": holiday.hijri_date}
    if not db.session.execute(delete(Holiday).where(Holiday.id == holiday_id, Holiday.day == day)).rowcount:
        db.session.rollback()
        return False
    record("holiday.removed", actor=actor, obj=holiday, **details)
    _send(holiday_changed, day=day, added=False, name=name, actor=actor)
    db.session.commit()
    return True


def removed_from(day: date) -> str | None:
    """The name of the holiday last removed from ``day`` when that removal is the day's last change in the audit
    trail (nothing added on the day, moved onto it or away from it since), else None. `holidays remove` run again
    by a script was refused, exit 2, as a day that was never a holiday is (session 45's note); a day typed wrong
    still is (session 46)."""
    iso = day.isoformat()
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(("holiday.removed", "holiday.added", "holiday.changed"))).order_by(AuditEntry.id.desc()))
    for entry in entries:
        details = entry.details or {}
        if iso in (details.get("day"), details.get("from_day")):
            return details.get("name") if entry.action == "holiday.removed" else None
    return None


def statutory_refusal(holiday: Holiday) -> str:
    return _("«%(name)s» در %(day)s تعطیل رسمی ثابت خورشیدی است (به حکم قانون، هر سال)؛ برداشتن آن موعد همهٔ "
             "پرونده‌های باز را جابه‌جا می‌کند و برداشته نشد.", name=holiday.name, day=format_jalali_date(holiday.day))


def update_holiday(holiday: Holiday, day: date, name: str, actor) -> Holiday:
    """Move a holiday to another day and/or rename it; the administrator's day is confirmed.

    Audited as holiday.changed; when the day moves, holiday_changed is sent for the day left
    (added=False) and the day taken (added=True). Raises NotAllowed for a non-admin, and
    ServiceError for a bad name, a fixed solar holiday moved, a day that is already a holiday,
    one outside the days a holiday is added on (``refuse_outside_calendar``), or a holiday another
    moved, renamed or removed since it was read (two clicks at once moved it twice, audited «from» a day
    it had left, and the day it held stayed counted in the deadlines; a removed one was a server error); the
    same change made by another meanwhile is returned as it is, nothing audited again.
    """
    require_calendar_admin(actor)
    name = clean_name(name)
    old_day, old_name, old_status, holiday_id = holiday.day, holiday.name, holiday.status, holiday.id
    if day != old_day:
        if holiday.kind == KIND_FIXED_SOLAR:
            raise ServiceError(_("تعطیلی‌های ثابت خورشیدی جابه‌جا نمی‌شوند؛ اگر امسال نیست، آن را حذف کنید."))
        refuse_outside_calendar(day)  # as add_holiday (session 40's note: a move had no limits); a rename keeps its day
        existing = holiday_on(day)
        if existing is not None and existing.id != holiday.id:  # itself: moved there meanwhile (below)
            raise _duplicate(day, existing.name)
    if (day, name, old_status) == (old_day, old_name, STATUS_CONFIRMED):
        return holiday  # nothing changed: no audit entry, no signal
    try:  # only the row as read: one moved or removed meanwhile was moved again «from» the day it had left
        changed = db.session.execute(update(Holiday).where(
            Holiday.id == holiday_id, Holiday.day == old_day, Holiday.name == old_name, Holiday.status == old_status,
        ).values(day=day, name=name, status=STATUS_CONFIRMED)).rowcount
    except IntegrityError:  # the day was taken a moment ago
        db.session.rollback()
        raise _duplicate(day, "") from None
    if not changed:
        db.session.rollback()
        now = db.session.get(Holiday, holiday_id)
        if now is not None and (now.day, now.name, now.status) == (day, name, STATUS_CONFIRMED):
            return now  # the same change made by another a moment ago (two clicks at once): nothing to do
        raise ServiceError(_("تعطیلی «%(name)s» در %(day)s را هم‌اکنون کس دیگری تغییر داده یا برداشته است؛ چیزی تغییر "
                             "نکرد. فهرست تعطیلی‌ها را دوباره ببینید.", name=old_name, day=format_jalali_date(old_day)))
    action = "holiday.changed" if (day, name) != (old_day, old_name) else "holiday.confirmed"
    record(action, actor=actor, obj=holiday, day=day.isoformat(),
           jalali=format_jalali_date(day, digits="en"), name=name,
           from_day=old_day.isoformat(), from_jalali=format_jalali_date(old_day, digits="en"),
           from_name=old_name, from_status=old_status, kind=holiday.kind, hijri=holiday.hijri_date)
    if day != old_day:
        send_holiday_changed(old_day, False, old_name, actor)
        send_holiday_changed(day, True, name, actor)
    db.session.commit()
    return holiday


def set_rest_days(days, actor) -> list[int]:
    """Store the weekly rest days (Python weekday numbers), audited; send rest_days_changed.

    Raises NotAllowed for a non-admin and ServiceError when a value is not a weekday or when
    every day of the week would be a rest day.
    """
    require_calendar_admin(actor)
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
