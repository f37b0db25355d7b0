"""The directive scorecard (issue 13, item 3): per agency and Jalali period (a month, a season or
a year: app/services/report_periods.py), one row per clause 1–14 with its ``figures``, its
``status`` (met / partly / not_met / no_data, by the governorate's rules:
app/services/scorecard_rules.py) and the ``records`` the figures were computed from
(``{"cases": [refs]}``, ``{"conferences": [ids]}``, ``{"contacts": [ids], "outlets": [ids]}``,
``{"evidence": [ids]}``, ``{"feeds": [ids]}``).

Measured here: 9 (conferences held against the agency's cadence, their questions and coverage:
conference_stats.py), 11 (local outlets contacted, contacts logged: contact_stats.py), 12 (public
questions: case_stats.py). Clause 10 and the evidence clauses come from scorecard_sources.py.
Counts that are "as of" a day (open and overdue cases, open commitments) use the period's last
day, or today while the period runs. The agencies are the active ones as the current scope sees
them (an agency's user: their own only).

``scorecards`` is what the pages, the CLI (`report scorecard`) and the reports read: the same
figures everywhere. ``ranked`` orders them for the province page: by score (met 1, partly ½,
not met 0, over the clauses with data), then by clauses met, then by name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.clock import local_today
from app.jalali import format_jalali_date
from app.services.case_stats import case_figures_between, scorecard_agencies
from app.services.conference_stats import conference_figures_between
from app.services.contact_stats import contact_figures_between
from app.services.report_periods import ReportPeriod
from app.services.scorecard_clauses import BY_NUMBER, CLAUSES, STATUS_POINTS
from app.services.scorecard_rules import (
    case_status,
    conference_status,
    contact_status,
    current_rules,
    evidence_status,
    portal_status,
)
from app.services.scorecard_sources import evidence_sources, portal_sources
from models import Agency

CASE_FIGURES = ("opened", "answered", "answered_on_time", "on_time_pct", "median_working_days_to_answer", "open",
                "overdue", "overdue_longest_days")


@dataclass(frozen=True)
class ClauseRow:
    clause: int
    figures: dict
    status: str
    records: dict[str, list]
    by_figure: dict[str, list] = field(default_factory=dict)  # figure → the records behind it alone

    @property
    def title(self) -> str:
        return BY_NUMBER[self.clause].title

    @property
    def kind(self) -> str:
        return BY_NUMBER[self.clause].kind

    def as_dict(self) -> dict:
        return {"clause": self.clause, "title": self.title, "figures": self.figures, "status": self.status,
                "records": self.records}


@dataclass(frozen=True)
class AgencyScorecard:
    agency: Agency
    period: ReportPeriod
    as_of: date
    clauses: list[ClauseRow]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"met": 0, "partly": 0, "not_met": 0, "no_data": 0}
        for row in self.clauses:
            counts[row.status] += 1
        return counts

    @property
    def score(self) -> float | None:
        """Per cent of the points the clauses with data could get (met 1, partly ½); None without data."""
        points = [STATUS_POINTS[r.status] for r in self.clauses if r.status in STATUS_POINTS]
        return round(100 * sum(points) / len(points), 1) if points else None

    def row(self, clause: int) -> ClauseRow:
        return self.clauses[clause - 1]

    def as_dict(self) -> dict:
        """One JSON line of `report scorecard`."""
        return {"agency": self.agency.slug, "agency_name": self.agency.name_fa, "period": self.period.key,
                "as_of": self.as_of.isoformat(), "score": self.score,
                "clauses": [row.as_dict() for row in self.clauses],
                "as_of_jalali": format_jalali_date(self.as_of, digits="en")}  # as `contacts stats` (session 43)


def scorecards(period: ReportPeriod, *, agency_id: int | None = None, today: date | None = None) -> list[AgencyScorecard]:
    """One AgencyScorecard per agency (the active ones, or ``agency_id``'s), as the scope sees them."""
    today = today or local_today()
    as_of = min(period.last, today)
    agencies = scorecard_agencies(agency_id)
    ids = [a.id for a in agencies]
    rules = current_rules()
    cases = {f.agency_id: f for f in case_figures_between(period.first, period.last, period.key, agency_id=agency_id,
                                                          as_of=as_of)}
    conferences = {f.agency: f for f in conference_figures_between(period.first, period.last, period.key,
                                                                   agency_id=agency_id, today=today)}
    contacts = {f.agency_id: f for f in contact_figures_between(period.first, period.last, period.key,
                                                                agency_id=agency_id, today=today, with_lapsed=False)}
    portal = portal_sources(period.first, period.last, ids, today)
    evidence = evidence_sources(period.first, period.last, ids)
    cards = []
    for agency in agencies:
        rows = {9: _conference_row(conferences[agency.slug], rules), 11: _contact_row(contacts[agency.id], rules),
                12: _case_row(cases[agency.id], rules)}
        figures, records = portal.get(agency.id, ({}, {"feeds": []}))
        rows[10] = ClauseRow(10, figures, portal_status(figures), records)
        mine = evidence.get(agency.id, {})
        for clause in CLAUSES:
            if clause.kind == "evidence":
                figures, records = mine.get(clause.number, ({}, {"evidence": []}))
                rows[clause.number] = ClauseRow(clause.number, figures, evidence_status(clause.number, figures, rules),
                                                records)
        cards.append(AgencyScorecard(agency, period, as_of, [rows[c.number] for c in CLAUSES]))
    return cards


def ranked(cards: list[AgencyScorecard]) -> list[AgencyScorecard]:
    return sorted(cards, key=lambda c: (c.score is None, -(c.score or 0), -c.counts["met"], c.agency.name_order))


def ranks(cards: list[AgencyScorecard]) -> list[int | None]:
    """The rank of each of ``ranked(cards)``: agencies with the same score and clauses met share one
    (1, 2, 2, 4), the next counts those before it; None without data. Sixteen agencies tied at 0 %
    were ranked 5 to 20 in the order of their names (a walk through the pages, round 5)."""
    out: list[int | None] = []
    previous = None
    for place, card in enumerate(cards, 1):
        key = (card.score, card.counts["met"])
        if card.score is None:
            out.append(None)
        else:
            out.append(out[-1] if key == previous else place)
        previous = key
    return out


def _case_row(f, rules: dict) -> ClauseRow:
    figures = {"opened": f.opened, "answered": f.answered, "answered_on_time": f.answered_on_time,
               "on_time_pct": f.on_time_pct, "median_working_days_to_answer": f.median_working_days_to_answer,
               "open": f.open, "overdue": f.overdue, "overdue_longest_days": f.overdue_longest_days}
    refs = sorted({ref for refs in f.records.values() for ref in refs})
    return ClauseRow(12, figures, case_status(figures, rules), {"cases": refs}, dict(f.records))


def _conference_row(f, rules: dict) -> ClauseRow:
    figures = {"held": f.held, "target": f.target, "target_count": f.target_count, "target_period": f.target_period,
               "questions": f.questions, "coverage_confirmed": f.coverage_confirmed, "conferences_covered": f.covered,
               "commitments_open": f.commitments_open, "commitments_overdue": f.commitments_overdue}
    return ClauseRow(9, figures, conference_status(figures, rules), {"conferences": list(f.records)},
                     {"held": list(f.records)})


def _contact_row(f, rules: dict) -> ClauseRow:
    figures = {"local_outlets": f.local_outlets, "local_outlets_contacted": f.local_outlets_contacted,
               "contacts": f.contacts, "by_channel": f.by_channel}
    return ClauseRow(11, figures, contact_status(figures, rules),
                     {"contacts": list(f.records), "outlets": list(f.outlet_records)},
                     {"contacts": list(f.records), "local_outlets_contacted": list(f.outlet_records)})
