"""Month series for the dashboards' charts: one figure per Jalali month over a window of months.

The Jalali month is not a SQL function, so the database groups and Python folds:

- figures kept as a **local day** (a case's ``opened_on``, ``answered_on``, ``deadline``) are
  counted per day in SQL (GROUP BY the day) and folded into Jalali months here (``fold_days``);
- figures kept as an **instant** (a conference's ``starts_at``, a contact's ``happened_at``, an
  item's ``published_at``) are counted in SQL against each month's bounds (the UTC instants of
  the local midnights that open and close it: ``app.clock``), one ``SUM(CASE …)`` per month in a
  single query. Grouping an instant by its *local* day would need the zone's offset inside SQL,
  which neither SQLite nor a portable PostgreSQL query has; the bounds give the same answer.

Every query goes through the request's agency scope as well (app/scoping.py); ``agency_id``
narrows to one agency (None: all the scope sees). Figures:

- ``opened``: cases opened in the month, less those rejected or merged unanswered (as case_stats counts them);
- ``answered_on_time``: cases whose (first) answer was published in the month on or before the
  deadline it was due by;
- ``overdue``: cases whose deadline fell in the month (before today) and were not answered by it:
  answered late, or still waiting (a reopened case: by its first answer's deadline, as case_stats);
- ``conferences``: press conferences held, by the month of their local start;
- ``contacts``: media contacts logged, by the month they happened;
- ``routed``: monitored items routed to an agency (still in its inbox or accepted: not dismissed
  or sent on), by the month the item was published, per agency.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from app.clock import local_day_bounds, local_today
from app.extensions import db
from app.jalali import jalali_month_range, to_jalali
from app.services.case_stats import counted_case
from models import (
    ROUTED_STATUSES,
    Contact,
    Item,
    ItemRoute,
    PressConference,
    PublicQuestion,
)

Month = tuple[int, int]  # (Jalali year, month)
WINDOW = 12


def month_window(last: Month, count: int = WINDOW) -> list[Month]:
    """``count`` Jalali months ending with ``last``, oldest first (Esfand 1404 comes before
    Farvardin 1405)."""
    year, month = last
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def window_days(months: list[Month]) -> tuple[date, date]:
    """The first and last (Gregorian) day of a window of months."""
    return jalali_month_range(*months[0])[0], jalali_month_range(*months[-1])[1]


def fold_days(rows: Iterable[tuple[date, int]], months: list[Month]) -> list[int]:
    """Per-day counts folded into one count per month of ``months`` (days outside are dropped)."""
    index = {m: i for i, m in enumerate(months)}
    totals = [0] * len(months)
    for day, count in rows:
        j = to_jalali(day)
        i = index.get((j.year, j.month))
        if i is not None:
            totals[i] += int(count)
    return totals


def _per_day(column, *conditions) -> list[tuple[date, int]]:
    return list(db.session.execute(select(column, func.count()).where(*conditions).group_by(column)).all())


def _month_bounds(months: list[Month]):
    """UTC [start, end) of each month's local days."""
    return [local_day_bounds(*jalali_month_range(*m)) for m in months]


def _per_month_sums(column, bounds) -> list:
    return [func.coalesce(func.sum(case((and_(column >= start, column < end), 1), else_=0)), 0)
            for start, end in bounds]


def instant_counts(column, months: list[Month], *conditions, group=None, join=None) -> dict:
    """Rows whose instant ``column`` falls in each month: ``{group value: [count per month]}``
    (``group`` None: the one key None). ``join``: (entity, target, on) for a column of another table."""
    bounds = _month_bounds(months)
    sums = _per_month_sums(column, bounds)
    keys = [group] if group is not None else []
    query = select(*keys, *sums)
    if join is not None:
        entity, target, on = join
        query = query.select_from(entity).join(target, on)
    query = query.where(column >= bounds[0][0], column < bounds[-1][1], *conditions)
    if group is not None:
        query = query.group_by(group)
    result = {}
    for row in db.session.execute(query):
        values = [int(v) for v in (row[1:] if group is not None else row)]
        result[row[0] if group is not None else None] = values
    if group is None and None not in result:
        result[None] = [0] * len(months)
    return result


def _agency(column, agency_id: int | None) -> tuple:
    return () if agency_id is None else (column == agency_id,)


@dataclass(frozen=True)
class CaseSeries:
    opened: list[int]
    answered_on_time: list[int]
    overdue: list[int]


def case_series(months: list[Month], *, agency_id: int | None = None, today: date | None = None) -> CaseSeries:
    """Clause 12 per month (see the module doc for what each figure counts)."""
    first, last = window_days(months)
    today = today or local_today()
    pq = PublicQuestion
    counted = (counted_case(), *_agency(pq.agency_id, agency_id))
    opened = _per_day(pq.opened_on, pq.opened_on.between(first, last), *counted)
    due = pq.first_answer_due
    on_time = _per_day(pq.answered_on, pq.answered_on.between(first, last), pq.answered_on <= due, *counted)
    overdue = _per_day(due, due.between(first, last), due < today,
                       or_(pq.answered_on.is_(None), pq.answered_on > due), *counted)
    return CaseSeries(fold_days(opened, months), fold_days(on_time, months), fold_days(overdue, months))


def conference_series(months: list[Month], *, agency_id: int | None = None) -> list[int]:
    """Press conferences held per month of their local start."""
    return instant_counts(PressConference.starts_at, months, PressConference.status == "held",
                          *_agency(PressConference.agency_id, agency_id))[None]


def contact_series(months: list[Month], *, agency_id: int | None = None) -> list[int]:
    """Media contacts logged per month they happened."""
    return instant_counts(Contact.happened_at, months, *_agency(Contact.agency_id, agency_id))[None]


def routed_series(months: list[Month], *, agency_id: int | None = None) -> dict[int, list[int]]:
    """Items routed per agency (agency id → count per month of the item's publication)."""
    return instant_counts(Item.published_at, months, ItemRoute.status.in_(ROUTED_STATUSES),
                          ItemRoute.agency_id.is_not(None), *_agency(ItemRoute.agency_id, agency_id),
                          group=ItemRoute.agency_id,
                          join=(ItemRoute, Item, Item.id == ItemRoute.item_id))
