"""Case deadlines: working days by priority (a setting admins edit), counted by the calendar
service, and moved when the calendar changes.

A case's deadline is ``deadline_days`` working days after ``deadline_start`` (the day it was
opened, or reopened), as ``working_days.add_working_days`` counts them; the case keeps how it was
counted (``deadline_note``: one Persian sentence; ``deadline_counting``: the days skipped).

When an administrator adds or removes a holiday, or changes the weekly rest days, the calendar
service sends ``holiday_changed`` / ``rest_days_changed`` inside its transaction, before it
commits; ``register_listeners`` (called by the factory) connects the receivers below, which
recount the open cases the change touches and say so on their timelines. They add rows to the
session and never commit: the calendar change and the moved deadlines commit together.
"""
from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.i18n import N_
from app.jalali import format_jalali_date
from app.policy import can_edit_case_settings
from app.services import NotAllowed, ServiceError
from app.services.case_timeline import add_event
from app.services.digits import shown_number
from app.services.settings import DEFAULTS, get_setting, set_setting
from app.services.working_days import (
    WorkingDayResult,
    add_working_days,
    holiday_changed,
    rest_days_changed,
)
from models import CASE_PRIORITIES, OPEN_STATUSES, PublicQuestion

DEADLINE_DAYS_KEY = "cases.deadline_days"
MAX_DEADLINE_DAYS = 60


def deadline_days_by_priority() -> dict[str, int]:
    """Working days to answer, by priority: the setting, the defaults for what it lacks."""
    stored = get_setting(DEADLINE_DAYS_KEY) or {}
    defaults = DEFAULTS[DEADLINE_DAYS_KEY]
    days = {}
    for priority in CASE_PRIORITIES:
        value = stored.get(priority) if isinstance(stored, dict) else None
        days[priority] = value if isinstance(value, int) and 0 < value <= MAX_DEADLINE_DAYS else defaults[priority]
    return days


def set_deadline_days(days: dict, actor) -> dict[str, int]:
    """Store the working days to answer by priority (administrators), audited, commit.

    Open cases keep the deadline they were given. Raises NotAllowed for a non-admin and
    ServiceError for a missing priority or a value that is not a whole number from 1 to 60.
    """
    if not can_edit_case_settings(actor):
        raise NotAllowed(_("فقط مدیر سامانه مهلت پاسخ‌گویی را تغییر می‌دهد."))
    cleaned = {}
    for priority in CASE_PRIORITIES:
        try:
            value = int(str(days.get(priority, "")).strip())
        except ValueError:
            value = 0
        if not 1 <= value <= MAX_DEADLINE_DAYS:
            raise ServiceError(_(
                "مهلت پاسخ‌گویی هر اولویت باید عددی از ۱ تا %(max)s روز کاری باشد.", max=shown_number(MAX_DEADLINE_DAYS)))
        cleaned[priority] = value
    set_setting(DEADLINE_DAYS_KEY, cleaned, actor=actor, audit=True)
    db.session.commit()
    return cleaned


# PostgreSQL's advisory lock of "the calendar the deadlines are counted by": shared while a deadline
# is counted, until the case's transaction ends; exclusive while a calendar change recounts the open
# cases. Without it a case counted before a holiday was added and committed after the change had
# recounted the open cases kept a deadline that ignored the holiday (READ COMMITTED: the change did
# not see the uncommitted case, nor the case the uncommitted holiday; a review of the cases, session
# 38). SQLite needs none: an opener holds the database's write lock (its reference number) first.
# A use case that changes a case's row before recounting its deadline takes the shared lock before
# that change (``hold_calendar``): holding the row while waiting for the calendar would deadlock with
# a calendar change that holds the calendar and waits for the row to recount it.
CALENDAR_LOCK = 7262


def hold_calendar() -> None:
    """Hold the calendar (shared, PostgreSQL) until this transaction ends: before a case's row is
    changed by a use case that then counts its deadline."""
    _hold_calendar(shared=True)


