"""Clause 9's cadence: each agency's target (``Agency.conference_target`` conferences held per
Jalali ``conference_target_period``: month, season or year; 0 = none) and the agencies behind it.

For the Jalali period that holds ``today`` an agency is listed as

- **behind** when it has held fewer conferences than its pace asks by today: ⌊target × days of
  the period gone (today included) ÷ days in the period⌋ (a target of 4 a year asks for 2 by the
  middle of the year; 1 a month asks for it by the month's last day);
- **short of plan** when what it has held plus what it has planned (or postponed to a date) from
  the start of today to the period's end does not reach the target: nobody has planned the conference the
  period still owes.

A conference counts in the period of its local (Jalali) start day; only ``held`` ones count as held.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.clock import local_day_bounds, local_midnight, local_today
from app.extensions import db
from app.i18n import N_
from app.policy import can_edit_cadence
from app.services import NotAllowed, NotFound, ServiceError
from app.services.audit import record
from app.services.conference_targets import keep_target_history
from app.services.report_periods import period_holding
from models import Agency, PressConference
from models.agency import CONFERENCE_TARGET_PERIODS
from search_index.persian import ascii_digits

PERIOD_LABELS = {"month": N_("ماه"), "season": N_("فصل"), "year": N_("سال")}
TARGET_MAX = 365


@dataclass(frozen=True)
class Period:
    kind: str  # month | season | year
    first: date
    last: date
    name: str  # «آذر ۱۴۰۵», «پاییز ۱۴۰۵», «۱۴۰۵»; "Azar 1405" … for an English reader

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class CadenceRow:
    agency: Agency
    target: int
    period: Period
    held: int
    planned: int  # planned or postponed, from today to the period's end
    expected: int  # what the pace asks by today
    behind: bool
    short_of_plan: bool


def period_of(kind: str, day: date) -> Period:
    """The Jalali month, season or year that holds ``day``, named in the reader's language."""
    held = period_holding(kind, day)
    return Period(kind, held.first, held.last, held.name)


def held_counts(first: date, last: date, agency_ids: list[int] | None = None) -> dict[int, int]:
    """agency id → conferences held with a local start day in [first, last]."""
    start, end = local_day_bounds(first, last)
    stmt = (select(PressConference.agency_id, func.count(PressConference.id))
            .where(PressConference.status == "held", PressConference.starts_at >= start,
                   PressConference.starts_at < end).group_by(PressConference.agency_id))
    if agency_ids is not None:
        stmt = stmt.where(PressConference.agency_id.in_(agency_ids))
    return dict(db.session.execute(stmt).all())


def _planned_counts(today: date, last: date) -> dict[int, int]:
    start = local_midnight(today)
    _, end = local_day_bounds(None, last)
    return dict(db.session.execute(
        select(PressConference.agency_id, func.count(PressConference.id))
        .where(PressConference.status.in_(("planned", "postponed")), PressConference.starts_at >= start,
               PressConference.starts_at < end).group_by(PressConference.agency_id)).all())


def cadence_rows(*, today: date | None = None, behind_only: bool = False) -> list[CadenceRow]:
    """Every active agency with a target, for the period of its setting that holds ``today``;
    the behind ones first."""
    today = today or local_today()
    agencies = list(db.session.scalars(select(Agency).where(Agency.is_active, Agency.conference_target > 0)
                                       .order_by(Agency.name_order, Agency.id)))
    rows = []
    cache: dict[str, tuple[Period, dict, dict]] = {}
    for agency in agencies:
        kind = agency.conference_target_period if agency.conference_target_period in CONFERENCE_TARGET_PERIODS \
            else "year"
        if kind not in cache:
            period = period_of(kind, today)
            cache[kind] = (period, held_counts(period.first, period.last), _planned_counts(today, period.last))
        period, held, planned = cache[kind]
        gone = (today - period.first).days + 1
        expected = agency.conference_target * gone // period.days
        h, p = held.get(agency.id, 0), planned.get(agency.id, 0)
        row = CadenceRow(agency=agency, target=agency.conference_target, period=period, held=h, planned=p,
                         expected=expected, behind=h < expected, short_of_plan=h + p < agency.conference_target)
        if row.behind or row.short_of_plan or not behind_only:
            rows.append(row)
    rows.sort(key=lambda r: (not r.behind, not r.short_of_plan, r.agency.name_order))
    return rows


def get_agency_for_cadence(agency_id: int) -> Agency:
    """:raise NotFound: no such agency."""
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(_("این سازمان پیدا نشد."))
    return agency


def set_cadence(agency_id: int, target: int | str | None, period: str, actor) -> Agency:
    """Set an agency's target: ``target`` conferences per ``period`` (admins and supervisors)."""
    if not can_edit_cadence(actor):
        raise NotAllowed(_("هدف نشست‌های خبری سازمان‌ها را ناظران استانداری و مدیر سامانه تعیین می‌کنند."))
    agency = get_agency_for_cadence(agency_id)
    text = ascii_digits(str(target if target is not None else "")).strip()
    if not (text.isascii() and text.isdecimal()) or int(text) > TARGET_MAX:  # «²» is isdigit(), no int()
        raise ServiceError(_("شمار نشست‌ها را با عددی از ۰ تا ۳۶۵ بنویسید."))
    if period not in CONFERENCE_TARGET_PERIODS:
        raise ServiceError(_("دورهٔ هدف نشست خبری ماه، فصل یا سال است."))
    old = [agency.conference_target, agency.conference_target_period]
    if old != [int(text), period]:
        keep_target_history(agency, int(text), period)
        agency.conference_target, agency.conference_target_period = int(text), period
        record("agency.cadence_changed", actor=actor, obj=agency, agency_id=agency.id,
               changes={"conference_target": [old[0], int(text)], "conference_target_period": [old[1], period]})
    db.session.commit()
    return agency

