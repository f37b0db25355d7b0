"""The dashboards of directive work (issue 13, item 4): the province's for the governorate
(supervisors, administrators) and each agency's own for its people.

Both show, for a chosen Jalali period (month, season or year: app/services/report_periods.py;
default the month holding today, as the scorecard):

- the trends of the 12 Jalali months ending with the period's last month (or with this month,
  when the period has not ended): cases opened / answered on time / overdue, press conferences
  held, media contacts logged, items routed per agency (app/services/dashboard_series.py);
- coverage volume in the period by outlet and by topic (app/services/dashboard_coverage.py);
- what is overdue now (app/services/dashboard_overdue.py);
- the scorecard (app/services/scorecard.py): the province's agencies ranked; an agency's own
  clause rows in short.

The agency's dashboard is the same page scoped to one agency: its own people see only theirs (any
other agency is a 404, as is an unknown one); the governorate may open any agency's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.jalali import to_jalali
from app.policy import sees_all_agencies
from app.services import NotAllowed, NotFound, ServiceError
from app.services.dashboard_coverage import Volume, by_outlet, by_topic
from app.services.dashboard_overdue import OverdueNow, overdue_now
from app.services.dashboard_series import (
    CaseSeries,
    Month,
    case_series,
    conference_series,
    contact_series,
    month_window,
    routed_series,
)
from app.services.record_days import refuse_before_records
from app.services.report_periods import (
    ReportPeriod,
    parse_report_period,
    period_holding,
)
from app.services.scorecard import AgencyScorecard, ranked, ranks, scorecards
from models import Agency

DEFAULT_KIND = "month"  # as the scorecard's pages
CHOICE_MONTHS, CHOICE_SEASONS, CHOICE_YEARS = 12, 8, 3


@dataclass(frozen=True)
class PeriodChoice:
    key: str  # 1405-09, 1405-S3, 1405
    name: str  # «آذر ۱۴۰۵»
    kind: str


def period_choices(today: date, chosen: ReportPeriod | None = None) -> list[PeriodChoice]:
    """The picker's periods: the last 12 months, 8 seasons and 3 years (newest first), and the
    chosen one if it is older."""
    choices = []
    for kind, count in (("month", CHOICE_MONTHS), ("season", CHOICE_SEASONS), ("year", CHOICE_YEARS)):
        period = period_holding(kind, today)
        for _step in range(count):
            choices.append(PeriodChoice(period.key, period.name, kind))
            period = period.previous()
    if chosen is not None and all(c.key != chosen.key for c in choices):
        choices.append(PeriodChoice(chosen.key, chosen.name, chosen.kind))
    return choices


def read_period(text: str | None, today: date) -> tuple[ReportPeriod, str]:
    """The period asked for, or the month holding today (with the reason, when it was not read)."""
    if (text or "").strip():
        try:
            chosen = parse_report_period(text)
            refuse_before_records(chosen.last, text or "")  # «1305»: as the scorecard page (session 40's note)
            return chosen, ""
        except ServiceError as error:
            return period_holding(DEFAULT_KIND, today), str(error)
    return period_holding(DEFAULT_KIND, today), ""


def trend_end(period: ReportPeriod, today: date) -> Month:
    """The last month of the trends: the period's last month, or this month while it runs."""
    last = min(period.last, today)
    j = to_jalali(last)
    return j.year, j.month


@dataclass
class DashboardPage:
    period: ReportPeriod
    period_error: str
    choices: list[PeriodChoice]
    months: list[Month]
    cases: CaseSeries
    conferences: list[int]
    contacts: list[int]
    routed: list[tuple[Agency, list[int]]]  # agencies with any routed item in the window
    outlets: list[Volume]
    topics: list[Volume]
    overdue: OverdueNow
    agency: Agency | None = None  # None: the province
    agencies: list[Agency] = field(default_factory=list)  # the governorate's: every active agency
    today: date | None = None
    governorate: bool = False  # the reader sees every agency (links go to the province's lists)
    ranking: list[AgencyScorecard] = field(default_factory=list)  # the province: agencies ranked

    @property
    def ranks(self) -> list[int | None]:
        """Each ranked agency's rank, ties sharing one (``scorecard.ranks``)."""
        return ranks(self.ranking)
    scorecard: AgencyScorecard | None = None  # an agency: its scorecard for the period

    def routed_named(self, locale: str) -> list[tuple[str, list[int]]]:
        return [(agency.display_name(locale), values) for agency, values in self.routed]

    @property
    def has_coverage(self) -> bool:
        return bool(self.outlets or self.topics)


def _active_agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.name_order, Agency.id)))


def _page(agency: Agency | None, agencies: list[Agency], period_text: str | None,
          today: date | None, governorate: bool) -> DashboardPage:
    today = today or local_today()
    period, error = read_period(period_text, today)
    months = month_window(trend_end(period, today))
    agency_id = agency.id if agency is not None else None
    routed_by_id = routed_series(months, agency_id=agency_id)
    named = {a.id: a for a in agencies}
    if agency is not None:
        named[agency.id] = agency
    routed = sorted(((named[k], v) for k, v in routed_by_id.items() if k in named and any(v)),
                    key=lambda pair: (-sum(pair[1]), pair[0].name_order))
    return DashboardPage(
        period=period, period_error=error, choices=period_choices(today, period), months=months,
        cases=case_series(months, agency_id=agency_id, today=today),
        conferences=conference_series(months, agency_id=agency_id),
        contacts=contact_series(months, agency_id=agency_id), routed=routed,
        outlets=by_outlet(period.first, period.last, agency_id=agency_id),
        topics=by_topic(period.first, period.last, agency_id=agency_id),
        overdue=overdue_now(agencies if agency is None else [agency], agency_id=agency_id, today=today),
        agency=agency, agencies=agencies, today=today, governorate=governorate,
        ranking=ranked(scorecards(period, today=today)) if agency is None else [],
        scorecard=next(iter(scorecards(period, agency_id=agency_id, today=today)), None) if agency else None)


def province_dashboard(user, period_text: str | None = None, *, today: date | None = None) -> DashboardPage:
    """The province's dashboard. :raise NotAllowed: not the governorate."""
    if not sees_all_agencies(user):
        raise NotAllowed(_("پیشخوان استان برای کارشناسان استانداری است."))
    return _page(None, _active_agencies(), period_text, today, True)


def agency_dashboard(user, slug: str | None = None, period_text: str | None = None, *,
                     today: date | None = None) -> DashboardPage:
    """One agency's dashboard: the user's own (``slug`` None or theirs), or any for the governorate.

    :raise NotFound: an unknown agency, another agency's for an agency user, or a user without one.
    """
    governorate = sees_all_agencies(user)
    if slug:
        agency = db.session.scalar(select(Agency).where(Agency.slug == slug))
        if agency is None or not (governorate or agency.id == getattr(user, "agency_id", None)):
            raise NotFound(_("این سازمان پیدا نشد."))
    else:
        agency = getattr(user, "agency", None)
        if agency is None:
            raise NotFound(_("شما عضو سازمانی نیستید؛ پیشخوان استان را ببینید."))
    return _page(agency, _active_agencies() if governorate else [], period_text, today, governorate)
