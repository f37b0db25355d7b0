"""Clause 10's figures: updates in a period from the portal feed and from page changes, the
latest update, days since it, the stale flag against the setting, and updates per Jalali month
across the Esfand → Farvardin boundary (local days, Asia/Tehran)."""
from __future__ import annotations

import json

import pytest

from app.jalali import jalali_month_range, parse_jalali_date
from app.scoping import agency_scope
from app.services import NotAllowed, ServiceError
from app.services.portal_freshness import (
    month_keys,
    monthly_updates,
    portal_figures,
    set_stale_days,
    stale_days,
)
from tests.services.portal_fixtures import (
    page_change,
    page_watch,
    portal_feed,
    portal_item,
)


def d(text):
    return parse_jalali_date(text)


@pytest.fixture
def world(app, make_agency):
    water = make_agency(slug="water", name_fa="آب", portal_url="https://abfa.example.ir/")
    power = make_agency(slug="power", name_fa="برق", portal_url="https://power.example.ir/")
    roads = make_agency(slug="roads", name_fa="راه")  # no portal at all
    feed = portal_feed(water, created="1404/11/01")
    second = portal_feed(water, active=False, created="1404/11/01")
    # Water's feed: Esfand 1404 twice (the last one 23:50 on its last day), Farvardin 1405 three
    # times (00:30 on 1 Farvardin is already the new year in Tehran), one item seen in both feeds.
    portal_item(feed, "1404/12/10 10:00")
    portal_item(feed, "1404/12/29 23:50")
    portal_item(feed, "1405/01/01 00:30", also_in=second)
    portal_item(feed, "1405/01/05 09:00")
    portal_item(second, "1405/01/07 09:00")
    # Power: no feed; its page watched since 1404/12/01, changed twice.
    page_watch(power, "1404/12/01 08:00")
    c1 = page_change(power, "1404/12/20 08:00")
    c2 = page_change(power, "1405/01/02 08:00")
    return water, power, roads, feed, second, c1, c2


def test_updates_latest_and_days_for_a_feed_and_a_page(world):
    water, power, roads, feed, second, _c1, c2 = world
    first, last = jalali_month_range(1405, 1)
    figures = portal_figures(first, last, [water.id, power.id, roads.id], today=d("1405/01/10"))
    w, p, r = figures[water.id], figures[power.id], figures[roads.id]
    assert (w.updates, w.latest_update, w.days_since_update, w.has_feed, w.watched) == (3, d("1405/01/07"), 3, True, True)
    assert w.records == {"feeds": [feed.id, second.id], "portal_changes": []}
    assert (p.updates, p.latest_update, p.days_since_update, p.has_feed) == (1, d("1405/01/02"), 8, False)
    assert p.stale is True and w.stale is False  # 8 days > 7; 3 days is fresh
    assert p.records == {"feeds": [], "portal_changes": [c2.id]}
    assert (r.updates, r.latest_update, r.days_since_update, r.stale, r.watched) == (0, None, None, False, False)
    json.dumps({k: v.as_dict() for k, v in figures.items()})  # JSON-able


def test_esfand_counts_the_last_minute_of_the_year(world):
    water, power, *_ = world
    first, last = jalali_month_range(1404, 12)
    figures = portal_figures(first, last, [water.id, power.id], today=d("1405/02/01"))
    assert figures[water.id].updates == 2  # 10 Esfand and 29 Esfand 23:50
    assert figures[water.id].latest_update == d("1404/12/29")
    assert figures[water.id].days_since_update == 0 and figures[water.id].as_of == last
    assert figures[power.id].updates == 1 and figures[power.id].days_since_update == 9  # 20 → 29 Esfand


def test_stale_is_greater_than_the_setting_and_the_setting_is_the_governorates(world, make_user):
    water, power, *_ = world
    first, last = jalali_month_range(1405, 1)
    on_day = portal_figures(first, last, [power.id], today=d("1405/01/09"))[power.id]
    assert (on_day.days_since_update, on_day.stale) == (7, False)  # exactly N days: still fresh
    supervisor, manager = make_user("supervisor"), make_user("manager", water)
    with pytest.raises(NotAllowed):
        set_stale_days("3", manager)
    with pytest.raises(ServiceError):
        set_stale_days("۰", supervisor)
    assert set_stale_days("۱۰", supervisor) == 10 and stale_days() == 10
    assert portal_figures(first, last, [power.id], today=d("1405/01/10"))[power.id].stale is False


def test_a_page_without_changes_counts_from_its_first_check(app, make_agency):
    quiet = make_agency(slug="quiet", portal_url="https://quiet.example.ir/")
    page_watch(quiet, "1405/01/01 10:00")
    first, last = jalali_month_range(1405, 1)
    f = portal_figures(first, last, [quiet.id], today=d("1405/01/20"))[quiet.id]
    assert (f.latest_update, f.days_since_update, f.stale, f.watched) == (None, 19, True, True)
    before = portal_figures(*jalali_month_range(1404, 12), [quiet.id], today=d("1405/01/20"))[quiet.id]
    assert (before.watched, before.stale, before.days_since_update) == (False, False, None)


def test_monthly_history_across_the_year_boundary(world):
    water, power, roads, *_ = world
    months = month_keys(d("1405/01/15"), 3)
    assert months == [(1404, 11), (1404, 12), (1405, 1)]
    history = monthly_updates([water.id, power.id, roads.id], months)
    assert history[water.id] == [(1404, 11, 0), (1404, 12, 2), (1405, 1, 3)]
    assert history[power.id] == [(1404, 11, 0), (1404, 12, 1), (1405, 1, 1)]
    assert history[roads.id] == [(1404, 11, 0), (1404, 12, 0), (1405, 1, 0)]


def test_an_agency_scope_sees_only_its_own(world):
    water, power, *_ = world
    first, last = jalali_month_range(1405, 1)
    with agency_scope(water.id):
        assert set(portal_figures(first, last, None, today=d("1405/01/10"))) == {water.id}
        assert set(portal_figures(first, last, [power.id], today=d("1405/01/10"))) == set()
        assert set(monthly_updates(None, [(1405, 1)])) == {water.id}