def _hold_calendar(*, shared: bool) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        lock = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
        db.session.execute(select(lock(CALENDAR_LOCK)))


def count_deadline(case: PublicQuestion, start: date, days: int | None = None) -> WorkingDayResult:
    """Set the case's deadline: ``days`` (default: by its priority) working days after ``start``,
    and how it was counted. No commit; on PostgreSQL the calendar is held (shared) until the caller's
    transaction ends, so a holiday added meanwhile waits and then recounts this case too."""
    _hold_calendar(shared=True)
    days = deadline_days_by_priority()[case.priority] if days is None else days
    result = add_working_days(start, days)
    case.deadline_start, case.deadline_days, case.deadline = start, days, result.due
    with force_locale("fa"):  # stored words are Persian; the page says them again in the reader's language
        case.deadline_note = result.explain()
        case.deadline_counting = result.as_dict()
    return result


def _open_cases():
    return select(PublicQuestion).where(PublicQuestion.status.in_(OPEN_STATUSES)).execution_options(unscoped=True)


MSG_HOLIDAY_ADDED = N_("روز %(day)s (%(name)s) تعطیل شد؛ موعد پاسخ از %(old)s به %(new)s رفت.")
MSG_HOLIDAY_REMOVED = N_("تعطیلی روز %(day)s (%(name)s) برداشته شد؛ موعد پاسخ از %(old)s به %(new)s آمد.")
MSG_REST_DAYS = N_("روزهای تعطیل هفته تغییر کرد؛ موعد پاسخ از %(old)s به %(new)s رسید.")


def moved_sentence(data: dict, digits: str = "fa") -> str | None:
    """The sentence of a ``deadline_moved`` event, from its values, in the language of the moment
    (None when the values are not all there)."""
    try:
        shown = {key: format_jalali_date(date.fromisoformat(data[key]), digits)
                 for key in ("old", "new", "day") if key in data}
        if "day" in shown:
            message = MSG_HOLIDAY_ADDED if data.get("holiday_added") else MSG_HOLIDAY_REMOVED
            return _(message, name=data.get("holiday", ""), **shown)
        return _(MSG_REST_DAYS, **shown) if "rest_days" in data else None
    except (KeyError, TypeError, ValueError):
        return None


def _recount(cases, actor, **data) -> int:
    """Recount each case's deadline; those that moved say so on their timeline (``data``: why,
    as ``moved_sentence`` reads it). Returns how many moved."""
    moved = 0
    for case in cases:
        before = case.deadline
        count_deadline(case, case.deadline_start, case.deadline_days)
        if case.deadline == before:
            continue
        moved += 1
        values = {"old": before.isoformat(), "new": case.deadline.isoformat(), **data}
        with force_locale("fa"):  # the stored sentence; the page says it again in the reader's language
            text = moved_sentence(values)
        add_event(case, "deadline_moved", actor, text=text, **values)
    return moved


def on_holiday_changed(sender, *, day: date, added: bool, name: str = "", actor=None, **_extra) -> int:
    """Move the open deadlines a holiday added or removed on ``day`` falls inside (after the cases
    being counted at this moment are committed: the calendar held exclusively)."""
    _hold_calendar(shared=False)
    touched = db.session.scalars(_open_cases().where(PublicQuestion.deadline_start < day,
                                                     PublicQuestion.deadline >= day)).all()
    return _recount(touched, actor, day=day.isoformat(), holiday=name, holiday_added=added)


def on_rest_days_changed(sender, *, rest_days, actor=None, **_extra) -> int:
    """Recount every open deadline after the weekly rest days changed."""
    _hold_calendar(shared=False)
    return _recount(db.session.scalars(_open_cases()).all(), actor, rest_days=list(rest_days))


def register_listeners(app: Flask) -> None:
    """Connect the deadline receivers to this app's calendar signals (called by the factory)."""
    holiday_changed.connect(on_holiday_changed, sender=app)
    rest_days_changed.connect(on_rest_days_changed, sender=app)
