"""Figures for the scorecard (clause 9), per agency and Jalali month ("1405-09"), or any Jalali
period (``conference_figures_between``: a season or a year, for the scorecard).

- ``held``: conferences held whose local start day falls in the month;
- ``target``: the month's share of the agency's target (1 a month → 1; 3 a season → 1;
  4 a year → 0.33), two decimals, each month by the target in force at its end
  (``conference_targets``: a target set later does not judge a closed period);
  ``target_count``/``target_period`` the setting itself as of ``as_of``;
- ``questions``: questions recorded at the conferences held in the month;
- ``commitments_open`` / ``commitments_overdue``: as of the month's last day, or today while the
  month runs (``as_of``): every commitment of the agency's conferences that had started by then
  and was not done by then (done on a later day counts as open), and of those the ones whose
  due day is before ``as_of``;
- ``coverage_confirmed``: coverage items confirmed for the conferences held in the month.

Days are local (the configured zone): a conference at 00:30 local time on the 1st of a month
is in that month although its UTC day is the last of the month before. A commitment counts from
its conference's start (it was made there, whenever it was typed in).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from app.clock import local_day_bounds, local_today
from app.extensions import db
from app.jalali import jalali_month_range
from app.services.case_stats import parse_period, scorecard_agencies
from app.services.conference_cadence import held_counts
from app.services.conference_targets import period_targets
from models import (
    ConferenceCommitment,
    ConferenceCoverage,
    ConferenceQuestion,
    PressConference,
)


@dataclass(frozen=True)
class ConferenceFigures:
    agency: str  # slug
    period: str  # "1405-09"
    held: int
    target: float
    target_count: int
    target_period: str
    questions: int
    commitments_open: int
    commitments_overdue: int
    coverage_confirmed: int
    as_of: str  # ISO day the commitments are counted on
    covered: int = 0  # conferences held in the period with confirmed coverage
    records: list[int] = field(default_factory=list, compare=False)  # ids of the conferences held

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["covered"], data["records"]
        return data


def _per_agency(stmt) -> dict[int, int]:
    return dict(db.session.execute(stmt.group_by(PressConference.agency_id)).all())


def conference_figures(period: str, *, agency_id: int | None = None,
                       today: date | None = None) -> list[ConferenceFigures]:
    """One ConferenceFigures per agency (active ones, or ``agency_id``'s) for the Jalali month
    ``period`` ("1405-09"), as the current scope sees them. :raise ServiceError: unreadable month."""
    year, month = parse_period(period)
    first, last = jalali_month_range(year, month)
    return conference_figures_between(first, last, f"{year:04d}-{month:02d}", agency_id=agency_id, today=today)


def conference_figures_between(first: date, last: date, label: str, *, agency_id: int | None = None,
                               today: date | None = None) -> list[ConferenceFigures]:
    """The figures of the local days [first, last], whole Jalali months (the target: each month's
    share of the target in force then, ``conference_targets.period_targets``). ``records`` holds the
    ids of the conferences held in it; ``covered`` how many of them have confirmed coverage."""
    as_of = min(last, today or local_today())
    agencies = scorecard_agencies(agency_id)
    ids = [a.id for a in agencies]
    start, end = local_day_bounds(first, last)
    in_period = (PressConference.status == "held", PressConference.starts_at >= start, PressConference.starts_at < end,
                 PressConference.agency_id.in_(ids))
    held = held_counts(first, last, ids)
    held_ids: dict[int, list[int]] = {}
    for agency, conference in db.session.execute(select(PressConference.agency_id, PressConference.id)
                                                 .where(*in_period).order_by(PressConference.starts_at)):
        held_ids.setdefault(agency, []).append(conference)
    questions = _per_agency(select(PressConference.agency_id, func.count(ConferenceQuestion.id))
                            .join(ConferenceQuestion.conference).where(*in_period))
    confirmed = (*in_period, ConferenceCoverage.state == "confirmed")
    coverage = _per_agency(select(PressConference.agency_id, func.count(ConferenceCoverage.id))
                           .join(ConferenceCoverage.conference).where(*confirmed))
    covered = _per_agency(select(PressConference.agency_id, func.count(func.distinct(PressConference.id)))
                          .join(ConferenceCoverage.conference).where(*confirmed))
    _, as_of_end = local_day_bounds(None, as_of)
    open_rows = (PressConference.agency_id.in_(ids), PressConference.starts_at < as_of_end,
                 or_(ConferenceCommitment.done_at.is_(None), ConferenceCommitment.done_at >= as_of_end))
    still_open = _per_agency(select(PressConference.agency_id, func.count(ConferenceCommitment.id))
                             .join(ConferenceCommitment.conference).where(*open_rows))
    overdue = _per_agency(select(PressConference.agency_id, func.count(ConferenceCommitment.id))
                          .join(ConferenceCommitment.conference)
                          .where(*open_rows, ConferenceCommitment.due_on < as_of))
    targets = period_targets(agencies, first, last, as_of)  # each month by the target of its time
    figures = []
    for agency in agencies:
        share, target, target_period = targets[agency.id]
        figures.append(ConferenceFigures(
            agency=agency.slug, period=label, held=held.get(agency.id, 0),
            target=share, target_count=target,
            target_period=target_period, questions=questions.get(agency.id, 0),
            commitments_open=still_open.get(agency.id, 0), commitments_overdue=overdue.get(agency.id, 0),
            coverage_confirmed=coverage.get(agency.id, 0), as_of=as_of.isoformat(),
            covered=covered.get(agency.id, 0), records=held_ids.get(agency.id, [])))
    return figures
