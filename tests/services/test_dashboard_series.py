"""The dashboards' month series and coverage volumes against hand-computed values, across the
Jalali year boundary (Esfand 1404 → Farvardin 1405) and the local midnight that opens it
(Tehran's 1 Farvardin 1405 00:00 is 20 March 2026 20:30 UTC)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.jalali import parse_jalali_datetime as T
from app.scoping import agency_scope
from app.services.dashboard_coverage import Volume, by_outlet, by_topic
from app.services.dashboard_series import (
    case_series,
    conference_series,
    contact_series,
    fold_days,
    month_window,
    routed_series,
)
from models import (
    Contact,
    Feed,
    Item,
    ItemRoute,
    Outlet,
    PressConference,
    RoutingRule,
    item_route_rules,
)
from tests.services import case_fixtures

desk = case_fixtures.desk
TODAY = J("1405/01/20")
WINDOW = [(1404, 11), (1404, 12), (1405, 1)]  # Bahman, Esfand 1404, Farvardin 1405


def test_the_window_crosses_the_year():
    assert month_window((1405, 1), 3) == WINDOW
    assert month_window((1405, 12))[0] == (1405, 1) and len(month_window((1405, 12))) == 12
    assert month_window((1405, 2), 15)[:2] == [(1403, 12), (1404, 1)]


def test_fold_days_puts_each_day_in_its_jalali_month():
    rows = [(J("1404/11/30"), 2), (J("1404/12/01"), 1), (J("1404/12/29"), 4), (J("1405/01/01"), 3),
            (J("1405/02/01"), 9)]  # Ordibehesht is outside the window: dropped
    assert fold_days(rows, WINDOW) == [2, 5, 3]


def _answered(desk, opened: str, answered: str, deadline: str, **kw):
    case = desk.open("published", opened_on=J(opened), **kw)
    case.answered_on, case.deadline = J(answered), J(deadline)
    db.session.commit()
    return case


def _waiting(desk, opened: str, deadline: str, status: str = "assigned", **kw):
    case = desk.open(status, opened_on=J(opened), **kw)
    case.deadline = J(deadline)
    db.session.commit()
    return case


@pytest.fixture
def cases(desk):
    _answered(desk, "1404/11/28", "1404/12/03", "1404/12/05")  # opened Bahman; on time in Esfand
    _answered(desk, "1404/12/20", "1405/01/15", "1404/12/27")  # opened Esfand; late: overdue in Esfand
    _waiting(desk, "1404/12/29", "1405/01/10")  # the last day of 1404; overdue in Farvardin, still open
    _waiting(desk, "1405/01/01", "1405/01/25")  # the first day of 1405; not due yet
    _waiting(desk, "1405/01/02", "1405/01/08", status="rejected")  # not a question: nowhere
    _answered(desk, "1405/01/05", "1405/01/07", "1405/01/12", agency=desk.b)  # agency B, on time in Farvardin
    return desk


def test_case_series_across_the_year_boundary(cases):
    province = case_series(WINDOW, today=TODAY)
    assert province.opened == [1, 2, 2]
    assert province.answered_on_time == [0, 1, 1]
    assert province.overdue == [0, 1, 1]
    water = case_series(WINDOW, agency_id=cases.a.id, today=TODAY)
    assert (water.opened, water.answered_on_time, water.overdue) == ([1, 2, 1], [0, 1, 0], [0, 1, 1])
    # Before the Farvardin deadline passes, it is not overdue yet.
    assert case_series(WINDOW, agency_id=cases.a.id, today=J("1405/01/10")).overdue == [0, 1, 0]


def test_an_agency_scope_sees_only_its_own_cases(cases):
    with agency_scope(cases.b.id):
        series = case_series(WINDOW, today=TODAY)
        assert (series.opened, series.answered_on_time, series.overdue) == ([0, 0, 1], [0, 0, 1], [0, 0, 0])
        assert case_series(WINDOW, agency_id=cases.a.id, today=TODAY).opened == [0, 0, 0]


def _conference(agency, at: str, status: str = "held"):
    db.session.add(PressConference(agency_id=agency.id, title="نشست", starts_at=T(at), status=status))


def _contact(agency, at: str):
    db.session.add(Contact(agency_id=agency.id, topic="گفت‌وگو", happened_at=T(at)))


def test_instants_count_in_the_month_of_their_local_day(desk):
    a, b = desk.a, desk.b
    _conference(a, "1404/12/29 23:59")  # Esfand (UTC 20 March 20:29)
    _conference(a, "1405/01/01 00:30")  # Farvardin although its UTC day is still 20 March
    _conference(a, "1405/01/14 10:00", status="planned")  # not held: not counted
    _conference(b, "1404/11/01 00:00")  # Bahman's first minute
    _conference(b, "1405/02/01 00:00")  # Ordibehesht: outside
    _contact(a, "1404/12/29 23:59")
    _contact(a, "1405/01/01 00:00")
    _contact(b, "1405/01/31 23:59")
    db.session.commit()
    assert T("1405/01/01 00:30") < datetime(2026, 3, 21, tzinfo=UTC)
    assert conference_series(WINDOW) == [1, 1, 1]
    assert conference_series(WINDOW, agency_id=a.id) == [0, 1, 1]
    assert contact_series(WINDOW) == [0, 1, 2]
    assert contact_series(WINDOW, agency_id=b.id) == [0, 0, 1]
    with agency_scope(a.id):
        assert contact_series(WINDOW) == [0, 1, 1]


@pytest.fixture
def coverage(desk):
    """Items of three outlets routed to A and B by their rules, on both sides of 1 Farvardin."""
    feed = Feed(url="https://news.example.ir/rss", title="خوراک")
    city, radio = Outlet(name="روزنامهٔ شهر", scope="local"), Outlet(name="رادیو استان", scope="provincial")
    db.session.add_all([feed, city, radio])
    db.session.flush()
    water_rule = RoutingRule(agency_id=desk.a.id, name="کم‌آبی", query="آب")
    tanker = RoutingRule(agency_id=desk.a.id, name="تانکر", query="تانکر")
    power_rule = RoutingRule(agency_id=desk.b.id, name="کم‌آبی", query="آب برق")  # the same name at B
    db.session.add_all([water_rule, tanker, power_rule])
    db.session.flush()
    n = 0

    def item(at: str, outlet, routes):
        nonlocal n
        n += 1
        row = Item(feed_id=feed.id, outlet_id=outlet.id if outlet else None, title=f"خبر {n}", published_at=T(at),
                   content_hash=f"{n:040d}", link=f"https://news.example.ir/{n}")
        db.session.add(row)
        db.session.flush()
        for agency, rules, status in routes:
            route = ItemRoute(item_id=row.id, agency_id=agency.id, status=status, rule_ids=[r.id for r in rules])
            db.session.add(route)
            db.session.flush()
            if rules:
                db.session.execute(insert(item_route_rules), [{"item_route_id": route.id, "rule_id": r.id}
                                                              for r in rules])

    a, b = desk.a, desk.b
    item("1404/12/29 23:00", city, [(a, [water_rule], "new")])  # Esfand
    item("1405/01/01 00:10", city, [(a, [water_rule, tanker], "accepted"), (b, [power_rule], "seen")])
    item("1405/01/03 09:00", radio, [(a, [tanker], "new")])
    item("1405/01/04 09:00", radio, [(a, [water_rule], "dismissed")])  # turned away: not counted
    item("1405/01/05 09:00", None, [(b, [power_rule], "new")])  # a feed without an outlet
    item("1405/01/06 09:00", city, [])  # routed nowhere
    db.session.commit()
    return desk


def test_routed_items_per_agency_and_month(coverage):
    assert routed_series(WINDOW) == {coverage.a.id: [0, 1, 2], coverage.b.id: [0, 0, 2]}
    assert routed_series(WINDOW, agency_id=coverage.b.id) == {coverage.b.id: [0, 0, 2]}


def test_coverage_by_outlet_and_topic_in_a_month(coverage):
    first, last = J("1405/01/01"), J("1405/01/31")
    city, radio = coverage_outlets()
    assert by_outlet(first, last) == [Volume("بدون رسانه", 1, None), Volume("رادیو استان", 1, radio),
                                      Volume("روزنامهٔ شهر", 1, city)]
    # The province counts «کم‌آبی» of A and of B together: items 2 (both) and 5 (B) = 2.
    assert by_topic(first, last) == [Volume("تانکر", 2), Volume("کم‌آبی", 2)]
    assert by_topic(first, last, agency_id=coverage.a.id) == [Volume("تانکر", 2), Volume("کم‌آبی", 1)]
    assert by_outlet(J("1404/12/01"), J("1404/12/29"), agency_id=coverage.b.id) == []
    with agency_scope(coverage.b.id):
        assert by_topic(first, last) == [Volume("کم‌آبی", 2)]


def test_the_longest_lists_end_with_the_rest(coverage):
    first, last = J("1404/12/01"), J("1405/01/31")
    rows = by_outlet(first, last, top=2)
    assert [(r.label, r.count) for r in rows] == [("روزنامهٔ شهر", 2), ("سایر", 2)]


def coverage_outlets():
    from sqlalchemy import select

    return (db.session.scalar(select(Outlet.id).where(Outlet.name == "روزنامهٔ شهر")),
            db.session.scalar(select(Outlet.id).where(Outlet.name == "رادیو استان")))
